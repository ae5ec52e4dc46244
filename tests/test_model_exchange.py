"""Token exchange: each matching rule with a passing and a failing case."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

import pytest

from tpsite.model import (
    BEFORE_DETAILED_REASONS,
    BEFORE_LOOKUP_REFACTOR,
    BEFORE_SUB_REMOVAL,
    CalledWorkflow,
    ExchangeError,
    GitHubPublisher,
    GitHubRepository,
    GitLabPublisher,
    Index,
    MintResult,
    Registration,
    Registry,
    Slug,
    SubTemplate,
    Trigger,
    exchange,
    github_claims,
    gitlab_claims,
)

REPO = GitHubRepository(owner="Octo-Org", name="Sample", owner_id=1234)
TAG = Trigger("push", "refs/tags/v1.0.0")
NOT_FOUND = "valid token, but no corresponding publisher (Publisher with matching claims was not found)"

WORKFLOW = {
    "on": {"push": None, "pull_request_target": None},
    "jobs": {
        "publish": {"environment": "pypi", "permissions": {"id-token": "write"}},
        "publish-no-env": {"permissions": {"id-token": "write"}},
        "publish-staging": {"environment": "Staging", "permissions": {"id-token": "write"}},
        "publish-upper": {"environment": "PyPI", "permissions": {"id-token": "write"}},
        "release": {"permissions": {"id-token": "write"}, "uses": "./.github/workflows/_publish.yml"},
        "release-remote": {
            "permissions": {"id-token": "write"},
            "uses": "shared-org/workflows/.github/workflows/_publish.yml@v2",
        },
        "release-same-repo-main": {
            "permissions": {"id-token": "write"},
            "uses": "Octo-Org/Sample/.github/workflows/_publish.yml@main",
        },
    },
}
CALLEE = {"on": "workflow_call", "jobs": {"upload": {"environment": "pypi"}}}


def claims(
    job: str = "publish", *, repo: GitHubRepository = REPO, path: str = "release.yml", **kw: Any
) -> dict[str, str]:
    if job.startswith("release"):
        kw.setdefault("called", CalledWorkflow(CALLEE, "upload"))
    kw.setdefault("trigger", TAG)
    result = github_claims(WORKFLOW, workflow_path=f".github/workflows/{path}", job_id=job, repository=repo, **kw)
    assert isinstance(result, dict)
    return result


def publisher(**changes: str) -> GitHubPublisher:
    base = {"owner": "Octo-Org", "repository": "Sample", "owner_id": "1234", "workflow_filename": "release.yml",
            "environment": "pypi"}  # fmt: skip
    return GitHubPublisher(**{**base, **changes})


def registry(
    *publishers: GitHubPublisher, project: str = "sample", index: Index = Index.PYPI, pending: bool = False
) -> Registry:
    return Registry.of(*(Registration(p, project, index, pending) for p in publishers))


def refused(outcome: MintResult | ExchangeError) -> ExchangeError:
    assert isinstance(outcome, ExchangeError), outcome
    return outcome


def minted(outcome: MintResult | ExchangeError) -> MintResult:
    assert isinstance(outcome, MintResult), outcome
    return outcome


def test_matching_publisher_mints_a_token_for_its_projects() -> None:
    reg = Registry.of(Registration(publisher(), "sample"), Registration(publisher(), "sample-extra"))
    result = minted(exchange(claims(), reg))
    assert result.projects == ("sample", "sample-extra")
    assert result.expires_in == 900
    assert result.created_project is None


def test_invalid_publisher_wording_and_body() -> None:
    error = refused(exchange(claims(), registry(publisher(workflow_filename="publish.yml"))))
    assert (error.slug, error.code, error.status) == ("invalid-publisher", "invalid-publisher", 422)
    assert error.description == NOT_FOUND
    assert error.body == {
        "message": "Token request failed",
        "errors": [{"code": "invalid-publisher", "description": NOT_FOUND}],
    }
    assert error.reason_line == f"* `invalid-publisher`: {NOT_FOUND}"


def test_renamed_workflow_file() -> None:
    assert isinstance(exchange(claims(path="release.yml"), registry(publisher())), MintResult)
    error = refused(exchange(claims(path="publish.yml"), registry(publisher())))
    assert error.description == NOT_FOUND
    assert error.causes == ("workflow-mismatch",)


def test_workflow_file_name_is_case_sensitive() -> None:
    error = refused(exchange(claims(path="Release.yml"), registry(publisher())))
    assert error.causes == ("workflow-case-mismatch",)


def test_environment_rules() -> None:
    reg = registry(publisher(environment="pypi"))
    assert isinstance(exchange(claims("publish"), reg), MintResult)
    # GitHub environments compare case-insensitively (stored lower-cased).
    assert isinstance(exchange(claims("publish-upper"), reg), MintResult)
    assert publisher(environment="PyPI").environment == "pypi"
    missing = refused(exchange(claims("publish-no-env"), reg))
    assert (missing.description, missing.causes) == (NOT_FOUND, ("environment-missing",))
    different = refused(exchange(claims("publish-staging"), reg))
    assert (different.description, different.causes) == (NOT_FOUND, ("environment-mismatch",))


def test_publisher_without_environment_accepts_any() -> None:
    reg = registry(publisher(environment=""))
    with_env = minted(exchange(claims("publish-staging"), reg))
    assert with_env.environment_warning_email  # one project, environment ignored
    assert not minted(exchange(claims("publish-no-env"), reg)).environment_warning_email


def test_environment_specific_publisher_wins() -> None:
    general, specific = publisher(environment=""), publisher(environment="pypi")
    reg = Registry.of(Registration(general, "general"), Registration(specific, "specific"))
    assert minted(exchange(claims("publish"), reg)).projects == ("specific",)
    assert minted(exchange(claims("publish-staging"), reg)).projects == ("general",)


def test_publisher_only_on_the_other_index() -> None:
    on_testpypi = registry(publisher(), index=Index.TESTPYPI)
    error = refused(exchange(claims(), on_testpypi, Index.PYPI))
    assert error.description == NOT_FOUND
    assert error.causes == ("publisher-on-other-index",)
    assert isinstance(exchange(claims(audience="testpypi"), on_testpypi, Index.TESTPYPI), MintResult)


def test_audience_for_the_other_index_is_an_invalid_token() -> None:
    error = refused(exchange(claims(audience="pypi"), registry(publisher(), index=Index.TESTPYPI), Index.TESTPYPI))
    assert (error.slug, error.code, error.description) == (
        "invalid-token",
        "invalid-token",
        "malformed or invalid token",
    )


def test_repository_renamed() -> None:
    renamed = replace(REPO, name="sample-py")
    error = refused(exchange(claims(repo=renamed), registry(publisher())))
    assert (error.description, error.causes) == (NOT_FOUND, ("repository-mismatch",))
    assert isinstance(exchange(claims(repo=renamed), registry(publisher(repository="sample-py"))), MintResult)


def test_repository_transferred_or_owner_recreated() -> None:
    transferred = GitHubRepository(owner="new-org", name="Sample", owner_id=999)
    error = refused(exchange(claims(repo=transferred), registry(publisher())))
    assert error.causes == ("owner-mismatch", "owner-id-mismatch")
    # Same login, new account: only the numeric id differs, and that is enough.
    recreated = replace(REPO, owner_id=999)
    error = refused(exchange(claims(repo=recreated), registry(publisher())))
    assert (error.description, error.causes) == (NOT_FOUND, ("owner-id-mismatch",))


def test_repository_name_case_matters_for_the_lookup() -> None:
    # The form stores the repository name as typed; the lookup is SQL equality.
    error = refused(exchange(claims(), registry(publisher(repository="sample"))))
    assert (error.description, error.causes) == (NOT_FOUND, ("repository-case-mismatch",))


def test_reusable_workflow_in_the_same_repository() -> None:
    # Registered with the caller's file: not found (the workflow comes from job_workflow_ref).
    error = refused(exchange(claims("release"), registry(publisher(workflow_filename="release.yml"))))
    assert (error.description, error.causes) == (NOT_FOUND, ("workflow-mismatch",))
    # Registered with the called file: accepted ("accidental" support).
    result = minted(exchange(claims("release"), registry(publisher(workflow_filename="_publish.yml"))))
    assert result.reusable_workflow


def test_reusable_workflow_from_another_repository() -> None:
    error = refused(exchange(claims("release-remote"), registry(publisher(workflow_filename="_publish.yml"))))
    assert error.slug == "job-workflow-ref-mismatch"
    assert error.description == (
        "valid token, but no corresponding publisher (The job_workflow_ref claim does not match, expecting one of "
        "['Octo-Org/Sample/.github/workflows/_publish.yml@0123456789abcdef0123456789abcdef01234567', "
        "'Octo-Org/Sample/.github/workflows/_publish.yml@refs/tags/v1.0.0'], "
        "got 'shared-org/workflows/.github/workflows/_publish.yml@refs/tags/v2')"
    )


def test_job_workflow_ref_must_be_at_the_run_ref_or_sha() -> None:
    # Same repository and file, but called at `main` from a tag run: the ref differs.
    c = claims("release-same-repo-main", called=CalledWorkflow(CALLEE, "upload", ref_kind="branch"))
    error = refused(exchange(c, registry(publisher(workflow_filename="_publish.yml"))))
    assert error.slug == "job-workflow-ref-mismatch"
    assert error.description.endswith("got 'Octo-Org/Sample/.github/workflows/_publish.yml@refs/heads/main')")
    # A run with an empty `ref` (e.g. a deployment) is matched on the sha instead.
    sha = claims()["sha"]
    by_sha = {**claims(), "ref": "", "job_workflow_ref": f"Octo-Org/Sample/.github/workflows/release.yml@{sha}"}
    assert isinstance(exchange(by_sha, registry(publisher())), MintResult)


def test_pull_request_target_is_refused() -> None:
    c = claims(trigger=Trigger("pull_request_target", "refs/heads/main"))
    error = refused(exchange(c, registry(publisher())))
    assert error.slug == "pull-request-target-not-supported"
    assert error.description == (
        "valid token, but no corresponding publisher "
        "(Publishing from a workflow invoked via 'pull_request_target' is not supported.)"
    )
    assert isinstance(exchange(c, registry(publisher()), rules=BEFORE_SUB_REMOVAL), MintResult)


def test_custom_sub_is_no_longer_checked() -> None:
    c = claims(sub_template=SubTemplate(("repository_owner_id", "context")))
    assert isinstance(exchange(c, registry(publisher())), MintResult)
    error = refused(exchange(c, registry(publisher()), rules=BEFORE_SUB_REMOVAL))
    assert error.slug == "sub-claim-check-failed"
    assert error.description == "valid token, but no corresponding publisher (Check failed for required claim 'sub')"
    # The default sub passed the old check too.
    assert isinstance(exchange(claims(), registry(publisher()), rules=BEFORE_SUB_REMOVAL), MintResult)


def test_older_wordings() -> None:
    reg = registry(publisher(workflow_filename="other.yml"))
    old = refused(exchange(claims(), reg, rules=BEFORE_LOOKUP_REFACTOR))
    assert old.description == "valid token, but no corresponding publisher (All lookup strategies exhausted)"
    oldest = refused(exchange(claims(), reg, rules=BEFORE_DETAILED_REASONS))
    assert oldest.description == "valid token, but no corresponding publisher"


def test_pending_publisher_creates_the_project() -> None:
    reg = registry(publisher(), project="My.Sample", pending=True)
    result = minted(exchange(claims(), reg))
    assert result.created_project == "My.Sample"
    assert result.projects == ("My.Sample",)
    assert [r.pending for r in result.registry.registrations] == [False]


def test_pending_publisher_for_an_existing_project() -> None:
    # PEP 503: "my_sample" exists, so the pending "My-Sample" cannot create it.
    reg = Registry.of(Registration(publisher(), "My-Sample", pending=True), projects=[(Index.PYPI, "my_sample")])
    error = refused(exchange(claims(), reg))
    assert (error.slug, error.code) == ("invalid-pending-publisher", "invalid-pending-publisher")
    assert error.description == "valid token, but project already exists"
    # The same name on the other index does not count.
    other = Registry.of(Registration(publisher(), "My-Sample", pending=True), projects=[(Index.TESTPYPI, "my_sample")])
    assert isinstance(exchange(claims(), other), MintResult)


def test_pending_publisher_reuses_an_identical_normal_publisher() -> None:
    reg = Registry.of(Registration(publisher(), "first"), Registration(publisher(), "second", pending=True))
    result = minted(exchange(claims(), reg))
    assert result.created_project == "second"
    assert result.projects == ("first", "second")


def test_reused_token() -> None:
    c = claims()
    error = refused(exchange(c, registry(publisher()), used_jtis=frozenset({c["jti"]})))
    assert (error.slug, error.code, error.description) == (
        "invalid-reuse-token",
        "invalid-reuse-token",
        "invalid token: already used",
    )


def test_unknown_issuer_and_malformed_jwt() -> None:
    ghes = {**claims(), "iss": "https://ghe.example.com/_services/token"}
    error = refused(exchange(ghes, registry(publisher())))
    assert (error.code, error.description) == ("invalid-payload", "unknown trusted publishing issuer")
    no_iss = {k: v for k, v in claims().items() if k != "iss"}
    assert refused(exchange(no_iss, registry(publisher()))).description == "malformed JWT"


def test_missing_claim() -> None:
    c = {k: v for k, v in claims().items() if k != "event_name"}
    error = refused(exchange(c, registry(publisher())))
    assert (error.slug, error.description) == (
        "missing-claim",
        "valid token, but no corresponding publisher (Missing claim 'event_name')",
    )


def test_no_publisher_at_all() -> None:
    assert refused(exchange(claims(), Registry())).causes == ("no-publisher-registered",)


GITLAB = GitLabPublisher(namespace="my-group", project="sample", environment="release")


def gl_registry(pub: GitLabPublisher = GITLAB) -> Registry:
    return Registry.of(Registration(pub, "sample"))


def test_gitlab_match() -> None:
    c = gitlab_claims(project_path="my-group/sample", environment="release")
    assert minted(exchange(c, gl_registry())).projects == ("sample",)
    # The lookup folds case (since #18824/#18905), but the ci_config_ref_uri check that
    # follows does not: a case difference changes the error, it does not pass.
    upper = gitlab_claims(project_path="My-Group/Sample", environment="release")
    assert refused(exchange(upper, gl_registry())).slug == "ci-config-ref-uri-mismatch"


def test_gitlab_stored_spelling_must_match_ci_config_ref_uri() -> None:
    # The lookup folds case, but ci_config_ref_uri is compared with the stored spelling.
    c = gitlab_claims(project_path="my-group/sample", environment="release")
    error = refused(exchange(c, gl_registry(replace(GITLAB, namespace="My-Group"))))
    assert error.slug == "ci-config-ref-uri-mismatch"
    assert error.description == (
        "valid token, but no corresponding publisher (The ci_config_ref_uri claim does not match, expecting one of "
        "['gitlab.com/My-Group/sample//.gitlab-ci.yml@0123456789abcdef0123456789abcdef01234567', "
        "'gitlab.com/My-Group/sample//.gitlab-ci.yml@refs/tags/v1.0.0'], "
        "got 'gitlab.com/my-group/sample//.gitlab-ci.yml@refs/tags/v1.0.0')"
    )


@pytest.mark.parametrize(
    ("claim_kwargs", "cause"),
    [
        ({"environment": "Release"}, "environment-case-mismatch"),  # GitLab: case-sensitive
        ({"environment": None}, "environment-missing"),
        ({"environment": "release", "ci_config_path": "ci/publish.yml"}, "workflow-mismatch"),
        ({"environment": "release", "project_path": "my-group/other"}, "project-mismatch"),
    ],
)
def test_gitlab_mismatches(claim_kwargs: dict[str, str | None], cause: str) -> None:
    kwargs: dict[str, Any] = {"project_path": "my-group/sample", **claim_kwargs}
    error = refused(exchange(gitlab_claims(**kwargs), gl_registry()))
    assert (error.description, error.causes) == (NOT_FOUND, (cause,))


def test_self_managed_gitlab_needs_a_registered_issuer() -> None:
    c = gitlab_claims(project_path="my-group/sample", environment="release", issuer="https://gitlab.example.com")
    assert refused(exchange(c, gl_registry())).description == "unknown trusted publishing issuer"
    custom = replace(GITLAB, issuer_url="https://gitlab.example.com")
    assert isinstance(exchange(c, gl_registry(custom)), MintResult)


def test_slugs_are_kebab_case_enum_members() -> None:
    assert all(re.fullmatch(r"[a-z]+(-[a-z0-9]+)*", slug) for slug in Slug)
    error = refused(exchange(claims(), Registry()))
    assert error.slug is Slug.INVALID_PUBLISHER
