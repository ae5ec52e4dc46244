"""What to type into "Add a new pending publisher" (GitHub tab) for a given workflow job.

Field labels are those of warehouse/templates/manage/account/publishing.html
(pypi/warehouse@6b62157). The values are derived from the claims the job would get and
then checked by running the modelled exchange against just that pending publisher, so a
job PyPI would refuse (no `id-token: write`, a reusable workflow from another
repository, `pull_request_target`, ...) raises instead of producing a form that fails.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from packaging.utils import canonicalize_name

from tpsite.model import workflow
from tpsite.model.claims import CalledWorkflow, GitHubRepository, Trigger, github_claims
from tpsite.model.exchange import exchange
from tpsite.model.indexes import Index
from tpsite.model.matching import github_workflow_filename
from tpsite.model.outcomes import ClientError, ExchangeError
from tpsite.model.publishers import GitHubPublisher, Registration, Registry

_PREFERRED_EVENTS = ("push", "release", "workflow_dispatch")


class RefusedJob(ValueError):
    """The job would not get a token from PyPI, so no form values can make it work."""


@dataclass(frozen=True)
class PendingPublisherForm:
    index: Index
    project_name: str
    owner: str
    repository_name: str
    workflow_name: str
    environment_name: str  # "" = leave the optional field empty

    @property
    def url(self) -> str:
        return self.index.pending_publishers_url

    @property
    def fields(self) -> tuple[tuple[str, str], ...]:
        """(label, value) in the order the form shows them."""
        return (
            (f"{self.index.site_name} Project Name", self.project_name),
            ("Owner", self.owner),
            ("Repository name", self.repository_name),
            ("Workflow name", self.workflow_name),
            ("Environment name", self.environment_name),
        )


def _default_trigger(parsed_workflow: Mapping[Any, Any]) -> Trigger:
    events = workflow.triggers(parsed_workflow)
    event = next((e for e in _PREFERRED_EVENTS if e in events), min(events))
    return Trigger(event_name=event, ref="refs/tags/v1.0.0")


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
) -> PendingPublisherForm:
    """The form values for publishing `project_name` from `job_id` of `workflow_path`."""
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
    form = PendingPublisherForm(
        index=index,
        project_name=project_name,
        owner=repository.owner,
        repository_name=repository.name,
        workflow_name=github_workflow_filename(claims["job_workflow_ref"]) or "",
        environment_name=claims.get("environment", ""),
    )
    publisher = GitHubPublisher(
        owner=form.owner,
        repository=form.repository_name,
        owner_id=str(repository.owner_id),
        workflow_filename=form.workflow_name,
        environment=form.environment_name,
    )
    outcome = exchange(claims, Registry.of(Registration(publisher, project_name, index, pending=True)), index)
    if isinstance(outcome, ExchangeError):
        raise RefusedJob(
            f"{workflow_path}:{job_id} cannot use a pending publisher ({outcome.slug}): {outcome.description}"
        )
    return form
