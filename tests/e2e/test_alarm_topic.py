"""The alarm topic as the local cloud applied it: by default no key, CloudWatch's grant.

moto applies the topic and the topic policy (and, with encrypt_alarm_topic, the key and its
policy: tests/e2e/test_bootstrap.py deploys that option), and accepts an alarm's move to
ALARM; it does not run alarm actions, so delivery itself is not provable here (the policy
shapes AWS needs are pinned on the synthesized JSON in tests/infra).
"""

from __future__ import annotations

import json

import pytest

from resume_tools.local_cloud.cloud import emulator_client
from tests.support.alarm_topic import alarm_topic, cloudwatch_actions
from tests.support.cloud import RunningCloud

pytestmark = pytest.mark.e2e


def test_every_alarm_notifies_one_topic_without_a_key_by_default(cloud: RunningCloud) -> None:
    kms = emulator_client("kms", cloud.emulator_endpoint)

    attributes = alarm_topic(cloud.emulator_endpoint)

    assert "KmsMasterKeyId" not in attributes
    # No $1-a-month key anywhere in the stage. The one key is the tables' AWS-managed one,
    # which moto makes on the tables' first use (and reports as KeyManager CUSTOMER).
    aliases = [
        alias["AliasName"]
        for key in kms.list_keys()["Keys"]
        for alias in kms.list_aliases(KeyId=key["KeyId"])["Aliases"]
    ]
    assert len(aliases) == len(kms.list_keys()["Keys"])
    assert all(alias.startswith("alias/aws/") for alias in aliases)


def test_the_deployed_topic_policy_grants_cloudwatch(cloud: RunningCloud) -> None:
    topic_policy = json.loads(alarm_topic(cloud.emulator_endpoint)["Policy"])

    assert cloudwatch_actions(topic_policy) == ["sns:Publish"]


def test_moto_accepts_an_alarm_moving_to_alarm(cloud: RunningCloud) -> None:
    cloudwatch = emulator_client("cloudwatch", cloud.emulator_endpoint)
    name = cloudwatch.describe_alarms()["MetricAlarms"][0]["AlarmName"]

    cloudwatch.set_alarm_state(AlarmName=name, StateValue="ALARM", StateReason="e2e test")

    (alarm,) = cloudwatch.describe_alarms(AlarmNames=[name])["MetricAlarms"]
    assert alarm["StateValue"] == "ALARM"
    cloudwatch.set_alarm_state(AlarmName=name, StateValue="OK", StateReason="e2e test done")
