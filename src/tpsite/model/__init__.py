"""A model of what PyPI (warehouse) decides for Trusted Publishing, rule for rule.

Claims (what a CI job's OIDC token says) -> `exchange` (is there a matching publisher on
this index?) -> `upload` (may this token upload this file?). Every message is verbatim
from the source that emits it; see `messages` for the citations.

GitHub and GitLab stand side by side at each layer: reading the file (`workflow` / `pipeline`),
the job's claims (`github_claims` / `gitlab_job_claims`), the stored publisher
(`GitHubPublisher` / `GitLabPublisher`), its matching (`matching.find_github` / `find_gitlab`)
and the form that registers it (`pending_publisher_form` / `gitlab_pending_publisher_form`, one
`PublisherForm` type). `jobs` says which jobs publish and where; `names` checks typed names.
"""

from __future__ import annotations

from tpsite.model.claims import (
    CalledWorkflow,
    Claims,
    GitHubRepository,
    SubTemplate,
    Trigger,
    client_warnings,
    github_claims,
    gitlab_claims,
    gitlab_job_claims,
)
from tpsite.model.exchange import diagnose, exchange
from tpsite.model.form import PublisherForm, gitlab_pending_publisher_form, pending_publisher_form
from tpsite.model.indexes import Index
from tpsite.model.outcomes import (
    ClientError,
    ClientWarning,
    ExchangeError,
    MintResult,
    RefusedJob,
    UploadAccepted,
    UploadError,
)
from tpsite.model.publishers import (
    GitHubPublisher,
    GitLabPublisher,
    Publisher,
    Registration,
    Registry,
)
from tpsite.model.rules import (
    BEFORE_DETAILED_REASONS,
    BEFORE_LOOKUP_REFACTOR,
    BEFORE_SUB_REMOVAL,
    CURRENT,
    WarehouseRules,
)
from tpsite.model.slugs import Slug
from tpsite.model.client import UploadSkipped, action_skips_existing, twine_skips
from tpsite.model.upload import Distribution, StoredFile, upload

__all__ = [
    "BEFORE_DETAILED_REASONS",
    "BEFORE_LOOKUP_REFACTOR",
    "BEFORE_SUB_REMOVAL",
    "CURRENT",
    "CalledWorkflow",
    "Claims",
    "ClientError",
    "ClientWarning",
    "Distribution",
    "ExchangeError",
    "GitHubPublisher",
    "GitHubRepository",
    "GitLabPublisher",
    "Index",
    "MintResult",
    "PublisherForm",
    "Publisher",
    "RefusedJob",
    "Registration",
    "Registry",
    "Slug",
    "StoredFile",
    "SubTemplate",
    "Trigger",
    "UploadAccepted",
    "UploadError",
    "WarehouseRules",
    "client_warnings",
    "diagnose",
    "exchange",
    "github_claims",
    "gitlab_claims",
    "gitlab_job_claims",
    "gitlab_pending_publisher_form",
    "pending_publisher_form",
    "upload",
    "UploadSkipped",
    "action_skips_existing",
    "twine_skips",
]
