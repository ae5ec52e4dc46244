"""The checker on our own re-creations of real publishing setups (tests/data/check/<name>/): each
folder is a minimal checkout modelled on a public repository at one commit (SOURCE.toml), with the
findings a reviewer expected for the original, carried over to our file (expected.toml), written
before any checker existed.

The checker must give exactly the expected error-level findings, at least the expected warnings,
and the form values listed; one printed line per finding id gives precision and recall over all
the fixtures (notes included). Findings the reviewer wanted that no rule of ours gives are listed
in each expected.toml as `[[not_checked]]`, with the reason.
"""

from __future__ import annotations

import collections
import tomllib
from pathlib import Path
from typing import Any

import pytest

from tpsite.check import check, parse_repository
from tpsite.check.findings import KINDS
from tpsite.paths import ROOT

FIXTURES = ROOT / "tests" / "data" / "check"
SETUPS = sorted(p for p in FIXTURES.iterdir() if (p / "expected.toml").is_file())


def expected(setup: Path) -> dict[str, Any]:
    return tomllib.loads((setup / "expected.toml").read_text(encoding="utf-8"))


def source(setup: Path) -> dict[str, Any]:
    return tomllib.loads((setup / "SOURCE.toml").read_text(encoding="utf-8"))


_reports: dict[Path, Any] = {}


def report(setup: Path) -> Any:
    if setup not in _reports:
        _reports[setup] = check(setup, parse_repository(expected(setup)["repository"]))
    return _reports[setup]


def test_there_are_twenty_setups_of_varied_shapes() -> None:
    assert len(SETUPS) >= 20
    files = [f for s in SETUPS for f in s.rglob("*") if f.is_file()]
    assert any(f.name == ".gitlab-ci.yml" for f in files), "a GitLab pipeline"
    assert any(f.name == "action.yml" for f in files), "a composite action"
    assert any("workflow_call" in f.read_text(encoding="utf-8") for f in files if f.suffix in (".yml", ".yaml")), "a reusable workflow"


@pytest.mark.parametrize("setup", SETUPS, ids=lambda p: p.name)
def test_each_setup_names_what_it_is_modelled_on(setup: Path) -> None:
    src = source(setup)
    assert src["url"].startswith("https://github.com/") and len(src["commit"]) == 40
    assert "Modelled on, not copied from" in (setup / "SOURCE.toml").read_text(encoding="utf-8")
    for finding in expected(setup).get("finding", []):
        assert finding["id"] in KINDS, finding
        assert finding["severity"] == KINDS[finding["id"]].severity, finding
        assert (setup / finding["file"]).is_file(), finding


@pytest.mark.parametrize("setup", SETUPS, ids=lambda p: p.name)
def test_the_checker_gives_the_expected_findings(setup: Path) -> None:
    got = report(setup)
    want = expected(setup).get("finding", [])
    assert got.refused == []
    found = {(f.id, f.file, f.line) for f in got.findings}
    errors = {(f.id, f.file, f.line) for f in got.findings if f.severity == "error"}
    assert errors == {(w["id"], w["file"], w["line"]) for w in want if w["severity"] == "error"}
    missing = [(w["id"], w["file"], w["line"]) for w in want if w["severity"] == "warning" and (w["id"], w["file"], w["line"]) not in found]
    assert missing == [], f"expected warnings not found; the checker gave {sorted(found)}"


@pytest.mark.parametrize("setup", SETUPS, ids=lambda p: p.name)
def test_the_form_values_are_the_reviewers(setup: Path) -> None:
    jobs = report(setup).jobs
    for form in expected(setup).get("form", []):
        values = {k: form[k] for k in ("owner", "repository", "workflow_filename", "environment")}
        got = [j.publisher for j in jobs if (j.job, j.index) == (form["job"], form["index"]) and j.file == form.get("file", j.file)]
        assert got == [values], [j.as_json() for j in jobs]


def test_precision_and_recall_per_finding(record_property: Any) -> None:
    matched: collections.Counter[str] = collections.Counter()
    wanted: collections.Counter[str] = collections.Counter()
    given: collections.Counter[str] = collections.Counter()
    for setup in SETUPS:
        want = {(w["id"], w["file"], w["line"]) for w in expected(setup).get("finding", [])}
        want |= {(n["id"], "", 0) for n in expected(setup).get("not_checked", [])}
        got = {(f.id, f.file, f.line) for f in report(setup).findings}
        wanted.update(w[0] for w in want)
        given.update(g[0] for g in got)
        matched.update(g[0] for g in got & want)
    lines = []
    for kind in sorted(set(wanted) | set(given)):
        precision = f"{matched[kind] / given[kind]:.2f}" if given[kind] else "-"
        recall = f"{matched[kind] / wanted[kind]:.2f}" if wanted[kind] else "-"
        lines.append(f"{kind}: expected {wanted[kind]}, found {given[kind]}, both {matched[kind]}: precision {precision}, recall {recall}")
    # Printed at the end of the run (conftest.py's terminal summary), also under xdist.
    record_property("summary", "checker on tests/data/check (precision = both/found, recall = both/expected):\n" + "\n".join(lines))
    # Every error-level finding the fixtures expect is found (the test above, per setup).
    assert all(matched[k] == wanted[k] for k in wanted if k in KINDS and KINDS[k].severity == "error")


def test_the_comparison_can_fail(tmp_path: Path) -> None:
    # A fixture whose expected error is taken away: the same comparison reports it.
    setup = next(s for s in SETUPS if any(f["severity"] == "error" for f in expected(s).get("finding", [])))
    got = report(setup)
    errors = {(f.id, f.file, f.line) for f in got.findings if f.severity == "error"}
    want = {(w["id"], w["file"], w["line"]) for w in expected(setup)["finding"] if w["severity"] == "error"}
    assert errors == want
    assert errors != want - {next(iter(want))}
