"""Which jobs of a workflow (GitHub) or pipeline (GitLab) publish, with what, and to which index.

A job publishes when it runs the PyPA action or an upload command; it talks to TestPyPI only
when it names TestPyPI's upload URL (every client's default is PyPI).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from tpsite.model.indexes import Index

PUBLISH_ACTION = "pypa/gh-action-pypi-publish"
# Commands that upload to an index from a `run:` or `script:` line.
_UPLOAD_COMMAND = re.compile(r"\b(?:uv publish|twine upload|pdm publish|hatch publish|flit publish|poetry publish)\b")


def _runs(job: Mapping[str, Any]) -> list[str]:
    """Shell lines of a GitHub job (`run:`) or a GitLab job (`script:`)."""
    lines = [str(step.get("run", "")) for step in job.get("steps") or []]
    script = job.get("script") or []
    lines.extend(script if isinstance(script, list) else [script])
    return [str(line) for line in lines]


def action_steps(job: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """The job's steps that run the PyPA publish action."""
    return [s for s in job.get("steps") or [] if str(s.get("uses", "")).split("@")[0] == PUBLISH_ACTION]


def uploads(job: Mapping[str, Any]) -> bool:
    """Whether a job uploads distributions to a package index."""
    return bool(action_steps(job)) or any(_UPLOAD_COMMAND.search(r) for r in _runs(job))


def target_index(job: Mapping[str, Any]) -> Index:
    """The index a publishing job uploads to: TestPyPI only when it names TestPyPI's URL."""
    urls = [str((step.get("with") or {}).get("repository-url", "")) for step in job.get("steps") or []]
    return Index.TESTPYPI if any("test.pypi.org" in text for text in urls + _runs(job)) else Index.PYPI


def publishing_jobs(workflow: Mapping[str, Any]) -> dict[str, Index]:
    """Job id -> the index it uploads to, for every job of a GitHub workflow that uploads."""
    return {job_id: target_index(job) for job_id, job in (workflow.get("jobs") or {}).items() if uploads(job)}


def gitlab_publishing_jobs(pipeline: Mapping[str, Any]) -> dict[str, Index]:
    """Job id -> index for every job of a GitLab pipeline that uploads (hidden `.jobs` excluded)."""
    return {
        name: target_index(job)
        for name, job in pipeline.items()
        if isinstance(job, Mapping) and not str(name).startswith(".") and uploads(job)
    }
