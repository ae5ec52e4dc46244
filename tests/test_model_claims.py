"""Claims derived from workflows, client-side failures, and the pending-publisher form."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pytest
from ruamel.yaml import YAML

from tpsite.model import (
    CalledWorkflow,
    ClientError,
    GitHubRepository,
    Index,
    SubTemplate,
    Trigger,
    client_warnings,
    github_claims,
    gitlab_claims,
    pending_publisher_form,
)
from tpsite.model.matching import github_workflow_filename, gitlab_workflow_filepath
from tpsite.model.workflow import triggers

REPO = GitHubRepository(owner="octo-org", name="sample", owner_id=1234)
PATH = ".github/workflows/release.yml"
TAG = Trigger(event_name="push", ref="refs/tags/v1.0.0")


def load(text: str) -> dict[str, Any]:
    data: dict[str, Any] = YAML(typ="safe", pure=True).load(text)
    return data


RELEASE = load(
    """
name: Release
on:
  push:
    tags: ["v*"]
  pull_request:
  pull_request_target:
permissions: {}
jobs:
  build:
    runs-on: ubuntu-latest
    permissions:
      contents: read
    steps: [{run: uv build}]
  publish:
    runs-on: ubuntu-latest
    environment:
      name: pypi
      url: https://pypi.org/p/sample
    permissions:
      id-token: write
    steps: [{uses: pypa/gh-action-pypi-publish@release/v1}]
  publish-no-env:
    runs-on: ubuntu-latest
    permissions:
      id-token: write
    steps: [{uses: pypa/gh-action-pypi-publish@release/v1}]
"""
)

NO_ID_TOKEN_MESSAGE = """OpenID Connect token retrieval failed: GitHub: missing or insufficient OIDC token permissions, the ACTIONS_ID_TOKEN_REQUEST_TOKEN environment variable was unset

This generally indicates a workflow configuration error, such as insufficient
permissions. Make sure that your workflow has `id-token: write` configured
at the job level, e.g.:

```yaml
permissions:
  id-token: write
```

Learn more at https://docs.github.com/en/actions/deployment/security-hardening-your-deployments/about-security-hardening-with-openid-connect#adding-permissions-settings."""


def claims(
    job_id: str = "publish", wf: Mapping[Any, Any] = RELEASE, trigger: Trigger = TAG, **kw: Any
) -> dict[str, str]:
    result = github_claims(wf, workflow_path=PATH, job_id=job_id, repository=REPO, trigger=trigger, **kw)
    assert not isinstance(result, ClientError), result
    return result


def test_claims_of_a_publishing_job() -> None:
    c = claims()
    assert c["iss"] == "https://token.actions.githubusercontent.com"
    assert c["aud"] == "pypi"
    assert c["repository"] == "octo-org/sample"
    assert c["repository_owner"] == "octo-org"
    assert c["repository_owner_id"] == "1234"
    assert c["workflow_ref"] == "octo-org/sample/.github/workflows/release.yml@refs/tags/v1.0.0"
    assert c["job_workflow_ref"] == c["workflow_ref"]
    assert c["ref"] == "refs/tags/v1.0.0" and c["ref_type"] == "tag"
    assert c["event_name"] == "push"
    assert c["environment"] == "pypi"
    assert c["sub"] == "repo:octo-org/sample:environment:pypi"
    assert client_warnings(c) == ()


def test_no_environment_means_no_environment_claim() -> None:
    c = claims("publish-no-env", trigger=Trigger("push", "refs/heads/main"))
    assert "environment" not in c
    assert c["sub"] == "repo:octo-org/sample:ref:refs/heads/main"


def test_missing_id_token_permission_is_a_client_error() -> None:
    result = github_claims(RELEASE, workflow_path=PATH, job_id="build", repository=REPO, trigger=TAG)
    assert isinstance(result, ClientError)
    assert result.slug == "id-token-permission-missing"
    assert result.message == NO_ID_TOKEN_MESSAGE
    assert result.annotation.startswith(
        "::error::Trusted publishing exchange failure: %0AOpenID Connect token retrieval failed: GitHub: "
    )


@pytest.mark.parametrize(
    ("workflow_permissions", "job_permissions", "granted"),
    [
        (None, None, False),  # default GITHUB_TOKEN never has id-token
        ("{id-token: write}", None, True),  # inherited from the workflow
        ("{id-token: write}", "{contents: read}", False),  # the job block replaces it
        ("write-all", None, True),
        ("read-all", None, False),
        ("{}", "{id-token: write, contents: read}", True),
    ],
)
def test_permission_resolution(workflow_permissions: str | None, job_permissions: str | None, granted: bool) -> None:
    text = "on: push\n"
    if workflow_permissions:
        text += f"permissions: {workflow_permissions}\n"
    text += "jobs:\n  publish:\n    runs-on: ubuntu-latest\n"
    if job_permissions:
        text += f"    permissions: {job_permissions}\n"
    result = github_claims(load(text), workflow_path=PATH, job_id="publish", repository=REPO, trigger=TAG)
    assert isinstance(result, dict) is granted


def test_fork_pull_request_gets_no_token() -> None:
    result = github_claims(
        RELEASE, workflow_path=PATH, job_id="publish", repository=REPO,
        trigger=Trigger("pull_request", "refs/pull/7/merge", from_fork=True),
    )  # fmt: skip
    assert isinstance(result, ClientError)
    assert result.slug == "fork-pull-request"
    assert (
        "The workflow context indicates that this action was called from a\npull request on a fork." in result.message
    )


def test_same_repository_pull_request_gets_a_token() -> None:
    c = claims("publish-no-env", trigger=Trigger("pull_request", "refs/pull/7/merge"))
    assert c["sub"] == "repo:octo-org/sample:pull_request"


def test_on_loaded_as_true_by_pyyaml_is_accepted() -> None:
    wf = {True: {"push": None}, "jobs": {"publish": {"permissions": {"id-token": "write"}}}}
    assert triggers(wf) == {"push"}
    assert claims(wf=wf)["event_name"] == "push"


def test_event_the_workflow_does_not_run_on_is_rejected() -> None:
    with pytest.raises(ValueError, match="does not run on 'release'"):
        claims(trigger=Trigger("release", "refs/tags/v1"))


def test_environment_expression_is_rejected() -> None:
    wf = load("on: push\njobs:\n  p:\n    environment: ${{ inputs.env }}\n    permissions: {id-token: write}\n")
    with pytest.raises(ValueError, match="expression"):
        claims("p", wf=wf)


CALLER = load(
    """
on: {push: {tags: ["v*"]}}
jobs:
  release:
    permissions:
      id-token: write
    uses: ./.github/workflows/_publish.yml
  release-remote:
    permissions:
      id-token: write
    uses: shared-org/workflows/.github/workflows/pypi.yml@v2
  release-no-grant:
    uses: ./.github/workflows/_publish.yml
"""
)
CALLEE = load(
    """
on: workflow_call
jobs:
  upload:
    environment: pypi
    runs-on: ubuntu-latest
    steps: [{uses: pypa/gh-action-pypi-publish@release/v1}]
"""
)


def test_reusable_workflow_in_the_same_repository() -> None:
    c = claims("release", wf=CALLER, called=CalledWorkflow(CALLEE, "upload"))
    assert c["workflow_ref"] == "octo-org/sample/.github/workflows/release.yml@refs/tags/v1.0.0"
    assert c["job_workflow_ref"] == "octo-org/sample/.github/workflows/_publish.yml@refs/tags/v1.0.0"
    assert c["environment"] == "pypi"  # from the callee's job
    (warning,) = client_warnings(c)
    assert warning.slug == "reusable-workflow-warning"
    assert warning.message.startswith(
        "The claims in this token suggest that the calling workflow is a reusable workflow.\n\n"
        "In particular, this action was initiated by:\n\n"
        "    octo-org/sample/.github/workflows/_publish.yml@refs/tags/v1.0.0\n\n"
        "Whereas its parent workflow is:\n\n"
        "    octo-org/sample/.github/workflows/release.yml@refs/tags/v1.0.0\n"
    )


def test_reusable_workflow_from_another_repository() -> None:
    c = claims("release-remote", wf=CALLER, called=CalledWorkflow(CALLEE, "upload"))
    assert c["repository"] == "octo-org/sample"
    assert c["job_workflow_ref"] == "shared-org/workflows/.github/workflows/pypi.yml@refs/tags/v2"


def test_reusable_workflow_permissions_come_from_the_caller() -> None:
    no_grant = github_claims(
        CALLER, workflow_path=PATH, job_id="release-no-grant", repository=REPO, trigger=TAG,
        called=CalledWorkflow(CALLEE, "upload"),
    )  # fmt: skip
    assert isinstance(no_grant, ClientError) and no_grant.slug == "id-token-permission-missing"
    narrowing = load("on: workflow_call\njobs:\n  upload:\n    permissions: {contents: read}\n")
    narrowed = github_claims(
        CALLER, workflow_path=PATH, job_id="release", repository=REPO, trigger=TAG,
        called=CalledWorkflow(narrowing, "upload"),
    )  # fmt: skip
    assert isinstance(narrowed, ClientError) and narrowed.slug == "id-token-permission-missing"


def test_custom_sub_template() -> None:
    c = claims(sub_template=SubTemplate(("repository_owner_id", "repository_id", "context")))
    assert c["sub"] == "repository_owner_id:1234:repository_id:1:environment:pypi"


def test_gitlab_claims() -> None:
    c = gitlab_claims(project_path="my-group/sub/sample", ref_path="refs/tags/v1.0.0", environment="release")
    assert c["iss"] == "https://gitlab.com"
    assert c["namespace_path"] == "my-group/sub"
    assert c["sub"] == "project_path:my-group/sub/sample:ref_type:tag:ref:v1.0.0"
    assert c["ci_config_ref_uri"] == "gitlab.com/my-group/sub/sample//.gitlab-ci.yml@refs/tags/v1.0.0"
    assert c["environment"] == "release"


@pytest.mark.parametrize(
    ("ref", "expected"),
    [
        ("o/r/.github/workflows/release.yml@refs/tags/v1", "release.yml"),
        ("o/r/.github/workflows/release.yaml@0123abc", "release.yaml"),
        ("o/r/.github/workflows/a.yml@b.yml@refs/heads/x", "a.yml@b.yml"),  # longest, as the regex
        ("o/r/.github/workflows/release.yml", None),  # no `@`
        ("o/r/.github/workflows/.yml@refs/heads/x", None),  # empty stem
    ],
)
def test_github_workflow_filename_extraction(ref: str, expected: str | None) -> None:
    assert github_workflow_filename(ref) == expected


@pytest.mark.parametrize(
    ("uri", "expected"),
    [
        ("gitlab.com/g/p//.gitlab-ci.yml@refs/heads/main", ".gitlab-ci.yml"),
        ("gitlab.com/g/p//ci/release.yaml@refs/tags/v1", "ci/release.yaml"),
        ("gitlab.com/g/p//ci/.yml@refs/heads/main", None),  # empty basename
    ],
)
def test_gitlab_workflow_filepath_extraction(uri: str, expected: str | None) -> None:
    assert gitlab_workflow_filepath(uri) == expected


def test_pending_publisher_form() -> None:
    form = pending_publisher_form(
        RELEASE, workflow_path=PATH, job_id="publish", index=Index.PYPI, repository=REPO, project_name="sample"
    )
    assert form.fields == (
        ("PyPI Project Name", "sample"),
        ("Owner", "octo-org"),
        ("Repository name", "sample"),
        ("Workflow name", "release.yml"),
        ("Environment name", "pypi"),
    )
    assert form.url == "https://pypi.org/manage/account/publishing/"


def test_pending_publisher_form_for_testpypi_and_a_local_reusable_workflow() -> None:
    form = pending_publisher_form(
        CALLER, workflow_path=PATH, job_id="release", index=Index.TESTPYPI, repository=REPO,
        project_name="sample", called=CalledWorkflow(CALLEE, "upload"),
    )  # fmt: skip
    assert form.fields[0] == ("TestPyPI Project Name", "sample")
    assert form.workflow == "_publish.yml"  # the file holding the job, not the caller
    assert form.url == "https://test.pypi.org/manage/account/publishing/"


def test_pending_publisher_form_refuses_jobs_pypi_would_refuse() -> None:
    with pytest.raises(ValueError, match="id-token-permission-missing"):
        pending_publisher_form(
            RELEASE, workflow_path=PATH, job_id="build", index=Index.PYPI, repository=REPO, project_name="sample"
        )
    # With only a pending publisher, the specific reason is swallowed (views.py:273-276)
    # and the normal lookup then finds nothing: plain "not found".
    with pytest.raises(ValueError, match=r"\(invalid-publisher\): .*\(Publisher with matching claims was not found\)"):
        pending_publisher_form(
            CALLER, workflow_path=PATH, job_id="release-remote", index=Index.PYPI, repository=REPO,
            project_name="sample", called=CalledWorkflow(CALLEE, "upload"),
        )  # fmt: skip
    with pytest.raises(ValueError, match=r"\(invalid-publisher\)"):
        pending_publisher_form(
            RELEASE, workflow_path=PATH, job_id="publish", index=Index.PYPI, repository=REPO,
            project_name="sample", trigger=Trigger("pull_request_target", "refs/heads/main"),
        )  # fmt: skip
