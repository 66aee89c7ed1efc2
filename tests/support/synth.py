"""Synthesizing the app for tests, paying the provider import once per process."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from resume.app import STACK_KINDS, Stacks, build_app
from resume.config import AppConfig
from visitor_counter import schema

PROJECT_ROOT = Path(__file__).resolve().parents[2]
# Every stack's cdk.tf.json, parsed, by kind (one of STACK_KINDS).
Synthesized = dict[str, dict[str, Any]]
# The key of the CI identity stack's JSON in a Synthesized.
CI = "ci"


def synth_app(config: AppConfig, outdir: Path) -> tuple[Stacks, Synthesized]:
    """Synthesize every stack into `outdir`; return the stacks and their JSON by kind.

    The kinds are STACK_KINDS, and "ci" when the config names a GitHub repository.
    """
    stacks = build_app(config, project_root=PROJECT_ROOT, outdir=str(outdir))
    stacks.app.synth()
    names = {kind: config.stack_name(kind) for kind in STACK_KINDS}
    if config.github_repo:
        names[CI] = config.ci_stack_name
    documents = {
        kind: json.loads((outdir / "stacks" / name / "cdk.tf.json").read_text())
        for kind, name in names.items()
    }
    return stacks, documents


def resources(document: dict[str, Any], resource_type: str) -> list[dict[str, Any]]:
    """Every resource of one type in a synthesized stack."""
    return list(document.get("resource", {}).get(resource_type, {}).values())


def only(document: dict[str, Any], resource_type: str) -> dict[str, Any]:
    """The single resource of a type; fails if there is not exactly one."""
    (found,) = resources(document, resource_type)
    return found


def counter_table(document: dict[str, Any]) -> dict[str, Any]:
    """The backend's counter table (named for the stage, without the others' suffixes)."""
    suffixes = (schema.DAILY_TABLE_SUFFIX, schema.HISTORY_TABLE_SUFFIX)
    (found,) = [
        t for t in resources(document, "aws_dynamodb_table") if not t["name"].endswith(suffixes)
    ]
    return found


def history_table(document: dict[str, Any]) -> dict[str, Any]:
    """The backend's history table (the one with the pages-by-day index)."""
    return _table_with_index(document, schema.PAGES_BY_DAY_INDEX)


def daily_table(document: dict[str, Any]) -> dict[str, Any]:
    """The backend's daily table (salts and clients)."""
    (found,) = [
        t
        for t in resources(document, "aws_dynamodb_table")
        if t["name"].endswith(schema.DAILY_TABLE_SUFFIX)
    ]
    return found


def _table_with_index(document: dict[str, Any], index: str) -> dict[str, Any]:
    (found,) = [
        table
        for table in resources(document, "aws_dynamodb_table")
        if any(gsi["name"] == index for gsi in table.get("global_secondary_index", []))
    ]
    return found


def policy_statements(document: dict[str, Any]) -> list[dict[str, Any]]:
    """Every statement of every aws_iam_policy_document data source in a stack."""
    documents = document.get("data", {}).get("aws_iam_policy_document", {}).values()
    return [statement for doc in documents for statement in doc.get("statement", [])]
