"""Run a publish through the model of PyPI: what is registered on the index, what the job presents,
what it uploads. A scenario names snippet files; `run` reads them once, top-down, into the model.

    registry (publisher snippet) + claims (workflow or pipeline snippet)
        -> exchange -> upload of each distribution (pyproject snippet) -> the first failure or success
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace

from tpsite import from_snippets, workflows
from tpsite.model import (
    CalledWorkflow,
    ClientError,
    ExchangeError,
    GitHubRepository,
    Index,
    PublisherForm,
    Registry,
    StoredFile,
    Trigger,
    UploadAccepted,
    UploadError,
    UploadSkipped,
    action_skips_existing,
    exchange,
    github_claims,
    gitlab_job_claims,
    gitlab_pending_publisher_form,
    pending_publisher_form,
    twine_skips,
    upload,
)
from tpsite.paths import SNIPPETS
from tpsite.sample import SAMPLE

Outcome = ClientError | ExchangeError | UploadError | UploadAccepted | UploadSkipped


@dataclass(frozen=True)
class Scenario:
    """A GitHub Actions publish: everything that decides it."""

    publisher: str  # a snippet: the values typed into PyPI's form
    pyproject: str = SAMPLE.pyproject
    workflow: str = SAMPLE.workflow
    # The workflow's file name in the reader's repository (the snippet's own name may differ).
    workflow_file: str = SAMPLE.workflow_file
    job: str = SAMPLE.jobs[Index.PYPI]
    # A reusable workflow the job calls (snippet path), and the job in it that uploads.
    called: str | None = None
    called_job: str = ""
    index: Index = Index.PYPI  # where the job uploads
    repository: GitHubRepository = SAMPLE.repository
    # The owner's id PyPI recorded when the publisher was registered, if not the current one.
    registered_owner_id: int | None = None
    trigger: Trigger = SAMPLE.tag_push
    # Projects that already exist on the index (name, as PyPI displays it).
    existing_projects: tuple[str, ...] = ()
    # This version's files are already on the index, from another build (other digests).
    uploaded_before: bool = False

    def registry(self) -> Registry:
        owner_id = self.registered_owner_id or self.repository.owner_id
        registration = from_snippets.read_publisher(self.publisher, owner_id)
        return Registry.of(registration, projects=[(self.index, p) for p in self.existing_projects])

    def claims(self) -> dict[str, str] | ClientError:
        called = None
        if self.called:
            called = CalledWorkflow(workflows.load(SNIPPETS / self.called), self.called_job)
        return github_claims(
            workflows.load(SNIPPETS / self.workflow),
            workflow_path=f".github/workflows/{self.workflow_file}",
            job_id=self.job,
            repository=self.repository,
            trigger=self.trigger,
            audience=self.index.audience,
            called=called,
        )

    def skip_existing(self) -> bool:
        """Does the uploading step pass twine's --skip-existing (the action's `skip-existing`)?"""
        file = self.called or self.workflow
        return action_skips_existing(workflows.load(SNIPPETS / file)["jobs"][self.called_job or self.job])

    def form(self) -> PublisherForm:
        """What PyPI's form needs for this job, as the model computes it."""
        return pending_publisher_form(
            workflows.load(SNIPPETS / self.workflow),
            workflow_path=f".github/workflows/{self.workflow_file}",
            job_id=self.job,
            index=self.index,
            repository=self.repository,
            project_name=from_snippets.project_name(self.pyproject),
            trigger=self.trigger,
        )


@dataclass(frozen=True)
class GitLabScenario:
    """A GitLab CI/CD publish, in the sample project's path on gitlab.com."""

    publisher: str  # a snippet: the values typed into the form's GitLab tab
    workflow: str = SAMPLE.gitlab_pipeline  # the pipeline, saved as .gitlab-ci.yml
    job: str = SAMPLE.gitlab_jobs[Index.PYPI]
    index: Index = Index.PYPI
    pyproject: str = SAMPLE.pyproject
    existing_projects: tuple[str, ...] = ()
    called: None = None
    uploaded_before: bool = False

    def registry(self) -> Registry:
        registration = from_snippets.read_publisher(self.publisher)
        return Registry.of(registration, projects=[(self.index, p) for p in self.existing_projects])

    def claims(self) -> dict[str, str]:
        pipeline = workflows.load(SNIPPETS / self.workflow)
        return gitlab_job_claims(pipeline, job_id=self.job, project_path=SAMPLE.gitlab_project_path, index=self.index)

    def skip_existing(self) -> bool:
        return False  # uv publish and twine skip nothing unless told; the pipeline does not tell them

    def form(self) -> PublisherForm:
        return gitlab_pending_publisher_form(
            workflows.load(SNIPPETS / self.workflow),
            job_id=self.job,
            index=self.index,
            project_path=SAMPLE.gitlab_project_path,
            project_name=from_snippets.project_name(self.pyproject),
        )


def _digests(label: str) -> tuple[str, str]:
    """Stand-in sha256 and blake2_256 digests for a build's file: two builds differ."""
    data = label.encode()
    return hashlib.sha256(data).hexdigest(), hashlib.blake2b(data, digest_size=32).hexdigest()


def run(scenario: Scenario | GitLabScenario) -> Outcome:
    """The first thing that fails, or the accepted (or skipped) upload of the last file."""
    claims = scenario.claims()
    if isinstance(claims, ClientError):
        return claims
    token = exchange(claims, scenario.registry(), scenario.index)
    if isinstance(token, ExchangeError):
        return token
    outcome: Outcome = UploadSkipped("")
    for dist in from_snippets.distributions(scenario.pyproject):
        stored = []
        if scenario.uploaded_before:
            dist = replace(dist, **dict(zip(("sha256", "blake2_256"), _digests(f"this build of {dist.filename}"))))
            sha256, blake2_256 = _digests(f"an earlier build of {dist.filename}")
            stored = [StoredFile(dist.filename, sha256=sha256, blake2_256=blake2_256)]
        outcome = upload(token, dist, files=stored)
        if isinstance(outcome, UploadError):
            if not twine_skips(outcome, scenario.skip_existing()):
                return outcome
            outcome = UploadSkipped(dist.filename)
    return outcome


def message(outcome: Outcome) -> str:
    """The line a reader finds in the failed job's log for this outcome."""
    if isinstance(outcome, ExchangeError):
        return outcome.reason_line
    if isinstance(outcome, UploadError):
        return outcome.status_line
    if isinstance(outcome, (ClientError, UploadSkipped)):
        return outcome.message
    return "Upload accepted."
