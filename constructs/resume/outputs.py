"""Each stack's Terraform outputs, typed, written by the stacks and read by the tooling.

An output's name is written once, as a field's name. Plain data: the tooling imports it
without cdktf (resume.stacks writes the outputs). At synth a field holds a Terraform
reference; read back after an apply, its value.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import TypeVar


@dataclass(frozen=True)
class StateOutputs:
    """The state stack's."""

    state_bucket: str


@dataclass(frozen=True)
class FrontendOutputs:
    """The frontend stack's: where the site is, and what the local CloudFront stand-in runs."""

    site_url: str
    bucket_name: str
    distribution_id: str
    viewer_function: str
    api_function: str
    error_page: str


@dataclass(frozen=True)
class BackendOutputs:
    """The backend stack's."""

    api_url: str
    alarm_topic_arn: str
    table_name: str
    history_table_name: str
    function_name: str


@dataclass(frozen=True)
class CiOutputs:
    """The CI identity stack's: its state bucket and the roles GitHub's jobs assume."""

    state_bucket: str
    plan_role_arn: str
    deploy_role_arn_dev: str
    deploy_role_arn_staging: str
    deploy_role_arn_prod: str

    def deploy_role_arn(self, stage: str) -> str:
        """The deploy role of one stage."""
        return str(getattr(self, f"deploy_role_arn_{stage}"))


Outputs = TypeVar("Outputs", StateOutputs, FrontendOutputs, BackendOutputs, CiOutputs)


def read_outputs(kind: type[Outputs], values: Mapping[str, object]) -> Outputs:
    """The outputs of one applied stack, from `terraform output` (name: value as a string).

    A KeyError names an output the stack does not have.
    """
    return kind(**{field.name: str(values[field.name]) for field in fields(kind)})


def output_name(kind: type[Outputs], name: str) -> str:
    """`name`, checked to be one of `kind`'s outputs.

    For reading one output alone from a state that may predate the others (a deploy's first
    look at the frontend, `nox -s stats-token`).
    """
    if name not in {field.name for field in fields(kind)}:
        raise KeyError(f"{kind.__name__} has no output {name!r}")
    return name
