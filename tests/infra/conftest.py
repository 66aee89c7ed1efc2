"""Synthesize once per session for each configuration the infrastructure tests look at."""

from __future__ import annotations

from pathlib import Path

import pytest

from resume.config import AppConfig
from resume_tools.artifacts.package import build
from tests.support.synth import PROJECT_ROOT, Synthesized, synth_app


@pytest.fixture(scope="session")
def function_zip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The Lambda package, built as `nox -s package` builds it."""
    out = tmp_path_factory.mktemp("package") / "function.zip"
    return build(PROJECT_ROOT / "function", out).path


@pytest.fixture(scope="session")
def production_config(function_zip: Path) -> AppConfig:
    """The defaults, as `nox -s synth` uses them: no account, no credentials."""
    return AppConfig(function_zip=str(function_zip))


@pytest.fixture(scope="session")
def production_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where the production synth is written."""
    return tmp_path_factory.mktemp("cdktf-prod")


@pytest.fixture(scope="session")
def production(production_config: AppConfig, production_dir: Path) -> Synthesized:
    """Every stack of the default configuration, synthesized."""
    return synth_app(production_config, production_dir)[1]


@pytest.fixture(scope="session")
def with_domain(function_zip: Path, tmp_path_factory: pytest.TempPathFactory) -> Synthesized:
    """The stacks with every option on: custom domain, alarm e-mail, tracing, HSTS preload."""
    config = AppConfig(
        function_zip=str(function_zip),
        state_bucket="example-state",
        domain_name="example.com",
        hosted_zone_id="Z0123456789ABCDEFGHIJ",
        stage="prod",
        alarm_email="ops@example.com",
        tracing=True,
        encrypt_alarm_topic=True,
        log_level="WARNING",
        hsts_preload=True,
    )
    return synth_app(config, tmp_path_factory.mktemp("cdktf-domain"))[1]


@pytest.fixture(scope="session")
def emulated(function_zip: Path, tmp_path_factory: pytest.TempPathFactory) -> Synthesized:
    """The stacks as the local cloud synthesizes them (moto endpoint)."""
    config = AppConfig(function_zip=str(function_zip), emulator_endpoint="http://127.0.0.1:4599")
    return synth_app(config, tmp_path_factory.mktemp("cdktf-local"))[1]


@pytest.fixture(scope="session")
def ci_config(function_zip: Path) -> AppConfig:
    """Every option on, and a GitHub repository: the CI identity stack is synthesized too."""
    return AppConfig(
        function_zip=str(function_zip),
        github_repo="octo-org/site.example",
        domain_name="example.com",
        hosted_zone_id="Z0123456789ABCDEFGHIJ",
        alarm_email="ops@example.com",
        tracing=True,
        encrypt_alarm_topic=True,
    )


@pytest.fixture(scope="session")
def ci_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where the synth with the CI stack is written."""
    return tmp_path_factory.mktemp("cdktf-ci")


@pytest.fixture(scope="session")
def with_ci(ci_config: AppConfig, ci_dir: Path) -> Synthesized:
    """Every stack, the CI identity stack included (key "ci")."""
    return synth_app(ci_config, ci_dir)[1]


# Two other sites beside the first: the sites role and its sessions.
SHOP = "shop https://shop.example https://www.shop.example /products/** /"
DOCS = "docs https://docs.example /**"


@pytest.fixture(scope="session")
def two_sites_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where the two-site synth with the CI stack is written."""
    return tmp_path_factory.mktemp("two-sites")


@pytest.fixture(scope="session")
def two_sites(function_zip: Path, two_sites_dir: Path) -> Synthesized:
    """Three sites deployed from GitHub: the CI stack makes both roles."""
    config = AppConfig(
        function_zip=str(function_zip), github_repo="octo-org/site.example", sites=(SHOP, DOCS)
    )
    return synth_app(config, two_sites_dir)[1]


@pytest.fixture(scope="session")
def two_sites_laptop_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where the two-site synth from a laptop is written."""
    return tmp_path_factory.mktemp("two-sites-laptop")


@pytest.fixture(scope="session")
def two_sites_laptop(function_zip: Path, two_sites_laptop_dir: Path) -> Synthesized:
    """The same sites deployed from a laptop: the backend stack makes the roles."""
    config = AppConfig(function_zip=str(function_zip), sites=(SHOP, DOCS))
    return synth_app(config, two_sites_laptop_dir)[1]
