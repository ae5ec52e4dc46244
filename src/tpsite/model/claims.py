"""The OIDC claims a CI job gets, derived from the workflow and the run's context.

GitHub's claim set is modelled on GitHub's OIDC reference: `repository`, `repository_owner`,
`repository_owner_id`, `workflow_ref` (the top-level, caller workflow), `job_workflow_ref`
(the workflow file containing the job: the callee for a reusable workflow), `ref`, `sha`,
`event_name`, `environment` (only when the job declares one) and `sub`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from tpsite.model import messages, pipeline, workflow
from tpsite.model.indexes import Index
from tpsite.model.outcomes import ClientError, ClientWarning, RefusedJob
from tpsite.model.publishers import GITHUB_ISSUER, GITLAB_ISSUER
from tpsite.model.slugs import Slug

Claims = Mapping[str, str]

PLACEHOLDER_SHA = "0123456789abcdef0123456789abcdef01234567"


@dataclass(frozen=True)
class GitHubRepository:
    """The repository as it is *now* (after any rename or transfer)."""

    owner: str  # GitHub's canonical spelling of the owner login
    name: str
    owner_id: str | int
    repository_id: str | int = "1"

    @property
    def full_name(self) -> str:
        return f"{self.owner}/{self.name}"


@dataclass(frozen=True)
class Trigger:
    """The event that started the run and the ref it runs on."""

    event_name: str = "push"
    ref: str = "refs/tags/v1.0.0"
    sha: str = PLACEHOLDER_SHA
    from_fork: bool = False  # for pull_request: the head repository is a fork

    @property
    def ref_type(self) -> str:
        return "tag" if self.ref.startswith("refs/tags/") else "branch"


@dataclass(frozen=True)
class SubTemplate:
    """A customised `sub` (GitHub's OIDC subject customisation, `include_claim_keys`).

    `repo` renders as `repo:<owner>/<name>`, `context` as the default subject's tail
    (`environment:<name>`, `pull_request` or `ref:<ref>`), any other key as `<key>:<claim>`.
    """

    include_claim_keys: tuple[str, ...]


@dataclass(frozen=True)
class CalledWorkflow:
    """The reusable workflow a caller job `uses:`, and the job in it that publishes."""

    workflow: Mapping[Any, Any]
    job_id: str
    # How a remote `@ref` resolves; GitHub writes the fully qualified ref into the claim.
    ref_kind: Literal["tag", "branch"] = "tag"


def _qualify(ref: str, kind: Literal["tag", "branch"]) -> str:
    is_sha = len(ref) == 40 and all(c in "0123456789abcdef" for c in ref)
    if is_sha or ref.startswith("refs/"):
        return ref
    return f"refs/tags/{ref}" if kind == "tag" else f"refs/heads/{ref}"


def _jti(*parts: object) -> str:
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:32]


def _context(environment: str | None, trigger: Trigger) -> str:
    if environment:
        return f"environment:{environment}"
    if trigger.event_name == "pull_request":
        return "pull_request"
    return f"ref:{trigger.ref}"


def _sub(claims: Mapping[str, str], context: str, template: SubTemplate | None) -> str:
    if template is None:
        return f"repo:{claims['repository']}:{context}"
    parts = []
    for key in template.include_claim_keys:
        if key == "repo":
            parts.append(f"repo:{claims['repository']}")
        elif key == "context":
            parts.append(context)
        else:
            parts.append(f"{key}:{claims.get(key, '')}")
    return ":".join(parts)


def _no_token(fork: bool) -> ClientError:
    # A job without `id-token: write` (and any fork PR) runs without
    # ACTIONS_ID_TOKEN_REQUEST_TOKEN, which di/id checks first (ambient.py:94-99).
    text = messages.GH_TOKEN_RETRIEVAL_FAILED_FORK_PR if fork else messages.GH_TOKEN_RETRIEVAL_FAILED
    message = text.format(identity_error=messages.ID_GITHUB_NO_REQUEST_TOKEN.template)
    return ClientError(
        slug=Slug.FORK_PULL_REQUEST if fork else Slug.ID_TOKEN_PERMISSION_MISSING,
        message=message.strip("\n"),
        source=f"{text.citation} + {messages.ID_GITHUB_NO_REQUEST_TOKEN.citation}",
    )


def github_claims(
    parsed_workflow: Mapping[Any, Any],
    *,
    workflow_path: str,
    job_id: str,
    repository: GitHubRepository,
    trigger: Trigger = Trigger(),
    audience: str = "pypi",
    called: CalledWorkflow | None = None,
    sub_template: SubTemplate | None = None,
    jti: str | None = None,
) -> dict[str, str] | ClientError:
    """Claims of the OIDC token `job_id` would get, or the client-side failure to get one.

    `parsed_workflow` is the top-level workflow at `workflow_path`. If `job_id` calls a
    reusable workflow (`uses:`), pass that workflow as `called`.
    """
    workflow_path = workflow.check_path(workflow_path)
    if trigger.event_name not in workflow.triggers(parsed_workflow):
        raise ValueError(f"{workflow_path} does not run on {trigger.event_name!r}")
    caller_job = workflow.job(parsed_workflow, job_id)

    # GitHub gives fork pull requests no OIDC token, whatever the permissions say.
    if trigger.event_name == "pull_request" and trigger.from_fork:
        return _no_token(fork=True)

    workflow_ref = f"{repository.full_name}/{workflow_path}@{trigger.ref}"
    call = workflow.uses(caller_job)
    if call is None:
        if called is not None:
            raise ValueError(f"job {job_id!r} does not call a reusable workflow")
        publishing_job = caller_job
        has_id_token = workflow.grants_id_token(parsed_workflow, caller_job)
        job_workflow_ref = workflow_ref
    else:
        if called is None:
            raise ValueError(f"job {job_id!r} calls {call.path}; pass it as `called`")
        if "workflow_call" not in workflow.triggers(called.workflow):
            raise ValueError(f"{call.path} has no `on: workflow_call`")
        publishing_job = workflow.job(called.workflow, called.job_id)
        # The caller's grant is the ceiling; the callee may only narrow it.
        has_id_token = workflow.grants_id_token(parsed_workflow, caller_job) and (
            not workflow.declares_permissions(called.workflow, publishing_job)
            or workflow.grants_id_token(called.workflow, publishing_job)
        )
        if call.repository is None:  # ./.github/workflows/x.yml: same repository, same commit
            job_workflow_ref = f"{repository.full_name}/{call.path}@{trigger.ref}"
        else:
            job_workflow_ref = f"{call.repository}/{call.path}@{_qualify(call.ref or '', called.ref_kind)}"

    if not has_id_token:
        return _no_token(fork=False)

    environment = workflow.environment(publishing_job)
    claims: dict[str, str] = {
        "iss": GITHUB_ISSUER,
        "aud": audience,
        "jti": jti or _jti(repository, workflow_path, job_id, trigger),
        "ref": trigger.ref,
        "sha": trigger.sha,
        "repository": repository.full_name,
        "repository_owner": repository.owner,
        "repository_owner_id": str(repository.owner_id),
        "repository_id": str(repository.repository_id),
        "run_id": "1",
        "run_number": "1",
        "run_attempt": "1",
        "actor": repository.owner,
        "event_name": trigger.event_name,
        "ref_type": trigger.ref_type,
        "workflow": str(parsed_workflow.get("name") or workflow_path),
        "workflow_ref": workflow_ref,
        "workflow_sha": trigger.sha,
        "job_workflow_ref": job_workflow_ref,
        "job_workflow_sha": trigger.sha,
        "runner_environment": "github-hosted",
    }
    if environment is not None:
        claims["environment"] = environment
    claims["sub"] = _sub(claims, _context(environment, trigger), sub_template)
    return claims


def gitlab_claims(
    *,
    project_path: str,
    ref_path: str = "refs/tags/v1.0.0",
    sha: str = PLACEHOLDER_SHA,
    ci_config_path: str = ".gitlab-ci.yml",
    environment: str | None = None,
    audience: str = "pypi",
    issuer: str = GITLAB_ISSUER,
    jti: str | None = None,
) -> dict[str, str]:
    """Claims of a GitLab CI `id_tokens:` token (the top-level pipeline file only)."""
    namespace_path = project_path.rsplit("/", 1)[0]
    ref_type, ref = (
        ("tag", ref_path.removeprefix("refs/tags/"))
        if ref_path.startswith("refs/tags/")
        else ("branch", ref_path.removeprefix("refs/heads/"))
    )
    host = issuer.removeprefix("https://")
    claims = {
        "iss": issuer,
        "aud": audience,
        "jti": jti or _jti(project_path, ref_path, sha, ci_config_path),
        "sub": f"project_path:{project_path}:ref_type:{ref_type}:ref:{ref}",
        "namespace_path": namespace_path,
        "project_path": project_path,
        "ref": ref,
        "ref_type": ref_type,
        "ref_path": ref_path,
        "sha": sha,
        "ci_config_ref_uri": f"{host}/{project_path}//{ci_config_path}@{ref_path}",
        "ci_config_sha": sha,
        "pipeline_source": "push",
    }
    if environment is not None:
        claims["environment"] = environment
    return claims


def gitlab_job_claims(
    parsed_pipeline: Mapping[str, Any],
    *,
    job_id: str,
    project_path: str,
    index: Index,
    ci_config_path: str = ".gitlab-ci.yml",
    ref_path: str = "refs/tags/v1.0.0",
) -> dict[str, str]:
    """Claims of the token `job_id` of a pipeline gets for `index` (RefusedJob if the clients find none).

    The twin of `github_claims` for a GitLab job: `parsed_pipeline` is the top-level pipeline
    file, saved at `ci_config_path` in the project `project_path`.
    """
    job = pipeline.job(parsed_pipeline, job_id)
    variable = pipeline.id_token_variable(index.audience)
    audience = pipeline.id_token_audience(job, index.audience)
    if audience is None:
        raise RefusedJob(f"{job_id}: no id_tokens entry {variable}; twine and uv look for that variable")
    if audience != index.audience:
        raise RefusedJob(f"{job_id}: {variable} has aud {audience!r}, {index.site_name} expects {index.audience!r}")
    return gitlab_claims(
        project_path=project_path,
        ref_path=ref_path,
        ci_config_path=ci_config_path,
        environment=pipeline.environment(job),
        audience=audience,
    )


def client_warnings(claims: Claims) -> tuple[ClientWarning, ...]:
    """The action's non-fatal reusable-workflow warning (`warn_on_reusable_workflow`)."""
    workflow_ref, job_workflow_ref = claims.get("workflow_ref"), claims.get("job_workflow_ref")
    if workflow_ref == job_workflow_ref:
        return ()
    text = messages.GH_REUSABLE_WORKFLOW_WARNING
    message = text.format(workflow_ref=workflow_ref, job_workflow_ref=job_workflow_ref)
    return (ClientWarning(Slug.REUSABLE_WORKFLOW_WARNING, message.strip("\n"), text.citation),)
