"""POST /_/oidc/mint-token: claims in, a scoped upload token or a 422 error out.

Follows `mint_token_from_oidc` and `mint_token` in warehouse/oidc/views.py
(pypi/warehouse@6b62157124ab7865029afeeadf282bce27d601d9). Signature, expiry and the
JWKS are out of scope: the claims are taken as correctly signed.
"""

from __future__ import annotations

from collections.abc import Mapping

from tpsite.model import messages
from tpsite.model.indexes import Index
from tpsite.model.matching import (
    InvalidPublisher,
    ReusedToken,
    find_github,
    find_gitlab,
    github_workflow_filename,
    gitlab_workflow_filepath,
)
from tpsite.model.outcomes import ExchangeError, MintResult
from tpsite.model.publishers import (
    ACTIVESTATE_ISSUER,
    GITHUB_ISSUER,
    GITLAB_ISSUER,
    GOOGLE_ISSUER,
    GitHubPublisher,
    GitLabPublisher,
    Publisher,
    Registration,
    Registry,
)
from tpsite.model.rules import CURRENT, WarehouseRules
from tpsite.model.slugs import Slug

# OIDC_ISSUER_SERVICE_NAMES (warehouse/oidc/utils.py:39-44).
_SERVICES = {
    GITHUB_ISSUER: "github",
    GITLAB_ISSUER: "gitlab",
    GOOGLE_ISSUER: "google",
    ACTIVESTATE_ISSUER: "activestate",
}


def _error(slug: Slug, code: str, text: messages.Text, causes: tuple[str, ...] = ()) -> ExchangeError:
    return ExchangeError(slug, code, text.template, text.citation, causes, text=text)


def _service(claims: Mapping[str, str], registry: Registry) -> str | None:
    iss = claims["iss"]
    if iss in _SERVICES:
        return _SERVICES[iss]
    # An organization's custom issuer (a self-managed GitLab) is known only once PyPI
    # admins map it (lookup_custom_issuer_type, utils.py:66-75); a GitLab publisher
    # registered with that issuer stands for such a mapping here.
    if any(isinstance(r.publisher, GitLabPublisher) and r.publisher.issuer_url == iss for r in registry.registrations):
        return "gitlab"
    return None


def _find(
    service: str,
    claims: Mapping[str, str],
    registrations: list[Registration],
    rules: WarehouseRules,
    used_jtis: frozenset[str],
) -> Registration:
    # One database row per publisher identity, however many projects it serves.
    rows: dict[tuple[str, ...], Registration] = {}
    for r in registrations:
        rows.setdefault(r.publisher.identity, r)
    # GitHub tokens only come from the canonical issuer here, so the issuer-mismatch
    # check of find_publisher (services.py:296-306) cannot fire.
    if service == "github":
        pubs = [r.publisher for r in rows.values() if isinstance(r.publisher, GitHubPublisher)]
        found: Publisher = find_github(claims, pubs, rules, used_jtis)
    elif service == "gitlab":
        pubs_gl = [r.publisher for r in rows.values() if isinstance(r.publisher, GitLabPublisher)]
        found = find_gitlab(claims, pubs_gl, rules, used_jtis)
    else:
        raise NotImplementedError(f"{service} publishers are not modelled")
    return rows[found.identity]


def exchange(
    claims: Mapping[str, str],
    registry: Registry,
    index: Index = Index.PYPI,
    *,
    rules: WarehouseRules = CURRENT,
    used_jtis: frozenset[str] = frozenset(),
) -> MintResult | ExchangeError:
    """What `index` answers when a job presents a token with these claims."""
    if not claims.get("iss"):
        return _error(Slug.MALFORMED_JWT, "invalid-payload", messages.MALFORMED_JWT)  # views.py:125-144
    service = _service(claims, registry)
    if service is None:
        return _error(Slug.UNKNOWN_ISSUER, "invalid-payload", messages.UNKNOWN_ISSUER)  # views.py:152-165
    # verify_jwt_signature (services.py:237-260): `aud` must be exactly this index's audience.
    if claims.get("aud") != index.audience:
        return _error(Slug.INVALID_TOKEN, "invalid-token", messages.MALFORMED_OR_INVALID_TOKEN)

    # Pending publishers are tried first (views.py:200-276); any InvalidPublisherError
    # there just falls through to the normal lookup.
    state, created = registry, None
    try:
        pending = _find(service, claims, list(registry.on(index, pending=True)), rules, used_jtis)
    except InvalidPublisher:
        pending = None
    except ReusedToken:
        # Not caught on this path in views.py (only InvalidPublisherError is): HTTP 500.
        source = messages.inventory.get("warehouse:mint-token.reused-token-on-pending-path").source
        return ExchangeError(Slug.SERVER_ERROR, "", "", source, status=500)
    if pending is not None:
        if registry.project_exists(index, pending.project):
            # views.py:210-220; the stale pending publisher is deleted as well.
            return _error(Slug.INVALID_PENDING_PUBLISHER, "invalid-pending-publisher", messages.PROJECT_ALREADY_EXISTS)
        # create_project under the pending spelling, then reify: reuse an identical
        # normal publisher if one exists (github.py:390-416, gitlab.py:457-484).
        existing = [r for r in registry.on(index, pending=False) if r.publisher.identity == pending.publisher.identity]
        publisher = existing[0].publisher if existing else pending.publisher
        state = registry.without(pending).with_registration(Registration(publisher, pending.project, index))
        created = pending.project

    try:
        found = _find(service, claims, list(state.on(index, pending=False)), rules, used_jtis)
    except ReusedToken:
        return _error(Slug.INVALID_REUSE_TOKEN, "invalid-reuse-token", messages.TOKEN_ALREADY_USED)
    except InvalidPublisher as exc:
        if not rules.detailed_reasons:
            text = messages.NO_CORRESPONDING_PUBLISHER_UNTIL_2023_08
            return ExchangeError(
                Slug.INVALID_PUBLISHER,
                "invalid-publisher",
                text.template,
                text.citation,
                diagnose(claims, registry, index),
                text=text,
            )
        description = messages.NO_CORRESPONDING_PUBLISHER.format(reason=exc.reason)
        causes = diagnose(claims, registry, index) if exc.slug == Slug.INVALID_PUBLISHER else ()
        source = f"{messages.NO_CORRESPONDING_PUBLISHER.citation} + {exc.text.citation}"
        return ExchangeError(
            exc.slug,
            "invalid-publisher",
            description,
            source,
            causes,
            text=messages.NO_CORRESPONDING_PUBLISHER,
            reason=(exc.text, exc.fields),
        )

    projects = state.projects_of(index, found.publisher)
    env = claims.get("environment")
    return MintResult(
        index=index,
        publisher=found.publisher,
        projects=projects,
        registry=state,
        created_project=created,
        environment_warning_email=len(projects) == 1 and found.publisher.environment == "" and bool(env),
        reusable_workflow=isinstance(found.publisher, GitHubPublisher)
        and bool(claims.get("job_workflow_ref") and claims.get("workflow_ref"))
        and claims.get("job_workflow_ref") != claims.get("workflow_ref"),
    )


def diagnose(claims: Mapping[str, str], registry: Registry, index: Index) -> tuple[str, ...]:
    """Why no publisher matched: the differences to the closest registered publisher.

    Not a warehouse rule (warehouse only says "not found"); a hint for the docs.
    """
    best: tuple[int, tuple[str, ...]] | None = None
    for r in registry.registrations:
        differences = _differences(claims, r.publisher)
        if differences is None:
            continue
        if r.index is not index:
            differences = ("publisher-on-other-index", *differences)
        if best is None or len(differences) < best[0]:
            best = (len(differences), differences)
    return best[1] if best else ("no-publisher-registered",)


def _differ(stored: str, claimed: str, name: str) -> list[str]:
    if stored == claimed:
        return []
    return [f"{name}-case-mismatch" if stored.lower() == claimed.lower() else f"{name}-mismatch"]


def _differences(claims: Mapping[str, str], publisher: Publisher) -> tuple[str, ...] | None:
    env = claims.get("environment")
    found: list[str] = []
    if isinstance(publisher, GitHubPublisher):
        if "repository" not in claims or "job_workflow_ref" not in claims:
            return None
        owner, name = claims["repository"].split("/", 1)
        found += _differ(publisher.owner, owner, "owner")
        found += _differ(publisher.repository, name, "repository")
        if publisher.owner_id != claims.get("repository_owner_id"):
            found.append("owner-id-mismatch")
        found += _differ(
            publisher.workflow_filename, github_workflow_filename(claims["job_workflow_ref"]) or "", "workflow"
        )
        if publisher.environment and not env:
            found.append("environment-missing")
        elif publisher.environment and publisher.environment != (env or "").lower():
            found.append("environment-mismatch")
        return tuple(found)
    if "project_path" not in claims or "ci_config_ref_uri" not in claims:
        return None
    namespace, project = claims["project_path"].rsplit("/", 1)
    if publisher.namespace.lower() != namespace.lower():
        found.append("namespace-mismatch")
    if publisher.project.lower() != project.lower():
        found.append("project-mismatch")
    found += _differ(
        publisher.workflow_filepath, gitlab_workflow_filepath(claims["ci_config_ref_uri"]) or "", "workflow"
    )
    if publisher.environment and not env:
        found.append("environment-missing")
    elif publisher.environment and publisher.environment != env:
        found += _differ(publisher.environment, env or "", "environment")
    return tuple(found)
