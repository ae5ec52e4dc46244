"""Every workflow a page shows, and the project's own, passes the real validators."""

from __future__ import annotations

import datetime
import json
import re
import shutil
from pathlib import Path

import pytest

from conftest import run, tool
from linters import yamllint
from tpsite import workflows
from tpsite.paths import ROOT, SNIPPETS

# Workflows readers copy, the pitfalls' bad examples (wrong for PyPI, not for GitHub), and the
# workflows that build and test this site.
# Bad examples whose mistake zizmor names too (the page says so): file -> its findings, exactly.
FLAGGED = {SNIPPETS / "pitfalls" / "pull-request-target" / "preview-bad.yml": ["dangerous-triggers"]}
CLEAN = (
    sorted(SNIPPETS.glob("workflows/*.yml"))
    + sorted(p for p in SNIPPETS.glob("pitfalls/**/*.yml") if p not in FLAGGED)
    + sorted(ROOT.glob(".github/workflows/*.yml"))
)
# The blog's original workflow, shown "before": valid, but with the findings we fix.
ORIGINAL = SNIPPETS / "original" / "blog-publish.yml"
ALL = [*CLEAN, *FLAGGED, ORIGINAL]
# Every workflow with SHA-pinned actions: the above (less the blog's original, left as published) and the
# migration page's before and after.
PINNED = [*CLEAN, *FLAGGED, *sorted(SNIPPETS.glob("migration/*.yml"))]


def ids(path: Path) -> str:
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else path.name


def test_there_are_workflows_to_check() -> None:
    assert SNIPPETS / "workflows" / "publish.yml" in CLEAN
    assert ROOT / ".github" / "workflows" / "ci.yml" in CLEAN


@pytest.fixture(scope="module")
def schema_errors() -> dict[str, list[str]]:
    """check-jsonschema run once over every workflow (its start-up dominates): file -> errors."""
    result = run(tool("check-jsonschema"), "--builtin-schema", "vendor.github-workflows", "-o", "json", *map(str, ALL))
    report = json.loads(result.stdout)
    errors: dict[str, list[str]] = {}
    for error in report.get("errors", []) + report.get("parse_errors", []):
        errors.setdefault(error["filename"], []).append(error.get("message", str(error)))
    assert (result.returncode == 0) == (report["status"] == "ok") == (not errors), result.stdout
    return errors


@pytest.mark.parametrize("path", ALL, ids=ids)
def test_schema(path: Path, schema_errors: dict[str, list[str]]) -> None:
    assert schema_errors.get(str(path), []) == []


def test_the_schema_check_can_fail(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yml"
    bad.write_text("on: pushh\njobs: {}\n")
    result = run(tool("check-jsonschema"), "--builtin-schema", "vendor.github-workflows", "-o", "json", str(bad))
    assert result.returncode == 1 and json.loads(result.stdout)["errors"][0]["filename"] == str(bad)


@pytest.mark.parametrize("path", ALL, ids=ids)
def test_yamllint(path: Path) -> None:
    assert yamllint(path) == []


def repository_root(path: Path) -> Path | None:
    """The example repository a snippet workflow sits in (`.../.github/workflows/x.yml`), if any."""
    return path.parents[2] if path.parent.match(".github/workflows") and SNIPPETS in path.parents else None


@pytest.mark.parametrize("path", [*CLEAN, *FLAGGED], ids=ids)
def test_actionlint(path: Path, tmp_path: Path) -> None:
    example = repository_root(path)
    if example is None:
        result = run(tool("actionlint"), "-oneline", "-shellcheck", tool("shellcheck"), str(path))
    else:
        # actionlint resolves local reusable workflows from the git root: lint the example as its own repository.
        shutil.copytree(example, tmp_path / "repo")
        run("git", "init", "-q", cwd=tmp_path / "repo")
        relative = str(path.relative_to(example))
        result = run(tool("actionlint"), "-oneline", "-shellcheck", tool("shellcheck"), relative, cwd=tmp_path / "repo")
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("path", CLEAN, ids=ids)
def test_zizmor_pedantic_finds_nothing(path: Path) -> None:
    result = run(tool("zizmor"), "--offline", "--persona", "pedantic", "--format", "json", str(path))
    findings = json.loads(result.stdout or "[]")
    assert result.returncode == 0 and findings == [], [f["ident"] for f in findings]


@pytest.mark.parametrize("path", FLAGGED, ids=ids)
def test_zizmor_flags_the_bad_example_for_its_mistake(path: Path) -> None:
    result = run(tool("zizmor"), "--offline", "--persona", "pedantic", "--format", "json", str(path))
    assert sorted({f["ident"] for f in json.loads(result.stdout)}) == FLAGGED[path]


def test_zizmor_flags_the_original_for_what_we_changed() -> None:
    """The page explains each of these; if zizmor stops finding them, the page is stale."""
    result = run(tool("zizmor"), "--offline", "--persona", "pedantic", "--format", "json", str(ORIGINAL))
    found = sorted({f["ident"] for f in json.loads(result.stdout)})
    assert found == [
        "anonymous-definition",
        "artipacked",
        "concurrency-limits",
        "excessive-permissions",
        "undocumented-permissions",
        "unpinned-uses",
    ]


@pytest.mark.parametrize("path", PINNED, ids=ids)
def test_every_action_is_pinned_to_the_recorded_sha(path: Path) -> None:
    recorded = workflows.action_inputs()
    for use in workflows.uses(path):
        where = f"{ids(path)}:{use.line}: {use.action}"
        assert use.sha_pinned, f"{where}@{use.ref} is not pinned to a commit"
        assert use.action in recorded, f"{use.action} has no entry in tests/data/action-inputs.json"
        entry = recorded[use.action]
        assert use.ref == entry["sha"], f"{where}: pinned {use.ref}, recorded {entry['sha']}"
        assert use.comment == entry["version"], f"{where}: comment {use.comment!r}, recorded {entry['version']!r}"
        assert {"released", "checked"} <= entry.keys(), f"{use.action}: record without its release or check date"


def test_every_record_is_dated_and_consistent() -> None:
    """Each pin's record says when the pinned release came out and when the pin was checked against its tag."""
    for action, entry in workflows.action_inputs().items():
        released = datetime.date.fromisoformat(entry["released"])
        checked = datetime.date.fromisoformat(entry["checked"])
        assert released <= checked <= datetime.date.today(), action
        assert re.fullmatch(r"[0-9a-f]{40}", entry["sha"]) and re.fullmatch(r"v\d+\.\d+\.\d+", entry["version"]), action
        assert entry["source"] == f"https://github.com/{action}/blob/{entry['sha']}/action.yml", action
        assert isinstance(entry["sha_verified"], bool) and entry["provenance"], action


def test_every_record_is_used() -> None:
    """A record no workflow pins any more is stale: drop it with the last use."""
    used = {use.action for path in PINNED for use in workflows.uses(path)}
    stale = sorted(set(workflows.action_inputs()) - used)
    assert stale == [], f"records no workflow pins: {stale}"


def test_the_same_action_has_the_same_pin_everywhere() -> None:
    pins: dict[str, set[str]] = {}
    for path in [*CLEAN, *FLAGGED]:
        for use in workflows.uses(path):
            pins.setdefault(use.action, set()).add(f"{use.ref} # {use.comment}")
    assert pins and {a: p for a, p in pins.items() if len(p) > 1} == {}


@pytest.mark.parametrize("path", [*CLEAN, *FLAGGED], ids=ids)
def test_every_input_exists_in_the_pinned_action(path: Path) -> None:
    """actionlint cannot check inputs of SHA-pinned actions, so we do, from their action.yml."""
    recorded = workflows.action_inputs()
    for job, uses, keys in workflows.steps_with_inputs(workflows.load(path)):
        entry = recorded[uses.split("@")[0]]
        unknown = keys - set(entry["inputs"])
        deprecated = keys & set(entry["deprecated_inputs"])
        assert not unknown, f"{ids(path)} job {job}: {uses} has no input(s) {sorted(unknown)}"
        assert not deprecated, f"{ids(path)} job {job}: deprecated input(s) {sorted(deprecated)}"


def test_the_input_check_can_fail(tmp_path: Path) -> None:
    """A typo'd input (snake_case alias spelled wrong) is caught by our check, not by actionlint."""
    bad = tmp_path / "bad.yml"
    bad.write_text((SNIPPETS / "workflows" / "publish.yml").read_text().replace("skip-existing:", "skip-existng:"))
    with pytest.raises(AssertionError, match="skip-existng"):
        test_every_input_exists_in_the_pinned_action(bad)
    assert run(tool("actionlint"), "-oneline", str(bad)).returncode == 0


def test_the_yaml_lint_can_fail(tmp_path: Path) -> None:
    bad = tmp_path / "publish.yml"
    bad.write_text("on: push   \njobs: {}\n", encoding="utf-8")
    assert yamllint(bad) == ["publish.yml:1:9: [error] trailing spaces (trailing-spaces)"]
