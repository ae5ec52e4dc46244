"""The sample project every page, macro, test vector and tool uses, read once from the tested snippets.

The project name, version and repository come from snippets/sample-package/pyproject.toml
(`name`, `version`, `[project.urls] Source`), the publishing jobs from snippets/workflows/publish.yml
and snippets/gitlab/gitlab-ci.yml. The one value no snippet holds is the owner's numeric id, which
PyPI records when a publisher is registered and never shows.
"""

from __future__ import annotations

import functools
import tomllib
from dataclasses import dataclass
from pathlib import PurePosixPath

from packaging.utils import canonicalize_name

from tpsite import workflows
from tpsite.model import GitHubRepository, Index, Trigger
from tpsite.model.jobs import gitlab_publishing_jobs, publishing_jobs
from tpsite.paths import SNIPPETS

PYPROJECT = "sample-package/pyproject.toml"
WORKFLOW = "workflows/publish.yml"
GITLAB_PIPELINE = "gitlab/gitlab-ci.yml"
OWNER_ID = 123456  # illustrative: what PyPI would record for the owner `example`


@dataclass(frozen=True)
class Sample:
    project: str  # as pyproject.toml spells it
    version: str
    repository: GitHubRepository  # on GitHub; the GitLab project has the same path on gitlab.com
    jobs: dict[Index, str]  # the canonical workflow's publishing job for each index
    gitlab_jobs: dict[Index, str]
    pyproject: str = PYPROJECT
    workflow: str = WORKFLOW
    gitlab_pipeline: str = GITLAB_PIPELINE

    @property
    def workflow_file(self) -> str:
        """The workflow's file name in the reader's .github/workflows/."""
        return PurePosixPath(self.workflow).name

    @property
    def workflow_path(self) -> str:
        return f".github/workflows/{self.workflow_file}"

    @property
    def gitlab_project_path(self) -> str:
        return self.repository.full_name

    @property
    def wheel_stem(self) -> str:
        """`<name>-<version>` as both distribution file names start (PEP 427, PEP 625)."""
        return f"{canonicalize_name(self.project).replace('-', '_')}-{self.version}"

    @property
    def tag_push(self) -> Trigger:
        """The run that publishes a release: a push of the version's tag."""
        return Trigger(event_name="push", ref=f"refs/tags/v{self.version}")


def _repository(source_url: str) -> GitHubRepository:
    prefix = "https://github.com/"
    if not source_url.startswith(prefix) or source_url.count("/") != 4:
        raise ValueError(f"{PYPROJECT}: [project.urls] Source is not a GitHub repository URL: {source_url!r}")
    owner, name = source_url.removeprefix(prefix).split("/")
    return GitHubRepository(owner=owner, name=name, owner_id=OWNER_ID)


@functools.cache
def read() -> Sample:
    project = tomllib.loads((SNIPPETS / PYPROJECT).read_text(encoding="utf-8"))["project"]
    github = publishing_jobs(workflows.load(SNIPPETS / WORKFLOW))
    gitlab = gitlab_publishing_jobs(workflows.load(SNIPPETS / GITLAB_PIPELINE))
    return Sample(
        project=project["name"],
        version=project["version"],
        repository=_repository(project["urls"]["Source"]),
        jobs={index: job for job, index in github.items()},
        gitlab_jobs={index: job for job, index in gitlab.items()},
    )


SAMPLE = read()
