"""Each pitfall's bad example fails with exactly the error its page names; the fixed one publishes."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from packaging.utils import canonicalize_name

from linters import validate_pyproject
from tpsite import pitfalls, publish
from tpsite.model import UploadAccepted, UploadSkipped
from tpsite.paths import SNIPPETS

PITFALLS = SNIPPETS / "pitfalls"
FORM_FIELDS = {"index", "pending", "project-name", "owner", "repository-name", "workflow-name", "environment-name"}
GITLAB_FORM_FIELDS = {"index", "pending", "project-name", "namespace", "project", "top-level-pipeline-file-path", "environment-name"}

# pitfall -> variant -> the gallery slug the model must answer (None: the upload is accepted).
EXPECTED = {
    "form-typo": {"bad": "invalid-publisher", "fixed": None},
    "project-name-mismatch": {
        "bad": "oidc-token-not-valid-for-project",
        "bad-new-name": "non-user-identities-cannot-create-projects",
        "fixed": None,
    },
    "dash-underscore": {"bad": "invalid-publisher", "fixed": None},
    "repository-name-differs": {"fixed": None},
    "environment-missing": {"bad": "invalid-publisher", "fixed": None},
    "id-token-missing": {"bad": "id-token-permission-missing", "fixed": None},
    "other-index": {"bad": "invalid-publisher", "fixed": None},
    "pending-for-existing-project": {"bad": "invalid-pending-publisher", "fixed": None},
    "local-version": {"bad": "local-versions-not-allowed", "fixed": None},
    "repository-transferred": {"bad": "invalid-publisher", "fixed": None},
    "reusable-workflow": {"bad": "invalid-publisher", "fixed": None},
    "gitlab-case": {"bad": "ci-config-ref-uri-mismatch", "fixed": None},
    "file-already-exists": {"bad": "file-already-exists", "fixed": None},
    "pull-request-target": {
        "bad": "pull-request-target-not-supported",
        "bad-pending": "invalid-publisher",
        "fixed": None,
    },
}
CASES = [(p, v) for p, variants in EXPECTED.items() for v in variants]


def test_every_pitfall_folder_has_expectations() -> None:
    assert {p.name for p in PITFALLS.iterdir()} == set(EXPECTED) == set(pitfalls.PITFALLS)
    assert {p: set(v) for p, v in EXPECTED.items()} == {p: set(v) for p, v in pitfalls.PITFALLS.items()}


def test_every_pitfall_file_feeds_a_scenario() -> None:
    used = {s.publisher for v in pitfalls.PITFALLS.values() for s in v.values()}
    used |= {s.pyproject for v in pitfalls.PITFALLS.values() for s in v.values()}
    used |= {s.workflow for v in pitfalls.PITFALLS.values() for s in v.values()}
    used |= {s.called for v in pitfalls.PITFALLS.values() for s in v.values() if s.called}
    files = {str(p.relative_to(SNIPPETS)) for p in PITFALLS.rglob("*") if p.is_file()}
    assert files <= used, sorted(files - used)


@pytest.mark.parametrize("path", sorted(PITFALLS.rglob("publisher*.toml")), ids=lambda p: str(p.relative_to(PITFALLS)))
def test_publisher_files_are_pypi_forms(path: Path) -> None:
    form = tomllib.loads(path.read_text(encoding="utf-8"))
    assert set(form) in (FORM_FIELDS, GITLAB_FORM_FIELDS)
    assert form["index"] in {"pypi", "testpypi"} and isinstance(form["pending"], bool)
    canonicalize_name(form["project-name"], validate=True)
    if "workflow-name" in form:
        assert "/" not in form["workflow-name"] and form["workflow-name"].endswith((".yml", ".yaml"))


@pytest.mark.parametrize("path", sorted(PITFALLS.rglob("pyproject*.toml")), ids=lambda p: str(p.relative_to(PITFALLS)))
def test_pyproject_files_are_valid(path: Path) -> None:
    assert validate_pyproject(path) is None


@pytest.mark.parametrize(("pitfall", "variant"), CASES, ids=[f"{p}-{v}" for p, v in CASES])
def test_the_model_gives_the_documented_outcome(pitfall: str, variant: str) -> None:
    outcome = publish.run(pitfalls.PITFALLS[pitfall][variant])
    expected = EXPECTED[pitfall][variant]
    if expected is None:  # the job succeeds: its files are accepted, or skipped as already there
        assert isinstance(outcome, (UploadAccepted, UploadSkipped)), publish.message(outcome)
    else:
        assert getattr(outcome, "slug", None) == expected, publish.message(outcome)


FIXED = [(p, s) for p, v in pitfalls.PITFALLS.items() for name, s in v.items() if name == "fixed"]


@pytest.mark.parametrize(("pitfall", "scenario"), FIXED, ids=[p for p, _ in FIXED])
def test_fixed_publishers_are_what_the_form_needs_for_the_workflow(pitfall: str, scenario: publish.Scenario | publish.GitLabScenario) -> None:
    """The publisher shown as the fix is exactly what the model computes from the workflow shown."""
    shown = tomllib.loads((SNIPPETS / scenario.publisher).read_text(encoding="utf-8"))
    form = scenario.form()
    if form.provider == "gitlab":
        fields = ("namespace", "project", "top-level-pipeline-file-path", "environment-name")
    else:
        fields = ("owner", "repository-name", "workflow-name", "environment-name")
    assert tuple(shown[f] for f in fields) == (form.owner, form.repository, form.workflow, form.environment)
    assert canonicalize_name(shown["project-name"]) == canonicalize_name(form.project_name)
    assert shown["index"] == form.index.value


def test_every_outcome_slug_has_a_gallery_page() -> None:
    for slug in {s for v in EXPECTED.values() for s in v.values() if s}:
        assert (SNIPPETS.parent / "docs" / "errors" / f"{slug}.md").is_file(), slug
