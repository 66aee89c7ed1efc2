"""The deploy path against the running local cloud: idempotent, and safe under a held lock."""

from __future__ import annotations

import os
import time
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
import requests

from resume.config import AppConfig
from resume_tools.bench.write_units import deployed_tables, snapshot
from resume_tools.deploy.deploy import deploy
from resume_tools.errors import OpsError
from resume_tools.local_cloud.cloud import emulator_client, emulator_env, local_config
from resume_tools.local_cloud.loopback import client_at
from tests.support.cloud import E2E_OTHER_SITES, E2E_PAGE_PATTERNS, RunningCloud
from tests.support.events import BROWSER
from tests.support.synth import PROJECT_ROOT
from visitor_counter import schema

pytestmark = pytest.mark.e2e
# Longer than the local gateway takes to notice a deployed function changed (1 s).
RECHECK_S = 1.5


@pytest.fixture
def config(cloud: RunningCloud, monkeypatch: pytest.MonkeyPatch) -> AppConfig:
    """The configuration the running dev command deployed, and its credentials."""
    for name, value in emulator_env(cloud.emulator_endpoint).items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("RESUME_PAGE_PATTERNS", E2E_PAGE_PATTERNS)
    monkeypatch.setenv("RESUME_SITES", E2E_OTHER_SITES)
    return local_config(os.environ, cloud.emulator_endpoint, cloud.ports)


def test_second_deploy_with_nothing_changed_changes_nothing(
    cloud: RunningCloud, config: AppConfig
) -> None:
    messages: list[str] = []

    result = deploy(PROJECT_ROOT, config, os.environ, messages.append)

    assert result.changed_stacks == ()
    assert result.changed_site_files == ()
    assert "synth: unchanged, reused cdktf.out" in messages
    assert messages.count("site: no changes") == 1
    # Nothing that `terraform init` reads changed since the deploy that brought the cloud up.
    assert sum(m.endswith("] init: unchanged since the last one") for m in messages) == 3
    assert not any(m.endswith("] init") for m in messages)


def test_deploy_stops_cleanly_on_a_held_state_lock(cloud: RunningCloud, config: AppConfig) -> None:
    s3 = emulator_client("s3", cloud.emulator_endpoint)
    bucket, key = config.resolved_state_bucket, config.state_key("backend")
    state_before = s3.get_object(Bucket=bucket, Key=key)["Body"].read()
    # What a concurrent `terraform apply` writes while it holds the backend stack's lock.
    s3.put_object(Bucket=bucket, Key=key + ".tflock", Body=b'{"ID":"other-deploy","Who":"ci"}')
    try:
        with pytest.raises(OpsError) as failure:
            deploy(PROJECT_ROOT, config, os.environ, lambda _: None)
    finally:
        s3.delete_object(Bucket=bucket, Key=key + ".tflock")

    assert str(failure.value) == (
        "cloud-resume-dev-backend: apply stopped: another deploy holds the state lock; nothing "
        "was changed, try again when it has finished [stacks applied before this: state]"
    )
    assert s3.get_object(Bucket=bucket, Key=key)["Body"].read() == state_before


def test_diff_after_deploy_reports_no_changes(config: AppConfig) -> None:
    from resume_tools.deploy.diff import diff

    messages: list[str] = []

    changes = diff(PROJECT_ROOT, config, os.environ, messages.append)

    assert changes == {}
    assert sum(m.endswith("no changes") for m in messages) == 3


def test_a_read_only_plan_needs_no_lock_and_shows_no_values(
    cloud: RunningCloud, config: AppConfig, tmp_path: Path
) -> None:
    """What the pull-request job runs: `diff --no-lock --summary` while a deploy holds the lock."""
    from resume_tools.deploy.diff import diff, summary

    s3 = emulator_client("s3", cloud.emulator_endpoint)
    bucket, key = config.resolved_state_bucket, config.state_key("backend") + ".tflock"
    s3.put_object(Bucket=bucket, Key=key, Body=b'{"ID":"other-deploy","Who":"ci"}')
    changed = replace(config, log_level="ERROR")  # the function's environment changes
    env = {**os.environ, "CDKTF_OUTDIR": str(tmp_path / "cdktf.out")}
    try:
        plans = diff(PROJECT_ROOT, changed, env, lambda _: None, lock=False)
        held = s3.get_object(Bucket=bucket, Key=key)["Body"].read()
    finally:
        s3.delete_object(Bucket=bucket, Key=key)

    assert held == b'{"ID":"other-deploy","Who":"ci"}'  # neither taken nor released
    assert list(plans) == ["backend"]
    (change,) = plans["backend"].changes
    assert change[0].startswith("aws_lambda_function.function_")
    assert change[1] == "update"
    text = summary("dev", plans)
    assert f"- `{change[0]}`: update" in text
    assert "ERROR" not in text  # the new value itself
    assert "arn:" not in text
    assert "ERROR" in plans["backend"].text  # which Terraform's own plan text shows


def test_past_the_daily_ceiling_nothing_is_written_and_a_deploy_raising_it_counts_again(
    cloud: RunningCloud, config: AppConfig
) -> None:
    """The manual way back: raise max_views_per_day and deploy (Lambda starts new
    containers, which have not seen the ceiling). Last in this module: it deploys the
    cloud's own configuration back."""
    dynamodb = emulator_client("dynamodb", cloud.emulator_endpoint)
    history = schema.history_table_name(cloud.table_name)
    today = datetime.now(UTC).date().isoformat()
    site_day = {"ID": {"S": schema.site_history_key(config.site_id)}, "day": {"S": today}}

    def estimate() -> int:
        """The site's views today as the ceiling counts them (visitor_counter.visitors)."""
        item = dynamodb.get_item(TableName=history, Key=site_day).get("Item") or {}
        return int(item.get(schema.ESTIMATE_ATTRIBUTE, {"N": "0"})["N"])

    def view(address: str) -> requests.Response:
        return client_at(address).post(
            f"{cloud.api_url}/pages/%2F",
            headers={"User-Agent": BROWSER, "Origin": cloud.site_url},
            timeout=10,
        )

    # Below 1,000 a day, every view adds to the estimate at once: two views reach it.
    ceiling = estimate() + 2
    raised = replace(config, max_views_per_day=ceiling)
    deploy(PROJECT_ROOT, raised, os.environ, print)
    time.sleep(RECHECK_S)
    try:
        counted = [view(f"127.0.0.9{n}") for n in (1, 2)]
        assert [answer.status_code for answer in counted] == [200, 200]
        tables = deployed_tables(cloud.table_name)
        before = snapshot(dynamodb, tables)

        refused = view("127.0.0.93")

        assert refused.status_code == 503
        assert refused.json()["error"].startswith("This site counted its most views for today")
        assert 0 < int(refused.headers["Retry-After"]) <= 86_400
        assert snapshot(dynamodb, tables) == before  # no paid work: nothing written
        assert estimate() == ceiling
    finally:
        deploy(PROJECT_ROOT, config, os.environ, print)
        time.sleep(RECHECK_S)

    again = view("127.0.0.93")

    assert again.status_code == 200
    # Counted: the page's views go on from the last counted before the ceiling.
    assert again.json()["views"] == counted[-1].json()["views"] + 1
