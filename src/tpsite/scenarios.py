"""Run a configuration shown on a page through the model of PyPI: publisher + workflow + package.

A pitfall's "bad" and "fixed" examples are files under snippets/pitfalls/<name>/; this module
turns them into the model's inputs, so the tests and the pages' error boxes share one computation.
"""

from __future__ import annotations

import hashlib
import tomllib
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from packaging.utils import canonicalize_name

from tpsite import workflows
from tpsite.model import (
    CalledWorkflow,
    ClientError,
    Distribution,
    ExchangeError,
    GitHubPublisher,
    GitHubRepository,
    GitLabPublisher,
    Index,
    PendingPublisherForm,
    Registration,
    Registry,
    Trigger,
    UploadAccepted,
    UploadError,
    UploadSkipped,
    StoredFile,
    action_skips_existing,
    twine_skips,
    exchange,
    github_claims,
    pending_publisher_form,
    upload,
)
from tpsite.paths import SNIPPETS

if TYPE_CHECKING:
    from tpsite.variants import GitLabForm

# The sample repository every page uses; the id is what PyPI records for the owner.
SAMPLE_REPOSITORY = GitHubRepository(owner="example", name="convert-poetry2uv", owner_id=123456)
WORKFLOW = "workflows/publish.yml"
PYPROJECT = "sample-package/pyproject.toml"
TAG_PUSH = Trigger(event_name="push", ref="refs/tags/v0.1.0")
# The same repository after its transfer to an organisation (a new owner, with a new id).
TRANSFERRED = GitHubRepository(owner="example-org", name="convert-poetry2uv", owner_id=789012)

Outcome = ClientError | ExchangeError | UploadError | UploadAccepted | UploadSkipped


@dataclass(frozen=True)
class Scenario:
    """Everything that decides a publish: what is registered on PyPI, and what the job runs."""

    publisher: str  # a snippet: the values typed into PyPI's form
    pyproject: str = PYPROJECT
    workflow: str = WORKFLOW
    # The workflow's file name in the reader's repository (the snippet's own name may differ).
    workflow_file: str = "publish.yml"
    job: str = "publish-to-pypi"
    # A reusable workflow the job calls (snippet path), and the job in it that uploads.
    called: str | None = None
    called_job: str = ""
    index: Index = Index.PYPI  # where the job uploads
    repository: GitHubRepository = SAMPLE_REPOSITORY
    # The owner's id PyPI recorded when the publisher was registered, if not the current one.
    registered_owner_id: int | None = None
    trigger: Trigger = TAG_PUSH
    # Projects that already exist on the index (name, as PyPI displays it).
    existing_projects: tuple[str, ...] = ()
    # This version's files are already on the index, from another build (other digests).
    uploaded_before: bool = False


@dataclass(frozen=True)
class GitLabScenario:
    """The same for a GitLab pipeline job, in the project gitlab.com/example/convert-poetry2uv."""

    publisher: str  # a snippet: the values typed into the form's GitLab tab
    workflow: str = "gitlab/gitlab-ci.yml"  # the pipeline, saved as .gitlab-ci.yml
    job: str = "publish-to-pypi"
    index: Index = Index.PYPI
    pyproject: str = PYPROJECT
    existing_projects: tuple[str, ...] = ()
    called: None = None


def read_gitlab_publisher(snippet: str) -> Registration:
    """A GitLab publisher snippet as PyPI stores it (as typed: forms/gitlab.py, accounts/views.py)."""
    form = tomllib.loads((SNIPPETS / snippet).read_text(encoding="utf-8"))
    publisher = GitLabPublisher(
        namespace=form["namespace"],
        project=form["project"],
        workflow_filepath=form["top-level-pipeline-file-path"],
        environment=form.get("environment-name", ""),
    )
    return Registration(publisher, form["project-name"], Index(form["index"]), pending=form["pending"])


def read_publisher(snippet: str, owner_id: str | int) -> Registration:
    """A publisher snippet as PyPI stores it (it records the owner's id when you register)."""
    form = tomllib.loads((SNIPPETS / snippet).read_text(encoding="utf-8"))
    publisher = GitHubPublisher(
        owner=form["owner"],
        repository=form["repository-name"],
        owner_id=str(owner_id),
        workflow_filename=form["workflow-name"],
        environment=form.get("environment-name", ""),
    )
    return Registration(publisher, form["project-name"], Index(form["index"]), pending=form["pending"])


def distributions(pyproject: str) -> list[Distribution]:
    """The sdist and wheel `uv build` makes for a pyproject (test_snippets_pyproject checks the names)."""
    project = tomllib.loads((SNIPPETS / pyproject).read_text(encoding="utf-8"))["project"]
    stem = f"{canonicalize_name(project['name']).replace('-', '_')}-{project['version']}"
    return [
        Distribution(f"{stem}.tar.gz", name=project["name"], version=project["version"]),
        Distribution(f"{stem}-py3-none-any.whl", name=project["name"], version=project["version"]),
    ]


def _digests(label: str) -> tuple[str, str]:
    """Stand-in sha256 and blake2_256 digests for a build's file: two builds differ."""
    data = label.encode()
    return hashlib.sha256(data).hexdigest(), hashlib.blake2b(data, digest_size=32).hexdigest()


def _exchange_and_upload(
    claims: dict[str, str],
    registry: Registry,
    index: Index,
    pyproject: str,
    *,
    uploaded_before: bool = False,
    skip_existing: bool = False,
) -> Outcome:
    token = exchange(claims, registry, index)
    if isinstance(token, ExchangeError):
        return token
    outcome: Outcome = token  # type: ignore[assignment]
    for dist in distributions(pyproject):
        stored = []
        if uploaded_before:
            dist = replace(dist, **dict(zip(("sha256", "blake2_256"), _digests(f"this build of {dist.filename}"))))
            sha256, blake2_256 = _digests(f"an earlier build of {dist.filename}")
            stored = [StoredFile(dist.filename, sha256=sha256, blake2_256=blake2_256)]
        outcome = upload(token, dist, files=stored)
        if isinstance(outcome, UploadError):
            if not twine_skips(outcome, skip_existing):
                return outcome
            outcome = UploadSkipped(dist.filename)
    return outcome


def run_gitlab(scenario: GitLabScenario) -> Outcome:
    from tpsite import variants  # variants builds on this module

    registration = read_gitlab_publisher(scenario.publisher)
    registry = Registry.of(registration, projects=[(scenario.index, p) for p in scenario.existing_projects])
    claims = variants.gitlab_job_claims(workflows.load(SNIPPETS / scenario.workflow), scenario.job, scenario.index)
    return _exchange_and_upload(claims, registry, scenario.index, scenario.pyproject)


def run(scenario: Scenario | GitLabScenario) -> Outcome:
    """The first thing that fails, or the accepted upload of the last file."""
    if isinstance(scenario, GitLabScenario):
        return run_gitlab(scenario)
    owner_id = scenario.registered_owner_id or scenario.repository.owner_id
    registration = read_publisher(scenario.publisher, owner_id)
    registry = Registry.of(registration, projects=[(scenario.index, p) for p in scenario.existing_projects])
    called = None
    if scenario.called:
        called = CalledWorkflow(workflows.load(SNIPPETS / scenario.called), scenario.called_job)
    claims = github_claims(
        workflows.load(SNIPPETS / scenario.workflow),
        workflow_path=f".github/workflows/{scenario.workflow_file}",
        job_id=scenario.job,
        repository=scenario.repository,
        trigger=scenario.trigger,
        audience=scenario.index.audience,
        called=called,
    )
    if isinstance(claims, ClientError):
        return claims
    job = workflows.load(SNIPPETS / (scenario.called or scenario.workflow))["jobs"][scenario.called_job or scenario.job]
    return _exchange_and_upload(
        claims,
        registry,
        scenario.index,
        scenario.pyproject,
        uploaded_before=scenario.uploaded_before,
        skip_existing=action_skips_existing(job),
    )


def form(scenario: Scenario | GitLabScenario) -> PendingPublisherForm | GitLabForm:
    """What PyPI's form needs for the scenario's workflow job, as the model computes it."""
    if isinstance(scenario, GitLabScenario):
        from tpsite import variants

        pipeline = workflows.load(SNIPPETS / scenario.workflow)
        return variants.gitlab_pending_form(pipeline, scenario.job, scenario.index)
    project = tomllib.loads((SNIPPETS / scenario.pyproject).read_text(encoding="utf-8"))["project"]["name"]
    return pending_publisher_form(
        workflows.load(SNIPPETS / scenario.workflow),
        workflow_path=f".github/workflows/{scenario.workflow_file}",
        job_id=scenario.job,
        index=scenario.index,
        repository=scenario.repository,
        project_name=project,
        trigger=scenario.trigger,
    )


def message(outcome: Outcome) -> str:
    """The line a reader finds in the failed job's log for this outcome."""
    if isinstance(outcome, ExchangeError):
        return outcome.reason_line
    if isinstance(outcome, UploadError):
        return outcome.status_line
    if isinstance(outcome, ClientError):
        return outcome.message
    if isinstance(outcome, UploadSkipped):
        return outcome.message
    return "Upload accepted."


# The preview workflow's TestPyPI job, started by a pull request, with a pending publisher.
PREVIEW_ON_PULL_REQUEST_TARGET = Scenario(
    publisher="pitfalls/pull-request-target/publisher-bad-pending.toml",
    workflow="pitfalls/pull-request-target/preview-bad.yml",
    workflow_file="preview.yml",
    job="publish-to-testpypi",
    index=Index.TESTPYPI,
    trigger=Trigger(event_name="pull_request_target", ref="refs/heads/main"),
)

# The annotated workflow's TestPyPI job on a push to main, after an earlier push uploaded this version.
SECOND_PUSH_TO_TESTPYPI = Scenario(
    publisher="pitfalls/file-already-exists/publisher.toml",
    job="publish-to-testpypi",
    index=Index.TESTPYPI,
    trigger=Trigger(event_name="push", ref="refs/heads/main"),
    existing_projects=("convert-poetry2uv",),
    uploaded_before=True,
)

# The pitfalls page: each pitfall's examples, as the model must judge them.
PITFALLS: dict[str, dict[str, Scenario | GitLabScenario]] = {
    "form-typo": {
        "bad": Scenario(publisher="pitfalls/form-typo/publisher-bad.toml"),
        "fixed": Scenario(publisher="pitfalls/form-typo/publisher-fixed.toml"),
    },
    "project-name-mismatch": {
        # Someone else's project of that name exists: the token is not valid for it.
        "bad": Scenario(
            publisher="pitfalls/project-name-mismatch/publisher.toml",
            pyproject="pitfalls/project-name-mismatch/pyproject-bad.toml",
            existing_projects=("poetry-to-uv",),
        ),
        # No such project: PyPI won't let a CI identity create it.
        "bad-new-name": Scenario(
            publisher="pitfalls/project-name-mismatch/publisher.toml",
            pyproject="pitfalls/project-name-mismatch/pyproject-bad.toml",
        ),
        "fixed": Scenario(publisher="pitfalls/project-name-mismatch/publisher.toml"),
    },
    "dash-underscore": {
        "bad": Scenario(publisher="pitfalls/dash-underscore/publisher-bad.toml"),
        "fixed": Scenario(publisher="pitfalls/dash-underscore/publisher-fixed.toml"),
    },
    "repository-name-differs": {
        "fixed": Scenario(
            publisher="pitfalls/repository-name-differs/publisher-fixed.toml",
            repository=GitHubRepository(owner="example", name="uv-migration-tools", owner_id=123456),
        ),
    },
    "environment-missing": {
        "bad": Scenario(
            publisher="pitfalls/environment-missing/publisher.toml",
            workflow="pitfalls/environment-missing/publish-bad.yml",
        ),
        "fixed": Scenario(publisher="pitfalls/environment-missing/publisher.toml"),
    },
    "id-token-missing": {
        "bad": Scenario(
            publisher="pitfalls/id-token-missing/publisher.toml",
            workflow="pitfalls/id-token-missing/publish-bad.yml",
        ),
        "fixed": Scenario(publisher="pitfalls/id-token-missing/publisher.toml"),
    },
    "other-index": {
        "bad": Scenario(publisher="pitfalls/other-index/publisher-bad.toml", job="publish-to-testpypi", index=Index.TESTPYPI),
        "fixed": Scenario(
            publisher="pitfalls/other-index/publisher-fixed.toml", job="publish-to-testpypi", index=Index.TESTPYPI
        ),
    },
    "pending-for-existing-project": {
        "bad": Scenario(
            publisher="pitfalls/pending-for-existing-project/publisher-bad.toml",
            existing_projects=("convert-poetry2uv",),
        ),
        "fixed": Scenario(
            publisher="pitfalls/pending-for-existing-project/publisher-fixed.toml",
            existing_projects=("convert-poetry2uv",),
        ),
    },
    "local-version": {
        "bad": Scenario(
            publisher="pitfalls/local-version/publisher.toml", pyproject="pitfalls/local-version/pyproject-bad.toml"
        ),
        "fixed": Scenario(publisher="pitfalls/local-version/publisher.toml"),
    },
    "repository-transferred": {
        "bad": Scenario(
            publisher="pitfalls/repository-transferred/publisher-bad.toml",
            repository=TRANSFERRED,
            registered_owner_id=123456,
        ),
        "fixed": Scenario(publisher="pitfalls/repository-transferred/publisher-fixed.toml", repository=TRANSFERRED),
    },
    "pull-request-target": {
        "bad": replace(
            PREVIEW_ON_PULL_REQUEST_TARGET,
            publisher="pitfalls/pull-request-target/publisher-bad.toml",
            existing_projects=("convert-poetry2uv",),
        ),
        # The same with a pending publisher: PyPI drops the pending lookup's reason
        # (oidc/views.py:273-276) and reports the lookup of normal publishers, which finds none.
        "bad-pending": PREVIEW_ON_PULL_REQUEST_TARGET,
        # The release workflow's TestPyPI job, run by the push that merges the pull request.
        "fixed": Scenario(
            publisher="pitfalls/pull-request-target/publisher-fixed.toml",
            job="publish-to-testpypi",
            index=Index.TESTPYPI,
            trigger=Trigger(event_name="push", ref="refs/heads/main"),
        ),
    },
    "file-already-exists": {
        # Every push uploads to TestPyPI; this version's files are there from an earlier push.
        "bad": replace(SECOND_PUSH_TO_TESTPYPI, workflow="pitfalls/file-already-exists/publish-bad.yml"),
        # The annotated workflow's TestPyPI step sets skip-existing: twine skips those files.
        "fixed": SECOND_PUSH_TO_TESTPYPI,
    },
    "gitlab-case": {
        # PyPI finds the publisher ignoring case, then compares ci_config_ref_uri exactly.
        "bad": GitLabScenario(
            publisher="pitfalls/gitlab-case/publisher-bad.toml", existing_projects=("convert-poetry2uv",)
        ),
        "fixed": GitLabScenario(
            publisher="pitfalls/gitlab-case/publisher-fixed.toml", existing_projects=("convert-poetry2uv",)
        ),
    },
    "reusable-workflow": {
        "bad": Scenario(
            publisher="pitfalls/reusable-workflow/publisher.toml",
            workflow="pitfalls/reusable-workflow/.github/workflows/publish.yml",
            called="pitfalls/reusable-workflow/.github/workflows/pypi-upload.yml",
            called_job="upload",
        ),
        "fixed": Scenario(publisher="pitfalls/reusable-workflow/publisher.toml"),
    },
}
