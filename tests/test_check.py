"""`tpsite check`, the command: every pitfall's bad example flagged with its own finding, every good
workflow on the site free of errors and giving the form values the pages document, the exit
status and JSON on fixtures, and bad input refused with a clear message (never a traceback).

Each case is a temporary checkout: the snippet saved where a reader saves it
(.github/workflows/<name>.yml, .gitlab-ci.yml, pyproject.toml).
"""

from __future__ import annotations

import ast
import contextlib
import io
import json
import re
import shutil
import subprocess
import tomllib
from pathlib import Path
from typing import Any

import pytest

from conftest import run, tool
from tpsite import from_snippets, pitfalls, variants, workflows
from tpsite.check import check, parse_repository
from tpsite.check.findings import KINDS
from tpsite.model import GitHubRepository, Index
from tpsite.model.jobs import gitlab_publishing_jobs, publishing_jobs
from tpsite.paths import DOCS, ROOT, SNIPPETS
from tpsite.sample import SAMPLE

PYPROJECT = SNIPPETS / SAMPLE.pyproject
REPOSITORY = SAMPLE.repository.full_name


def checkout(root: Path, workflows_: dict[str, Path | str] | None = None, *, pyproject: Path | None = PYPROJECT, gitlab: Path | None = None) -> Path:
    """A repository checkout: workflows by file name (a snippet path or a text), a pyproject.toml,
    a .gitlab-ci.yml."""
    root.mkdir(parents=True, exist_ok=True)
    folder = root / ".github" / "workflows"
    for name, source in (workflows_ or {}).items():
        folder.mkdir(parents=True, exist_ok=True)
        text = source.read_text(encoding="utf-8") if isinstance(source, Path) else source
        (folder / name).write_text(text, encoding="utf-8")
    if pyproject is not None:
        shutil.copy(pyproject, root / "pyproject.toml")
    if gitlab is not None:
        shutil.copy(gitlab, root / ".gitlab-ci.yml")
    return root


def ids(report: Any) -> set[str]:
    return {f.id for f in report.findings}


def errors(report: Any) -> list[str]:
    return [f"{f.file}:{f.line} {f.id}" for f in report.findings if f.severity == "error"]


def command(*args: str) -> Any:
    """The installed `tpsite check`, run as a reader runs it."""
    return run(tool("tpsite"), "check", *args)


def cli(*args: str) -> Any:
    """The same entry point called in this process (no interpreter start per case): its exit
    status and what it printed. An exception escapes and fails the test, as a traceback would."""
    from tpsite.check.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            status = main(["check", *args])
        except SystemExit as exit:  # argparse's refusals
            status = exit.code if isinstance(exit.code, int) else 2
    return subprocess.CompletedProcess(args, status, out.getvalue(), err.getvalue())


# ---------------------------------------------------------------------------------------------
# (a) The pitfalls page: each bad example is flagged with its pitfall's finding.

# pitfall -> (the checkout its bad example makes: workflow files, pyproject; the finding it must raise)
SEEN: dict[str, tuple[dict[str, Path], Path, str]] = {
    "id-token-missing": ({"publish.yml": SNIPPETS / "pitfalls/id-token-missing/publish-bad.yml"}, PYPROJECT, "missing-id-token-permission"),
    "environment-missing": ({"publish.yml": SNIPPETS / "pitfalls/environment-missing/publish-bad.yml"}, PYPROJECT, "no-environment"),
    "file-already-exists": ({"publish.yml": SNIPPETS / "pitfalls/file-already-exists/publish-bad.yml"}, PYPROJECT, "static-testpypi-version"),
    "pull-request-target": ({"preview.yml": SNIPPETS / "pitfalls/pull-request-target/preview-bad.yml"}, PYPROJECT, "pull-request-target"),
    "reusable-workflow": (
        {p.name: p for p in (SNIPPETS / "pitfalls/reusable-workflow/.github/workflows").glob("*.yml")},
        PYPROJECT,
        "reusable-workflow-publishing",
    ),
    # The site's workflow with the pitfall's pyproject.toml.
    "local-version": ({"publish.yml": SNIPPETS / SAMPLE.workflow}, SNIPPETS / "pitfalls/local-version/pyproject-bad.toml", "local-version"),
    "project-name-mismatch": (
        {"publish.yml": SNIPPETS / SAMPLE.workflow},
        SNIPPETS / "pitfalls/project-name-mismatch/pyproject-bad.toml",
        "dist-name-vs-project-name",
    ),
}
# Pitfalls on PyPI's side only: a publisher typed into PyPI's form, which no file of the checkout
# holds. For them the checker's form values are compared with the pitfall's publisher files.
PYPI_SIDE = {"form-typo", "dash-underscore", "other-index", "pending-for-existing-project", "repository-transferred", "gitlab-case", "repository-name-differs"}


def test_every_pitfall_is_either_checked_or_on_pypis_side() -> None:
    folders = {p.name for p in (SNIPPETS / "pitfalls").iterdir() if p.is_dir()}
    assert set(SEEN) | PYPI_SIDE == folders == set(pitfalls.PITFALLS)
    assert not set(SEEN) & PYPI_SIDE


@pytest.mark.parametrize("pitfall", sorted(SEEN))
def test_the_bad_example_is_flagged_with_its_pitfalls_finding(pitfall: str, tmp_path: Path) -> None:
    files, pyproject, finding = SEEN[pitfall]
    report = check(checkout(tmp_path, files, pyproject=pyproject), parse_repository(REPOSITORY))
    assert finding in ids(report), [f.as_json() for f in report.findings]
    assert report.refused == []


@pytest.mark.parametrize("finding", sorted({f for _, _, f in SEEN.values()}))
def test_the_sites_workflow_does_not_raise_the_pitfalls_findings(finding: str, tmp_path: Path) -> None:
    # The same rule passes the fixed configuration: each pitfall's fix is the site's workflow.
    report = check(checkout(tmp_path, {"publish.yml": SNIPPETS / SAMPLE.workflow}), parse_repository(REPOSITORY))
    assert finding not in ids(report)


# The repository-name-differs pitfall's repository: the sample's, under another name.
RENAMED = GitHubRepository(owner=SAMPLE.repository.owner, name="uv-migration-tools", owner_id=SAMPLE.repository.owner_id)


def _typed(path: Path) -> tuple[str, str, str, str, str]:
    """A publisher file as (index, owner, repository, workflow, environment) typed on PyPI."""
    form = tomllib.loads(path.read_text(encoding="utf-8"))
    if "namespace" in form:
        return (form["index"], form["namespace"], form["project"], form["top-level-pipeline-file-path"], form.get("environment-name", ""))
    return (form["index"], form["owner"], form["repository-name"], form["workflow-name"], form.get("environment-name", ""))


def _forms(tmp_path: Path, pitfall: str) -> set[tuple[str, str, str, str, str]]:
    """The (index, owner, repository, workflow, environment) the checker gives for the checkout
    a PyPI-side pitfall is about: the site's workflow (or pipeline) in the pitfall's repository."""
    if pitfall == "gitlab-case":
        root = checkout(tmp_path, gitlab=SNIPPETS / SAMPLE.gitlab_pipeline)
    else:
        root = checkout(tmp_path, {"publish.yml": SNIPPETS / SAMPLE.workflow})
    repository = {"repository-transferred": pitfalls.TRANSFERRED, "repository-name-differs": RENAMED}.get(pitfall, SAMPLE.repository)
    report = check(root, parse_repository(repository.full_name))
    return {(j.index, *j.publisher.values()) for j in report.jobs if j.publisher}


@pytest.mark.parametrize("pitfall", sorted(PYPI_SIDE))
def test_on_pypis_side_the_form_values_match_the_fix_and_not_the_mistake(pitfall: str, tmp_path: Path) -> None:
    forms = _forms(tmp_path, pitfall)
    folder = SNIPPETS / "pitfalls" / pitfall
    fixed = sorted(folder.glob("publisher-fixed.toml"))
    assert fixed, "a PyPI-side pitfall shows the publisher that works"
    assert _typed(fixed[0]) in forms, (forms, _typed(fixed[0]))
    for bad in folder.glob("publisher-bad.toml"):
        if pitfall == "pending-for-existing-project":
            # The mistake is where the values are typed (a pending publisher for a project that
            # exists), not the values: they are the same, and the checker gives those.
            assert _typed(bad) in forms
        else:
            assert _typed(bad) not in forms, f"{bad.name} would match the checker's form"


# ---------------------------------------------------------------------------------------------
# (b) Every good workflow on the site: no error, and the form values its page documents.

GOOD = sorted((SNIPPETS / "workflows").glob("*.yml")) + [SNIPPETS / "migration/publish-trusted.yml"]
_MACRO = re.compile(r"<!--\[\[ (publisher_form|variant_form|gitlab_form)\((.*?)\) \]\]-->")


def documented_forms() -> list[tuple[str, dict[str, Any]]]:
    """Every form a page shows for a good workflow, as (macro, its arguments)."""
    found = []
    for page in sorted(DOCS.rglob("*.md")):
        for macro, args in _MACRO.findall(page.read_text(encoding="utf-8")):
            call = ast.parse(f"f({args})", mode="eval").body
            assert isinstance(call, ast.Call)
            found.append((macro, {k.arg: ast.literal_eval(k.value) for k in call.keywords}))
    return found


FORMS = documented_forms()


def test_the_pages_document_forms_for_every_good_workflow() -> None:
    shown = {kw.get("workflow", SAMPLE.workflow) for macro, kw in FORMS if macro != "gitlab_form"}
    assert {str(p.relative_to(SNIPPETS)) for p in GOOD} <= shown
    assert any(macro == "gitlab_form" for macro, _ in FORMS)


@pytest.mark.parametrize("path", GOOD, ids=lambda p: p.name)
def test_a_good_workflow_has_no_error_and_a_publisher_for_each_publishing_job(path: Path, tmp_path: Path) -> None:
    report = check(checkout(tmp_path, {path.name: path}), parse_repository(REPOSITORY))
    assert errors(report) == []
    assert report.refused == []
    expected = {(job, index.value) for job, index in publishing_jobs(workflows.load(path)).items()}
    assert {(j.job, j.index) for j in report.jobs if j.publisher} == expected


def test_the_gitlab_pipeline_has_no_error_and_a_publisher_for_each_publishing_job(tmp_path: Path) -> None:
    pipeline = SNIPPETS / SAMPLE.gitlab_pipeline
    report = check(checkout(tmp_path, gitlab=pipeline), parse_repository(REPOSITORY))
    assert errors(report) == []
    expected = {(job, index.value) for job, index in gitlab_publishing_jobs(workflows.load(pipeline)).items()}
    assert {(j.job, j.index) for j in report.jobs if j.publisher} == expected


def _documented(macro: str, kw: dict[str, Any]) -> tuple[Path, GitHubRepository, str, dict[str, str]]:
    """(the checkout's workflow file, the repository, the file name in it, the form values the page shows)."""
    index = Index(kw["index"])
    if macro == "gitlab_form":
        form = from_snippets.gitlab_form(kw.get("pipeline", SAMPLE.gitlab_pipeline), kw["job"], index)
        return SNIPPETS / kw.get("pipeline", SAMPLE.gitlab_pipeline), SAMPLE.repository, ".gitlab-ci.yml", _values(form)
    workflow = kw.get("workflow", SAMPLE.workflow)
    repository = variants.MONOREPO_REPOSITORY if kw.get("monorepo") else SAMPLE.repository
    saved = kw.get("saved_as") or Path(workflow).name
    form = from_snippets.github_form(workflow, kw["job"], index, project=kw.get("project"), repository=repository, saved_as=kw.get("saved_as"))
    return SNIPPETS / workflow, repository, f".github/workflows/{saved}", _values(form)


def _values(form: Any) -> dict[str, str]:
    return {"owner": form.owner, "repository": form.repository, "workflow_filename": form.workflow, "environment": form.environment}


@pytest.mark.parametrize(("macro", "kw"), FORMS, ids=[f"{m}-{kw.get('workflow', kw.get('pipeline', 'default'))}-{kw['job']}" for m, kw in FORMS])
def test_the_form_values_are_those_the_page_documents(macro: str, kw: dict[str, Any], tmp_path: Path) -> None:
    source, repository, file, values = _documented(macro, kw)
    if macro == "gitlab_form":
        root = checkout(tmp_path, gitlab=source)
    else:
        root = checkout(tmp_path, {Path(file).name: source})
    report = check(root, parse_repository(repository.full_name))
    got = [j.publisher for j in report.jobs if (j.file, j.job, j.index) == (file, kw["job"], kw["index"])]
    assert got == [values]


def test_the_form_comparison_can_fail(tmp_path: Path) -> None:
    # The same workflow with the PyPI job's environment renamed gives other values than the page's.
    text = (SNIPPETS / SAMPLE.workflow).read_text(encoding="utf-8").replace("name: pypi\n", "name: release\n")
    report = check(checkout(tmp_path, {"publish.yml": text}), parse_repository(REPOSITORY))
    _, _, _, values = _documented("publisher_form", {"job": "publish-to-pypi", "index": "pypi"})
    got = [j.publisher for j in report.jobs if j.job == "publish-to-pypi"]
    assert got and got != [values]


# ---------------------------------------------------------------------------------------------
# (c) The command: exit status, JSON, text.

JOB_KEYS = {"file", "job", "publishes_with", "index", "environment", "claims", "publisher", "why_no_publisher"}
FINDING_KEYS = {"id", "severity", "file", "line", "message", "page"}


def test_a_clean_checkout_exits_0_and_prints_the_json_contract(tmp_path: Path) -> None:
    root = checkout(tmp_path, {"publish.yml": SNIPPETS / SAMPLE.workflow})
    result = command(str(root), "--repository", REPOSITORY, "--format", "json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert set(data) == {"jobs", "findings", "refused"}
    assert data["jobs"] and all(set(j) == JOB_KEYS for j in data["jobs"])
    pypi = next(j for j in data["jobs"] if j["index"] == "pypi")
    assert pypi["publisher"] == {"owner": "example", "repository": "convert-poetry2uv", "workflow_filename": "publish.yml", "environment": "pypi"}
    assert pypi["claims"]["push"]["job_workflow_ref"] == f"{REPOSITORY}/.github/workflows/publish.yml@refs/tags/v1.0.0"
    assert pypi["file"] == ".github/workflows/publish.yml" and pypi["why_no_publisher"] is None


def test_an_error_level_finding_exits_1_with_file_line_and_page(tmp_path: Path) -> None:
    root = checkout(tmp_path, {"publish.yml": SNIPPETS / "pitfalls/id-token-missing/publish-bad.yml"})
    result = command(str(root), "--repository", REPOSITORY, "--format", "json")
    assert result.returncode == 1, result.stderr
    data = json.loads(result.stdout)
    finding = next(f for f in data["findings"] if f["id"] == "missing-id-token-permission")
    assert set(finding) == FINDING_KEYS and finding["severity"] == "error"
    assert finding["file"] == ".github/workflows/publish.yml" and finding["line"] >= 1
    line = (root / finding["file"]).read_text(encoding="utf-8").split("\n")[finding["line"] - 1]
    assert "permissions" in line or "publish-to-pypi" in line
    assert finding["page"] == KINDS["missing-id-token-permission"].page
    job = next(j for j in data["jobs"] if j["job"] == "publish-to-pypi")
    assert job["publisher"] is None and "id-token-permission-missing" in job["why_no_publisher"]


def test_the_text_report_names_file_and_line(tmp_path: Path) -> None:
    root = checkout(tmp_path, {"publish.yml": SNIPPETS / "pitfalls/environment-missing/publish-bad.yml"})
    result = cli(str(root), "--repository", REPOSITORY)
    assert result.returncode == 0  # a warning does not fail
    assert re.search(r"^\.github/workflows/publish\.yml:\d+: warning: \[no-environment\]", result.stdout, re.M)
    assert "PyPI publisher: owner=example, repository=convert-poetry2uv, workflow_filename=publish.yml, environment=(empty)" in result.stdout


def test_without_a_repository_the_report_says_what_is_missing(tmp_path: Path) -> None:
    root = checkout(tmp_path, {"publish.yml": SNIPPETS / SAMPLE.workflow})
    data = json.loads(cli(str(root), "--format", "json").stdout)
    assert all(j["publisher"] is None and "owner/name" in j["why_no_publisher"] for j in data["jobs"])


def test_the_repository_comes_from_the_git_remote(tmp_path: Path) -> None:
    root = checkout(tmp_path, {"publish.yml": SNIPPETS / SAMPLE.workflow})
    (root / ".git").mkdir()
    (root / ".git" / "config").write_text('[remote "origin"]\n\turl = git@github.com:someone/their-project.git\n', encoding="utf-8")
    report = check(root)
    assert {j.publisher["owner"] for j in report.jobs if j.publisher} == {"someone"}


def test_pre_commit_file_names_are_accepted_and_ignored(tmp_path: Path) -> None:
    root = checkout(tmp_path, {"publish.yml": SNIPPETS / SAMPLE.workflow})
    result = cli(str(root), "--repository", REPOSITORY, ".github/workflows/publish.yml", "pyproject.toml")
    assert result.returncode == 0, result.stderr


def test_the_hook_entry_runs_the_command() -> None:
    from ruamel.yaml import YAML

    hooks = YAML(typ="safe", pure=True).load((SNIPPETS.parent / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert [h["entry"] for h in hooks] == ["tpsite check"] and hooks[0]["pass_filenames"] is False
    assert re.search(hooks[0]["files"], ".github/workflows/publish.yml") and re.search(hooks[0]["files"], ".gitlab-ci.yml")


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_every_finding_links_to_a_page_of_the_site(kind: str) -> None:
    page, _, anchor = KINDS[kind].page.partition("#")
    source = DOCS / (page.rstrip("/") + ".md")
    assert source.is_file(), source
    if anchor:
        assert f"#{anchor}" in source.read_text(encoding="utf-8"), f"{source.name} has no #{anchor}"


# ---------------------------------------------------------------------------------------------
# (d) Bad input: a clear message, exit 2, no traceback, no hang.

BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{n}: &{n} [{', '.join([f'*{p}'] * 9)}]\n" for p, n in zip("abcdefghi", "bcdefghij", strict=True)
)
MANY_ALIASES = "a: &a x\nb: [" + ", ".join(["*a"] * 150) + "]\n"
HTML = '<img src=x onerror="alert(1)"><script>alert(2)</script>'
PAYLOAD = f"""name: {json.dumps(HTML)}
on:
  push:
    tags: ["v*"]
jobs:
  {json.dumps(HTML)}:
    runs-on: ubuntu-latest
    environment: {json.dumps(HTML)}
    permissions:
      id-token: write
    steps:
      - uses: {json.dumps("pypa/gh-action-pypi-publish@" + HTML)}
      - run: uv publish --index {json.dumps(HTML)}
"""

BAD: dict[str, tuple[str, str]] = {
    # name: (the workflow's text, what the message must say)
    "invalid-yaml": ("on: push\njobs:\n  build: [\n    runs-on: x\n", r"not valid YAML at line \d+, column \d+"),
    "tab-indent": ("on: push\njobs:\n\tbuild:\n", r"not valid YAML at line 3, column 1"),
    "not-a-workflow": ("hello: world\nlist: [1, 2]\n", r"not a GitHub Actions workflow"),
    "a-list": ("- just\n- a list\n", r"not a mapping"),
    "a-scalar": ("just text\n", r"not a mapping"),
    "empty": ("", r"empty"),
    "one-megabyte": ("x" * (1024 * 1024 + 1), r"more than a workflow has"),
    "alias-bomb": (BOMB, r"values once its aliases"),
    "many-aliases": (MANY_ALIASES, r"150 aliases"),
    "binary": ("".join(chr(i % 256) for i in range(2000)), r"not valid YAML|not a mapping"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_input_gets_a_clear_message_and_exit_2(case: str, tmp_path: Path) -> None:
    text, message = BAD[case]
    root = checkout(tmp_path, {"publish.yml": text})
    result = cli(str(root), "--repository", REPOSITORY)
    assert result.returncode == 2, result.stdout + result.stderr
    assert re.search(message, result.stderr), result.stderr
    assert ".github/workflows/publish.yml" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_an_alias_bomb_is_refused_before_it_is_built(tmp_path: Path) -> None:
    # 9^10 values if expanded: refused in well under a second.
    import time

    root = checkout(tmp_path, {"publish.yml": BOMB})
    start = time.monotonic()
    report = check(root, parse_repository(REPOSITORY), run_zizmor=False)
    assert time.monotonic() - start < 5
    assert report.refused and "aliases" in report.refused[0]


def test_the_good_files_are_still_checked_beside_a_bad_one(tmp_path: Path) -> None:
    root = checkout(tmp_path, {"publish.yml": SNIPPETS / "pitfalls/id-token-missing/publish-bad.yml", "broken.yml": "on: [\n"})
    result = cli(str(root), "--repository", REPOSITORY, "--format", "json")
    assert result.returncode == 2
    data = json.loads(result.stdout)
    assert any(f["id"] == "missing-id-token-permission" for f in data["findings"])
    assert data["refused"] and data["refused"][0].startswith(".github/workflows/broken.yml: not valid YAML at line")


def test_markup_in_values_is_kept_as_text(tmp_path: Path) -> None:
    root = checkout(tmp_path, {"publish.yml": PAYLOAD})
    result = cli(str(root), "--repository", REPOSITORY, "--format", "json")
    assert result.returncode in (0, 1), result.stderr
    data = json.loads(result.stdout)
    assert data["jobs"] and data["jobs"][0]["job"] == HTML and data["jobs"][0]["environment"] == HTML
    text = cli(str(root), "--repository", REPOSITORY).stdout
    assert HTML in text and "Traceback" not in text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["{missing}"], "is not a directory"),
        (["{empty}"], "nothing to check"),
        (["{empty}", "--repository", "no-slash"], "OWNER/NAME"),
        (["{empty}", "--repository", "a b/c"], "OWNER/NAME"),
    ],
)
def test_a_bad_path_or_repository_exits_2(args: list[str], message: str, tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "pyproject.toml").write_text("[project]\nname = 'x'\n", encoding="utf-8")
    result = cli(*(a.format(missing=tmp_path / "missing", empty=tmp_path / "empty") for a in args))
    assert result.returncode == 2
    assert message in result.stderr and "Traceback" not in result.stderr


def test_a_pyproject_that_is_not_toml_is_refused(tmp_path: Path) -> None:
    root = checkout(tmp_path, {"publish.yml": SNIPPETS / SAMPLE.workflow}, pyproject=None)
    (root / "pyproject.toml").write_text('[project]\nname = "x\n', encoding="utf-8")
    result = cli(str(root), "--repository", REPOSITORY)
    assert result.returncode == 2 and "pyproject.toml: not valid TOML" in result.stderr


# Shapes a YAML file can have that no workflow has: the checker reads them without an exception.
ODD_SHAPES = [
    "on: 5\njobs: {a: 1}\n",
    "on: push\njobs:\n  a: [1, 2]\n",
    "on: push\njobs:\n  a:\n    steps: just text\n",
    "on: push\njobs:\n  a:\n    permissions: 3\n    steps: [1, [2], {uses: 5}, {run: [1]}, {with: [1]}]\n",
    "on: [push, 7]\npermissions: write-all\njobs:\n  a:\n    environment: [x]\n    strategy: {matrix: 5}\n    steps: [{uses: pypa/gh-action-pypi-publish@v1, with: {password: [1]}}]\n",
    "on: {push: [1], release: {types: 5}}\njobs:\n  a:\n    uses: 7\n  b:\n    uses: ./missing.yml\n  c:\n    uses: $/.github/workflows/publish.yml\n",
    "on: push\nconcurrency: {group: [1], cancel-in-progress: true}\njobs:\n  a:\n    runs-on: [windows-latest]\n    steps: [{run: uv publish --token x --username, env: [1]}]\n",
    "on: workflow_call\njobs:\n  a:\n    environment: {name: {x: 1}, url: [1]}\n    steps: [{run: 'twine upload dist/* \\\\'}]\n",
]


@pytest.mark.parametrize("text", ODD_SHAPES)
def test_odd_shapes_never_raise(text: str, tmp_path: Path) -> None:
    root = checkout(tmp_path, {"publish.yml": text})
    (root / ".gitlab-ci.yml").write_text("include: [5, {local: [1]}, {local: nothere.yml}]\njob:\n  script: [[twine upload x], 5]\n  id_tokens: 3\n  extends: [.x, 5]\n", encoding="utf-8")
    check(root, parse_repository(REPOSITORY), run_zizmor=False)


# ---------------------------------------------------------------------------------------------
# Every rule can fire: a minimal checkout per finding that no other fixture raises
# (tests/data/check-rules/<id>/), and every finding of the table raised somewhere.

RULES = ROOT / "tests" / "data" / "check-rules"
FIXTURES = ROOT / "tests" / "data" / "check"


@pytest.mark.parametrize("folder", sorted(RULES.iterdir()), ids=lambda p: p.name)
def test_each_rule_example_raises_its_finding(folder: Path) -> None:
    report = check(folder, parse_repository("example/project"), run_zizmor=False)
    assert folder.name in ids(report), [f.as_json() for f in report.findings]


def test_every_finding_of_the_table_is_raised_by_some_fixture(tmp_path: Path) -> None:
    raised: set[str] = set()
    for folder in [*sorted(RULES.iterdir()), *sorted(p for p in FIXTURES.iterdir() if p.is_dir())]:
        raised |= ids(check(folder, parse_repository("example/project")))
    for name, (files, pyproject, _) in SEEN.items():
        raised |= ids(check(checkout(tmp_path / name, files, pyproject=pyproject), parse_repository(REPOSITORY)))
    assert set(KINDS) - raised == set()


def test_every_finding_of_the_checker_has_its_message() -> None:
    from tpsite.check import texts

    ours = {name for name, kind in KINDS.items() if kind.source == "checker"}
    assert set(texts.MESSAGES) == ours
    for variants in texts.MESSAGES.values():
        for template in variants.values():
            assert "{{" not in template and "}}" not in template  # check-text.js fills {name} only
