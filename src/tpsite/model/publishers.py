"""Trusted publishers as warehouse stores them, and the registry of one or both indexes.

Normalisation happens on construction, exactly as warehouse's forms do before storing
(pypi/warehouse@6b62157, warehouse/oidc/forms/*.py), so a publisher here compares the
way the stored row does.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace

from packaging.utils import canonicalize_name

from tpsite.model.indexes import Index

GITHUB_ISSUER = "https://token.actions.githubusercontent.com"  # warehouse/oidc/models/github.py:30
GITLAB_ISSUER = "https://gitlab.com"  # warehouse/oidc/models/gitlab.py:32
# Known to warehouse but not modelled here (warehouse/oidc/utils.py:39-44).
GOOGLE_ISSUER = "https://accounts.google.com"
ACTIVESTATE_ISSUER = "https://platform.activestate.com/api/v1/oauth/oidc"


@dataclass(frozen=True)
class GitHubPublisher:
    """A GitHub publisher row.

    `owner` is what PyPI stored: GitHub's canonical `login` for the name typed into the
    form (forms/github.py:129), with its numeric id (`owner_id`, the anti-resurrection
    check). `repository` is stored as typed (accounts/views.py:1993). The workflow file
    name is stripped (forms/github.py:38) and the environment lower-cased
    (forms/github.py:180); "" means "any environment".
    """

    owner: str
    repository: str
    owner_id: str
    workflow_filename: str
    environment: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "owner_id", str(self.owner_id))
        object.__setattr__(self, "workflow_filename", self.workflow_filename.strip())
        object.__setattr__(self, "environment", (self.environment or "").lower())
        if not self.workflow_filename.endswith((".yml", ".yaml")):
            raise ValueError("Workflow name must end with .yml or .yaml")  # forms/github.py:137
        if "/" in self.workflow_filename:
            # forms/github.py:142
            raise ValueError("Workflow filename must be a filename only, without directories")

    @property
    def issuer(self) -> str:
        return GITHUB_ISSUER

    @property
    def full_repository(self) -> str:
        return f"{self.owner}/{self.repository}"

    @property
    def job_workflow_ref(self) -> str:
        """Ground truth for the `job_workflow_ref` check, without `@ref` (models/github.py:252-254)."""
        return f"{self.full_repository}/.github/workflows/{self.workflow_filename}"

    @property
    def identity(self) -> tuple[str, ...]:
        # The unique constraint and reify() both use these four, not owner_id
        # (models/github.py:321-328, 396-405).
        return ("github", self.repository, self.owner, self.workflow_filename, self.environment)


@dataclass(frozen=True)
class GitLabPublisher:
    """A GitLab publisher row.

    Stored as typed (accounts/views.py:2049-2053); the pipeline path is stripped
    (forms/gitlab.py:67) and a blank environment becomes "" (forms/gitlab.py:123).
    Unlike GitHub, the environment keeps its case and is compared exactly.
    """

    namespace: str
    project: str
    workflow_filepath: str = ".gitlab-ci.yml"
    environment: str = ""
    issuer_url: str = GITLAB_ISSUER

    def __post_init__(self) -> None:
        object.__setattr__(self, "workflow_filepath", self.workflow_filepath.strip())
        env = self.environment or ""
        object.__setattr__(self, "environment", "" if env.isspace() else env)
        if not self.workflow_filepath.endswith((".yml", ".yaml")):
            # forms/gitlab.py:109
            raise ValueError("Top-level pipeline file path must end with .yml or .yaml")
        if self.workflow_filepath.startswith("/") or self.workflow_filepath.endswith("/"):
            raise ValueError("Top-level pipeline file path cannot start or end with /")

    @property
    def issuer(self) -> str:
        return self.issuer_url

    @property
    def project_path(self) -> str:
        return f"{self.namespace}/{self.project}"

    @property
    def ci_config_ref_uri(self) -> str:
        """Ground truth for `ci_config_ref_uri`, without `@ref` (models/gitlab.py:279-282)."""
        domain = self.issuer_url.removeprefix("https://")
        return f"{domain}/{self.project_path}//{self.workflow_filepath}"

    @property
    def identity(self) -> tuple[str, ...]:
        # reify() key (models/gitlab.py:463-473).
        return (
            "gitlab",
            self.namespace,
            self.project,
            self.workflow_filepath,
            self.environment,
            self.issuer_url,
        )


Publisher = GitHubPublisher | GitLabPublisher


@dataclass(frozen=True)
class Registration:
    """One publisher registered on one index.

    Normal: attached to the existing project `project`. Pending: will create `project`
    (stored as typed; the project is created under this spelling) on first use.
    """

    publisher: Publisher
    project: str
    index: Index = Index.PYPI
    pending: bool = False


@dataclass(frozen=True)
class Registry:
    """What warehouse knows: registrations and existing projects, on both indexes.

    A normal registration implies its project exists; `projects` adds projects that
    exist without any publisher (e.g. created by a manual upload).
    """

    registrations: tuple[Registration, ...] = ()
    projects: frozenset[tuple[Index, str]] = field(default_factory=frozenset)

    @classmethod
    def of(cls, *registrations: Registration, projects: Iterable[tuple[Index, str]] = ()) -> Registry:
        return cls(tuple(registrations), frozenset(projects))

    def on(self, index: Index, *, pending: bool) -> Iterator[Registration]:
        return (r for r in self.registrations if r.index is index and r.pending is pending)

    def project_names(self, index: Index) -> dict[str, str]:
        """Existing projects on `index`: normalized name -> display name."""
        names: dict[str, str] = {canonicalize_name(n): n for i, n in self.projects if i is index}
        for r in self.on(index, pending=False):
            names.setdefault(canonicalize_name(r.project), r.project)
        return names

    def project_exists(self, index: Index, name: str) -> bool:
        # ProjectFactory.__contains__: PEP 503 normalized lookup (packaging/models.py:238).
        return canonicalize_name(name) in self.project_names(index)

    def projects_of(self, index: Index, publisher: Publisher) -> tuple[str, ...]:
        """Projects a normal publisher is attached to (one row per identity, many projects)."""
        names = self.project_names(index)
        found = [
            names[canonicalize_name(r.project)]
            for r in self.on(index, pending=False)
            if r.publisher.identity == publisher.identity
        ]
        return tuple(dict.fromkeys(found))

    def with_registration(self, registration: Registration) -> Registry:
        return replace(self, registrations=(*self.registrations, registration))

    def without(self, registration: Registration) -> Registry:
        return replace(self, registrations=tuple(r for r in self.registrations if r != registration))
