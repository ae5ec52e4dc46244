"""What to type into PyPI's publisher form (GitHub or GitLab tab) for a given CI job.

Field labels are those of warehouse/templates/manage/account/publishing.html
(pypi/warehouse@6b62157). The values are derived from the claims the job would get and
then checked by running the modelled exchange against just that pending publisher, so a
job PyPI would refuse (no `id-token: write`, a reusable workflow from another
repository, `pull_request_target`, ...) raises RefusedJob instead of producing a form that fails.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any, Literal

from packaging.utils import canonicalize_name

from tpsite.model import workflow
from tpsite.model.claims import CalledWorkflow, GitHubRepository, Trigger, github_claims, gitlab_job_claims
from tpsite.model.exchange import exchange
from tpsite.model.indexes import Index
from tpsite.model.matching import github_workflow_filename
from tpsite.model.outcomes import ClientError, ExchangeError, RefusedJob
from tpsite.model.publishers import GITLAB_ISSUER, GitHubPublisher, GitLabPublisher, Publisher, Registration, Registry

Provider = Literal["github", "gitlab"]
_PREFERRED_EVENTS = ("push", "release", "workflow_dispatch")
# The form's labels for owner, repository, workflow and environment, per tab.
LABELS: dict[Provider, tuple[str, str, str, str]] = {
    "github": ("Owner", "Repository name", "Workflow name", "Environment name"),
    "gitlab": ("Namespace", "Project name", "Top-level pipeline file path", "Environment name"),
}
PROVIDER_NAMES: dict[Provider, str] = {"github": "GitHub", "gitlab": "GitLab"}


@dataclass(frozen=True)
class PublisherForm:
    """The values for one publisher form, as the reader types them.

    `owner`/`repository`/`workflow` are GitHub's owner, repository name and workflow file name,
    or GitLab's namespace, project name and top-level pipeline file path. `pending`: the form for
    a project that does not exist yet ("Add a new pending publisher", with the project name);
    otherwise the form on the existing project's own Publishing page, which has no name field.
    """

    index: Index
    provider: Provider
    project_name: str
    owner: str
    repository: str
    workflow: str
    environment: str  # "" = leave the optional field empty
    pending: bool = True

    @property
    def provider_name(self) -> str:
        return PROVIDER_NAMES[self.provider]

    @property
    def url(self) -> str:
        if self.pending:
            return self.index.pending_publishers_url
        return f"https://{self.index.host}/manage/project/{self.project_name}/settings/publishing/"

    @property
    def heading(self) -> str:
        return "Add a new pending publisher" if self.pending else f"Add a new publisher to {self.project_name}"

    @property
    def fields(self) -> tuple[tuple[str, str], ...]:
        """(label, value) in the order the form shows them."""
        values = (self.owner, self.repository, self.workflow, self.environment)
        named = tuple(zip(LABELS[self.provider], values, strict=True))
        return ((f"{self.index.site_name} Project Name", self.project_name), *named) if self.pending else named

    def for_existing_project(self) -> PublisherForm:
        return replace(self, pending=False)

    def publisher(self, owner_id: str | int = "") -> Publisher:
        """The publisher row PyPI stores from these values (GitHub records the owner's id)."""
        if self.provider == "gitlab":
            return GitLabPublisher(self.owner, self.repository, self.workflow, self.environment, GITLAB_ISSUER)
        return GitHubPublisher(self.owner, self.repository, str(owner_id), self.workflow, self.environment)


def _default_trigger(parsed_workflow: Mapping[Any, Any]) -> Trigger:
    events = workflow.triggers(parsed_workflow)
    event = next((e for e in _PREFERRED_EVENTS if e in events), min(events))
    return Trigger(event_name=event, ref="refs/tags/v1.0.0")


def _checked(form: PublisherForm, claims: Mapping[str, str], owner_id: str | int, where: str) -> PublisherForm:
    """The form, once the modelled exchange accepts the job's token with just this pending publisher."""
    registration = Registration(form.publisher(owner_id), form.project_name, form.index, pending=True)
    outcome = exchange(claims, Registry.of(registration), form.index)
    if isinstance(outcome, ExchangeError):
        raise RefusedJob(f"{where} cannot use a pending publisher ({outcome.slug}): {outcome.description}")
    return form


def pending_publisher_form(
    parsed_workflow: Mapping[Any, Any],
    *,
    workflow_path: str,
    job_id: str,
    index: Index,
    repository: GitHubRepository,
    project_name: str,
    called: CalledWorkflow | None = None,
    trigger: Trigger | None = None,
) -> PublisherForm:
    """The GitHub form values for publishing `project_name` from `job_id` of `workflow_path`."""
    canonicalize_name(project_name, validate=True)  # raises packaging.utils.InvalidName
    claims = github_claims(
        parsed_workflow,
        workflow_path=workflow_path,
        job_id=job_id,
        repository=repository,
        trigger=trigger or _default_trigger(parsed_workflow),
        audience=index.audience,
        called=called,
    )
    if isinstance(claims, ClientError):
        raise RefusedJob(f"{workflow_path}:{job_id} gets no OIDC token ({claims.slug}):\n{claims.message}")
    # PyPI takes the owner and repository from `repository` (the caller's) and the
    # workflow from `job_workflow_ref` (the file that holds the publishing job).
    form = PublisherForm(
        index=index,
        provider="github",
        project_name=project_name,
        owner=repository.owner,
        repository=repository.name,
        workflow=github_workflow_filename(claims["job_workflow_ref"]) or "",
        environment=claims.get("environment", ""),
    )
    return _checked(form, claims, repository.owner_id, f"{workflow_path}:{job_id}")


def gitlab_pending_publisher_form(
    parsed_pipeline: Mapping[str, Any],
    *,
    job_id: str,
    index: Index,
    project_path: str,
    project_name: str,
    ci_config_path: str = ".gitlab-ci.yml",
) -> PublisherForm:
    """The GitLab form values for publishing `project_name` from `job_id` of the top-level pipeline."""
    canonicalize_name(project_name, validate=True)
    claims = gitlab_job_claims(
        parsed_pipeline, job_id=job_id, project_path=project_path, index=index, ci_config_path=ci_config_path
    )
    namespace, _, project = project_path.rpartition("/")
    form = PublisherForm(
        index=index,
        provider="gitlab",
        project_name=project_name,
        owner=namespace,
        repository=project,
        workflow=ci_config_path,
        environment=claims.get("environment", ""),
    )
    return _checked(form, claims, "", job_id)
