"""parliament on every IAM policy of every stack: nothing above low, unless accepted in place.

A policy accepts a finding with a reason next to its resource (resume/parliament_notes.py),
as the stacks record checkov's; data-source policies cannot carry notes and must be clean.
"""

from __future__ import annotations

import json

import pytest
from parliament import analyze_policy_string
from parliament import config as parliament_config

from tests.support.policies import Policy, every_policy
from tests.support.synth import Synthesized

ABOVE_LOW = {"MEDIUM", "HIGH", "CRITICAL"}


def unaccepted(policy: Policy) -> list[str]:
    """Findings above low that the policy does not accept, as 'ISSUE: detail'."""
    # Private auditors are the user's own; parliament's community auditors run by default.
    result = analyze_policy_string(json.dumps(policy.document), ignore_private_auditors=True)
    return [
        f"{finding.issue}: {finding.detail}"
        for finding in result.findings
        if parliament_config.get(finding.issue, {}).get("severity") in ABOVE_LOW
        and finding.issue not in policy.accepted
    ]


@pytest.mark.parametrize("fixture", ["production", "with_ci", "two_sites", "two_sites_laptop"])
def test_no_policy_has_an_unaccepted_finding_above_low(
    fixture: str, request: pytest.FixtureRequest
) -> None:
    synthesized: Synthesized = request.getfixturevalue(fixture)
    policies = every_policy(synthesized)

    assert len(policies) >= (6 if fixture in ("production", "two_sites_laptop") else 20)
    assert {p.address: unaccepted(p) for p in policies if unaccepted(p)} == {}


def test_every_accepted_finding_has_a_reason(with_ci: Synthesized) -> None:
    notes = [note for p in every_policy(with_ci) for note in p.accepted.values()]

    assert notes
    assert all(len(note) > 30 for note in notes)


def test_the_lint_catches_a_wrong_policy() -> None:
    wrong = Policy(
        stack="x",
        address="aws_iam_policy.wrong.policy",
        document={
            "Version": "2012-10-17",
            "Statement": [
                {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b"}
            ],
        },
        accepted={},
    )

    assert [f.split(":")[0] for f in unaccepted(wrong)] == ["RESOURCE_MISMATCH"]
