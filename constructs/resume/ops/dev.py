"""The local cloud: the real deploy path against moto on loopback, then the API and the site.

    python -m resume.ops.dev [--stage dev] [--moto-port 4599] [--api-port 4600]
                             [--site-port 4601] [--no-serve]

Deploys every stack with `terraform apply` to a moto server this command starts, then
serves the deployed handler code (moto cannot run Lambdas) behind a local stand-in for
API Gateway, and the deployed site bucket behind a local stand-in for CloudFront.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from resume.config import KNOWN_STAGES, AppConfig, ConfigError, load_config
from resume.ops.deploy import Deployment, deploy
from resume.ops.deployed_handler import deployed_handler
from resume.ops.emulator import Emulator, port_is_free
from resume.ops.errors import OpsError
from resume.ops.local_api import LocalApi
from resume.ops.loopback import HOST
from resume.ops.site_server import SiteServer
from resume.ops.stacks_runner import Log

LOCAL_REGION = "eu-west-2"
PORTS = {"moto_port": 4599, "api_port": 4600, "site_port": 4601}
CHECK_USER_AGENT = "Mozilla/5.0 (local cloud start-up check)"


@dataclass(frozen=True)
class LocalCloud:
    """What a running local cloud exposes."""

    emulator_endpoint: str
    api_url: str
    site_url: str
    deployment: Deployment


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
    root: Path, ports: Mapping[str, int], env: Mapping[str, str], log: Log, stage: str = "dev"
) -> Iterator[LocalCloud]:
    """Deploy to a fresh emulator and serve; stop everything on exit, whatever happened."""
    busy = [
        f"{port} (--{name.replace('_', '-')})"
        for name, port in ports.items()
        if not port_is_free(port)
    ]
    if busy:
        raise OpsError(f"port {', '.join(busy)} is in use: choose another")
    api_url = f"http://{HOST}:{ports['api_port']}"
    with ExitStack() as running:
        log(f"starting moto on port {ports['moto_port']}")
        emulator = running.enter_context(Emulator(ports["moto_port"]))
        cloud_env = {**env, **emulator_env(emulator.endpoint)}
        os.environ.update(emulator_env(emulator.endpoint))  # boto3 in this process, too
        config = local_config(cloud_env, emulator.endpoint, ports, stage)
        deployment = deploy(root, config, cloud_env, log, site_api_url=api_url)
        handler = deployed_handler(
            emulator_client("lambda", emulator.endpoint),
            deployment.function_name,
            deployment.package,
            root / ".local-cloud" / "function",
            emulator_env(emulator.endpoint),
        )
        api = LocalApi(handler, ports["api_port"]).start()
        running.callback(api.stop)
        s3 = emulator_client("s3", emulator.endpoint)
        site = SiteServer(s3, deployment.bucket_name, ports["site_port"]).start()
        running.callback(site.stop)
        yield LocalCloud(emulator.endpoint, api.url, site.url, deployment)


def check(cloud: LocalCloud) -> int:
    """POST / once and fetch the page, as a visitor would; return the count."""
    # Counted as a visit on purpose (urllib's own User-Agent would be a bot): the count moves.
    request = urllib.request.Request(  # noqa: S310 - loopback
        cloud.api_url + "/", method="POST", headers={"User-Agent": CHECK_USER_AGENT}
    )
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
        visitors = json.loads(response.read())["visitors"]
    with urllib.request.urlopen(cloud.site_url + "/", timeout=10) as page:  # noqa: S310
        if b"data-counter" not in page.read():
            raise OpsError("the site server did not serve the deployed index.html")
    if not isinstance(visitors, int):
        raise OpsError(f"POST / answered {visitors!r}, not a count")
    return visitors


def _parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="dev", description=__doc__)
    parser.add_argument("--stage", default="dev", choices=KNOWN_STAGES)
    for name, default in PORTS.items():
        env_name = "RESUME_" + name.upper()
        parser.add_argument(
            "--" + name.replace("_", "-"), type=int, default=int(os.environ.get(env_name, default))
        )
    parser.add_argument("--no-serve", action="store_true", help="deploy, check, then exit")
    args = parser.parse_args(argv)
    for name in PORTS:
        if not 0 < getattr(args, name) < 65536:
            parser.error(f"--{name.replace('_', '-')} must be a port number (1-65535)")
    return args


def main(argv: list[str] | None = None) -> int:
    """CLI: bring the local cloud up, check it, serve until Ctrl-C (or exit with --no-serve)."""
    args = _parse(argv)
    started = time.monotonic()

    def log(message: str) -> None:
        print(f"dev: [{time.monotonic() - started:5.1f}s] {message}", flush=True)

    # A service manager's SIGTERM shuts down as cleanly as Ctrl-C: the emulator stops too.
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    ports = {name: getattr(args, name) for name in PORTS}
    try:
        with local_cloud(Path.cwd(), ports, os.environ, log, args.stage) as cloud:
            visitors = check(cloud)
            print(f"dev: site         {cloud.site_url}/")
            print(f"dev: demo post    {cloud.site_url}/posts/hello.html")
            print(f"dev: counter API  {cloud.api_url}/")
            print(f"dev: top pages    {cloud.api_url}/pages?top=10")
            print(f"dev: moto         {cloud.emulator_endpoint}")
            print(f"dev: table        {cloud.deployment.table_name}")
            print(f'dev: check: POST / -> {{"visitors":{visitors}}}')
            if not args.no_serve:
                print("dev: serving; press Ctrl-C to stop", flush=True)
                threading.Event().wait()
    except KeyboardInterrupt:
        print("dev: stopped; moto and the local servers are down")
    except (OSError, OpsError, ConfigError) as exc:
        print(f"dev: error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
