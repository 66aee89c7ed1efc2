"""Turn the installed crawler-user-agents list into the function's bot rules.

    write_rules(function_dir / "visitor_counter")  # writes crawler_patterns.json there

Every zip build calls it first, so the Lambda ships data derived from the list and never the
package. Each list pattern becomes the literal it requires (regex_literals), sorted into the
kinds of rule visitor_counter.bots checks (its docstring tells how and why): prefixes,
suffixes, literals found through one of their words ("keyed"), plain substrings, and regexes
for what cannot be reduced. Same inputs, same bytes.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import re
import string
import tempfile
from collections import Counter
from importlib import metadata
from pathlib import Path
from typing import Any, Final

from resume_tools.artifacts import regex_literals
from resume_tools.artifacts.regex_literals import Unsupported, required_literals
from resume_tools.errors import OpsError

DISTRIBUTION: Final = "crawler-user-agents"
PACKAGE: Final = "crawleruseragents"
LIST_FILE: Final = "crawler-user-agents.json"
DATA_FILE: Final = "crawler_patterns.json"
# An agent's words are its runs of these characters. Written into the data file: the
# function refuses a file written for other ones.
WORD_CHARS: Final = string.digits + string.ascii_lowercase
WORD: Final = re.compile(f"[{WORD_CHARS}]+")
# List patterns that match real browsers, and why; bots.py's docstring repeats them.
DROPPED_PATTERNS: Final = {
    r"AP3A\.240617\.008": "an Android 15 build id: in-app browsers (Instagram) send it",
    "MetaIAB Facebook": "how Facebook's in-app browser has ended its agent since 2025",
    "Sogou": "Sogou's mobile browser says SogouMobileBrowser; its crawlers all say spider",
    "Fluid": "a site-specific browser for macOS (so the list's own description says)",
}


def list_file() -> Path:
    """The installed list's JSON file (found without importing the package)."""
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or spec.origin is None:
        raise OpsError(
            f"{DISTRIBUTION} is not installed, so the bot rules cannot be built: "
            "pip install --require-hashes -r requirements/dev.txt (every nox session does)"
        )
    return Path(spec.origin).with_name(LIST_FILE)


def installed_list() -> list[dict[str, Any]]:
    """The installed list's entries: pattern, instances (example agents), url, …."""
    entries: list[dict[str, Any]] = json.loads(list_file().read_bytes())
    return entries


def list_examples() -> list[str]:
    """Every example agent the installed list gives for its patterns."""
    return [agent for entry in installed_list() for agent in entry.get("instances", [])]


def build_rules(entries: list[dict[str, Any]], source: str) -> dict[str, Any]:
    """The data file's content for the list's `entries`; `source` names the list's version."""
    agents = [
        (entry["pattern"], [agent.strip().lower() for agent in entry.get("instances", [])])
        for entry in entries
    ]
    # How many of the list's examples hold each word: the rarest word of a literal is its key.
    frequency = Counter(
        word for _, group in agents for agent in group for word in set(WORD.findall(agent))
    )
    prefixes: set[str] = set()
    suffixes: set[str] = set()
    keyed: dict[str, set[str]] = {}
    substrings: set[str] = set()
    regexes: set[str] = set()
    for pattern, examples in agents:
        if pattern in DROPPED_PATTERNS:
            continue
        try:
            literals = required_literals(pattern)
        except Unsupported:
            regexes.add(_checked_regex(pattern))
            continue
        for literal in literals:
            text = literal.text
            if literal.at_start:
                prefixes.add(text)
            elif literal.at_end:
                suffixes.add(text)
            elif key := _key(text, [a for a in examples if text in a], frequency):
                keyed.setdefault(key, set()).add(text)
            else:
                substrings.add(text)
    # An anchored literal that is also found anywhere adds nothing.
    anywhere = substrings.union(*keyed.values())
    return {
        "source": source,
        "word_chars": WORD_CHARS,
        "prefixes": sorted(prefixes - anywhere),
        "suffixes": sorted(suffixes - anywhere),
        # A word that is a literal of its own needs no second look: an empty list.
        "keyed": {key: [] if key in texts else sorted(texts) for key, texts in keyed.items()},
        "substrings": sorted(substrings),
        "regexes": sorted(regexes),
    }


def _checked_regex(pattern: str) -> str:
    """`pattern`, if the function can compile it as one branch of its alternation."""
    try:
        re.compile(f"(?:{pattern})")
    except re.error as exc:
        raise OpsError(
            f"crawler list pattern `{pattern}` cannot be one branch of a regex ({exc}): "
            "add it to DROPPED_PATTERNS in resume_tools/artifacts/bot_rules.py, with the reason"
        ) from None
    return pattern


def _key(text: str, examples: list[str], frequency: Counter[str]) -> str | None:
    """The word of `text` to find it by, or None when none will do.

    The rarest of its words across the list's examples, so that browsers' common words
    ("chrome", "version", "1") are no keys; and one that is a word of its own in each of
    the pattern's examples holding `text` ("googlebot/" cannot be found by the word
    "googlebot" in "MyGooglebot/1.0", whose word is "mygooglebot").
    """
    words: list[str] = WORD.findall(text)
    example_words = [set(WORD.findall(agent)) for agent in examples]
    for word in sorted(set(words), key=lambda w: (frequency[w], -len(w), words.index(w))):
        if all(word in found for found in example_words):
            return word
    return None


def render(rules: dict[str, Any]) -> bytes:
    """The data file's bytes: compact JSON, keys sorted, so equal rules give equal bytes."""
    return (json.dumps(rules, sort_keys=True, separators=(",", ":")) + "\n").encode()


def write_rules(package_dir: Path) -> Path:
    """Write package_dir/crawler_patterns.json from the installed list unless it is current.

    Current means made from the same list by the same code: checking costs ~1 ms, building
    ~50 ms, and every zip build (cached ones too) calls this.
    """
    source_file = list_file()
    inputs = _inputs_digest(source_file)
    target = package_dir / DATA_FILE
    if _made_from(target) == inputs:
        return target
    entries = json.loads(source_file.read_bytes())
    source = f"{DISTRIBUTION} {metadata.version(DISTRIBUTION)}"
    data = render({**build_rules(entries, source), "inputs_sha256": inputs})
    # Atomically: a test run or a build reading it meanwhile sees the old file or the new.
    handle, name = tempfile.mkstemp(dir=package_dir, prefix=f".{DATA_FILE}.")
    partial = Path(name)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        partial.chmod(0o644)
        partial.replace(target)
    finally:
        partial.unlink(missing_ok=True)  # left only if something failed: never ship it
    return target


def _inputs_digest(source_file: Path) -> str:
    """What the rules depend on: the list, and the code that turns it into rules."""
    digest = hashlib.sha256()
    for path in (source_file, Path(__file__), Path(regex_literals.__file__)):
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def _made_from(target: Path) -> str | None:
    try:
        made: str | None = json.loads(target.read_bytes()).get("inputs_sha256")
    except (OSError, ValueError):  # missing, or not the JSON we write
        return None
    return made
