"""Snippet files as the model's inputs: a publisher form file as the row PyPI stores, a
pyproject.toml as the files `uv build` makes, a workflow or pipeline job as PyPI's form values.

Paths are relative to snippets/, as pages include them.
"""

from __future__ import annotations

import tomllib
from pathlib import PurePosixPath
from typing import Any

from packaging.utils import canonicalize_name

from tpsite import workflows
from tpsite.model import (
    Distribution,
    GitHubPublisher,
    GitHubRepository,
    GitLabPublisher,
    Index,
    PublisherForm,
    Registration,
    gitlab_pending_publisher_form,
    pending_publisher_form,
)
from tpsite.paths import SNIPPETS
from tpsite.sample import SAMPLE


def _toml(snippet: str) -> dict[str, Any]:
    return tomllib.loads((SNIPPETS / snippet).read_text(encoding="utf-8"))


def read_publisher(snippet: str, owner_id: str | int = SAMPLE.repository.owner_id) -> Registration:
    """A publisher form file (GitHub or GitLab tab) as PyPI stores it: as typed, normalised by the
    form (forms/github.py, forms/gitlab.py); for GitHub with the owner's id PyPI recorded."""
    form = _toml(snippet)
    publisher: GitHubPublisher | GitLabPublisher
    if "namespace" in form:
        publisher = GitLabPublisher(
            namespace=form["namespace"],
            project=form["project"],
            workflow_filepath=form["top-level-pipeline-file-path"],
            environment=form.get("environment-name", ""),
        )
    else:
        publisher = GitHubPublisher(
            owner=form["owner"],
            repository=form["repository-name"],
            owner_id=str(owner_id),
            workflow_filename=form["workflow-name"],
            environment=form.get("environment-name", ""),
        )
    return Registration(publisher, form["project-name"], Index(form["index"]), pending=form["pending"])


def project_name(pyproject: str = SAMPLE.pyproject) -> str:
    return str(_toml(pyproject)["project"]["name"])


def distributions(pyproject: str = SAMPLE.pyproject) -> list[Distribution]:
    """The sdist and wheel `uv build` makes for a pyproject (test_snippets_pyproject checks the names)."""
    project = _toml(pyproject)["project"]
    stem = f"{canonicalize_name(project['name']).replace('-', '_')}-{project['version']}"
    return [
        Distribution(f"{stem}.tar.gz", name=project["name"], version=project["version"]),
        Distribution(f"{stem}-py3-none-any.whl", name=project["name"], version=project["version"]),
    ]


def github_form(
    workflow: str,
    job: str,
    index: Index,
    *,
    project: str | None = None,
    repository: GitHubRepository = SAMPLE.repository,
    saved_as: str | None = None,
) -> PublisherForm:
    """The GitHub form for a snippet workflow's job; `saved_as` is the file name in the reader's repo."""
    return pending_publisher_form(
        workflows.load(SNIPPETS / workflow),
        workflow_path=f".github/workflows/{saved_as or PurePosixPath(workflow).name}",
        job_id=job,
        index=index,
        repository=repository,
        project_name=project or project_name(),
    )


def gitlab_form(pipeline: str, job: str, index: Index, *, project: str | None = None) -> PublisherForm:
    """The GitLab form for a snippet pipeline's job, in the sample project on gitlab.com."""
    return gitlab_pending_publisher_form(
        workflows.load(SNIPPETS / pipeline),
        job_id=job,
        index=index,
        project_path=SAMPLE.gitlab_project_path,
        project_name=project or project_name(),
    )
