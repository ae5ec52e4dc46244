"""Every message the model emits, verbatim from the program that emits it.

Templates keep the source's own format fields (`{name!r}` where the source uses `!r`), so
`Text.format(...)` yields exactly what the server or client prints. `source` is
`path:line` in `repo` at the commit named there; `since`/`until` date a wording, with the
commit that introduced or replaced it (`until == ""` means: current at that commit).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

WAREHOUSE_COMMIT = "6b62157124ab7865029afeeadf282bce27d601d9"  # pypi/warehouse HEAD, 2026-08-21
WAREHOUSE = f"pypi/warehouse@{WAREHOUSE_COMMIT}"
# The newest stored oidc-exchange.py (code index; it has the fork-PR template, claims rendering
# with workflow_ref/environment and the reusable-workflow warning). The templates used here are
# identical in the v1.8.14 snapshot (81e9d935c883d0b210363ab89cf05f3894778450) except the claims
# block and the warning, which v1.8.14 lacks.
GH_ACTION = "pypa/gh-action-pypi-publish@newest-stored (same text at v1.8.14 81e9d935)"
ID_COMMIT = "eeb586710b6686eb6972ae277ccd021f100d1d42"  # di/id HEAD; text unchanged since 5196cc7
ID = f"di/id@{ID_COMMIT}"


@dataclass(frozen=True)
class Text:
    template: str
    source: str
    repo: str = WAREHOUSE
    since: str = ""
    until: str = ""

    def format(self, **fields: Any) -> str:
        return self.template.format(**fields) if fields else self.template

    @property
    def citation(self) -> str:
        return f"{self.repo}:{self.source}"


# --- Token exchange: the 422 body (warehouse/oidc/views.py) ---------------------------------

TOKEN_REQUEST_FAILED = Text("Token request failed", "warehouse/oidc/views.py:77")

NO_CORRESPONDING_PUBLISHER = Text(
    "valid token, but no corresponding publisher ({reason})",
    "warehouse/oidc/views.py:300",
    since="2023-08-09 1d5085abb (#14308)",
)
NO_CORRESPONDING_PUBLISHER_UNTIL_2023_08 = Text(
    "valid token, but no corresponding publisher",
    "warehouse/oidc/views.py:173",
    repo="pypi/warehouse@c94bbf6ba4a16b7deecf5ca6996964382e1cd325",
    since="2022-11-15 4841c5b4b (#11272)",
    until="2023-08-09 1d5085abb (#14308)",
)
PROJECT_ALREADY_EXISTS = Text(
    "valid token, but project already exists",
    "warehouse/oidc/views.py:216",
    since="2023-02-22 29e8063b5 (#12915)",
)
TOKEN_ALREADY_USED = Text("invalid token: already used", "warehouse/oidc/views.py:290", since="2024-08-12 (#16254)")
MALFORMED_OR_INVALID_TOKEN = Text("malformed or invalid token", "warehouse/oidc/views.py:195")
MALFORMED_JWT = Text("malformed JWT", "warehouse/oidc/views.py:142")
UNKNOWN_ISSUER = Text("unknown trusted publishing issuer", "warehouse/oidc/views.py:161")

# --- The `({reason})` of invalid-publisher -------------------------------------------------

LOOKUP_FAILED = Text(
    "Publisher with matching claims was not found",
    "warehouse/oidc/models/github.py:238 (gitlab.py:268)",
    since="2025-06-30 bc7312446 (#18169)",
)
LOOKUP_FAILED_UNTIL_2025_06 = Text(
    "All lookup strategies exhausted",
    "warehouse/oidc/models/_core.py:180",
    repo="pypi/warehouse@d48e2780718008ee1845eb010c484de24b23e37b",
    since="2023-08-09 1d5085abb (#14308)",
    until="2025-06-30 bc7312446 (#18169)",
)
MISSING_CLAIM = Text("Missing claim {claim_name!r}", "warehouse/oidc/models/_core.py:249")
REQUIRED_CLAIM_CHECK_FAILED = Text(
    "Check failed for required claim {claim_name!r}", "warehouse/oidc/models/_core.py:271"
)
OPTIONAL_CLAIM_CHECK_FAILED = Text(
    "Check failed for optional claim {claim_name!r}", "warehouse/oidc/models/_core.py:289"
)
ISSUER_MISMATCH = Text(
    "JWT issuer {iss!r} does not match expected issuer {issuer_url!r}",
    "warehouse/oidc/services.py:304",
)
GITHUB_NO_WORKFLOW_FILENAME = Text(  # sic: "job extract"
    "Could not job extract workflow filename from OIDC claims", "warehouse/oidc/models/github.py:225"
)
JOB_WORKFLOW_REF_EMPTY = Text("The job_workflow_ref claim is empty", "warehouse/oidc/models/github.py:77")
REF_AND_SHA_EMPTY = Text("The ref and sha claims are empty", "warehouse/oidc/models/github.py:88")
JOB_WORKFLOW_REF_MISMATCH = Text(
    "The job_workflow_ref claim does not match, expecting one of {expected!r}, got {signed_claim!r}",
    "warehouse/oidc/models/github.py:93",
    since="2023-08-10 (sha alternative added)",
)
PULL_REQUEST_TARGET = Text(
    "Publishing from a workflow invoked via 'pull_request_target' is not supported.",
    "warehouse/oidc/models/github.py:135",
    since="2026-03-02 5ff89bac2 (#19601)",
)
GITLAB_NO_WORKFLOW_FILEPATH = Text(
    "Could not extract workflow filename from OIDC claims", "warehouse/oidc/models/gitlab.py:254"
)
CI_CONFIG_REF_URI_EMPTY = Text("The ci_config_ref_uri claim is empty", "warehouse/oidc/models/gitlab.py:90")
REF_PATH_AND_SHA_EMPTY = Text("The ref_path and sha claims are empty", "warehouse/oidc/models/gitlab.py:96")
CI_CONFIG_REF_URI_MISMATCH = Text(
    "The ci_config_ref_uri claim does not match, expecting one of {expected!r}, got {signed_claim!r}",
    "warehouse/oidc/models/gitlab.py:101",
)

# --- Upload: the HTTP status line of /legacy/ (warehouse/forklift/*) -----------------------

LOCAL_VERSION = Text(
    "The use of local versions in '{version}' is not allowed. See "
    "https://packaging.python.org/en/latest/specifications/version-specifiers/"
    "#local-version-identifiers for more information.",
    "warehouse/forklift/metadata.py:120 + warehouse/forklift/legacy.py:724-737",
    since="2026-02-27 cad3a35ad (#19576)",
)
LOCAL_VERSION_UNTIL_2026_02 = Text(  # {version!r} of a packaging Version: <Version('1.0+x')>
    "The use of local versions in {version!r} is not allowed. See "
    "https://packaging.python.org/specifications/core-metadata for more information.",
    "warehouse/forklift/metadata.py:120",
    repo="pypi/warehouse@4fe058f46a11458a19848a7b589d477efde52b1f",
    since="2024-03-19 f5b1ef3e8 (#15631)",
    until="2026-02-27 cad3a35ad (#19576)",
)
LOCAL_VERSION_UNTIL_2024_03 = Text(
    "{version!r} is an invalid value for Version. Error: Can't use PEP 440 local versions. "
    "See https://packaging.python.org/specifications/core-metadata for more information.",
    "warehouse/forklift/legacy.py:224 + 940-951",
    repo="pypi/warehouse@569324e23e2032718fbf3d968137eb22389cfee1",
    until="2024-03-19 f5b1ef3e8 (#15631)",
)
NON_USER_IDENTITY = Text(
    "Non-user identities cannot create new projects. "
    "This was probably caused by successfully using a pending "
    "publisher but specifying the project name incorrectly (either "
    "in the publisher or in your project's metadata). Please ensure "
    "that both match. "
    "See: https://docs.pypi.org/trusted-publishers/troubleshooting/",
    "warehouse/forklift/legacy.py:779",
    since="2023-07-10 13be51f9b (#14082)",
)
NON_USER_IDENTITY_UNTIL_2023_07 = Text(
    "Non-user identities cannot create new projects. "
    "You must first create a project as a user, and then "
    "configure the project to use trusted publishers.",
    "warehouse/forklift/legacy.py:954",
    repo="pypi/warehouse@1d6861cef142b98c2a1795a5fd3c163c20b0e64b",
    until="2023-07-10 13be51f9b (#14082)",
)
INVALID_API_TOKEN = Text("Invalid API Token: {reasons}", "warehouse/macaroons/security_policy.py:161")
OIDC_CAVEAT_WRONG_PROJECT = Text(
    "OIDC scoped token is not valid for project '{name}'",
    "warehouse/macaroons/caveats/__init__.py:149",
    since="2022-11-15 4841c5b4b (#11272)",
)
PROJECT_ID_CAVEAT_WRONG_PROJECT = Text(
    "project-scoped token is not valid for project: {name!r}",
    "warehouse/macaroons/caveats/__init__.py:93",
)
TOKEN_EXPIRED = Text("token is expired", "warehouse/macaroons/caveats/__init__.py:61")
FILE_EXISTS = Text(
    "File already exists ({filename!r}, with blake2_256 hash {blake2_256!r}). See {help_url} for more information.",
    "warehouse/forklift/legacy.py:1220",
    since="2024-08-15 b419f327f (#16488)",
)
FILE_EXISTS_UNTIL_2024_08 = Text(
    "File already exists. See {help_url} for more information.",
    "warehouse/forklift/legacy.py:1141",
    repo="pypi/warehouse@b4b04243e1e77329edca590c27207aeff06a2ce2",
    until="2024-08-15 b419f327f (#16488)",
)
FILENAME_REUSED = Text(
    "This filename was previously used by a file that has since been "
    "deleted. Use a different version. See {help_url} for more information.",
    "warehouse/forklift/legacy.py:1236",
    since="2025-10-23 d029959d8 (#18925)",
)
INVALID_EXTENSION = Text(
    "Invalid file extension: Use .tar.gz, .whl or .zip "
    "extension. See https://www.python.org/dev/peps/pep-0527 "
    "and https://peps.python.org/pep-0715/ for more information",
    "warehouse/forklift/legacy.py:280",
)
EXTENSION_NOT_FOR_FILETYPE = Text(
    "Invalid file extension: Extension {extension} is invalid for "
    "filetype {filetype}. See https://www.python.org/dev/peps/pep-0527 "
    "for more information.",
    "warehouse/forklift/legacy.py:273",
)
INVALID_SDIST_FILENAME = Text("Invalid source distribution filename: {filename}", "warehouse/forklift/legacy.py:1331")
START_FILENAME_WITH = Text(
    "Start filename for {project_name!r} with {expected!r}.",
    "warehouse/forklift/legacy.py:1374 (sdist), 1462 (wheel)",
)
SDIST_FILENAME_NOT_NORMALIZED = Text(
    "Filename {filename!r} is invalid, should be {expected_filename!r}.",
    "warehouse/forklift/legacy.py:1391",
    since="2025-10-23 06bb17e5a (#18924)",
)
WHEEL_NAME_NOT_NORMALIZED = Text(
    "Filename {filename!r} should contain the normalized project name {normalized_name!r}, not {name_from_filename!r}.",
    "warehouse/forklift/legacy.py:1486",
    since="2025-10-23 06bb17e5a (#18924)",
)
WHEEL_VERSION_MISMATCH = Text(
    "Version in filename should be {expected!r} not {actual!r}.",
    "warehouse/forklift/legacy.py:1501",
)
INVALID_WHEEL_FILENAME = Text(  # str(packaging.utils.InvalidWheelFilename)
    "{packaging_error}", "warehouse/forklift/legacy.py:1437"
)

# --- Client side: pypa/gh-action-pypi-publish oidc-exchange.py + di/id ---------------------

GH_TOKEN_RETRIEVAL_FAILED = Text(
    """
OpenID Connect token retrieval failed: {identity_error}

This generally indicates a workflow configuration error, such as insufficient
permissions. Make sure that your workflow has `id-token: write` configured
at the job level, e.g.:

```yaml
permissions:
  id-token: write
```

Learn more at https://docs.github.com/en/actions/deployment/security-hardening-your-deployments/about-security-hardening-with-openid-connect#adding-permissions-settings.
""",
    "oidc-exchange.py:_TOKEN_RETRIEVAL_FAILED_MESSAGE",
    repo=GH_ACTION,
    since="v1.8.5 0b567d5 (2023-04-03; before: 'OIDC token retrieval failed: ...')",
)
GH_TOKEN_RETRIEVAL_FAILED_FORK_PR = Text(
    """
OpenID Connect token retrieval failed: {identity_error}

The workflow context indicates that this action was called from a
pull request on a fork. GitHub doesn't give these workflows OIDC permissions,
even if `id-token: write` is explicitly configured.

To fix this, change your publishing workflow to use an event that
forks of your repository cannot trigger (such as tag or release
creation, or a manually triggered workflow dispatch).
""",
    "oidc-exchange.py:_TOKEN_RETRIEVAL_FAILED_FORK_PR_MESSAGE",
    repo=GH_ACTION,
    since="v1.8.12 e53eb8b (2024-02-27)",
)
ID_GITHUB_NO_REQUEST_TOKEN = Text(
    "GitHub: missing or insufficient OIDC token permissions, the "
    "ACTIONS_ID_TOKEN_REQUEST_TOKEN environment variable was unset",
    "id/_internal/oidc/ambient.py:96",
    repo=ID,
)
GH_ERROR_ANNOTATION = Text(
    "::error::Trusted publishing exchange failure: {msg}", "oidc-exchange.py:die", repo=GH_ACTION
)
GH_REASON_LINE = Text("* `{code}`: {description}", "oidc-exchange.py (reasons)", repo=GH_ACTION)
GH_REUSABLE_WORKFLOW_WARNING = Text(
    """
The claims in this token suggest that the calling workflow is a reusable workflow.

In particular, this action was initiated by:

    {job_workflow_ref}

Whereas its parent workflow is:

    {workflow_ref}

Reusable workflows are **not currently supported** by PyPI's Trusted Publishing
functionality, and are subject to breakage. Users are **strongly encouraged**
to avoid using reusable workflows for Trusted Publishing until support
becomes official. Please, do not report bugs if this breaks.

For more information, see:

* https://docs.pypi.org/trusted-publishers/troubleshooting/#reusable-workflows-on-github
* https://github.com/pypa/gh-action-pypi-publish/issues/166 — subscribe to
  this issue to watch the progress and learn when reusable workflows become
  supported officially
""",
    "oidc-exchange.py:_REUSABLE_WORKFLOW_WARNING",
    repo=GH_ACTION,
)
GH_WARNING_ANNOTATION = Text(
    "::warning::Potential workflow misconfiguration: {msg}", "oidc-exchange.py:warn", repo=GH_ACTION
)


def annotation(text: Text, msg: str) -> str:
    """The one-line workflow command the action prints (newlines become %0A)."""
    return text.format(msg=msg.replace("\n", "%0A"))


# Every text above by its name: what the browser tools read (tpsite.export) and how vectors name
# a reason.
TEXTS: dict[str, Text] = {name: value for name, value in globals().items() if isinstance(value, Text)}


def name_of(text: Text) -> str:
    return next(name for name, value in TEXTS.items() if value is text)
