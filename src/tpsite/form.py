"""The values to type into PyPI's "Add a new (pending) publisher" form, read from tested files."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import PurePosixPath

from tpsite import workflows
from tpsite.paths import SNIPPETS

INDEXES = {
    "pypi": ("PyPI", "https://pypi.org/manage/account/publishing/"),
    "testpypi": ("TestPyPI", "https://test.pypi.org/manage/account/publishing/"),
}


@dataclass(frozen=True)
class PublisherForm:
    """One GitHub publisher, field by field as PyPI's form names them."""

    index: str
    project_name: str
    owner: str
    repository: str
    workflow_name: str
    environment: str | None


def github_form(
    *, workflow: str, job: str, index: str, owner: str, repository: str, pyproject: str
) -> PublisherForm:
    """Read the project name from a snippet pyproject and the rest from a snippet workflow's job."""
    if index not in INDEXES:
        raise ValueError(f"index must be one of {sorted(INDEXES)}, not {index!r}")
    project = tomllib.loads((SNIPPETS / pyproject).read_text(encoding="utf-8"))["project"]["name"]
    jobs = workflows.load(SNIPPETS / workflow)["jobs"]
    if job not in jobs:
        raise KeyError(f"{workflow} has no job {job!r}; jobs: {sorted(jobs)}")
    environment = jobs[job].get("environment")
    if isinstance(environment, dict):
        environment = environment.get("name")
    return PublisherForm(
        index=index,
        project_name=project,
        owner=owner,
        repository=repository,
        # PyPI wants the file name only; it compares it with the path in job_workflow_ref.
        workflow_name=PurePosixPath(workflow).name,
        environment=environment,
    )
