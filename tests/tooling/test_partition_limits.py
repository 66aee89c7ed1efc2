"""The local cloud's scaled-down per-key limits: what a call takes, and what is refused."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
import requests

from resume_tools.local_cloud.partition_limits import PartitionLimits, uses

TABLE = "visitors"


def update(key: str) -> dict[str, Any]:
    return {"TableName": TABLE, "Key": {"ID": {"S": key}}}


def test_each_item_a_call_names_takes_a_unit_and_a_transactions_two() -> None:
    transact = {
        "TransactItems": [
            {"Update": update("blog#page#/")},
            {"Update": {**update("blog#page#/"), "TableName": "visitors-history"}},
        ]
    }

    assert uses("UpdateItem", update("blog")) == {("write", TABLE, "blog"): 1}
    assert uses("TransactWriteItems", transact) == {
        ("write", TABLE, "blog#page#/"): 2,
        ("write", "visitors-history", "blog#page#/"): 2,
    }
    batch = {"RequestItems": {TABLE: {"Keys": [{"ID": {"S": "a"}}, {"ID": {"S": "b"}}]}}}
    assert uses("BatchGetItem", batch) == {("read", TABLE, "a"): 1, ("read", TABLE, "b"): 1}
    assert uses("Query", {"TableName": TABLE}) == {}


@pytest.fixture
def moto_stand_in() -> Iterator[str]:
    """An upstream that answers every call with an empty JSON object."""

    class Answer(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.rfile.read(int(self.headers["Content-Length"]))
            self.send_response(200)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"{}")

        def log_message(self, *_: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Answer)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def call(url: str, key: str) -> requests.Response:
    return requests.post(
        url + "/",
        data=json.dumps(update(key)),
        headers={"X-Amz-Target": "DynamoDB_20120810.UpdateItem"},
        timeout=10,
    )


def test_a_key_past_its_scaled_limit_is_refused_as_dynamodb_refuses_it(
    moto_stand_in: str,
) -> None:
    now = [100.0]
    # 2 write units a key a second, on a clock the test moves.
    with PartitionLimits(moto_stand_in, scale=500, clock=lambda: now[0]) as limits:
        answers = [call(limits.url, "hot").status_code for _ in range(2)]
        refused = call(limits.url, "hot")
        other = call(limits.url, "cold")
        now[0] += 1
        next_second = call(limits.url, "hot")

    assert answers == [200, 200]
    assert refused.status_code == 400
    assert refused.json()["__type"].endswith("#ProvisionedThroughputExceededException")
    assert other.status_code == 200
    assert next_second.status_code == 200
    assert limits.throttled == {("write", TABLE, "hot"): 1}
