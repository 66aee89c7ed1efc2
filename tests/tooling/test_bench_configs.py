"""The bench's local clouds take configurations the config accepts (resume.capacity)."""

from __future__ import annotations

import pytest

from resume_tools.bench.figures import THROUGHPUT_ENV
from resume_tools.bench.hot_keys import LOAD_ENV, PORTS
from resume_tools.local_cloud.cloud import local_config


@pytest.mark.parametrize("env", [THROUGHPUT_ENV, LOAD_ENV], ids=["throughput", "hot keys"])
def test_each_bench_cloud_is_a_configuration_the_config_accepts(env: dict[str, str]) -> None:
    config = local_config(env, "http://127.0.0.1:4599", PORTS)

    assert config.throttle_rate_limit_rps == float(env["RESUME_THROTTLE_RATE_LIMIT_RPS"])
