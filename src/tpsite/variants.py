"""The "Ways to publish" pages: which jobs of a snippet publish, and PyPI's forms for them.

GitHub jobs go through the model's `pending_publisher_form`. GitLab pipelines have no such
helper in the model, so `gitlab_pending_form` does the same for them: read the job's
`id_tokens` and `environment`, build the claims GitLab would put in the token, and check
that the pending publisher made from the form values accepts them.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from packaging.utils import canonicalize_name

from tpsite import scenarios, workflows
from tpsite.model import (
    Distribution,
    ExchangeError,
    GitHubPublisher,
    GitHubRepository,
    GitLabPublisher,
    Index,
    PendingPublisherForm,
    RefusedJob,
    Registration,
    Registry,
    Trigger,
    exchange,
    github_claims,
    gitlab_claims,
    pending_publisher_form,
    upload,
)
from tpsite.paths import SNIPPETS

PUBLISH_ACTION = "pypa/gh-action-pypi-publish"
# Commands that upload to an index from a `run:` or `script:` line.
_UPLOAD_COMMAND = re.compile(r"\b(?:uv publish|twine upload|pdm publish|hatch publish|flit publish|poetry publish)\b")

# The monorepo page's repository; the other pages use the sample repository.
MONOREPO_REPOSITORY = GitHubRepository(owner="example", name="uv-migration-tools", owner_id=123456)
# The GitLab page's project: gitlab.com/example/convert-poetry2uv.
GITLAB_PROJECT_PATH = "example/convert-poetry2uv"
GITLAB_PIPELINE = "gitlab/gitlab-ci.yml"


def sample_project_name() -> str:
    text = (SNIPPETS / scenarios.PYPROJECT).read_text(encoding="utf-8")
    return str(tomllib.loads(text)["project"]["name"])


def _runs(job: Mapping[str, Any]) -> list[str]:
    """Shell lines of a GitHub job (`run:`) or a GitLab job (`script:`)."""
    lines = [str(step.get("run", "")) for step in job.get("steps") or []]
    script = job.get("script") or []
    lines.extend(script if isinstance(script, list) else [script])
    return [str(line) for line in lines]


def uploads(job: Mapping[str, Any]) -> bool:
    """Whether a job uploads distributions to a package index."""
    actions = [str(step.get("uses", "")) for step in job.get("steps") or []]
    return any(a.startswith(f"{PUBLISH_ACTION}@") for a in actions) or any(_UPLOAD_COMMAND.search(r) for r in _runs(job))


def target_index(job: Mapping[str, Any]) -> Index:
    """The index a publishing job uploads to: TestPyPI only when it names TestPyPI's URL."""
    urls = [str((step.get("with") or {}).get("repository-url", "")) for step in job.get("steps") or []]
    return Index.TESTPYPI if any("test.pypi.org" in text for text in urls + _runs(job)) else Index.PYPI


def publishing_jobs(workflow: Mapping[str, Any]) -> dict[str, Index]:
    """Job id -> the index it uploads to, for every job of a GitHub workflow that uploads."""
    return {job_id: target_index(job) for job_id, job in (workflow.get("jobs") or {}).items() if uploads(job)}


def github_form(
    workflow: str,
    job: str,
    index: Index,
    *,
    project: str | None = None,
    repository: GitHubRepository = scenarios.SAMPLE_REPOSITORY,
    saved_as: str | None = None,
) -> PendingPublisherForm:
    """The GitHub form for a snippet workflow's job; `saved_as` is the file name in the reader's repo."""
    return pending_publisher_form(
        workflows.load(SNIPPETS / workflow),
        workflow_path=f".github/workflows/{saved_as or Path(workflow).name}",
        job_id=job,
        index=index,
        repository=repository,
        project_name=project or sample_project_name(),
    )


def id_token_variable(audience: str) -> str:
    """The variable twine (through `id`) and uv read the token from on GitLab: `<AUD>_ID_TOKEN`.

    di/id `id/_internal/oidc/ambient.py` `detect_gitlab` and astral-sh/ambient-id
    `src/gitlab.rs`: the audience upper-cased, anything but ASCII letters and digits as `_`.
    """
    return re.sub(r"[^A-Z0-9]", "_", audience.upper()) + "_ID_TOKEN"


@dataclass(frozen=True)
class GitLabForm:
    index: Index
    project_name: str
    namespace: str
    project: str
    workflow_filepath: str
    environment_name: str

    @property
    def url(self) -> str:
        return self.index.pending_publishers_url

    @property
    def fields(self) -> tuple[tuple[str, str], ...]:
        # Labels of the GitLab tab, warehouse/templates/manage/account/publishing.html (6b62157).
        return (
            (f"{self.index.site_name} Project Name", self.project_name),
            ("Namespace", self.namespace),
            ("Project name", self.project),
            ("Top-level pipeline file path", self.workflow_filepath),
            ("Environment name", self.environment_name),
        )

    @property
    def publisher(self) -> GitLabPublisher:
        return GitLabPublisher(
            namespace=self.namespace,
            project=self.project,
            workflow_filepath=self.workflow_filepath,
            environment=self.environment_name,
        )


def gitlab_environment(job: Mapping[str, Any]) -> str | None:
    env = job.get("environment")
    if isinstance(env, Mapping):
        env = env.get("name")
    return str(env) if env else None


def gitlab_job_claims(
    pipeline: Mapping[str, Any],
    job_id: str,
    index: Index,
    *,
    project_path: str = GITLAB_PROJECT_PATH,
    ci_config_path: str = ".gitlab-ci.yml",
    ref_path: str = "refs/tags/v1.0.0",
) -> dict[str, str]:
    """The claims of the token `job_id` gets for `index`, or RefusedJob if the tools would find none."""
    job = pipeline[job_id]
    variable = id_token_variable(index.audience)
    token = (job.get("id_tokens") or {}).get(variable)
    if not token:
        raise RefusedJob(f"{job_id}: no id_tokens entry {variable}; twine and uv look for that variable")
    if token.get("aud") != index.audience:
        raise RefusedJob(f"{job_id}: {variable} has aud {token.get('aud')!r}, {index.site_name} expects {index.audience!r}")
    return gitlab_claims(
        project_path=project_path,
        ref_path=ref_path,
        ci_config_path=ci_config_path,
        environment=gitlab_environment(job),
        audience=str(token["aud"]),
    )


def gitlab_pending_form(
    pipeline: Mapping[str, Any],
    job_id: str,
    index: Index,
    *,
    project_name: str | None = None,
    project_path: str = GITLAB_PROJECT_PATH,
    ci_config_path: str = ".gitlab-ci.yml",
) -> GitLabForm:
    """The GitLab form values for a pipeline job, checked against the modelled exchange."""
    project_name = project_name or sample_project_name()
    canonicalize_name(project_name, validate=True)
    claims = gitlab_job_claims(pipeline, job_id, index, project_path=project_path, ci_config_path=ci_config_path)
    namespace, _, project = project_path.rpartition("/")
    form = GitLabForm(index, project_name, namespace, project, ci_config_path, claims.get("environment", ""))
    registry = Registry.of(Registration(form.publisher, project_name, index, pending=True))
    outcome = exchange(claims, registry, index)
    if isinstance(outcome, ExchangeError):
        raise RefusedJob(f"{job_id} cannot use a pending publisher ({outcome.slug}): {outcome.description}")
    return form


def gitlab_publishing_jobs(pipeline: Mapping[str, Any]) -> dict[str, Index]:
    """Job id -> index for every job of a GitLab pipeline that uploads."""
    return {
        name: target_index(job)
        for name, job in pipeline.items()
        if isinstance(job, Mapping) and not name.startswith(".") and uploads(job)
    }


# The monorepo page: two projects, each published by its own job of one workflow.
MONOREPO_WORKFLOW = "workflows/publish-monorepo.yml"
MONOREPO_PROJECTS = ("convert-poetry2uv", "convert-pdm2uv")


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
                workflow_filename=Path(MONOREPO_WORKFLOW).name,
                environment="" if shared_publisher else f"pypi-{project}",
            ),
            project,
            Index.PYPI,
        )
        for project in MONOREPO_PROJECTS
    ]
    return Registry.of(*registrations)


def monorepo_upload(*, shared_publisher: bool, job_project: str, dist_project: str) -> scenarios.Outcome:
    """The job that publishes `job_project` mints a token, then uploads a wheel of `dist_project`."""
    claims = github_claims(
        workflows.load(SNIPPETS / MONOREPO_WORKFLOW),
        workflow_path=f".github/workflows/{Path(MONOREPO_WORKFLOW).name}",
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
        shared_publisher=False, job_project="convert-poetry2uv", dist_project="convert-pdm2uv"
    ),
    # ...and accepted when one publisher serves both projects.
    "monorepo-shared": lambda: monorepo_upload(
        shared_publisher=True, job_project="convert-poetry2uv", dist_project="convert-pdm2uv"
    ),
}
