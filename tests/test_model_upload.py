"""Uploading with a minted token: scope, project creation, versions and filenames."""

from __future__ import annotations

import pytest

from tpsite.model import (
    BEFORE_SUB_REMOVAL,
    Distribution,
    GitHubPublisher,
    GitHubRepository,
    Index,
    MintResult,
    Registration,
    Registry,
    StoredFile,
    Trigger,
    UploadAccepted,
    UploadError,
    action_skips_existing,
    exchange,
    github_claims,
    twine_skips,
    upload,
)
from tpsite.model.slugs import Slug

REPO = GitHubRepository(owner="octo-org", name="sample", owner_id=1234)
PUBLISHER = GitHubPublisher("octo-org", "sample", "1234", "release.yml", "pypi")
WORKFLOW = {"on": "push", "jobs": {"publish": {"environment": "pypi", "permissions": {"id-token": "write"}}}}

NON_USER = (
    "Non-user identities cannot create new projects. This was probably caused by successfully using a pending "
    "publisher but specifying the project name incorrectly (either in the publisher or in your project's metadata). "
    "Please ensure that both match. See: https://docs.pypi.org/trusted-publishers/troubleshooting/"
)


def mint(registry: Registry, index: Index = Index.PYPI) -> MintResult:
    claims = github_claims(
        WORKFLOW, workflow_path=".github/workflows/release.yml", job_id="publish", repository=REPO,
        trigger=Trigger("push", "refs/tags/v1.0.0"), audience=index.audience,
    )  # fmt: skip
    assert isinstance(claims, dict)
    result = exchange(claims, registry, index)
    assert isinstance(result, MintResult), result
    return result


def attached(project: str = "my-pkg", *others: str, index: Index = Index.PYPI) -> MintResult:
    projects = [(index, name) for name in others]
    return mint(Registry.of(Registration(PUBLISHER, project, index), projects=projects), index)


def pending(project: str) -> MintResult:
    return mint(Registry.of(Registration(PUBLISHER, project, pending=True)))


def error(outcome: UploadAccepted | UploadError) -> UploadError:
    assert isinstance(outcome, UploadError), outcome
    return outcome


def test_upload_to_an_attached_project() -> None:
    assert upload(attached(), Distribution("my_pkg-1.0-py3-none-any.whl")) == UploadAccepted(
        "my_pkg", "my_pkg-1.0-py3-none-any.whl"
    )
    assert isinstance(upload(attached(), Distribution("my_pkg-1.0.tar.gz")), UploadAccepted)


def test_token_is_not_valid_for_another_existing_project() -> None:
    token = attached("my-pkg", "Other_Pkg")
    result = error(upload(token, Distribution("other_pkg-1.0-py3-none-any.whl")))
    assert (result.slug, result.status) == ("oidc-token-not-valid-for-project", 403)
    pair = (
        "OIDC scoped token is not valid for project 'Other_Pkg', "
        "project-scoped token is not valid for project: 'Other_Pkg'"
    )
    # Embedded and stored caveats are both verified since 2026-08-10: each reason twice.
    assert result.message == f"Invalid API Token: {pair}, {pair}"
    assert result.status_line == f"403 Invalid API Token: {pair}, {pair}"
    before = error(upload(token, Distribution("other_pkg-1.0-py3-none-any.whl"), rules=BEFORE_SUB_REMOVAL))
    assert before.message == f"Invalid API Token: {pair}"


def test_publisher_detached_after_minting() -> None:
    token = attached("my-pkg")
    detached = Registry.of(Registration(PUBLISHER, "unrelated"), projects=[(Index.PYPI, "my-pkg")])
    result = error(upload(token, Distribution("my_pkg-1.0.tar.gz"), registry=detached, rules=BEFORE_SUB_REMOVAL))
    assert result.message == "Invalid API Token: OIDC scoped token is not valid for project 'my-pkg'"


def test_expired_token() -> None:
    token = attached()
    assert isinstance(upload(token, Distribution("my_pkg-1.0.tar.gz"), seconds_since_mint=899), UploadAccepted)
    result = error(upload(token, Distribution("my_pkg-1.0.tar.gz"), seconds_since_mint=900))
    assert (result.slug, result.message) == ("token-expired", "Invalid API Token: token is expired, token is expired")


def test_new_project_needs_a_pending_publisher() -> None:
    result = error(upload(attached("my-pkg"), Distribution("brand_new-1.0.tar.gz")))
    assert (result.slug, result.status, result.message) == ("non-user-identities-cannot-create-projects", 400, NON_USER)


def test_pending_publisher_name_must_match_the_distribution() -> None:
    token = pending("my-pkg")
    assert token.created_project == "my-pkg"
    assert error(upload(token, Distribution("mypkg-1.0.tar.gz"))).message == NON_USER
    assert isinstance(upload(token, Distribution("my_pkg-1.0.tar.gz")), UploadAccepted)


@pytest.mark.parametrize("metadata_name", ["My.Pkg", "my_pkg", "MY-PKG", "my--pkg"])
def test_hyphen_underscore_dot_and_case_normalise_equal(metadata_name: str) -> None:
    token = pending("my-pkg")
    outcome = upload(token, Distribution("my_pkg-1.0-py3-none-any.whl", name=metadata_name, version="1.0"))
    assert outcome == UploadAccepted(metadata_name, "my_pkg-1.0-py3-none-any.whl")


def test_local_version_is_rejected_before_the_project_lookup() -> None:
    expected = (
        "The use of local versions in '0.1.dev1+g40e3ce6' is not allowed. See "
        "https://packaging.python.org/en/latest/specifications/version-specifiers/#local-version-identifiers "
        "for more information."
    )
    for filename in ("my_pkg-0.1.dev1+g40e3ce6-py3-none-any.whl", "unknown-0.1.dev1+g40e3ce6.tar.gz"):
        result = error(upload(attached(), Distribution(filename)))
        assert (result.slug, result.status, result.message) == ("local-versions-not-allowed", 400, expected)


def test_file_already_exists() -> None:
    stored = StoredFile("my_pkg-1.0.tar.gz", sha256="aa", blake2_256="bb")
    same = Distribution("my_pkg-1.0.tar.gz", sha256="aa", blake2_256="bb")
    assert upload(attached(), same, files=[stored]) == UploadAccepted("my_pkg", "my_pkg-1.0.tar.gz", noop=True)
    rebuilt = Distribution("my_pkg-1.0.tar.gz", sha256="cc", blake2_256="dd")
    result = error(upload(attached(), rebuilt, files=[stored]))
    assert (result.slug, result.status) == ("file-already-exists", 400)
    assert result.message == (
        "File already exists ('my_pkg-1.0.tar.gz', with blake2_256 hash 'dd'). "
        "See https://pypi.org/help/#file-name-reuse for more information."
    )
    on_test = error(upload(attached(index=Index.TESTPYPI), rebuilt, files=[stored]))
    assert "See https://test.pypi.org/help/#file-name-reuse for more information." in on_test.message


def test_same_content_under_another_name_also_exists() -> None:
    stored = StoredFile("my_pkg-1.0.zip", sha256="aa", blake2_256="bb")
    result = error(upload(attached(), Distribution("my_pkg-1.0.tar.gz", sha256="aa", blake2_256="bb"), files=[stored]))
    assert result.slug == "file-already-exists"


def test_filename_of_a_deleted_file_cannot_be_reused() -> None:
    result = error(upload(attached(), Distribution("my_pkg-1.0.tar.gz"), deleted_filenames=["my_pkg-1.0.tar.gz"]))
    assert (result.slug, result.message) == (
        "filename-previously-used",
        (
            "This filename was previously used by a file that has since been deleted. Use a different version. "
            "See https://pypi.org/help/#file-name-reuse for more information."
        ),
    )


def test_sdist_filename_must_be_pep625_normalised() -> None:
    result = error(upload(attached(), Distribution("My-Pkg-1.0.tar.gz", name="My-Pkg", version="1.0")))
    assert (result.slug, result.message) == (
        "sdist-filename-not-normalized",
        "Filename 'My-Pkg-1.0.tar.gz' is invalid, should be 'my_pkg-1.0.tar.gz'.",
    )


def test_sdist_with_hyphenated_post_release() -> None:
    dist = Distribution("my_pkg-1.0-1.tar.gz", name="my-pkg", version="1.0-1")
    assert error(upload(attached(), dist)).message == (
        "Filename 'my_pkg-1.0-1.tar.gz' is invalid, should be 'my_pkg-1.0.post1.tar.gz'."
    )


def test_sdist_for_another_project() -> None:
    result = error(upload(attached(), Distribution("other-1.0.tar.gz", name="My-Pkg", version="1.0")))
    assert (result.slug, result.message) == ("filename-project-mismatch", "Start filename for 'My-Pkg' with 'my_pkg'.")


def test_wheel_filename_must_use_the_normalised_name() -> None:
    result = error(upload(attached(), Distribution("My_Pkg-1.0-py3-none-any.whl", name="My_Pkg", version="1.0")))
    assert (result.slug, result.message) == (
        "wheel-filename-not-normalized",
        "Filename 'My_Pkg-1.0-py3-none-any.whl' should contain the normalized project name 'my_pkg', not 'My_Pkg'.",
    )


def test_wheel_version_must_match_metadata() -> None:
    result = error(upload(attached(), Distribution("my_pkg-1.0-py3-none-any.whl", name="my-pkg", version="1.0.1")))
    assert (result.slug, result.message) == (
        "filename-version-mismatch",
        "Version in filename should be '1.0.1' not '1.0'.",
    )


def test_invalid_file_extension() -> None:
    result = error(upload(attached(), Distribution("my_pkg-1.0.tar.bz2", name="my-pkg", version="1.0")))
    assert (result.slug, result.message) == (
        "invalid-file-extension",
        (
            "Invalid file extension: Use .tar.gz, .whl or .zip extension. See https://www.python.org/dev/peps/pep-0527 "
            "and https://peps.python.org/pep-0715/ for more information"
        ),
    )


@pytest.mark.parametrize(
    ("value", "skips"), [(None, False), ("false", False), ("FALSE", False), ("true", True), ("yes", True), (True, True)]
)
def test_the_action_skips_existing_files_unless_the_input_says_false(value: object, skips: bool) -> None:
    step: dict[str, object] = {"uses": "pypa/gh-action-pypi-publish@" + "0" * 40}
    if value is not None:
        step["with"] = {"skip-existing": value}
    assert action_skips_existing({"steps": [{"run": "true"}, step]}) is skips
    assert action_skips_existing({"steps": [{"run": "uv publish"}]}) is False


def test_twine_skips_only_a_refusal_that_says_the_file_exists() -> None:
    exists = UploadError(Slug.FILE_ALREADY_EXISTS, 400, "File already exists ('x.tar.gz', ...)", "")
    other = UploadError(Slug.LOCAL_VERSIONS_NOT_ALLOWED, 400, "Can't use PEP 440 local versions.", "")
    assert twine_skips(exists, skip_existing=True) and not twine_skips(exists, skip_existing=False)
    assert not twine_skips(other, skip_existing=True)
    assert twine_skips(UploadError(Slug.FILE_ALREADY_EXISTS, 409, "Conflict", ""), skip_existing=True)
