"""The local cloud: the real deploy path against moto on loopback, then the API and the site.

Deploys every stack with `terraform apply` to a moto server it starts, then serves the
deployed handler code (moto cannot run Lambdas) behind a local stand-in for API Gateway,
and the deployed site bucket behind a local stand-in for CloudFront.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from resume.config import AppConfig, load_config
from resume.edge_code import API_ORIGIN_ID
from resume_tools.deploy.deploy import Deployment, deploy
from resume_tools.deploy.smoke import smoke_check
from resume_tools.deploy.stats_token import new_stats_token, stats_page_url
from resume_tools.errors import OpsError
from resume_tools.local_cloud.demo_history import seed_demo_history
from resume_tools.local_cloud.deployed_handler import DeployedFunction
from resume_tools.local_cloud.edge_function import EdgeFunction
from resume_tools.local_cloud.emulator import Emulator, port_is_free
from resume_tools.local_cloud.gateway import LocalGateway
from resume_tools.local_cloud.loopback import HOST
from resume_tools.local_cloud.partition_limits import PartitionLimits
from resume_tools.local_cloud.site_server import ApiBehaviour, SiteServer
from resume_tools.local_cloud.stage_limits import deployed_limits
from resume_tools.log import Log
from visitor_counter.page_store import PageStore
from visitor_counter.viewer import ORIGIN_VERIFY_HEADER

LOCAL_REGION = "eu-west-2"
PORTS = {"moto_port": 4599, "api_port": 4600, "site_port": 4601}


@dataclass(frozen=True)
class LocalCloud:
    """What a running local cloud exposes."""

    emulator_endpoint: str
    api_url: str
    site_url: str
    deployment: Deployment
    # The stats page with a token made for this run (moto starts empty every time).
    stats_url: str
    config: AppConfig
    # DynamoDB's per-key limits, scaled down, between the function and moto (when asked).
    partition_limits: PartitionLimits | None = None


def emulator_env(endpoint: str) -> dict[str, str]:
    """Credentials and endpoint that send every AWS SDK call to the emulator."""
    return {
        # moto accepts any credentials; these only keep real ones out of the local cloud.
        "AWS_ACCESS_KEY_ID": "local",
        "AWS_SECRET_ACCESS_KEY": "local",
        "AWS_DEFAULT_REGION": LOCAL_REGION,
        "AWS_REGION": LOCAL_REGION,
        "AWS_ENDPOINT_URL": endpoint,
    }


def emulator_client(service: str, endpoint: str) -> Any:
    """A boto3 client for one service of the emulator."""
    import boto3

    env = emulator_env(endpoint)
    return boto3.client(
        service,
        endpoint_url=endpoint,
        region_name=LOCAL_REGION,
        aws_access_key_id=env["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=env["AWS_SECRET_ACCESS_KEY"],
    )


def local_config(
    env: Mapping[str, str], endpoint: str, ports: Mapping[str, int], stage: str = "dev"
) -> AppConfig:
    """The user's configuration, pointed at the emulator and the local servers."""
    site_port = ports["site_port"]
    return load_config(
        env,
        {
            "stage": stage,
            "region": LOCAL_REGION,
            "emulator_endpoint": endpoint,
            # The page is served from the local site server; the API must allow it.
            "allowed_origins": (
                "http://localhost:4321",
                f"http://{HOST}:{site_port}",
                f"http://localhost:{site_port}",
            ),
        },
    )


@contextmanager
def local_cloud(
    root: Path,
    ports: Mapping[str, int],
    env: Mapping[str, str],
    log: Log,
    stage: str = "dev",
    partition_limit_scale: int = 0,
) -> Iterator[LocalCloud]:
    """Deploy to a fresh emulator and serve; stop everything on exit, whatever happened.

    `partition_limit_scale`: above 0, the function's DynamoDB calls meet DynamoDB's per-key
    limits divided by it (resume_tools.local_cloud.partition_limits); 0, none (moto's).
    """
    busy = [
        f"{port} (--{name.replace('_', '-')})"
        for name, port in ports.items()
        if not port_is_free(port)
    ]
    if busy:
        raise OpsError(f"port {', '.join(busy)} is in use: choose another")
    with ExitStack() as running:
        log(f"starting moto on port {ports['moto_port']}")
        emulator = running.enter_context(Emulator(ports["moto_port"]))
        cloud_env = {**env, **emulator_env(emulator.endpoint)}
        os.environ.update(emulator_env(emulator.endpoint))  # boto3 in this process, too
        config = local_config(cloud_env, emulator.endpoint, ports, stage)
        deployment = deploy(root, config, cloud_env, log)
        lambda_client = emulator_client("lambda", emulator.endpoint)
        function_env = emulator_env(emulator.endpoint)
        partition_limits = None
        if partition_limit_scale:
            partition_limits = running.enter_context(
                PartitionLimits(emulator.endpoint, partition_limit_scale)
            )
            log(f"DynamoDB's per-key limits divided by {partition_limit_scale}")
            function_env["AWS_ENDPOINT_URL_DYNAMODB"] = partition_limits.url
        handler = DeployedFunction(
            lambda_client,
            deployment.backend.function_name,
            deployment.package,
            root / ".local-cloud" / "function",
            function_env,
        )
        running.callback(handler.close)
        limits = deployed_limits(
            emulator_client("apigatewayv2", emulator.endpoint),
            lambda_client,
            deployment.backend.function_name,
        )
        api = LocalGateway(handler, ports["api_port"], limits).start()
        running.callback(api.stop)
        s3 = emulator_client("s3", emulator.endpoint)
        cloudfront = emulator_client("cloudfront", emulator.endpoint)
        edge = _deployed_function(cloudfront, deployment.frontend.viewer_function)
        running.callback(edge.close)
        api_edge = _deployed_function(cloudfront, deployment.frontend.api_function)
        running.callback(api_edge.close)
        site = SiteServer(
            s3,
            deployment.frontend.bucket_name,
            ports["site_port"],
            edge,
            deployment.frontend.error_page,
            ApiBehaviour(
                api_edge,
                HOST,
                ports["api_port"],
                _origin_secret(cloudfront, deployment.frontend.distribution_id),
            ),
        ).start()
        running.callback(site.stop)
        token = new_stats_token(
            emulator_client("dynamodb", emulator.endpoint),
            deployment.backend.table_name,
            config.site_id,
        )
        checks = smoke_check(site.url, api.url, deployed=False, stats_token=token)
        log(f"smoke check passed: {', '.join(checks)}")
        stats_url = stats_page_url(site.url, token)
        yield LocalCloud(
            emulator.endpoint,
            api.url,
            site.url,
            deployment,
            stats_url,
            config,
            partition_limits,
        )


def _deployed_function(cloudfront: Any, name: str) -> EdgeFunction:
    """A CloudFront Function's code as deployed (moto keeps it unpublished), under Node."""
    return EdgeFunction(cloudfront.get_function(Name=name)["FunctionCode"].read())


def _origin_secret(cloudfront: Any, distribution_id: str) -> str:
    """The API origin's custom header value, as the deployed distribution holds it."""
    config = cloudfront.get_distribution_config(Id=distribution_id)["DistributionConfig"]
    for origin in config["Origins"]["Items"]:
        if origin["Id"] == API_ORIGIN_ID:
            for header in origin.get("CustomHeaders", {}).get("Items", []):
                if header["HeaderName"].lower() == ORIGIN_VERIFY_HEADER:
                    return str(header["HeaderValue"])
    raise OpsError(f"the distribution has no {API_ORIGIN_ID} origin with {ORIGIN_VERIFY_HEADER}")


def seed_local_history(cloud: LocalCloud) -> int:
    """Write the demo history for the deployed site's pages; return the items written."""
    dynamodb = emulator_client("dynamodb", cloud.emulator_endpoint)
    known = PageStore(
        dynamodb, cloud.deployment.backend.table_name, cloud.config.site_id
    ).known_pages()
    listed = known[0] if known else ["/"]
    # The list holds "/posts/hello.html" and its alias "/posts/hello": one page to a reader.
    pages = [
        page for page in listed if page.removesuffix(".html") == page or page[:-5] not in listed
    ]
    return seed_demo_history(
        dynamodb,
        cloud.deployment.backend.history_table_name,
        pages,
        datetime.now(UTC).date(),
        cloud.config.stats_retention_days,
        cloud.config.site_id,
    )
