"""Fixtures for the tooling's unit tests: the in-process moto some of them deploy into."""

from __future__ import annotations

from tests.support.moto_aws import aws, botocore_session, dynamodb, moto_patching

__all__ = ["aws", "botocore_session", "dynamodb", "moto_patching"]
