"""One local cloud (moto server + packaged handler behind the local HTTP API) per session."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest

from resume.ops.dev import LocalCloud, emulator_client, local_cloud
from tests.support.synth import PROJECT_ROOT


def free_port() -> int:
    """A loopback port nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="session")
def cloud() -> Iterator[LocalCloud]:
    """The local cloud, as `nox -s dev` starts it."""
    with local_cloud(PROJECT_ROOT, free_port(), free_port()) as running:
        yield running


@pytest.fixture
def stored_visitors(cloud: LocalCloud) -> object:
    """Read the stored count straight from the emulator, bypassing the API."""
    client = emulator_client("dynamodb", cloud.emulator_endpoint)

    def read() -> int:
        item = client.get_item(TableName=cloud.table_name, Key={"ID": {"S": "blog"}}).get("Item")
        return int(item["visitors"]["N"]) if item else 0

    return read
