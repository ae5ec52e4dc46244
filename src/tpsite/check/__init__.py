"""Check a repository's publishing setup before the first failed run: for each job that publishes,
the token it will present, the publisher PyPI needs for it, and every pitfall, each at its line.

    check(path, repository=None) -> Report     (the command: `uv run tpsite check [PATH]`)

Reads every workflow under .github/workflows/ (with the local reusable workflows and composite
actions they use), .gitlab-ci.yml with its local includes, and pyproject.toml. The rules are in
check.github and check.gitlab, on top of the model (tpsite.model); the security findings that
zizmor already judges (template injection, unpinned actions, persisted credentials) are zizmor's,
run offline (check.zizmor). The browser's Check page runs the same rules on pasted files.
"""

from __future__ import annotations

import configparser
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tpsite.check import github, gitlab, zizmor
from tpsite.check.findings import Finding
from tpsite.check.load import Loaded, Refused, load
from tpsite.model import GitHubRepository

SEVERITY_ORDER = {"error": 0, "warning": 1, "note": 2}


@dataclass
class Report:
    jobs: list[github.JobReport] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)  # files that could not be read, and why

    def as_json(self) -> dict[str, Any]:
        return {
            "jobs": [j.as_json() for j in self.jobs],
            "findings": [f.as_json() for f in sorted(self.findings, key=_order)],
            "refused": self.refused,
        }

    @property
    def has_errors(self) -> bool:
        return any(f.severity == "error" for f in self.findings)


def _order(f: Finding) -> tuple[Any, ...]:
    return (f.file, f.line, SEVERITY_ORDER[f.severity], f.id, f.message)


def repository_from_git(root: Path) -> GitHubRepository | None:
    """owner/name from the `origin` remote of a checkout (GitHub or GitLab URL), if any."""
    config = root / ".git" / "config"
    if not config.is_file():
        return None
    parser = configparser.ConfigParser(strict=False)
    try:
        parser.read(config, encoding="utf-8")
    except configparser.Error:
        return None
    url = parser.get('remote "origin"', "url", fallback="")
    m = re.search(r"(?:github\.com|gitlab\.com)[:/]([^/\s]+)/([^\s]+?)(?:\.git)?/?$", url)
    return GitHubRepository(owner=m[1], name=m[2], owner_id="0") if m else None


def parse_repository(value: str) -> GitHubRepository:
    owner, _, name = value.strip().strip("/").rpartition("/")
    if not owner or not name:
        raise ValueError(f"--repository takes OWNER/NAME (GitLab: NAMESPACE/PROJECT), not {value!r}")
    return GitHubRepository(owner=owner, name=name, owner_id="0")


def _pyproject(root: Path) -> tuple[str | None, bool, str | None]:
    """The project's name, whether its version is dynamic, and the Metadata-Version its build
    backend writes when we know it (hatchling 1.32 and later: 2.5)."""
    path = root / "pyproject.toml"
    if not path.is_file():
        return None, True, None
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError):
        return None, True, None
    project = data.get("project") or {}
    name = project.get("name") if isinstance(project.get("name"), str) else None
    dynamic = "version" in (project.get("dynamic") or []) or "version" not in project
    requires = " ".join(str(r) for r in (data.get("build-system") or {}).get("requires") or [])
    m = re.search(r"hatchling\s*(?:>=|==|~=)\s*1\.(\d+)", requires)
    metadata = "2.5" if m and int(m[1]) >= 32 else None
    return name, dynamic, metadata


def check(root: Path, repository: GitHubRepository | None = None) -> Report:
    root = root.resolve()
    report = Report()
    repo = repository or repository_from_git(root)
    name, dynamic, metadata = _pyproject(root)
    cache: dict[str, Loaded | None] = {}

    def read(relative: str) -> Loaded | None:
        relative = relative.lstrip("./") if relative.startswith("./") else relative
        if relative in cache:
            return cache[relative]
        path = (root / relative).resolve()
        loaded = None
        if path.is_file() and root in path.parents:
            try:
                loaded = load(relative, path.read_text(encoding="utf-8", errors="replace"))
            except Refused as exc:
                report.refused.append(str(exc))
        cache[relative] = loaded
        return loaded

    ctx = github.Context(repo, read, name, dynamic, metadata, report.findings)
    workflows = sorted(p for ext in ("*.yml", "*.yaml") for p in (root / ".github" / "workflows").glob(ext))
    for path in workflows:
        loaded = read(str(path.relative_to(root)))
        if loaded is not None and "jobs" in loaded.data:
            report.jobs.extend(github.check_workflow(loaded, ctx))
    pipeline = read(".gitlab-ci.yml")
    if pipeline is not None:
        report.jobs.extend(gitlab.check_pipeline(pipeline, ctx, report.findings))
    if workflows:
        relevant: dict[str, set[str]] = {}
        for job in report.jobs:
            relevant.setdefault(job.file, set()).add(job.job)
        for path in workflows:
            loaded = read(str(path.relative_to(root)))
            if loaded is not None:
                jobs = loaded.data.get("jobs") if isinstance(loaded.data.get("jobs"), dict) else {}
                relevant.setdefault(loaded.file, set()).update(j for j, v in jobs.items() if isinstance(v, dict) and github._job_grants_id_token(loaded.data, v))
        report.findings.extend(zizmor.findings(root, [str(p.relative_to(root)) for p in workflows], relevant))
    # One finding per id and place.
    unique = {(f.id, f.file, f.line): f for f in report.findings}
    report.findings[:] = sorted(unique.values(), key=_order)
    return report
