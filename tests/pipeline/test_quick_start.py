"""The README's quick start: two commands, fine on an externally managed Python, run by CI."""

from __future__ import annotations

import re

from tests.support.synth import PROJECT_ROOT

VENV_FIRST = "python3 -m venv .venv && .venv/bin/python -m pip install --require-hashes "


def quick_start_commands() -> list[str]:
    """The commands of the README's quick start code block."""
    readme = (PROJECT_ROOT / "README.md").read_text()
    section = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    (block,) = re.findall(r"```bash\n(.*?)```", section, re.DOTALL)
    return [line for line in block.splitlines() if line.strip()]


def test_the_quick_start_is_two_commands_the_local_cloud_and_the_tests() -> None:
    commands = quick_start_commands()

    assert len(commands) == 2
    assert commands[0].endswith("-m nox -s dev")
    assert commands[1].endswith("-m nox -s lint tests")


def test_each_command_installs_into_a_virtual_environment_first() -> None:
    # pip into a distribution's python3 fails under PEP 668; a venv of our own never does.
    for command in quick_start_commands():
        assert command.startswith(VENV_FIRST), command
        assert "python3 -m pip" not in command


NO_SERVE = " -- --no-serve"


def ci_steps() -> list[str]:
    """The commands .ci/run runs as its steps, in order."""
    script = (PROJECT_ROOT / ".ci" / "run").read_text()
    return re.findall(r"^step \"[^\"]+\" '([^']*)'$", script, re.MULTILINE)


def test_ci_runs_both_readme_commands_verbatim_the_local_cloud_first() -> None:
    first, second = quick_start_commands()

    # The first ends by itself with the flag the quick start shows for that.
    assert ci_steps() == [first + NO_SERVE, second]


def test_the_quick_start_shows_how_the_first_command_ends_by_itself() -> None:
    readme = (PROJECT_ROOT / "README.md").read_text()
    section = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]

    assert f"nox -s dev{NO_SERVE}`" in section
