"""Check a repository's publishing setup before the first failed run: for each job that publishes,
the token it will present, the publisher PyPI needs for it, and every pitfall, each at its line.

    check(path, repository=None) -> Report     (the command: `uv run tpsite check [PATH]`)

Reads every workflow under .github/workflows/ (with the local reusable workflows and composite
actions they use), .gitlab-ci.yml with its local includes, and pyproject.toml (check.project). The
rules are in check.github and check.gitlab, on top of the model (tpsite.model); the security
findings that zizmor already judges (template injection, unpinned actions, persisted credentials)
are zizmor's, run offline (check.zizmor). The browser's Check page runs the same rules on pasted
files (docs/assets/javascripts/tp/check.js).

JSON (Report.as_json): {"jobs": [{file, job, publishes_with, index, environment, claims,
publisher: {owner, repository, workflow_filename, environment} | null, why_no_publisher}],
"findings": [{id, severity, file, line, message, page}], "refused": ["file: why", ...]}.
"""

from __future__ import annotations

import configparser
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tpsite.check import github, gitlab, texts, zizmor
from tpsite.check.findings import Finding
from tpsite.check.load import Loaded, Refused
from tpsite.check.load import load as load_yaml
from tpsite.check.project import read_project
from tpsite.check.steps import creates_release
from tpsite.check.triggers import triggers as triggers_of
from tpsite.check.uploads import step_items
from tpsite.model import GitHubRepository

SEVERITY_ORDER = {"error": 0, "warning": 1, "note": 2}


@dataclass
class Report:
    jobs: list[github.JobReport] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)  # files that could not be read, and why
    files: list[str] = field(default_factory=list)  # the workflows and pipeline found (none: nothing to check)

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
    m = re.search(r"(?:github\.com|gitlab\.com)[:/]([^\s]+)/([^/\s]+?)(?:\.git)?/?$", url)
    return GitHubRepository(owner=m[1], name=m[2], owner_id="0") if m else None


def parse_repository(value: str) -> GitHubRepository:
    owner, _, name = value.strip().strip("/").rpartition("/")
    if not owner or not name or any(c.isspace() for c in value.strip()):
        raise ValueError(f"--repository takes OWNER/NAME (GitLab: NAMESPACE/PROJECT), not {value!r}")
    return GitHubRepository(owner=owner, name=name, owner_id="0")


def release_tokens(loaded: list[Loaded], report: Report) -> list[Finding]:
    """Releases created with the GITHUB_TOKEN, where a workflow of the checkout publishes on
    `release`: GitHub starts no workflow for events that token causes."""
    on_release = sorted({j.file for j in report.jobs if "release" in triggers_of(next((w.data for w in loaded if w.file == j.file), {}))})
    if not on_release:
        return []
    found = []
    for workflow in loaded:
        if "release" in triggers_of(workflow.data):
            continue  # runs for a release that exists: its release steps update that one
        jobs = workflow.data.get("jobs") if isinstance(workflow.data.get("jobs"), dict) else {}
        for job_id, job in jobs.items():
            if not isinstance(job, dict):
                continue
            for i, step in step_items(job):
                if creates_release(step):
                    where = workflow.line("jobs", job_id, "steps", i, "uses" if "uses" in step else "run")
                    found.append(Finding("release-by-github-token", workflow.file, where, texts.message("release-by-github-token", workflows=", ".join(on_release))))
    return found


def check(root: Path, repository: GitHubRepository | None = None, *, run_zizmor: bool = True) -> Report:
    """The report for a checkout. `run_zizmor=False` leaves out zizmor's findings (what the
    browser's port computes, which runs the rules but not zizmor)."""
    root = root.resolve()
    report = Report()
    repo = repository or repository_from_git(root)
    cache: dict[str, Loaded | None] = {}

    def read(relative: str) -> Loaded | None:
        relative = relative.removeprefix("./")
        if relative in cache:
            return cache[relative]
        path = (root / relative).resolve()
        loaded = None
        if path.is_file() and root in path.parents:
            try:
                loaded = load_yaml(relative, path.read_text(encoding="utf-8", errors="replace"))
            except Refused as exc:
                report.refused.append(str(exc))
        cache[relative] = loaded
        return loaded

    project = read_project(root / "pyproject.toml")
    ctx = github.Context(repo, read, project.name, project.per_commit_version, project.metadata_version, report.findings, indexes=project.uv_indexes)
    report.findings.extend(project.findings)
    if project.refused:
        report.refused.append(project.refused)
    workflows = sorted(p for ext in ("*.yml", "*.yaml") for p in (root / ".github" / "workflows").glob(ext) if p.is_file())
    read_workflows: list[Loaded] = []
    for path in workflows:
        report.files.append(str(path.relative_to(root)))
        loaded = read(str(path.relative_to(root)))
        if loaded is None:
            continue
        if not isinstance(loaded.data.get("jobs"), dict):
            report.refused.append(texts.refused(loaded.file, "not-workflow"))
            continue
        read_workflows.append(loaded)
        report.jobs.extend(github.check_workflow(loaded, ctx))
    if (root / ".gitlab-ci.yml").is_file():
        report.files.append(".gitlab-ci.yml")
    pipeline = read(".gitlab-ci.yml")
    if pipeline is not None:
        report.jobs.extend(gitlab.check_pipeline(pipeline, ctx, report.findings, report.refused))
    report.findings.extend(release_tokens(read_workflows, report))
    for file, job_id, line in ctx.reusable:
        if file not in ctx.called:
            report.findings.append(Finding("reusable-workflow-publishing", file, line, texts.message("reusable-workflow-publishing", "offered", job=job_id)))
    if report.jobs:
        report.findings.extend(project.release_findings)
    if run_zizmor and read_workflows:
        files = [w.file for w in read_workflows] + sorted(ctx.actions)
        report.findings.extend(zizmor.findings(root, files, ctx.scope))
    # One finding per id and place.
    unique = {(f.id, f.file, f.line): f for f in report.findings}
    report.findings[:] = sorted(unique.values(), key=_order)
    return report
