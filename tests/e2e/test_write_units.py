"""What a counted view costs in write units, from the items the local cloud stored.

moto's ConsumedCapacity is a constant, so the units are computed from the items read back
before and after each view, by DynamoDB's own size rules (resume_tools.bench.write_units),
and compared with what the cost model bills (resume_tools.bench.cost).
"""

from __future__ import annotations

from functools import partial

import pytest

from resume_tools.bench.cost import INDEX_WRITES_PER_VIEW, UPDATES_PER_VIEW
from resume_tools.bench.write_units import deployed_tables, units_of
from resume_tools.local_cloud.cloud import emulator_client
from resume_tools.local_cloud.loopback import client_at
from tests.e2e.test_page_counts import post_page
from tests.support.cloud import RunningCloud
from visitor_counter import schema

pytestmark = pytest.mark.e2e


def test_each_counted_view_stores_what_the_cost_model_bills(cloud: RunningCloud) -> None:
    dynamodb = emulator_client("dynamodb", cloud.emulator_endpoint)
    tables = deployed_tables(cloud.table_name)
    visits = [
        ("127.0.0.81", "%2F", {}),  # a new visitor of the site
        ("127.0.0.81", "%2F", {}),  # the same visitor again
        ("127.0.0.81", "%2Fposts%2Fhello", {"Referer": "https://news.example/item"}),
        ("127.0.0.82", "%2Fposts%2Fhello", {"Referer": "https://news.example/item"}),
    ]

    # The day's first view anywhere also makes the day's salt (the model's fixed cost), and
    # a page's first view of the day its live day (the model's cost per page and day).
    for page in ("%2F", "%2Fposts%2Fhello"):
        assert post_page(cloud, page, client=client_at("127.0.0.80")).status_code == 200

    def counted(address: str, page: str, headers: dict[str, str]) -> None:
        answer = post_page(cloud, page, client=client_at(address), headers=headers)
        assert answer.status_code == 200, answer.text

    # The site's day is left out: a container adds its views to the ceiling's estimate
    # ESTIMATE_WEIGHT at a time (the model's 1/ESTIMATE_WEIGHT of a unit a view).
    site_day = schema.site_history_key(schema.DEFAULT_SITE_ID)  # the local cloud's site
    measured = [
        units_of(dynamodb, tables, partial(counted, *visit), skip=[site_day]) for visit in visits
    ]

    assert measured == [UPDATES_PER_VIEW + INDEX_WRITES_PER_VIEW] * len(visits)
