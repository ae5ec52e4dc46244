"""The Check page in Chromium: its checker (check.js) gives the Python checker's report on every
fixture, and the page shows it, bad input included, without sending anything anywhere.

Vectors: the Python checker's JSON (without zizmor's findings, which only the command runs) for
every fixture of tests/data/check/ and tests/data/check-rules/, the site's workflows, pipeline and
pitfall examples, and every bad input of test_check.py; the page's module, run in Chromium on the
same files, must give the same JSON. The YAML parser comes from node_modules (`npm ci`): without it
these tests skip, except under CI=true, where they fail.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser import stop_other_hosts

from test_check import BAD, GOOD, ODD_SHAPES, PAYLOAD, PYPROJECT, REPOSITORY, SEEN, checkout
from tpsite.check import check, parse_repository
from tpsite.paths import ROOT, SNIPPETS
from tpsite.sample import SAMPLE

FIXTURES = ROOT / "tests" / "data" / "check"
RULES = ROOT / "tests" / "data" / "check-rules"
PARSER = ROOT / "node_modules" / "yaml" / "browser" / "dist"


@pytest.fixture(scope="module", autouse=True)
def parser_installed() -> None:
    if not PARSER.is_dir():
        reason = "the YAML parser is not installed (run npm ci); the Check page's tests need it"
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)


def _files(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): p.read_text(encoding="utf-8", errors="replace")
        for p in sorted(root.rglob("*"))
        if p.is_file() and p.name not in ("SOURCE.toml", "expected.toml")
    }


def vector_checkouts(base: Path) -> list[tuple[str, Path, str]]:
    """(name, checkout, repository) for every vector."""
    found: list[tuple[str, Path, str]] = []
    for folder in sorted(p for p in FIXTURES.iterdir() if p.is_dir()):
        import tomllib

        found.append((f"fixture-{folder.name}", folder, tomllib.loads((folder / "expected.toml").read_text(encoding="utf-8"))["repository"]))
    found += [(f"rule-{p.name}", p, "example/project") for p in sorted(RULES.iterdir())]
    for path in GOOD:
        found.append((f"good-{path.name}", checkout(base / f"good-{path.name}", {path.name: path}), REPOSITORY))
    found.append(("good-gitlab", checkout(base / "good-gitlab", gitlab=SNIPPETS / SAMPLE.gitlab_pipeline), REPOSITORY))
    for name, (files, pyproject, _) in SEEN.items():
        found.append((f"pitfall-{name}", checkout(base / f"pitfall-{name}", files, pyproject=pyproject), REPOSITORY))
    for name, (text, _) in BAD.items():
        found.append((f"bad-{name}", checkout(base / f"bad-{name}", {"publish.yml": text}), REPOSITORY))
    for i, text in enumerate(ODD_SHAPES):
        root = checkout(base / f"odd-{i}", {"publish.yml": text})
        (root / ".gitlab-ci.yml").write_text("include: [5, {local: [1]}, {local: nothere.yml}]\njob:\n  script: [[twine upload x], 5]\n  id_tokens: 3\n  extends: [.x, 5]\n", encoding="utf-8")
        found.append((f"odd-{i}", root, REPOSITORY))
    found.append(("payload", checkout(base / "payload", {"publish.yml": PAYLOAD}), REPOSITORY))
    found.append(("no-repository", checkout(base / "no-repository", {"publish.yml": SNIPPETS / SAMPLE.workflow}), ""))
    return found


def normalised(report: dict[str, Any]) -> dict[str, Any]:
    """The report as both sides must agree on it: YAML parse errors say "not valid YAML" with the
    parser's own words after it (two parsers), and the refusals in any order."""
    refused = sorted(re.sub(r"^(.*?): (not valid YAML).*", r"\1: \2", r, flags=re.S) for r in report["refused"])
    return {**report, "refused": refused}


@pytest.fixture(scope="module")
def vectors(tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, Any]]:
    base = tmp_path_factory.mktemp("check-vectors")
    found = []
    for name, root, repository in vector_checkouts(base):
        report = check(root, parse_repository(repository) if repository else None, run_zizmor=False).as_json()
        found.append({"name": name, "files": _files(root), "repository": repository, "expect": normalised(report)})
    return found


# Runs the page's checker on every vector (files, repository), as the page does; returns the reports.
RUN = """async ([base, vectors]) => {
  const { checkFiles, parseRepository } = await import(new URL("assets/javascripts/tp/check.js", base));
  const { loadParsers } = await import(new URL("assets/javascripts/tp/check-load.js", base));
  const [check, model, parsers] = await Promise.all([
    fetch(new URL("assets/data/check.json", base)).then((r) => r.json()),
    fetch(new URL("assets/data/model.json", base)).then((r) => r.json()),
    loadParsers(),
  ]);
  const out = {};
  for (const v of vectors) {
    try {
      out[v.name] = checkFiles(v.files, v.repository ? parseRepository(v.repository) : null, { check, model, ...parsers }).report;
    } catch (error) {
      out[v.name] = { crashed: String(error && error.stack || error) };
    }
  }
  return out;
}"""


@pytest.fixture(scope="module")
def module_page(chromium: Any, base_url: str) -> Iterator[Any]:
    context = chromium.new_context()
    page = context.new_page()
    page.goto(base_url + "check/", wait_until="load")
    yield page
    context.close()


def differences(vectors: list[dict[str, Any]], got: dict[str, Any]) -> list[dict[str, Any]]:
    wrong = []
    for v in vectors:
        mine = got[v["name"]]
        if "crashed" in mine or normalised(mine) != v["expect"]:
            wrong.append({"name": v["name"], "expected": v["expect"], "got": mine})
    return wrong


def test_the_page_gives_the_commands_report_on_every_vector(module_page: Any, base_url: str, vectors: list[dict[str, Any]]) -> None:
    got = module_page.evaluate(RUN, [base_url, vectors])
    assert len(vectors) >= 80
    # The vectors hold what the page must show: jobs with publishers, findings of every severity,
    # refusals (YAML errors, size, aliases, not a workflow), and reasons for no publisher.
    assert sum(len(v["expect"]["jobs"]) for v in vectors) > 50
    assert {f["severity"] for v in vectors for f in v["expect"]["findings"]} == {"error", "warning", "note"}
    assert sum(len(v["expect"]["refused"]) for v in vectors) >= len(BAD)
    wrong = differences(vectors, got)
    assert wrong == [], f"{len(wrong)} vectors differ; first: {json.dumps(wrong[:2], indent=1)[:6000]}"


def test_a_different_answer_would_be_reported(module_page: Any, base_url: str, vectors: list[dict[str, Any]]) -> None:
    # The comparison above must be able to fail: a vector whose expected line is falsified.
    v = next(v for v in vectors if v["expect"]["findings"])
    falsified = json.loads(json.dumps(v))
    falsified["expect"]["findings"][0]["line"] += 1
    got = module_page.evaluate(RUN, [base_url, [falsified]])
    assert len(differences([falsified], got)) == 1


# ---------------------------------------------------------------------------------------------
# The page itself.


class Check:
    """The page, plus every request it made to a host other than the local server."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.foreign: list[str] = []

    def runs(self) -> int:
        return int(self.page.get_attribute("#tp-check-result", "data-runs") or 0)

    def run(self, workflow: str = "", *, path: str = ".github/workflows/publish.yml", repository: str = REPOSITORY, second: tuple[str, str] = ("", ""), pyproject: str = "") -> str:
        before = self.runs()
        self.page.fill("#tp-repo", repository)
        self.page.fill("#tp-path-1", path)
        self.page.evaluate("(t) => { document.getElementById('tp-text-1').value = t; }", workflow)
        self.page.fill("#tp-path-2", second[0])
        self.page.evaluate("(t) => { document.getElementById('tp-text-2').value = t; }", second[1])
        self.page.evaluate("(t) => { document.getElementById('tp-pyproject').value = t; }", pyproject)
        self.page.click("#tp-run")
        self.page.wait_for_function(f"() => Number(document.getElementById('tp-check-result').dataset.runs || 0) > {before}")
        return self.page.inner_text("#tp-check-result")

    def notes(self) -> list[str]:
        return [n.get_attribute("data-note") for n in self.page.locator("#tp-check-result [data-note]").all()]


@pytest.fixture(scope="module")
def page(chromium: Any, base_url: str) -> Iterator[Check]:
    context = chromium.new_context()
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda e: errors.append(str(e)))
    tool = Check(tab)
    stop_other_hosts(context, base_url, lambda request: tool.foreign.append(request.url))
    tab.goto(base_url + "check/", wait_until="load")
    tab.wait_for_selector("#tp-check[data-ready]")
    yield tool
    context.close()
    assert errors == []


WORKFLOW = (SNIPPETS / SAMPLE.workflow).read_text(encoding="utf-8")


def test_a_workflow_gives_the_form_values_and_the_findings(page: Check) -> None:
    text = page.run(WORKFLOW, pyproject=PYPROJECT.read_text(encoding="utf-8"))
    assert "2 publishing jobs" in text
    pypi = page.page.locator('.tp-job[data-job="publish-to-pypi"] .tp-forms')
    values = pypi.locator("dd code").all_inner_texts()
    assert values == ["example", "convert-poetry2uv", "publish.yml", "pypi"]
    assert page.page.locator(".tp-finding").count() == 0


def test_findings_name_their_line_and_link_their_page(page: Check) -> None:
    page.run((SNIPPETS / "pitfalls/id-token-missing/publish-bad.yml").read_text(encoding="utf-8"))
    item = page.page.locator('.tp-finding[data-id="missing-id-token-permission"]')
    assert item.get_attribute("data-severity") == "error"
    assert re.match(r"\.github/workflows/publish\.yml:\d+$", item.locator(".tp-where").inner_text())
    assert item.locator("a").get_attribute("href").endswith("/errors/id-token-permission-missing/")
    assert "No publisher can work" in page.page.inner_text('.tp-job[data-job="publish-to-pypi"]')


def test_a_called_workflow_is_read_from_the_second_field(page: Check) -> None:
    folder = SNIPPETS / "pitfalls/reusable-workflow/.github/workflows"
    page.run((folder / "publish.yml").read_text(encoding="utf-8"), second=(".github/workflows/pypi-upload.yml", (folder / "pypi-upload.yml").read_text(encoding="utf-8")))
    assert page.page.locator('.tp-finding[data-id="reusable-workflow-publishing"]').count() == 1
    assert "pypi-upload.yml" in page.page.locator(".tp-job .tp-forms dd code").all_inner_texts()


def test_a_gitlab_pipeline(page: Check) -> None:
    text = page.run((SNIPPETS / SAMPLE.gitlab_pipeline).read_text(encoding="utf-8"), path=".gitlab-ci.yml")
    assert "GitLab tab" in text and ".gitlab-ci.yml" in page.page.locator(".tp-forms dd code").all_inner_texts()


def test_a_typed_publisher_is_compared_field_by_field(page: Check) -> None:
    page.page.click("#tp-publisher > summary")
    for name, value in {"owner": "example", "repository": "convert-poetry2uv", "workflow": "pubish.yml", "environment": "pypi"}.items():
        page.page.fill(f"#tp-pub-{name}", value)
    page.run(WORKFLOW)
    rows = {r.get_attribute("data-field"): r.get_attribute("data-status") for r in page.page.locator(".tp-compare .tp-row").all()}
    assert rows["workflow"] == "differs" and rows["owner"] == "same" and rows["environment"] == "same"
    assert page.notes().count("publisher-differs") == 1
    page.page.fill("#tp-pub-workflow", "publish.yml")
    page.run(WORKFLOW)
    assert "publisher-matches" in page.notes()
    for name in ("owner", "repository", "workflow", "environment"):
        page.page.fill(f"#tp-pub-{name}", "")


def test_invalid_yaml_names_its_line_and_column(page: Check) -> None:
    text = page.run(BAD["invalid-yaml"][0])
    assert re.search(r"Not read: \.github/workflows/publish\.yml: not valid YAML at line \d+, column \d+", text)


@pytest.mark.parametrize("case", ["not-a-workflow", "a-list", "alias-bomb", "many-aliases", "binary"])
def test_bad_input_gets_a_clear_message(page: Check, case: str) -> None:
    text, message = BAD[case]
    shown = page.run(text)
    assert "refused" in page.notes() and re.search(message, shown), shown


def test_a_megabyte_is_refused(page: Check) -> None:
    before = page.runs()
    page.page.fill("#tp-repo", REPOSITORY)
    page.page.evaluate("() => { document.getElementById('tp-text-1').value = 'x'.repeat(1024 * 1024 + 1); }")
    page.page.click("#tp-run")
    page.page.wait_for_function(f"() => Number(document.getElementById('tp-check-result').dataset.runs || 0) > {before}", timeout=10000)
    assert "more than a workflow has" in page.page.inner_text("#tp-check-result")


def test_markup_in_the_files_is_shown_as_text(page: Check) -> None:
    page.page.evaluate("() => { window.__tp_pwned = undefined; }")
    text = page.run(PAYLOAD)
    assert page.page.evaluate("() => window.__tp_pwned") is None
    result = page.page.locator("#tp-check-result")
    assert result.locator("img, script").count() == 0
    assert '<img src=x onerror="alert(1)">' in text


def test_no_workflow_and_no_repository_are_said_plainly(page: Check) -> None:
    page.run("", repository="")
    assert {"empty", "no-repository"} <= set(page.notes())
    page.run(WORKFLOW, repository="no slash")
    assert "bad-repository" in page.notes()


def test_dropped_files_go_to_their_fields(page: Check, tmp_path: Path) -> None:
    folder = SNIPPETS / "pitfalls/reusable-workflow/.github/workflows"
    names = []
    for name in ("publish.yml", "pypi-upload.yml"):
        shutil.copy(folder / name, tmp_path / name)
        names.append(str(tmp_path / name))
    shutil.copy(PYPROJECT, tmp_path / "pyproject.toml")
    page.page.click("#tp-clear")
    before = page.runs()
    page.page.set_input_files("#tp-files", [*names, str(tmp_path / "pyproject.toml")])
    page.page.wait_for_function(f"() => Number(document.getElementById('tp-check-result').dataset.runs || 0) > {before}")
    assert page.page.input_value("#tp-path-2") == ".github/workflows/pypi-upload.yml"
    assert "convert-poetry2uv" in page.page.input_value("#tp-pyproject")
    assert page.page.locator('.tp-finding[data-id="reusable-workflow-publishing"]').count() == 1


def test_nothing_was_requested_from_another_host(page: Check) -> None:
    page.run(WORKFLOW)
    assert page.foreign == []


def test_without_the_parser_the_page_says_to_install_it(chromium: Any, base_url: str) -> None:
    context = chromium.new_context()
    context.route(re.compile(r".*/assets/javascripts/vendor/.*"), lambda route: route.fulfill(status=404, body="not found"))
    tab = context.new_page()
    tab.goto(base_url + "check/", wait_until="load")
    tab.wait_for_selector("#tp-check[data-ready]")
    tab.focus("#tp-text-1")
    tab.wait_for_selector('[data-note="parser-missing"]')
    assert "run npm ci" in tab.inner_text("#tp-check-result")
    assert tab.is_disabled("#tp-run")
    context.close()


CHECKER = re.compile(r"/(assets/javascripts/vendor/|assets/javascripts/tp/(check[^/]*|compare|warehouse)\.js|assets/data/(check|model)\.json)")


def test_the_checker_is_fetched_on_first_use(chromium: Any, base_url: str) -> None:
    # Most of the page's weight is the checker, its data and the parsers: a reader who only reads
    # the page does not download them; a focus in the form does.
    context = chromium.new_context()
    tab = context.new_page()
    fetched: list[str] = []
    tab.on("request", lambda request: fetched.append(request.url))
    tab.goto(base_url + "check/", wait_until="networkidle")
    tab.wait_for_selector("#tp-check[data-ready]")
    assert [url for url in fetched if CHECKER.search(url)] == []
    # The parsers come last, once the checker's modules have loaded.
    with tab.expect_request(re.compile(r".*/assets/javascripts/vendor/.*")):
        tab.focus("#tp-text-1")
    later = {CHECKER.search(url).group(0) for url in fetched if CHECKER.search(url)}
    assert {"/assets/javascripts/tp/check.js", "/assets/javascripts/tp/check-github.js", "/assets/data/check.json", "/assets/data/model.json"} <= later
    context.close()
