"""POST /legacy/ with an OIDC-minted token: what warehouse answers for one file.

Follows `file_upload` in warehouse/forklift/legacy.py
(pypi/warehouse@6b62157124ab7865029afeeadf282bce27d601d9), in its order: metadata
(local version) first, then the project lookup, then the token's caveats, then the
file checks. Size limits, digests, platform tags and archive contents are not modelled.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from packaging.utils import (
    InvalidSdistFilename,
    InvalidWheelFilename,
    canonicalize_name,
    parse_sdist_filename,
    parse_wheel_filename,
)
from packaging.version import InvalidVersion, Version

from tpsite.model import messages
from tpsite.model.messages import Text
from tpsite.model.outcomes import MintResult, UploadAccepted, UploadError
from tpsite.model.publishers import Registry
from tpsite.model.rules import CURRENT, WarehouseRules
from tpsite.model.slugs import Slug

_FILETYPES = {"sdist": (".tar.gz", ".zip"), "bdist_wheel": (".whl",)}  # forklift/forms.py:10-13


@dataclass(frozen=True)
class Distribution:
    """One file to upload. `name`/`version` are its metadata; by default read from the filename."""

    filename: str
    name: str | None = None
    version: str | None = None
    sha256: str = ""
    blake2_256: str = ""

    @property
    def filetype(self) -> str | None:
        lower = self.filename.lower()
        return next((t for t, exts in _FILETYPES.items() if lower.endswith(exts)), None)

    def metadata(self) -> tuple[str, str]:
        if self.name is not None and self.version is not None:
            return self.name, self.version
        try:
            if self.filetype == "bdist_wheel":
                _, version, _, _ = parse_wheel_filename(self.filename)
                raw_name = self.filename.split("-", 1)[0]
            else:
                _, version = parse_sdist_filename(self.filename)
                raw_name = self.filename[: -len(".tar.gz" if self.filename.endswith(".tar.gz") else ".zip")]
                raw_name = raw_name.rpartition("-")[0]
        except (InvalidWheelFilename, InvalidSdistFilename) as exc:
            raise ValueError(f"give name= and version= for {self.filename!r}: {exc}") from exc
        return self.name or raw_name, self.version or str(version)


@dataclass(frozen=True)
class StoredFile:
    filename: str
    sha256: str = ""
    blake2_256: str = ""


def _fail(slug: Slug, status: int, text: Text, **fields: object) -> UploadError:
    return UploadError(slug, status, text.format(**fields), text.citation)


def upload(
    token: MintResult,
    dist: Distribution,
    *,
    registry: Registry | None = None,
    files: Iterable[StoredFile] = (),
    deleted_filenames: Iterable[str] = (),
    seconds_since_mint: int = 0,
    rules: WarehouseRules = CURRENT,
) -> UploadAccepted | UploadError:
    """Upload `dist` to the token's index; `registry` defaults to the state right after minting."""
    if registry is None:
        registry = token.registry
    index = token.index
    meta_name, meta_version = dist.metadata()
    try:
        version = Version(meta_version)
    except InvalidVersion as exc:
        raise ValueError(f"not modelled: invalid version {meta_version!r}") from exc

    # metadata.py:115-122, reported by legacy.py:698-737 before anything else.
    if version.local:
        return _fail(Slug.LOCAL_VERSIONS_NOT_ALLOWED, 400, messages.LOCAL_VERSION, version=str(version))

    # legacy.py:756-789: a PEP 503 lookup; an OIDC identity may not create a project.
    normalized = canonicalize_name(meta_name)
    project_name = registry.project_names(index).get(normalized)
    if project_name is None:
        return _fail(Slug.NON_USER_IDENTITIES_CANNOT_CREATE_PROJECTS, 400, messages.NON_USER_IDENTITY)

    # legacy.py:813-844 -> security_policy.py:156-162 -> caveats/__init__.py:195-235.
    # pymacaroons 0.13 visits every caveat, so every failing reason is listed, in caveat
    # order: OIDCPublisher, ProjectID, Expiration (oidc/views.py:337-343).
    reasons: list[str] = []
    if normalized not in {canonicalize_name(p) for p in registry.projects_of(index, token.publisher)}:
        reasons.append(messages.OIDC_CAVEAT_WRONG_PROJECT.format(name=project_name))
    if normalized not in {canonicalize_name(p) for p in token.projects}:
        reasons.append(messages.PROJECT_ID_CAVEAT_WRONG_PROJECT.format(name=project_name))
    wrong_project = bool(reasons)
    if seconds_since_mint >= token.expires_in:  # Expiration caveat (caveats/__init__.py:52-62)
        reasons.append(messages.TOKEN_EXPIRED.template)
    if reasons:
        if rules.verify_stored_caveats:
            # services.py:221-224 appends the stored copies after the embedded ones.
            reasons += reasons
        slug = Slug.OIDC_TOKEN_NOT_VALID_FOR_PROJECT if wrong_project else Slug.TOKEN_EXPIRED
        return _fail(slug, 403, messages.INVALID_API_TOKEN, reasons=", ".join(reasons))

    # legacy.py:894-897: the display name follows the metadata spelling from now on.
    project_name = meta_name
    return _check_file(
        dist, project_name, normalized, version, files, deleted_filenames, index.help_url("file-name-reuse")
    )


def _check_file(
    dist: Distribution,
    project_name: str,
    normalized: str,
    version: Version,
    files: Iterable[StoredFile],
    deleted_filenames: Iterable[str],
    reuse_help: str,
) -> UploadAccepted | UploadError:
    filename, filetype = dist.filename, dist.filetype

    # _validate_filename (legacy.py:243-282): the extension, matched case-insensitively,
    # must also be spelled as the filetype expects.
    if filetype is None:
        return _fail(Slug.INVALID_FILE_EXTENSION, 400, messages.INVALID_EXTENSION)
    extension = next(filename[-len(e) :] for e in _FILETYPES[filetype] if filename.lower().endswith(e))
    if extension not in _FILETYPES[filetype]:
        return _fail(
            Slug.INVALID_FILE_EXTENSION,
            400,
            messages.EXTENSION_NOT_FOR_FILETYPE,
            extension=extension,
            filetype=filetype,
        )

    # _is_duplicate_file (legacy.py:483-512): same filename or same blake2 digest; all
    # of filename, sha256 and blake2 equal means a harmless re-upload (200, no-op).
    for stored in files:
        if stored.filename == filename or (dist.blake2_256 and stored.blake2_256 == dist.blake2_256):
            identical = (
                stored.filename == filename
                and bool(dist.sha256 and dist.blake2_256)
                and (stored.sha256, stored.blake2_256) == (dist.sha256, dist.blake2_256)
            )
            if identical:
                return UploadAccepted(project_name, filename, noop=True)
            return _fail(
                Slug.FILE_ALREADY_EXISTS, 400, messages.FILE_EXISTS,
                filename=filename, blake2_256=dist.blake2_256, help_url=reuse_help,
            )  # fmt: skip
    if filename in set(deleted_filenames):  # legacy.py:1226-1240
        return _fail(Slug.FILENAME_PREVIOUSLY_USED, 400, messages.FILENAME_REUSED, help_url=reuse_help)

    if filetype == "sdist":
        failure = _check_sdist(filename, project_name, normalized, version)
    else:
        failure = _check_wheel(filename, project_name, normalized, version)
    return failure or UploadAccepted(project_name, filename)


def _check_sdist(filename: str, project_name: str, normalized: str, version: Version) -> UploadError | None:
    # legacy.py:1320-1395
    try:
        parsed_name, _ = parse_sdist_filename(filename)
    except InvalidSdistFilename:
        return _fail(Slug.INVALID_SDIST_FILENAME, 400, messages.INVALID_SDIST_FILENAME, filename=filename)
    name_from_filename: str = parsed_name
    # A post-release version may itself contain a hyphen (`1.0-1`): split at the
    # second-to-last hyphen instead (legacy.py:1335-1354).
    if version.is_postrelease and name_from_filename != canonicalize_name(project_name) and filename.count("-") >= 2:
        candidate = filename.rpartition("-")[0].rpartition("-")[0]
        try:
            Version(filename[len(candidate) + 1 : -len(".tar.gz")])
        except InvalidVersion:
            pass
        else:
            name_from_filename = candidate
    expected_name = normalized.replace("-", "_")
    if canonicalize_name(name_from_filename) != normalized:
        return _fail(
            Slug.FILENAME_PROJECT_MISMATCH,
            400,
            messages.SDIST_START_FILENAME_WITH,
            project=project_name,
            expected=expected_name,
        )
    # PEP 625 (legacy.py:1378-1395): exactly `<normalized_name>-<version>.tar.gz`.
    expected_filename = f"{expected_name}-{version}.tar.gz"
    if filename != expected_filename:
        return _fail(
            Slug.SDIST_FILENAME_NOT_NORMALIZED, 400, messages.SDIST_FILENAME_NOT_NORMALIZED,
            filename=filename, expected_filename=expected_filename,
        )  # fmt: skip
    return None


def _check_wheel(filename: str, project_name: str, normalized: str, version: Version) -> UploadError | None:
    # legacy.py:1424-1504
    try:
        name, wheel_version, _, _ = parse_wheel_filename(filename)
    except InvalidWheelFilename as exc:
        return _fail(Slug.INVALID_WHEEL_FILENAME, 400, messages.INVALID_WHEEL_FILENAME, packaging_error=str(exc))
    canonical = canonicalize_name(project_name)  # the metadata name
    if canonical != name:
        return _fail(
            Slug.FILENAME_PROJECT_MISMATCH, 400, messages.WHEEL_START_FILENAME_WITH,
            project=project_name, expected=canonical.replace("-", "_"),
        )  # fmt: skip
    # PEP 427: the name part exactly as escaped, i.e. lower case with underscores.
    name_from_filename = filename.split("-", 1)[0]
    if name_from_filename != normalized.replace("-", "_"):
        return _fail(
            Slug.WHEEL_FILENAME_NOT_NORMALIZED, 400, messages.WHEEL_NAME_NOT_NORMALIZED,
            filename=filename, normalized_name=normalized.replace("-", "_"), name_from_filename=name_from_filename,
        )  # fmt: skip
    if version != wheel_version:
        return _fail(
            Slug.FILENAME_VERSION_MISMATCH, 400, messages.WHEEL_VERSION_MISMATCH,
            expected=str(version), actual=str(wheel_version),
        )  # fmt: skip
    return None
