"""Builds the cdktf app (all stacks) from one AppConfig; synthesis is the caller's choice."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from cdktf import App

from resume.config import STACK_KINDS, AppConfig, ConfigError
from resume.stacks import BackendStack, CiStack, FrontendStack, StateStack

__all__ = ["STACK_KINDS", "Stacks", "build_app"]


@dataclass(frozen=True)
class Stacks:
    """The app and its stacks, for callers (tests, synth) that inspect them."""

    app: App
    state: StateStack
    frontend: FrontendStack
    backend: BackendStack
    # Only when github_repo is configured.
    ci: CiStack | None = None


def build_app(config: AppConfig, *, project_root: Path, outdir: str | None = None) -> Stacks:
    """Create the app with the stage's stacks, and the CI stack if github_repo is set."""
    function_zip = project_root / config.function_zip
    if not function_zip.is_file():
        raise ConfigError(
            f"function_zip: {config.function_zip} does not exist; build it with `nox -s package`"
        )
    app = App(outdir=outdir) if outdir else App()
    state = StateStack(app, config.stack_name("state"), config=config)
    backend = BackendStack(
        app,
        config.stack_name("backend"),
        config=config,
        function_zip=function_zip,
        project_root=project_root,
    )
    frontend = FrontendStack(
        app,
        config.stack_name("frontend"),
        config=config,
        project_root=project_root,
        api=backend.api_origin,
    )
    ci = CiStack(app, config.ci_stack_name, config=config) if config.github_repo else None
    return Stacks(app=app, state=state, frontend=frontend, backend=backend, ci=ci)
