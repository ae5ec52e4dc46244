"""Dependabot's own file is valid, and it watches every folder of workflows readers copy."""

from __future__ import annotations

import fnmatch
import json

from conftest import run, tool
from linters import yamllint
from tpsite import workflows
from tpsite.paths import ROOT, SNIPPETS

DEPENDABOT = ROOT / ".github" / "dependabot.yml"


def test_schema() -> None:
    result = run(tool("check-jsonschema"), "--builtin-schema", "vendor.dependabot", str(DEPENDABOT))
    assert result.returncode == 0, result.stdout + result.stderr


def test_yamllint() -> None:
    assert yamllint(DEPENDABOT) == []


def test_zizmor_pedantic_finds_nothing() -> None:
    result = run(tool("zizmor"), "--offline", "--persona", "pedantic", "--format", "json", str(DEPENDABOT))
    assert result.returncode == 0 and json.loads(result.stdout or "[]") == []


def test_pins_in_snippet_workflows_are_updated() -> None:
    """Outside "/", Dependabot reads only the *.yml directly in each listed directory."""
    config = workflows.load(DEPENDABOT)
    actions = [u for u in config["updates"] if u["package-ecosystem"] == "github-actions"]
    watched = {d for u in actions for d in u.get("directories", [u.get("directory")])}
    pinned_dirs = {
        "/" + str(p.parent.relative_to(ROOT))
        for p in SNIPPETS.rglob("*.yml")
        if workflows.uses(p) and p.parent.name != "original"  # the blog's file stays as published
    }
    assert pinned_dirs, "no snippet workflow with pinned actions found"
    unwatched = {d for d in pinned_dirs if not any(fnmatch.fnmatchcase(d, pattern) for pattern in watched)}
    assert "/" in watched and unwatched == set(), sorted(unwatched)
