"""The local cloud (`nox -s dev`): the real deploy path against moto on loopback, served.

    python -m resume_tools.cli.dev [--stage dev] [--moto-port 4599] [--api-port 4600]
                                   [--site-port 4601] [--seed-demo-history] [--no-serve]

--seed-demo-history writes 60 days of made-up history before today, for the stats page.

Serves until Ctrl-C, SIGINT or SIGTERM; every server and the emulator stop on the way out.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

from resume.config import KNOWN_STAGES
from resume_tools.cli import Command, stop_on_signals
from resume_tools.local_cloud.cloud import PORTS, local_cloud, seed_local_history
from resume_tools.progress import TYPICAL_LOCAL_CLOUD_S, StepLog

# From a clone with warm package caches to serving, measured on this project's 2-core
# machine (the README's performance table).
COLD_START_S = 35


def main(argv: list[str] | None = None) -> int:
    """Bring the local cloud up, check it, serve until stopped (or exit with --no-serve)."""
    command = Command("dev", __doc__)
    command.parser.add_argument("--stage", default="dev", choices=KNOWN_STAGES)
    for name, default in PORTS.items():
        env_name = "RESUME_" + name.upper()
        command.parser.add_argument(
            "--" + name.replace("_", "-"), type=int, default=int(os.environ.get(env_name, default))
        )
    command.parser.add_argument("--no-serve", action="store_true", help="deploy, check, exit")
    command.parser.add_argument(
        "--seed-demo-history",
        action="store_true",
        default=os.environ.get("RESUME_SEED_DEMO_HISTORY", "") == "1",
        help="write 60 days of made-up history before today, for the stats page",
    )
    args = command.parse(argv)
    for name in PORTS:
        if not 0 < getattr(args, name) < 65536:
            command.usage_error(f"--{name.replace('_', '-')} must be a port number (1-65535)")
    ports = {name: getattr(args, name) for name in PORTS}
    log = StepLog("dev", TYPICAL_LOCAL_CLOUD_S)

    def run() -> int:
        with local_cloud(Path.cwd(), ports, os.environ, log, args.stage) as cloud:
            if args.seed_demo_history:
                log(f"demo history: {seed_local_history(cloud)} days of pages and site written")
            log(f"up in {log.elapsed_s():.1f} s (a cold start takes ~{COLD_START_S} s on 2 cores)")
            log.close()  # serving is not a step that can run long
            print(f"dev: site         {cloud.site_url}/")
            print(f"dev: demo post    {cloud.site_url}/posts/hello.html")
            print(f"dev: stats        {cloud.stats_url}")
            print(f"dev: counter API  {cloud.api_url}/")
            print(f"dev: top pages    {cloud.api_url}/pages?top=10")
            print(f"dev: moto         {cloud.emulator_endpoint}")
            print(f"dev: table        {cloud.deployment.backend.table_name}")
            if not args.no_serve:
                print("dev: serving; press Ctrl-C to stop", flush=True)
                threading.Event().wait()
        return 0

    stop_on_signals()
    try:
        return command.run(run)
    except KeyboardInterrupt:
        print("dev: stopped; moto and the local servers are down", flush=True)
        return 0


if __name__ == "__main__":
    raise SystemExit(main())
