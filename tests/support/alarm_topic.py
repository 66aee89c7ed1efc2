"""The deployed alarm topic, read back from a local cloud's moto."""

from __future__ import annotations

import json
from typing import Any

from resume_tools.local_cloud.cloud import emulator_client


def alarm_topic(endpoint: str) -> dict[str, str]:
    """The deployed alarm topic's attributes (the one every alarm notifies)."""
    cloudwatch = emulator_client("cloudwatch", endpoint)
    alarms = cloudwatch.describe_alarms()["MetricAlarms"]
    topics = {arn for alarm in alarms for arn in alarm["AlarmActions"]}
    (topic_arn,) = topics
    sns = emulator_client("sns", endpoint)
    attributes: dict[str, str] = sns.get_topic_attributes(TopicArn=topic_arn)["Attributes"]
    return attributes


def check_the_topics_own_key(endpoint: str) -> None:
    """With encrypt_alarm_topic: the topic's key is the stack's own, rotating, and its policy
    grants CloudWatch what AWS documents for publishing to an encrypted topic."""
    kms = emulator_client("kms", endpoint)
    attributes = alarm_topic(endpoint)
    key_arn = attributes["KmsMasterKeyId"]

    key = kms.describe_key(KeyId=key_arn)["KeyMetadata"]
    key_policy = json.loads(kms.get_key_policy(KeyId=key_arn, PolicyName="default")["Policy"])

    assert key["KeyManager"] == "CUSTOMER"
    assert kms.get_key_rotation_status(KeyId=key_arn)["KeyRotationEnabled"] is True
    assert cloudwatch_actions(key_policy) == ["kms:Decrypt", "kms:GenerateDataKey*"]
    assert cloudwatch_actions(json.loads(attributes["Policy"])) == ["sns:Publish"]


def cloudwatch_actions(policy: dict[str, Any]) -> list[str]:
    """The actions a policy allows cloudwatch.amazonaws.com, sorted."""
    actions: list[str] = []
    for statement in policy["Statement"]:
        if statement.get("Principal") == {"Service": "cloudwatch.amazonaws.com"}:
            granted = statement["Action"]
            actions += [granted] if isinstance(granted, str) else granted
    return sorted(actions)
