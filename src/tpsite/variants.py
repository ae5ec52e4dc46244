"""The "Ways to publish" pages' own examples: the monorepo page's two projects and their publishers.

Forms for the variants' workflows come from `from_snippets.github_form` / `gitlab_form`; this
module holds only what one page shows and no other uses.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import PurePosixPath

from packaging.utils import canonicalize_name

from tpsite import workflows
from tpsite.model import (
    Distribution,
    ExchangeError,
    GitHubPublisher,
    Index,
    Registration,
    Registry,
    Trigger,
    exchange,
    github_claims,
    upload,
)
from tpsite.paths import SNIPPETS
from tpsite.publish import Outcome
from tpsite.sample import SAMPLE

# The monorepo page: two projects, each published by its own job of one workflow, in one repository.
MONOREPO_REPOSITORY = replace(SAMPLE.repository, name="uv-migration-tools")
MONOREPO_WORKFLOW = "workflows/publish-monorepo.yml"
MONOREPO_PROJECTS = (SAMPLE.project, "convert-pdm2uv")


def monorepo_registry(*, shared_publisher: bool) -> Registry:
    """Both projects on PyPI, each with a publisher for this workflow.

    Separate: each publisher names its project's environment. Shared: neither names one, so
    both registrations are the same publisher (one row attached to both projects).
    """
    repo = MONOREPO_REPOSITORY
    registrations = [
        Registration(
            GitHubPublisher(
                owner=repo.owner,
                repository=repo.name,
                owner_id=str(repo.owner_id),
                workflow_filename=PurePosixPath(MONOREPO_WORKFLOW).name,
                environment="" if shared_publisher else f"pypi-{project}",
            ),
            project,
            Index.PYPI,
        )
        for project in MONOREPO_PROJECTS
    ]
    return Registry.of(*registrations)


def monorepo_upload(*, shared_publisher: bool, job_project: str, dist_project: str) -> Outcome:
    """The job that publishes `job_project` mints a token, then uploads a wheel of `dist_project`."""
    claims = github_claims(
        workflows.load(SNIPPETS / MONOREPO_WORKFLOW),
        workflow_path=f".github/workflows/{PurePosixPath(MONOREPO_WORKFLOW).name}",
        job_id=f"publish-{job_project}",
        repository=MONOREPO_REPOSITORY,
        trigger=Trigger(event_name="push", ref=f"refs/tags/{job_project}-v0.1.0"),
        audience=Index.PYPI.audience,
    )
    if not isinstance(claims, dict):
        return claims
    token = exchange(claims, monorepo_registry(shared_publisher=shared_publisher), Index.PYPI)
    if isinstance(token, ExchangeError):
        return token
    stem = canonicalize_name(dist_project).replace("-", "_")
    wheel = Distribution(f"{stem}-0.1.0-py3-none-any.whl", name=dist_project, version="0.1.0")
    return upload(token, wheel)


OUTCOMES = {
    # A token minted for one project, used on the other: refused when the publishers differ...
    "monorepo-separate": lambda: monorepo_upload(
        shared_publisher=False, job_project=MONOREPO_PROJECTS[0], dist_project=MONOREPO_PROJECTS[1]
    ),
    # ...and accepted when one publisher serves both projects.
    "monorepo-shared": lambda: monorepo_upload(
        shared_publisher=True, job_project=MONOREPO_PROJECTS[0], dist_project=MONOREPO_PROJECTS[1]
    ),
}
