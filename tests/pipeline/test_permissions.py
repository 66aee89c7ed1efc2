"""Pull-request code never holds a write permission to code scanning."""

from __future__ import annotations

from tests.support.workflows import load, pull_request_jobs, runs_on


def test_no_pull_request_job_may_write_security_events() -> None:
    jobs = pull_request_jobs()

    writers = [
        name for name, job in jobs.items() if "security-events" in str(job.get("permissions"))
    ]

    assert "security-scan.yml/checkov" in jobs
    assert writers == []


def test_sarif_is_uploaded_by_a_job_that_never_runs_for_a_pull_request() -> None:
    job = load("security-scan.yml")["jobs"]["checkov-sarif"]

    assert not runs_on(job, "pull_request")
    assert job["permissions"] == {"contents": "read", "security-events": "write"}
