"""Stable identifiers of every outcome the model can report; docs live at /errors/<slug>/."""

from __future__ import annotations

from enum import StrEnum


class Slug(StrEnum):
    # Client side, before any exchange (gh-action-pypi-publish).
    ID_TOKEN_PERMISSION_MISSING = "id-token-permission-missing"
    FORK_PULL_REQUEST = "fork-pull-request"
    REUSABLE_WORKFLOW_WARNING = "reusable-workflow-warning"  # a warning, not a failure
    # Token exchange (422 from /_/oidc/mint-token).
    MALFORMED_JWT = "malformed-jwt"
    UNKNOWN_ISSUER = "unknown-issuer"
    INVALID_TOKEN = "invalid-token"
    INVALID_PENDING_PUBLISHER = "invalid-pending-publisher"
    INVALID_REUSE_TOKEN = "invalid-reuse-token"
    INVALID_PUBLISHER = "invalid-publisher"
    MISSING_CLAIM = "missing-claim"
    CLAIM_CHECK_FAILED = "claim-check-failed"
    SUB_CLAIM_CHECK_FAILED = "sub-claim-check-failed"
    JOB_WORKFLOW_REF_MISMATCH = "job-workflow-ref-mismatch"
    PULL_REQUEST_TARGET_NOT_SUPPORTED = "pull-request-target-not-supported"
    CI_CONFIG_REF_URI_MISMATCH = "ci-config-ref-uri-mismatch"
    SERVER_ERROR = "server-error"
    # Upload (status line from /legacy/).
    LOCAL_VERSIONS_NOT_ALLOWED = "local-versions-not-allowed"
    NON_USER_IDENTITIES_CANNOT_CREATE_PROJECTS = "non-user-identities-cannot-create-projects"
    OIDC_TOKEN_NOT_VALID_FOR_PROJECT = "oidc-token-not-valid-for-project"
    TOKEN_EXPIRED = "token-expired"
    INVALID_FILE_EXTENSION = "invalid-file-extension"
    FILE_ALREADY_EXISTS = "file-already-exists"
    FILENAME_PREVIOUSLY_USED = "filename-previously-used"
    INVALID_SDIST_FILENAME = "invalid-sdist-filename"
    FILENAME_PROJECT_MISMATCH = "filename-project-mismatch"
    SDIST_FILENAME_NOT_NORMALIZED = "sdist-filename-not-normalized"
    INVALID_WHEEL_FILENAME = "invalid-wheel-filename"
    WHEEL_FILENAME_NOT_NORMALIZED = "wheel-filename-not-normalized"
    FILENAME_VERSION_MISMATCH = "filename-version-mismatch"
