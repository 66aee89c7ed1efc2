"""The one-time move of a site bucket named before stages had a name prefix.

Site buckets used to get Terraform's generated `terraform-…` names; they now start with
`<project>-<stage>-`, the prefix a stage's deploy role may touch. Terraform replaces such
a bucket on the next deploy, but it cannot delete a bucket that still holds objects (its
`force_destroy` would only count once it is in the state), so the deploy empties the old
one first. Every object in it is the deploy's own upload, which it repeats right after.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from resume.outputs import FrontendOutputs, output_name

DELETE_BATCH = 1000  # DeleteObjects takes at most this many keys


def legacy_site_bucket(frontend_outputs: Mapping[str, str], prefix: str) -> str | None:
    """The deployed site bucket's name if it predates the stage prefix, else None."""
    name = frontend_outputs.get(output_name(FrontendOutputs, "bucket_name"), "")
    return name if name and not name.startswith(prefix) else None


def empty_bucket(s3: Any, bucket: str) -> int:
    """Delete every object version and delete marker in `bucket`; return how many."""
    deleted = 0
    for page in s3.get_paginator("list_object_versions").paginate(Bucket=bucket):
        keys = [
            {"Key": item["Key"], "VersionId": item["VersionId"]}
            for item in [*page.get("Versions", []), *page.get("DeleteMarkers", [])]
        ]
        for start in range(0, len(keys), DELETE_BATCH):
            batch = keys[start : start + DELETE_BATCH]
            s3.delete_objects(Bucket=bucket, Delete={"Objects": batch, "Quiet": True})
            deleted += len(batch)
    return deleted
