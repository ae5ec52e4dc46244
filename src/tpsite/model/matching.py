"""Publisher lookup and claim verification, rule for rule as warehouse does them.

Citations are to pypi/warehouse@6b62157124ab7865029afeeadf282bce27d601d9. Order matters:
warehouse first checks that required claims exist (models/_core.py:200-249), then looks
the publisher up (`lookup_by_claims`), then runs each check in the order of
`__required_verifiable_claims__`, then the optional ones (models/_core.py:251-292).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, TypeVar

from tpsite.model import messages
from tpsite.model.messages import Text
from tpsite.model.publishers import GitHubPublisher, GitLabPublisher
from tpsite.model.rules import WarehouseRules
from tpsite.model.slugs import Slug

P = TypeVar("P", GitHubPublisher, GitLabPublisher)
_EXTENSIONS = (".yml", ".yaml")


class InvalidPublisher(Exception):
    """warehouse's InvalidPublisherError: becomes `invalid-publisher` ({reason})."""

    def __init__(self, text: Text, slug: Slug, **fields: Any) -> None:
        self.text, self.slug, self.fields = text, slug, fields
        self.reason = text.format(**fields)
        super().__init__(self.reason)


class ReusedToken(Exception):
    """warehouse's ReusedTokenError (models/_core.py:90-107)."""


def github_workflow_filename(job_workflow_ref: str) -> str | None:
    """The workflow file name in `owner/repo/.github/workflows/<name>.yml@ref`.

    Same result as models/github.py:38-53: in the first slash-free segment that has one,
    the longest prefix (at least one character before the extension) ending in
    `.yml`/`.yaml` and followed by `@`.
    """
    for segment in job_workflow_ref.split("/"):
        for end in range(len(segment) - 1, 0, -1):
            if segment[end] == "@" and _ends_with_extension(segment[:end], min_stem=1):
                return segment[:end]
    return None


def gitlab_workflow_filepath(ci_config_ref_uri: str) -> str | None:
    """The pipeline path in `gitlab.com/ns/proj//<path>.yml@ref` (models/gitlab.py:39-59).

    Starts right after the first `//` that yields a match; the longest path ending in
    `.yml`/`.yaml` whose basename is not empty and that is followed by `@`.
    """
    text = ci_config_ref_uri
    starts = [i + 2 for i in range(len(text) - 1) if text[i : i + 2] == "//"]
    for start in starts:
        for end in range(len(text) - 1, start, -1):
            candidate = text[start:end]
            if text[end] != "@" or not _ends_with_extension(candidate, min_stem=1):
                continue
            stem = candidate.rsplit(".", 1)[0]
            # `.*` stops at a newline; the one character before the extension may not be `/`.
            if "\n" not in stem[:-1] and not stem.endswith("/"):
                return candidate
    return None


def _ends_with_extension(text: str, *, min_stem: int) -> bool:
    return any(text.endswith(ext) and len(text) - len(ext) >= min_stem for ext in _EXTENSIONS)


def _require(claims: Mapping[str, str], names: Sequence[str]) -> None:
    # warehouse iterates a set here, so with several claims missing the one it names
    # is not fixed; this model names the first in `names`.
    for name in names:
        if claims.get(name) is None:
            raise InvalidPublisher(messages.MISSING_CLAIM, Slug.MISSING_CLAIM, claim_name=name)


def _most_specific(publishers: Iterable[P], environment: str | None, *, fold_case: bool) -> P | None:
    # _get_publisher_for_environment (github.py:198-214, gitlab.py:226-242): a publisher
    # with the claim's environment wins over one with none; GitHub lower-cases the claim.
    candidates = list(publishers)
    if environment:
        wanted = environment.lower() if fold_case else environment
        for p in candidates:
            if p.environment == wanted:
                return p
    for p in candidates:
        if p.environment == "":
            return p
    return None


def _check_ref(text: Text, slug: Slug, ground_truth: str, signed: str, refs: Sequence[str | None]) -> None:
    expected = {f"{ground_truth}@{ref}" for ref in refs if ref}
    if signed not in expected:
        raise InvalidPublisher(text, slug, expected=sorted(expected), signed_claim=signed)


def find_github(
    claims: Mapping[str, str],
    publishers: Iterable[GitHubPublisher],
    rules: WarehouseRules,
    used_jtis: frozenset[str],
) -> GitHubPublisher:
    required = ["repository", "repository_owner", "repository_owner_id", "job_workflow_ref"]
    required += ["jti", "event_name", "ref", "sha"]  # github.py:152-161
    if rules.verify_github_sub:
        required.insert(0, "sub")
    _require(claims, required)

    # lookup_by_claims (github.py:216-238): SQL equality, so case-sensitive, on the
    # stored owner, repository name, owner id and workflow file name.
    owner, name = claims["repository"].split("/", 1)
    filename = github_workflow_filename(claims["job_workflow_ref"])
    if not filename:
        raise InvalidPublisher(messages.GITHUB_NO_WORKFLOW_FILENAME, Slug.INVALID_PUBLISHER)
    rows = [
        p
        for p in publishers
        if p.repository == name
        and p.owner == owner
        and p.owner_id == claims["repository_owner_id"]
        and p.workflow_filename == filename
    ]
    publisher = _most_specific(rows, claims.get("environment"), fold_case=True)
    if publisher is None:
        raise InvalidPublisher(rules.lookup_failure, Slug.INVALID_PUBLISHER)

    def failed(claim_name: str) -> InvalidPublisher:
        slug = Slug.SUB_CLAIM_CHECK_FAILED if claim_name == "sub" else Slug.CLAIM_CHECK_FAILED
        return InvalidPublisher(messages.REQUIRED_CLAIM_CHECK_FAILED, slug, claim_name=claim_name)

    if rules.verify_github_sub:
        # The removed _check_sub (github.py before 83af9ab27): `repo:OWNER/REPO` prefix.
        parts = claims["sub"].split(":")
        if len(parts) < 2 or not (parts[0] and parts[1]):
            raise failed("sub")
        if f"{parts[0]}:{parts[1]}".lower() != f"repo:{publisher.full_repository}".lower():
            raise failed("sub")
    # _check_repository (github.py:56-64): case-insensitive.
    if claims["repository"].lower() != publisher.full_repository.lower():
        raise failed("repository")
    if claims["repository_owner"] != publisher.owner:  # str.__eq__ (github.py:154)
        raise failed("repository_owner")
    if claims["repository_owner_id"] != publisher.owner_id:  # github.py:155
        raise failed("repository_owner_id")
    # _check_job_workflow_ref (github.py:67-97): exactly owner/repo/.github/workflows/<file>@<ref or sha>.
    if not claims["job_workflow_ref"]:
        raise InvalidPublisher(messages.JOB_WORKFLOW_REF_EMPTY, Slug.INVALID_PUBLISHER)
    if not (claims.get("ref") or claims.get("sha")):
        raise InvalidPublisher(messages.REF_AND_SHA_EMPTY, Slug.INVALID_PUBLISHER)
    _check_ref(
        messages.JOB_WORKFLOW_REF_MISMATCH,
        Slug.JOB_WORKFLOW_REF_MISMATCH,
        publisher.job_workflow_ref,
        claims["job_workflow_ref"],
        [claims.get("ref"), claims.get("sha")],
    )
    if claims["jti"] in used_jtis:  # check_existing_jti (_core.py:90-107)
        raise ReusedToken
    if rules.reject_pull_request_target and claims["event_name"] == "pull_request_target":
        raise InvalidPublisher(messages.PULL_REQUEST_TARGET, Slug.PULL_REQUEST_TARGET_NOT_SUPPORTED)
    # _check_environment (github.py:100-124): no environment on the publisher = any.
    if publisher.environment:
        env = claims.get("environment")
        if not env or env.lower() != publisher.environment.lower():
            raise InvalidPublisher(
                messages.OPTIONAL_CLAIM_CHECK_FAILED, Slug.CLAIM_CHECK_FAILED, claim_name="environment"
            )
    return publisher


def find_gitlab(
    claims: Mapping[str, str],
    publishers: Iterable[GitLabPublisher],
    rules: WarehouseRules,
    used_jtis: frozenset[str],
) -> GitLabPublisher:
    _require(claims, ["sub", "project_path", "ci_config_ref_uri", "jti", "ref_path", "sha"])

    # lookup_by_claims (gitlab.py:244-268): namespace/project compared lower-cased,
    # the pipeline path and the issuer exactly.
    namespace, project = claims["project_path"].rsplit("/", 1)
    filepath = gitlab_workflow_filepath(claims["ci_config_ref_uri"])
    if not filepath:
        raise InvalidPublisher(messages.GITLAB_NO_WORKFLOW_FILEPATH, Slug.INVALID_PUBLISHER)
    rows = [
        p
        for p in publishers
        if p.namespace.lower() == namespace.lower()
        and p.project.lower() == project.lower()
        and p.workflow_filepath == filepath
        and p.issuer_url == claims.get("iss")
    ]
    publisher = _most_specific(rows, claims.get("environment"), fold_case=False)
    if publisher is None:
        raise InvalidPublisher(rules.lookup_failure, Slug.INVALID_PUBLISHER)

    def failed(claim_name: str) -> InvalidPublisher:
        return InvalidPublisher(messages.REQUIRED_CLAIM_CHECK_FAILED, Slug.CLAIM_CHECK_FAILED, claim_name=claim_name)

    # _check_sub (gitlab.py:132-158): first two `:` parts, case-insensitive.
    parts = claims["sub"].split(":")
    if len(parts) < 2 or not (parts[0] and parts[1]):
        raise failed("sub")
    if f"{parts[0]}:{parts[1]}".lower() != f"project_path:{publisher.project_path}".lower():
        raise failed("sub")
    if claims["project_path"].lower() != publisher.project_path.lower():  # gitlab.py:62-74
        raise failed("project_path")
    # _check_ci_config_ref_uri (gitlab.py:77-105): built from the *stored* spelling, exact.
    if not claims["ci_config_ref_uri"]:
        raise InvalidPublisher(messages.CI_CONFIG_REF_URI_EMPTY, Slug.INVALID_PUBLISHER)
    if not (claims.get("ref_path") and claims.get("sha")):
        raise InvalidPublisher(messages.REF_PATH_AND_SHA_EMPTY, Slug.INVALID_PUBLISHER)
    _check_ref(
        messages.CI_CONFIG_REF_URI_MISMATCH,
        Slug.CI_CONFIG_REF_URI_MISMATCH,
        publisher.ci_config_ref_uri,
        claims["ci_config_ref_uri"],
        [claims.get("ref_path"), claims.get("sha")],
    )
    if claims["jti"] in used_jtis:
        raise ReusedToken
    # _check_environment (gitlab.py:108-129): exact, case-sensitive.
    if publisher.environment and claims.get("environment") != publisher.environment:
        raise InvalidPublisher(messages.OPTIONAL_CLAIM_CHECK_FAILED, Slug.CLAIM_CHECK_FAILED, claim_name="environment")
    return publisher
