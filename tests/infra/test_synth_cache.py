"""`nox -s synth` pays the provider import only when an input of the synthesis changed."""

from __future__ import annotations

import dataclasses
import os
import shutil
from pathlib import Path

import pytest

from resume.config import AppConfig
from resume_tools.artifacts.synth import synth_key, synthesize
from tests.support.synth import PROJECT_ROOT


@pytest.fixture
def project_copy(tmp_path: Path, function_zip: Path) -> Path:
    """The files a synthesis reads, copied so a test may change them."""
    root = tmp_path / "project"
    root.mkdir()
    for name in ("main.py", "cdktf.json"):
        shutil.copy(PROJECT_ROOT / name, root / name)
    shutil.copytree(PROJECT_ROOT / "requirements", root / "requirements")
    shutil.copytree(PROJECT_ROOT / "constructs" / "resume", root / "constructs" / "resume")
    shutil.copy(function_zip, root / "function.zip")
    return root


def test_key_is_stable_for_unchanged_inputs(
    project_copy: Path, production_config: AppConfig
) -> None:
    config = dataclasses.replace(production_config, function_zip="function.zip")

    assert synth_key(project_copy, config) == synth_key(project_copy, config)


@pytest.mark.parametrize(
    "changed_file",
    [
        "main.py",
        "cdktf.json",
        "requirements/dev.txt",
        "constructs/resume/counter_api.py",
        "function.zip",
    ],
)
def test_key_changes_with_every_input_file(
    project_copy: Path, production_config: AppConfig, changed_file: str
) -> None:
    config = dataclasses.replace(production_config, function_zip="function.zip")
    before = synth_key(project_copy, config)

    with (project_copy / changed_file).open("ab") as handle:
        handle.write(b"\n")

    assert synth_key(project_copy, config) != before


def test_key_changes_with_the_configuration(
    project_copy: Path, production_config: AppConfig
) -> None:
    config = dataclasses.replace(production_config, function_zip="function.zip")

    changed = dataclasses.replace(config, throttle_rate_limit_rps=10.0)

    assert synth_key(project_copy, changed) != synth_key(project_copy, config)


def test_second_synth_reuses_the_output_and_a_change_synthesizes_again(
    tmp_path: Path, production_config: AppConfig
) -> None:
    outdir = tmp_path / "not-yet" / "cdktf.out"
    env = {**os.environ, "JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION": "20"}

    cold = synthesize(PROJECT_ROOT, production_config, env, outdir)
    manifest_time = (outdir / "manifest.json").stat().st_mtime_ns
    cached = synthesize(PROJECT_ROOT, production_config, env, outdir)
    unchanged_time = (outdir / "manifest.json").stat().st_mtime_ns
    changed = synthesize(
        PROJECT_ROOT, dataclasses.replace(production_config, lambda_memory_mb=512), env, outdir
    )

    assert (cold.reused, cached.reused, changed.reused) == (False, True, False)
    assert unchanged_time == manifest_time
    backend = (outdir / "stacks" / "cloud-resume-dev-backend" / "cdk.tf.json").read_text()
    assert '"memory_size": 512' in backend
