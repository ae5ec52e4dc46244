"""Result types. Every failure has a stable `slug`: its docs page is /errors/<slug>/."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tpsite.model import messages
from tpsite.model.indexes import Index
from tpsite.model.publishers import Publisher, Registry
from tpsite.model.slugs import Slug


class RefusedJob(ValueError):
    """The job would not get a token PyPI accepts, so no form values can make it work."""


@dataclass(frozen=True)
class ClientError:
    """The publishing client failed before any token exchange (no OIDC token)."""

    slug: Slug
    message: str  # what the action writes to the step summary, outer blank lines removed
    source: str

    @property
    def annotation(self) -> str:
        """The `::error::` line in the job log."""
        return messages.annotation(messages.GH_ERROR_ANNOTATION, f"\n{self.message}\n")


@dataclass(frozen=True)
class ClientWarning:
    slug: Slug
    message: str
    source: str


@dataclass(frozen=True)
class ExchangeError:
    """A refused token exchange: HTTP 422 from /_/oidc/mint-token."""

    slug: Slug
    code: str  # warehouse's error code, e.g. "invalid-publisher"
    description: str
    source: str
    # Why no publisher matched, as far as the registry tells (e.g. "environment-mismatch").
    causes: tuple[str, ...] = ()
    status: int = 422
    # The description as data: its text, and for invalid-publisher the `({reason})`'s text and the
    # values filled into it (what the browser's port is compared on, not the printed bytes).
    text: messages.Text | None = None
    reason: tuple[messages.Text, dict[str, Any]] | None = None

    @property
    def body(self) -> dict[str, object]:
        # warehouse/oidc/views.py:73-79
        return {
            "message": messages.TOKEN_REQUEST_FAILED.template,
            "errors": [{"code": self.code, "description": self.description}],
        }

    @property
    def reason_line(self) -> str:
        """How gh-action-pypi-publish lists it under "the following reasons"."""
        return messages.GH_REASON_LINE.format(code=self.code, description=self.description)


@dataclass(frozen=True)
class MintResult:
    """A minted upload token: 15 minutes, scoped to `projects` (warehouse/oidc/views.py:329-345)."""

    index: Index
    publisher: Publisher
    projects: tuple[str, ...]  # every project attached to the publisher at mint time
    registry: Registry  # the registry after the exchange (pending publisher reified)
    created_project: str | None = None  # set when a pending publisher created it
    expires_in: int = 900
    environment_warning_email: bool = False  # views.py:380-389
    reusable_workflow: bool = False  # views.py:403-417 (metrics only)


@dataclass(frozen=True)
class UploadError:
    """A refused upload to /legacy/: warehouse puts `message` in the HTTP status line."""

    slug: Slug
    status: int
    message: str
    source: str

    @property
    def status_line(self) -> str:
        # warehouse/forklift/utils.py:17
        return f"{self.status} {self.message}"


@dataclass(frozen=True)
class UploadAccepted:
    project: str
    filename: str
    noop: bool = False  # identical file already stored: 200, nothing changes (legacy.py:1205-1208)


ExchangeOutcome = MintResult | ExchangeError
UploadOutcome = UploadAccepted | UploadError
