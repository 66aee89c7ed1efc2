"""counter.js sends a target only where the API takes it: its test and the API's agree."""

from __future__ import annotations

import json
import re
import shutil
import subprocess

from tests.support.synth import PROJECT_ROOT
from visitor_counter.errors import BadRequest
from visitor_counter.event_input import MAX_TARGET_CHARS, event_target

COUNTER = PROJECT_ROOT / "constructs" / "site" / "counter.js"
SAMPLES = [
    "/files/cv.pdf", "/", "/a%20b.pdf", "/it's(1).pdf", "github.com", "github.com/octo/site",
    "1.2.3.4", "example.co.uk", "a-b.example:8080",
    "xn--bcher-kva.example", "example.com:8443/x.zip", "localhost", "localhost:8080",
    "[::1]:8080", "/a|b.pdf", "/a^b", "other", "GitHub.com", "/cv.pdf?x=1", "/cv#2",
    "/<b>", "", "/" + "x" * (MAX_TARGET_CHARS - 1), "/" + "x" * MAX_TARGET_CHARS,
]  # fmt: skip


def api_takes(target: str) -> bool:
    try:
        event_target(target)
    except BadRequest:
        return False
    return True


def test_the_counter_sends_a_target_exactly_when_the_api_takes_it() -> None:
    node = shutil.which("node")
    assert node, "node not found: the counter's test is run under Node"
    script = COUNTER.read_text()
    (pattern,) = re.findall(r"\n  var TARGET = (/.+/);\n", script)
    (chars,) = re.findall(r"\n  var TARGET_CHARS = (\d+);\n", script)
    check = (
        f"const t = {pattern}; const samples = {json.dumps(SAMPLES)};"
        f"console.log(JSON.stringify(samples.map(s => s.length <= {chars} && t.test(s))));"
    )

    sent = json.loads(subprocess.run([node, "-e", check], capture_output=True, text=True,
                                     check=True, timeout=30).stdout)  # fmt: skip

    assert int(chars) == MAX_TARGET_CHARS
    assert dict(zip(SAMPLES, sent, strict=True)) == {s: api_takes(s) for s in SAMPLES}
    assert sum(sent) >= 6  # both kinds are taken, not only refused
