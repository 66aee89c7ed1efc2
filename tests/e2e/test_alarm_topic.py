"""The alarm topic as the local cloud applied it: its own rotating key, CloudWatch's grant.

moto applies the key, its policy, the topic and the topic policy, and accepts an alarm's
move to ALARM; it does not run alarm actions, so delivery itself is not provable here (the
policy shapes AWS needs are pinned on the synthesized JSON in tests/infra).
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from resume_tools.local_cloud.cloud import emulator_client
from tests.support.cloud import RunningCloud

pytestmark = pytest.mark.e2e


def alarm_topic(cloud: RunningCloud) -> dict[str, str]:
    """The deployed alarm topic's attributes (the one every alarm notifies)."""
    cloudwatch = emulator_client("cloudwatch", cloud.emulator_endpoint)
    alarms = cloudwatch.describe_alarms()["MetricAlarms"]
    topics = {arn for alarm in alarms for arn in alarm["AlarmActions"]}
    (topic_arn,) = topics
    sns = emulator_client("sns", cloud.emulator_endpoint)
    attributes: dict[str, str] = sns.get_topic_attributes(TopicArn=topic_arn)["Attributes"]
    return attributes


def test_every_alarm_notifies_one_topic_encrypted_with_the_stacks_rotating_key(
    cloud: RunningCloud,
) -> None:
    kms = emulator_client("kms", cloud.emulator_endpoint)

    key_arn = alarm_topic(cloud)["KmsMasterKeyId"]

    key = kms.describe_key(KeyId=key_arn)["KeyMetadata"]
    assert key["KeyManager"] == "CUSTOMER"
    assert kms.get_key_rotation_status(KeyId=key_arn)["KeyRotationEnabled"] is True


def test_the_deployed_key_and_topic_policies_grant_cloudwatch(cloud: RunningCloud) -> None:
    kms = emulator_client("kms", cloud.emulator_endpoint)
    attributes = alarm_topic(cloud)

    key_policy = json.loads(
        kms.get_key_policy(KeyId=attributes["KmsMasterKeyId"], PolicyName="default")["Policy"]
    )
    topic_policy = json.loads(attributes["Policy"])

    assert cloudwatch_actions(key_policy) == ["kms:Decrypt", "kms:GenerateDataKey*"]
    assert cloudwatch_actions(topic_policy) == ["sns:Publish"]


def test_moto_accepts_an_alarm_moving_to_alarm(cloud: RunningCloud) -> None:
    cloudwatch = emulator_client("cloudwatch", cloud.emulator_endpoint)
    name = cloudwatch.describe_alarms()["MetricAlarms"][0]["AlarmName"]

    cloudwatch.set_alarm_state(AlarmName=name, StateValue="ALARM", StateReason="e2e test")

    (alarm,) = cloudwatch.describe_alarms(AlarmNames=[name])["MetricAlarms"]
    assert alarm["StateValue"] == "ALARM"
    cloudwatch.set_alarm_state(AlarmName=name, StateValue="OK", StateReason="e2e test done")


def cloudwatch_actions(policy: dict[str, Any]) -> list[str]:
    """The actions a policy allows cloudwatch.amazonaws.com, sorted."""
    actions: list[str] = []
    for statement in policy["Statement"]:
        if statement.get("Principal") == {"Service": "cloudwatch.amazonaws.com"}:
            granted = statement["Action"]
            actions += [granted] if isinstance(granted, str) else granted
    return sorted(actions)
