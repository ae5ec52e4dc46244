"""The API-token "before" and the Trusted Publishing "after": both valid, and only the publish job differs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import run, tool
from linters import yamllint
from tpsite import from_snippets, workflows
from tpsite.model.jobs import PUBLISH_ACTION
from tpsite.model import Index, RefusedJob
from tpsite.paths import SNIPPETS

BEFORE = SNIPPETS / "migration" / "publish-token.yml"
AFTER = SNIPPETS / "migration" / "publish-trusted.yml"
BOTH = [BEFORE, AFTER]
JOB = "publish-to-pypi"


def test_the_family_holds_exactly_the_two_files() -> None:
    assert sorted((SNIPPETS / "migration").iterdir()) == sorted(BOTH)


def test_schema() -> None:
    """One run for both files (start-up dominates); it names each file that fails."""
    result = run(tool("check-jsonschema"), "--builtin-schema", "vendor.github-workflows", *map(str, BOTH))
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("path", BOTH, ids=lambda p: p.name)
def test_yamllint(path: Path) -> None:
    assert yamllint(path) == []


@pytest.mark.parametrize("path", BOTH, ids=lambda p: p.name)
def test_actionlint(path: Path) -> None:
    result = run(tool("actionlint"), "-oneline", "-shellcheck", tool("shellcheck"), str(path))
    assert result.returncode == 0, result.stdout + result.stderr


def zizmor(path: Path) -> list[str]:
    result = run(tool("zizmor"), "--offline", "--persona", "pedantic", "--format", "json", str(path))
    return sorted(f["ident"] for f in json.loads(result.stdout or "[]"))


def test_zizmor_flags_the_token_and_nothing_else_before() -> None:
    """The page says zizmor's use-trusted-publishing audit catches the `password:` line."""
    assert zizmor(BEFORE) == ["use-trusted-publishing"]


def test_zizmor_finds_nothing_after() -> None:
    assert zizmor(AFTER) == []


@pytest.mark.parametrize("path", BOTH, ids=lambda p: p.name)
def test_pins_and_inputs_are_the_recorded_ones(path: Path) -> None:
    recorded = workflows.action_inputs()
    for use in workflows.uses(path):
        entry = recorded[use.action]
        assert (use.ref, use.comment) == (entry["sha"], entry["version"]), f"{path.name}:{use.line}"
    for job, uses, keys in workflows.steps_with_inputs(workflows.load(path)):
        inputs = recorded[uses.split("@")[0]]
        assert keys <= set(inputs["inputs"]) and not keys & set(inputs["deprecated_inputs"]), (path.name, job, keys)


def test_only_the_publish_job_changes() -> None:
    before, after = workflows.load(BEFORE), workflows.load(AFTER)
    assert {k: v for k, v in before.items() if k != "jobs"} == {k: v for k, v in after.items() if k != "jobs"}
    assert {k: v for k, v in before["jobs"].items() if k != JOB} == {k: v for k, v in after["jobs"].items() if k != JOB}


def test_the_publish_job_swaps_the_password_for_an_oidc_token() -> None:
    before, after = workflows.load(BEFORE)["jobs"][JOB], workflows.load(AFTER)["jobs"][JOB]
    upload = [s for s in before["steps"] if "uses" in s and s["uses"].startswith(PUBLISH_ACTION)]
    assert upload[0]["with"] == {"password": "${{ secrets.PYPI_API_TOKEN }}"}
    assert "environment" not in before and before["permissions"] == {}
    assert after["permissions"] == {"id-token": "write"} and after["environment"]["name"] == "pypi"
    assert all("with" not in s for s in after["steps"] if "uses" in s and s["uses"].startswith(PUBLISH_ACTION))


def test_the_model_refuses_the_before_and_gives_a_form_for_the_after() -> None:
    with pytest.raises(RefusedJob):
        from_snippets.github_form("migration/publish-token.yml", JOB, Index.PYPI, saved_as="publish.yml")
    form = from_snippets.github_form("migration/publish-trusted.yml", JOB, Index.PYPI, saved_as="publish.yml")
    assert (form.workflow, form.environment) == ("publish.yml", "pypi")
