"""The local cloud: moto on loopback, the counter table, and the packaged handler over HTTP.

python -m resume.ops.dev [--moto-port 4599] [--api-port 4600] [--no-serve]
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import threading
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from resume.ops.deployed_handler import load_handler
from resume.ops.emulator import Emulator
from resume.ops.errors import OpsError
from resume.ops.local_api import LocalApi
from resume.ops.local_table import counter_table_request
from resume.ops.package import build

LOCAL_REGION = "eu-west-2"
LOCAL_TABLE = "cloud-resume-local-visitors"
LOCAL_ORIGINS = "http://localhost:4321,http://127.0.0.1:4321"


@dataclass(frozen=True)
class LocalCloud:
    """What a running local cloud exposes."""

    emulator_endpoint: str
    api_url: str
    table_name: str


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


@contextmanager
def local_cloud(root: Path, moto_port: int, api_port: int) -> Iterator[LocalCloud]:
    """Start everything; stop everything on exit, whatever happened."""
    package = build(root / "function", root / "build" / "function.zip")
    with Emulator(moto_port) as emulator:
        env = emulator_env(emulator.endpoint)
        dynamodb = emulator_client("dynamodb", emulator.endpoint)
        dynamodb.create_table(**counter_table_request(LOCAL_TABLE))
        handler = load_handler(
            package.path,
            package.sha256,
            root / ".local-cloud" / "function",
            {**env, "TABLE_NAME": LOCAL_TABLE, "ALLOWED_ORIGINS": LOCAL_ORIGINS},
        )
        api = LocalApi(handler, api_port).start()
        try:
            yield LocalCloud(emulator.endpoint, api.url, LOCAL_TABLE)
        finally:
            api.stop()


def check(api_url: str) -> int:
    """POST / once, as a frontend would; return the count it answered."""
    request = urllib.request.Request(api_url + "/", method="POST")  # noqa: S310 - loopback
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
        visitors = json.loads(response.read())["visitors"]
    if not isinstance(visitors, int):
        raise OpsError(f"POST / answered {visitors!r}, not a count")
    return visitors


def main(argv: list[str] | None = None) -> int:
    """CLI: bring the local cloud up, check it, serve until Ctrl-C (or exit with --no-serve)."""
    parser = argparse.ArgumentParser(prog="dev", description=__doc__)
    parser.add_argument(
        "--moto-port", type=int, default=int(os.environ.get("RESUME_MOTO_PORT", "4599"))
    )
    parser.add_argument(
        "--api-port", type=int, default=int(os.environ.get("RESUME_API_PORT", "4600"))
    )
    parser.add_argument("--no-serve", action="store_true", help="check, then exit")
    args = parser.parse_args(argv)
    for name in ("moto_port", "api_port"):
        if not 0 < getattr(args, name) < 65536:
            parser.error(f"--{name.replace('_', '-')} must be a port number (1-65535)")
    # A service manager's SIGTERM shuts down as cleanly as Ctrl-C: the emulator stops too.
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    try:
        with local_cloud(Path.cwd(), args.moto_port, args.api_port) as cloud:
            print(f"dev: moto (local AWS)   {cloud.emulator_endpoint}")
            print(f"dev: counter API        {cloud.api_url}/")
            print(f'dev: check: POST / -> {{"visitors":{check(cloud.api_url)}}}')
            if not args.no_serve:
                print("dev: serving; press Ctrl-C to stop", flush=True)
                threading.Event().wait()
    except KeyboardInterrupt:
        print("dev: stopped")
    except (OSError, OpsError) as exc:
        print(f"dev: error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
