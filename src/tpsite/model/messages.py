"""The texts the model emits: entries of the inventory (src/tpsite/data/inventory/), by name.

Each wording, its source citation and the versions that print it live once, in the inventory;
this module names the ones the model's rules produce. `Text.format(...)` yields exactly what the
server or client prints (the placeholders keep the source's own format fields, `{name!r}` where it
uses repr).
"""

from __future__ import annotations

from tpsite import inventory
from tpsite.inventory import Message as Text

__all__ = ["TEXTS", "Text", "annotation", "name_of"]

_W = "warehouse:"
_ACTION = "gh-action-pypi-publish:"

# --- Token exchange: the 422 body (warehouse/oidc/views.py) ---------------------------------
TOKEN_REQUEST_FAILED = inventory.get(_W + "mint-token.response-message")
NO_CORRESPONDING_PUBLISHER = inventory.get(_W + "mint-token.invalid-publisher")
NO_CORRESPONDING_PUBLISHER_UNTIL_2023_08 = inventory.get(_W + "mint-token.invalid-publisher@2023")
PROJECT_ALREADY_EXISTS = inventory.get(_W + "mint-token.invalid-pending-publisher")
TOKEN_ALREADY_USED = inventory.get(_W + "mint-token.invalid-reuse-token")
MALFORMED_OR_INVALID_TOKEN = inventory.get(_W + "mint-token.invalid-token")
MALFORMED_JWT = inventory.get(_W + "mint-token.malformed-jwt")
UNKNOWN_ISSUER = inventory.get(_W + "mint-token.unknown-issuer")

# --- The `({reason})` of invalid-publisher --------------------------------------------------
LOOKUP_FAILED = inventory.get(_W + "mint-token.reason.not-found")
LOOKUP_FAILED_UNTIL_2025_06 = inventory.get(_W + "mint-token.reason.not-found@2023")
MISSING_CLAIM = inventory.get(_W + "mint-token.reason.missing-claim")
REQUIRED_CLAIM_CHECK_FAILED = inventory.get(_W + "mint-token.reason.check-failed-required")
OPTIONAL_CLAIM_CHECK_FAILED = inventory.get(_W + "mint-token.reason.check-failed-optional")
ISSUER_MISMATCH = inventory.get(_W + "mint-token.reason.issuer-mismatch")
GITHUB_NO_WORKFLOW_FILENAME = inventory.get(_W + "mint-token.reason.github.no-workflow-filename")  # sic: "job extract"
JOB_WORKFLOW_REF_EMPTY = inventory.get(_W + "mint-token.reason.github.job-workflow-ref-empty")
REF_AND_SHA_EMPTY = inventory.get(_W + "mint-token.reason.github.ref-and-sha-empty")
JOB_WORKFLOW_REF_MISMATCH = inventory.get(_W + "mint-token.reason.github.job-workflow-ref-mismatch")
PULL_REQUEST_TARGET = inventory.get(_W + "mint-token.reason.github.pull-request-target")
GITLAB_NO_WORKFLOW_FILEPATH = inventory.get(_W + "mint-token.reason.gitlab.no-workflow-filepath")
CI_CONFIG_REF_URI_EMPTY = inventory.get(_W + "mint-token.reason.gitlab.ci-config-ref-uri-empty")
REF_PATH_AND_SHA_EMPTY = inventory.get(_W + "mint-token.reason.gitlab.ref-path-and-sha-empty")
CI_CONFIG_REF_URI_MISMATCH = inventory.get(_W + "mint-token.reason.gitlab.ci-config-ref-uri-mismatch")

# --- Upload: the HTTP status line of /legacy/ (warehouse/forklift/*) -----------------------
LOCAL_VERSION = inventory.get(_W + "meta.local-version")
NON_USER_IDENTITY = inventory.get(_W + "project.non-user-identity")
INVALID_API_TOKEN = inventory.get(_W + "perm.invalid-api-token")
OIDC_CAVEAT_WRONG_PROJECT = inventory.get(_W + "perm.reason.oidc-not-valid")
PROJECT_ID_CAVEAT_WRONG_PROJECT = inventory.get(_W + "perm.reason.project-scoped-not-valid")
TOKEN_EXPIRED = inventory.get(_W + "perm.reason.token-expired")
FILE_EXISTS = inventory.get(_W + "file.exists")
FILENAME_REUSED = inventory.get(_W + "file.filename-reuse")
INVALID_EXTENSION = inventory.get(_W + "file.extension-invalid")
EXTENSION_NOT_FOR_FILETYPE = inventory.get(_W + "file.extension-for-filetype")
INVALID_SDIST_FILENAME = inventory.get(_W + "sdist.invalid-filename")
SDIST_START_FILENAME_WITH = inventory.get(_W + "sdist.start-filename")
WHEEL_START_FILENAME_WITH = inventory.get(_W + "wheel.start-filename")
SDIST_FILENAME_NOT_NORMALIZED = inventory.get(_W + "sdist.not-normalized")
WHEEL_NAME_NOT_NORMALIZED = inventory.get(_W + "wheel.name-not-normalized")
WHEEL_VERSION_MISMATCH = inventory.get(_W + "wheel.version-mismatch")
INVALID_WHEEL_FILENAME = inventory.get(_W + "wheel.invalid-filename")  # str(packaging.utils.InvalidWheelFilename)

# --- Client side: pypa/gh-action-pypi-publish oidc-exchange.py + di/id ---------------------
GH_TOKEN_RETRIEVAL_FAILED = inventory.get(_ACTION + "oidc.token-retrieval-failed")
GH_TOKEN_RETRIEVAL_FAILED_FORK_PR = inventory.get(_ACTION + "oidc.token-retrieval-failed-fork-pr")
ID_GITHUB_NO_REQUEST_TOKEN = inventory.get("id:github.no-request-token")
GH_ERROR_ANNOTATION = inventory.get(_ACTION + "oidc.error-annotation")
GH_REASON_LINE = inventory.get(_ACTION + "oidc.reason-line")
GH_REUSABLE_WORKFLOW_WARNING = inventory.get(_ACTION + "oidc.reusable-workflow-warning.body")
GH_WARNING_ANNOTATION = inventory.get(_ACTION + "oidc.reusable-workflow-warning.annotation")


def annotation(text: Text, msg: str) -> str:
    """The one-line workflow command the action prints (newlines become %0A)."""
    return text.format(msg=msg.replace("\n", "%0A"))


# Every text above by its name: what the browser tools read (tpsite.export) and how vectors name
# a reason.
TEXTS: dict[str, Text] = {name: value for name, value in globals().items() if isinstance(value, Text)}


def name_of(text: Text) -> str:
    return next(name for name, value in TEXTS.items() if value is text)
