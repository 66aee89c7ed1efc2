"""`terraform init` is skipped only when nothing it reads changed since the last one."""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from pathlib import Path

from resume_tools.terraform.stack_runner import StackRunner
from tests.support.synth import PROJECT_ROOT


def runner(stack_dir: Path, bucket: str = "state-123") -> StackRunner:
    return StackRunner(
        stack_dir, os.environ, lambda _: None, state_bucket=bucket, lock_root=PROJECT_ROOT
    )


def write_stack(stack_dir: Path, terraform_block: Mapping[str, object]) -> None:
    stack_dir.mkdir(exist_ok=True)
    (stack_dir / "cdk.tf.json").write_text(
        json.dumps({"terraform": terraform_block, "resource": {}})
    )


def test_what_init_reads_decides_the_stamp(tmp_path: Path) -> None:
    backend = {"backend": {"s3": {"key": "dev/backend.tfstate", "region": "eu-west-2"}}}
    write_stack(tmp_path / "stack", backend)
    first = runner(tmp_path / "stack")._init_inputs()

    same = runner(tmp_path / "stack")._init_inputs()
    other_bucket = runner(tmp_path / "stack", bucket="state-456")._init_inputs()
    write_stack(tmp_path / "stack", {"backend": {"s3": {"key": "prod/backend.tfstate"}}})
    other_backend = runner(tmp_path / "stack")._init_inputs()
    write_stack(tmp_path / "stack", {**backend, "required_providers": {"aws": {"version": "6"}}})
    other_providers = runner(tmp_path / "stack")._init_inputs()

    assert same == first
    assert len({first, other_bucket, other_backend, other_providers}) == 4


def test_resources_alone_do_not_need_a_new_init(tmp_path: Path) -> None:
    backend = {"backend": {"s3": {"key": "dev/backend.tfstate"}}}
    write_stack(tmp_path / "stack", backend)
    before = runner(tmp_path / "stack")._init_inputs()
    (tmp_path / "stack" / "cdk.tf.json").write_text(
        json.dumps({"terraform": backend, "resource": {"aws_sns_topic": {"t": {}}}})
    )

    assert runner(tmp_path / "stack")._init_inputs() == before


def test_a_provider_link_into_a_deleted_plugin_cache_means_init_again(tmp_path: Path) -> None:
    write_stack(tmp_path / "stack", {"backend": {"s3": {"key": "dev/backend.tfstate"}}})
    platform = tmp_path / "stack" / ".terraform/providers/registry.terraform.io/hashicorp/aws/5.1"
    platform.mkdir(parents=True)
    cache = tmp_path / "plugin-cache" / "linux_amd64"
    cache.mkdir(parents=True)
    (platform / "linux_amd64").symlink_to(cache)

    found_with_the_cache = runner(tmp_path / "stack")._providers_found()
    cache.rmdir()

    assert found_with_the_cache is True
    assert runner(tmp_path / "stack")._providers_found() is False


def test_a_backend_init_recorded_by_hand_changes_the_stamp(tmp_path: Path) -> None:
    write_stack(tmp_path / "stack", {"backend": {"s3": {"key": "dev/backend.tfstate"}}})
    (tmp_path / "stack" / ".terraform").mkdir()
    recorded = tmp_path / "stack" / ".terraform" / "terraform.tfstate"
    recorded.write_text('{"backend": {"config": {"bucket": "state-123"}}}')
    before = runner(tmp_path / "stack")._init_inputs()

    recorded.write_text('{"backend": {"config": {"bucket": "someone-elses"}}}')

    assert runner(tmp_path / "stack")._init_inputs() != before
