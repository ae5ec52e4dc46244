"""Pages show configuration only by including tested files, and every tested file is shown."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from pytest_examples import CodeExample, EvalExample, find_examples

from tpsite import snippets
from tpsite.paths import DOCS, ROOT, SNIPPETS

# An opening fence of a YAML or TOML block, however it is indented or titled.
_CONFIG_FENCE = re.compile(r"^(?P<indent>\s*)(?P<fence>`{3,}|~{3,})\s*(?:ya?ml|toml)\b", re.I)


def typed_config_blocks(page: Path) -> list[int]:
    """Line numbers of YAML/TOML blocks whose body is anything but `--8<--` include lines."""
    lines = page.read_text(encoding="utf-8").splitlines()
    bad, i = [], 0
    while i < len(lines):
        match = _CONFIG_FENCE.match(lines[i])
        if match:
            j = i + 1
            while j < len(lines) and not lines[j].strip().startswith(match["fence"]):
                j += 1
            body = [line.strip() for line in lines[i + 1 : j] if line.strip()]
            if not body or not all(line.startswith("--8<--") for line in body):
                bad.append(i + 1)
            i = j
        i += 1
    return bad


PAGES = sorted(DOCS.rglob("*.md"))


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(DOCS)))
def test_no_configuration_typed_into_a_page(page: Path) -> None:
    assert typed_config_blocks(page) == []


def test_the_typed_block_check_can_fail(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text('Text\n\n    ```yaml title="x.yml"\n    on: push\n    ```\n\n```toml\n--8<-- "a.toml"\n```\n')
    assert typed_config_blocks(page) == [3]


def test_every_include_points_at_an_existing_file_and_section() -> None:
    found = snippets.includes()
    assert found, "no page includes a snippet"
    for include in found:
        path = SNIPPETS / include.file
        assert path.is_file(), f"{include.page.name}:{include.line}: no snippets/{include.file}"
        if include.section:
            assert include.section in snippets.sections(path), f"{include.page.name}:{include.line}"


def test_every_snippet_file_is_shown_on_a_page() -> None:
    shown = {include.file for include in snippets.includes()}
    unused = [str(p.relative_to(SNIPPETS)) for p in snippets.snippet_files() if str(p.relative_to(SNIPPETS)) not in shown]
    assert unused == []


def test_every_named_section_is_shown_on_a_page() -> None:
    shown = {(include.file, include.section) for include in snippets.includes()}
    unused = [
        f"{path.relative_to(SNIPPETS)}:{name}"
        for path in snippets.snippet_files()
        for name in snippets.sections(path)
        if (str(path.relative_to(SNIPPETS)), name) not in shown
    ]
    assert unused == []


def test_every_snippet_family_has_its_test_module() -> None:
    families = {p.name for p in SNIPPETS.iterdir() if p.is_dir()}
    modules = {p.stem for p in (ROOT / "tests").glob("test_snippets_*.py")}
    # Family folder -> test module: workflows and the blog's original share the workflow module.
    expected = {"workflows": "test_snippets_workflows", "original": "test_snippets_workflows",
                "sample-package": "test_snippets_pyproject", "pitfalls": "test_snippets_pitfalls",
                "packages": "test_snippets_packages", "gitlab": "test_snippets_gitlab", "migration": "test_snippets_migration",
                "check": "test_snippets_check"}
    assert families <= set(expected), f"new snippet family without a test module: {families - set(expected)}"
    assert {expected[f] for f in families} <= modules


# A Python block that only includes a file is checked with that file's family (the package build).
EXAMPLES = [e for e in find_examples(str(DOCS)) if not e.source.lstrip().startswith("--8<--")]


def test_pages_have_python_examples() -> None:
    assert EXAMPLES, "the Python examples check below would be vacuous"


@pytest.mark.parametrize("example", EXAMPLES, ids=str)
def test_python_examples_run_and_print_what_they_say(example: CodeExample, eval_example: EvalExample) -> None:
    eval_example.set_config(line_length=100, target_version="py311")
    if eval_example.update_examples:
        eval_example.format(example)
        eval_example.run_print_update(example)
    else:
        eval_example.lint(example)
        eval_example.run_print_check(example)


# The project speaks only of itself: no file names the machine it was written on or the notes
# beside the checkout it was written from.
# (The brackets keep this line from matching itself.)
_FOREIGN_PATH = re.compile(r"(?<![\w/])/wor[k]/|\.\./share[d]\b|shared/referenc[e]/")


def test_no_file_names_a_path_outside_the_project() -> None:
    tracked = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout.decode().split("\0")
    found = []
    for name in filter(None, tracked):
        path = ROOT / name
        if not path.is_file() or path.stat().st_size > 5_000_000:
            continue
        text = path.read_bytes().decode("utf-8", "replace")
        found += [f"{name}: {m[0]}" for m in _FOREIGN_PATH.finditer(text)]
    assert found == []
