"""The "Ways to publish" workflows: PyPI's model accepts every publishing job, and a page shows its form."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from tpsite import from_snippets, variants, workflows
from tpsite.model.jobs import gitlab_publishing_jobs, publishing_jobs, uploads
from tpsite.sample import SAMPLE
from tpsite.model import Index, UploadAccepted, UploadError
from tpsite.model.slugs import Slug
from tpsite.paths import DOCS, SNIPPETS

# Every workflow a reader copies that publishes (the migration's "before" uses a token on purpose).
WORKFLOWS = sorted(SNIPPETS.glob("workflows/*.yml")) + [SNIPPETS / "migration" / "publish-trusted.yml"]
JOBS = [
    (str(path.relative_to(SNIPPETS)), job, index)
    for path in WORKFLOWS
    for job, index in publishing_jobs(workflows.load(path)).items()
]
_MACRO = re.compile(r"<!--\[\[\s*(?P<name>\w+)\((?P<args>.*?)\)\s*\]\]-->", re.S)


def macro_calls(name: str) -> list[dict[str, object]]:
    """Keyword arguments of every call of a macro in every page."""
    calls = []
    for page in sorted(DOCS.rglob("*.md")):
        for match in _MACRO.finditer(page.read_text(encoding="utf-8")):
            if match["name"] == name:
                call = ast.parse(f"f({match['args']})", mode="eval").body
                assert isinstance(call, ast.Call)
                calls.append({k.arg: ast.literal_eval(k.value) for k in call.keywords if k.arg})
    return calls


def test_there_are_publishing_jobs_in_every_workflow() -> None:
    assert len(JOBS) >= len(WORKFLOWS)
    assert all(publishing_jobs(workflows.load(p)) for p in WORKFLOWS)


@pytest.mark.parametrize(("workflow", "job", "index"), JOBS, ids=lambda v: str(v))
def test_model_gives_a_pending_publisher_form(workflow: str, job: str, index: Index) -> None:
    """No job here gets refused by PyPI: the model computes its form without RefusedJob."""
    repository = variants.MONOREPO_REPOSITORY if "monorepo" in workflow else SAMPLE.repository
    project = job.removeprefix("publish-") if "monorepo" in workflow else None
    form = from_snippets.github_form(workflow, job, index, project=project, repository=repository)
    assert form.environment, f"{workflow}:{job} publishes without an environment"
    # The environment's URL names the project the publisher is for, on the index it uploads to.
    env = workflows.load(SNIPPETS / workflow)["jobs"][job]["environment"]
    assert env["url"] == f"https://{index.host}/p/{form.project_name}"


@pytest.mark.parametrize(("workflow", "job", "index"), JOBS, ids=lambda v: str(v))
def test_a_page_shows_the_form_values(workflow: str, job: str, index: Index) -> None:
    shown = [
        (c.get("workflow", SAMPLE.workflow), c["job"], c["index"])
        for name in ("publisher_form", "variant_form")
        for c in macro_calls(name)
    ]
    assert (workflow, job, index.value) in shown


def test_a_page_shows_the_gitlab_form_values() -> None:
    pipeline = workflows.load(SNIPPETS / SAMPLE.gitlab_pipeline)
    shown = {(c.get("pipeline", SAMPLE.gitlab_pipeline), c["job"], c["index"]) for c in macro_calls("gitlab_form")}
    for job, index in gitlab_publishing_jobs(pipeline).items():
        assert (SAMPLE.gitlab_pipeline, job, index.value) in shown


def test_publishing_jobs_are_found_in_the_canonical_workflow() -> None:
    """The detection the tests above rely on: two uploads, the Release job is not one."""
    jobs = publishing_jobs(workflows.load(SNIPPETS / SAMPLE.workflow))
    assert jobs == {"publish-to-testpypi": Index.TESTPYPI, "publish-to-pypi": Index.PYPI}


# --- the build-tools page: linked tabs -------------------------------------------------------

TOOLS = ["uv", "python -m build", "hatch", "PDM", "Poetry", "Flit"]
_TAB = re.compile(r'^(?P<indent> *)=== "(?P<label>[^"]+)"', re.M)


def tab_sets(page: Path) -> list[list[str]]:
    """Consecutive `=== "label"` lines at one indentation, as pymdownx.tabbed groups them."""
    sets: list[list[str]] = []
    last: tuple[int, str] | None = None
    lines = page.read_text(encoding="utf-8").splitlines()
    for number, line in enumerate(lines):
        match = _TAB.match(line)
        if not match:
            if line.strip() and not line.startswith(" "):
                last = None  # an unindented paragraph ends any tab set
            continue
        indent = len(match["indent"])
        if last is not None and last[0] == indent and sets:
            sets[-1].append(match["label"])
        else:
            sets.append([match["label"]])
        last = (indent, match["label"])
    return sets


def test_build_tool_tabs_use_the_same_labels_everywhere() -> None:
    """content.tabs.link switches tabs with the same label: every set must list all the tools alike."""
    sets = tab_sets(DOCS / "publish" / "build-tools.md")
    assert len(sets) >= 5
    assert all(labels == TOOLS for labels in sets), sets
    elsewhere = [labels for page in DOCS.rglob("*.md") for labels in tab_sets(page) if set(labels) & set(TOOLS)]
    assert all(labels == TOOLS for labels in elsewhere), elsewhere


# --- monorepo: one publisher per project ---------------------------------------------------------


def test_monorepo_token_for_one_project_is_refused_for_the_other() -> None:
    outcome = variants.OUTCOMES["monorepo-separate"]()
    assert isinstance(outcome, UploadError) and outcome.status == 403
    assert outcome.slug is Slug.OIDC_TOKEN_NOT_VALID_FOR_PROJECT


def test_monorepo_shared_publisher_lets_one_job_upload_both() -> None:
    assert isinstance(variants.OUTCOMES["monorepo-shared"](), UploadAccepted)


@pytest.mark.parametrize("project", variants.MONOREPO_PROJECTS)
def test_monorepo_each_job_publishes_its_own_project(project: str) -> None:
    outcome = variants.monorepo_upload(shared_publisher=False, job_project=project, dist_project=project)
    assert isinstance(outcome, UploadAccepted), outcome


def test_monorepo_jobs_run_only_for_their_own_tags() -> None:
    workflow = workflows.load(SNIPPETS / variants.MONOREPO_WORKFLOW)
    tags = workflow["on"]["push"]["tags"]
    for project in variants.MONOREPO_PROJECTS:
        assert f"{project}-v*" in tags
        assert workflow["jobs"][f"build-{project}"]["if"] == f"startsWith(github.ref, 'refs/tags/{project}-v')"
        assert workflow["jobs"][f"publish-{project}"]["needs"] == [f"build-{project}"]
        assert workflow["jobs"][f"publish-{project}"]["environment"]["name"] == f"pypi-{project}"


# --- cibuildwheel: many builders, one Linux publisher ----------------------------------------------


def test_cibuildwheel_publishes_every_artifact_from_one_linux_job() -> None:
    workflow = workflows.load(SNIPPETS / "workflows" / "publish-cibuildwheel.yml")
    jobs = workflow["jobs"]
    stored = {
        step["with"]["name"]
        for job in jobs.values()
        for step in job["steps"]
        if str(step.get("uses", "")).startswith("actions/upload-artifact@")
    }
    assert set(jobs["build-wheels"]["strategy"]["matrix"]["os"]) >= {"ubuntu-latest", "windows-latest", "macos-latest"}
    (publisher,) = [job_id for job_id in jobs if uploads(jobs[job_id])]
    publish = jobs[publisher]
    assert publish["runs-on"] == "ubuntu-latest"  # the PyPA action is a Linux container action
    assert set(publish["needs"]) == {j for j in jobs if j != publisher}
    (download,) = [s for s in publish["steps"] if str(s.get("uses", "")).startswith("actions/download-artifact@")]
    pattern = download["with"]["pattern"]
    assert download["with"]["merge-multiple"] is True and download["with"]["path"] == "dist/"
    # Every artifact the builders store matches the pattern (matrix names: the fixed prefix).
    assert all(re.fullmatch(pattern.replace("*", ".*"), name.split("${{")[0] + "x") for name in stored), stored


# --- release trigger -------------------------------------------------------------------------------


def test_release_workflow_runs_on_published_releases_and_gets_the_same_form() -> None:
    workflow = workflows.load(SNIPPETS / "workflows" / "publish-on-release.yml")
    assert workflow["on"] == {"release": {"types": ["published"]}}
    on_release = from_snippets.github_form("workflows/publish-on-release.yml", "publish-to-pypi", Index.PYPI)
    on_tag = from_snippets.github_form(
        "workflows/publish-hatch.yml", "publish-to-pypi", Index.PYPI, saved_as="publish-on-release.yml"
    )
    assert on_release == on_tag
