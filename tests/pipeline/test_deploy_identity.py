"""Which job can reach which AWS role: pull requests only the read-only plan role.

The roles' trust policies (tests/infra/test_ci_stack.py) accept a deploy role's token only
from its environment and the plan role's only from a pull request; these tests check the
workflow side: who asks for which role, from which event and ref.
"""

from __future__ import annotations

import pytest

from tests.support.workflows import evaluate, load, pull_request_jobs

DEPLOY = load("deploy.yml")["jobs"]
PLAN_ROLE = "${{ vars.AWS_PLAN_ROLE_ARN }}"
DEPLOY_ROLE = "${{ vars.AWS_DEPLOY_ROLE_ARN }}"


def role_of(job: dict[str, object]) -> str | None:
    for step in job.get("steps", []):  # type: ignore[attr-defined]
        if str(step.get("uses", "")).startswith("aws-actions/configure-aws-credentials@"):
            return str(step["with"]["role-to-assume"])
    return None


def test_the_pull_request_job_holds_only_the_plan_role_and_no_environment() -> None:
    plan = DEPLOY["plan"]
    run = "\n".join(str(step.get("run", "")) for step in plan["steps"])

    assert "environment" not in plan  # an environment's variables and rules never apply
    assert role_of(plan) == PLAN_ROLE
    assert "AWS_DEPLOY_ROLE_ARN" not in str(plan)
    assert "--no-lock" in run  # the plan role cannot write the lock file
    assert "--summary" in run  # addresses and actions only


def test_no_pull_request_job_can_reach_a_deploy_role() -> None:
    jobs = pull_request_jobs()

    assert "deploy.yml/plan" in jobs
    assert [name for name, job in jobs.items() if "AWS_DEPLOY_ROLE_ARN" in str(job)] == []
    assert [name for name, job in jobs.items() if "environment" in job] == []
    assert [name for name, job in jobs.items() if "security-events" in str(job)] == []


def test_deploys_take_the_role_of_their_environment() -> None:
    deploy = DEPLOY["deploy"]

    assert deploy["environment"] == "${{ inputs.stage || 'dev' }}"
    assert role_of(deploy) == DEPLOY_ROLE
    assert deploy["env"]["RESUME_GITHUB_REPO"] == "${{ github.repository }}"


PUSH_MAIN = {"github.event_name": "push", "github.ref": "refs/heads/main"}
CASES = [
    # event, ref, stage -> (deploy runs, refused)
    (PUSH_MAIN, (True, False)),
    (
        {**PUSH_MAIN, "github.event_name": "workflow_dispatch", "inputs.stage": "prod"},
        (True, False),
    ),
    (
        {
            "github.event_name": "workflow_dispatch",
            "github.ref": "refs/heads/x",
            "inputs.stage": "prod",
        },
        (False, True),
    ),
    (
        {
            "github.event_name": "workflow_dispatch",
            "github.ref": "refs/heads/x",
            "inputs.stage": "staging",
        },
        (False, True),
    ),
    (
        {
            "github.event_name": "workflow_dispatch",
            "github.ref": "refs/heads/x",
            "inputs.stage": "dev",
        },
        (True, False),
    ),
    ({"github.event_name": "pull_request", "github.ref": "refs/pull/1/merge"}, (False, False)),
]


@pytest.mark.parametrize(("context", "expected"), CASES)
def test_staging_and_prod_deploy_only_from_main(
    context: dict[str, str], expected: tuple[bool, bool]
) -> None:
    runs = evaluate(DEPLOY["deploy"]["if"], context)
    refused = evaluate(DEPLOY["refuse"]["if"], context)

    assert (runs, refused) == expected


@pytest.mark.parametrize(("head", "plans"), [("octo/site", True), ("fork/site", False)])
def test_a_forks_pull_request_gets_no_plan_token(head: str, plans: bool) -> None:
    context = {
        "github.event_name": "pull_request",
        "github.repository": "octo/site",
        "github.event.pull_request.head.repo.full_name": head,
    }

    assert evaluate(DEPLOY["plan"]["if"], context) is plans


def test_the_expression_reader_refuses_what_it_cannot_read() -> None:
    with pytest.raises(ValueError, match="unsupported expression"):
        evaluate("contains(github.ref, 'main')", {})
