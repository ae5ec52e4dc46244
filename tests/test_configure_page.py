"""The configure page in Chromium: the tested workflow with the reader's names, and PyPI's form.

The page's workflow is checked against the snippet file itself, and its form values against the
model's `pending_publisher_form` for that very workflow, so the page can't drift from either.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from ruamel.yaml import YAML

from tpsite import export
from tpsite.model import GitHubRepository, Index, pending_publisher_form
from tpsite.paths import SNIPPETS


class Configure:
    def __init__(self, page: Any) -> None:
        self.page = page

    def set(self, **values: str | bool) -> None:
        for name, value in values.items():
            selector = f'[name="tp-{name}"]'
            if isinstance(value, bool):
                self.page.set_checked(selector, value)
            elif name == "tool":
                self.page.select_option(selector, value)
            else:
                self.page.fill(selector, value)

    def workflow(self) -> str:
        return self.page.evaluate("() => document.getElementById('tp-workflow-text').textContent")

    def forms(self) -> dict[str, list[tuple[str, str]]]:
        found = {}
        for figure in self.page.locator("figure.tp-forms").all():
            rows = []
            for item in figure.locator("dl > div").all():
                value = item.locator("dd code")
                rows.append((item.locator("dt").inner_text(), value.inner_text() if value.count() else ""))
            found[figure.get_attribute("data-index")] = rows
        return found

    def warnings(self, field: str) -> list[str]:
        return [li.get_attribute("data-code") for li in self.page.locator(f"#tp-{field}-warnings li").all()]


@pytest.fixture(scope="module")
def conf(chromium: Any, base_url: str) -> Iterator[Configure]:
    context = chromium.new_context(permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(base_url + "configure/", wait_until="load")
    page.wait_for_selector("#tp-configure[data-ready]")
    yield Configure(page)
    context.close()
    assert errors == []


def test_with_the_sample_names_the_workflow_is_the_tested_snippet(conf: Configure) -> None:
    conf.set(owner="", repository="", project="", workflow="publish.yml", environment="pypi", testenvironment="testpypi",
             pypi=True, testpypi=True, tool="publish.yml")  # fmt: skip
    snippet = (SNIPPETS / "workflows" / "publish.yml").read_text(encoding="utf-8")
    assert conf.workflow() == export.copyable(snippet)
    assert "# (" not in conf.workflow() and "--8<--" not in conf.workflow()


def model_forms(workflow_text: str, *, saved_as: str, owner: str, repository: str, project: str) -> dict[str, list[tuple[str, str]]]:
    """PyPI's form for each publishing job of the page's workflow, as the model derives it."""
    parsed = YAML(typ="safe", pure=True).load(workflow_text)
    jobs = {"pypi": "publish-to-pypi", "testpypi": "publish-to-testpypi"}
    found = {}
    for index, job in jobs.items():
        if job not in parsed["jobs"]:
            continue
        form = pending_publisher_form(
            parsed,
            workflow_path=f".github/workflows/{saved_as}",
            job_id=job,
            index=Index(index),
            repository=GitHubRepository(owner=owner, name=repository, owner_id=1),
            project_name=project,
        )
        found[index] = [(label, value) for label, value in form.fields]
    return found


def test_the_reader_s_names_give_the_model_s_form_values(conf: Configure) -> None:
    names = dict(owner="octo-org", repository="my_repo", project="My.Package", workflow="release.yml",
                 environment="production", testenvironment="")  # fmt: skip
    conf.set(**names, pypi=True, testpypi=True, tool="publish.yml")
    text = conf.workflow()
    assert "url: https://pypi.org/p/my-package" in text
    assert "name: production" in text
    parsed = YAML(typ="safe", pure=True).load(text)
    assert "environment" not in parsed["jobs"]["publish-to-testpypi"]  # empty: no environment
    expected = model_forms(text, saved_as="release.yml", owner="octo-org", repository="my_repo", project="My.Package")
    assert set(expected) == {"pypi", "testpypi"}
    assert conf.forms() == expected


@pytest.mark.parametrize("tool", [w["file"] for w in export.workflow_snippets()])
def test_every_build_tool_s_workflow_gets_the_names(conf: Configure, tool: str) -> None:
    conf.set(owner="octo-org", repository="tool-repo", project="tool_pkg", workflow="publish.yml",
             environment="pypi", testenvironment="testpypi", pypi=True, testpypi=False, tool=tool)  # fmt: skip
    text = conf.workflow()
    assert "https://pypi.org/p/tool-pkg" in text
    expected = model_forms(text, saved_as="publish.yml", owner="octo-org", repository="tool-repo", project="tool_pkg")
    assert list(expected) == ["pypi"]
    assert conf.forms() == expected


def test_choosing_one_index_drops_the_other_s_jobs(conf: Configure) -> None:
    conf.set(tool="publish.yml", pypi=False, testpypi=True, owner="o", repository="r", project="p")
    jobs = YAML(typ="safe", pure=True).load(conf.workflow())["jobs"]
    assert set(jobs) == {"build", "publish-to-testpypi"}
    assert list(conf.forms()) == ["testpypi"]
    conf.set(pypi=True, testpypi=False)
    jobs = YAML(typ="safe", pure=True).load(conf.workflow())["jobs"]
    assert set(jobs) == {"build", "publish-to-pypi", "github-release"}
    conf.set(pypi=False, testpypi=False)
    assert conf.page.locator('[data-note="no-index"]').count() == 1
    conf.set(pypi=True, testpypi=True)


def test_warnings_appear_as_the_reader_types(conf: Configure) -> None:
    conf.set(project=" c\u043envert", dist="", workflow=".github/workflows/publish.yml", environment="PyPI",
             owner="example/convert", repository="convert\u2013poetry2uv")  # fmt: skip
    assert set(conf.warnings("project")) >= {"space", "non-ascii", "project-invalid"}
    assert conf.warnings("workflow") == ["workflow-form-error"]
    assert "Workflow filename must be a filename only, without directories" in conf.page.inner_text("#tp-workflow-warnings")
    assert conf.warnings("environment") == ["environment-lowercased"]
    assert conf.warnings("owner") == ["owner-invalid"]
    assert set(conf.warnings("repository")) == {"non-ascii", "repository-invalid"}
    assert conf.page.get_attribute('[name="tp-project"]', "aria-invalid") == "true"
    conf.set(project="convert-poetry2uv", dist="Convert_Poetry2UV")
    assert conf.warnings("dist") == ["dist-name-spelling"]
    conf.set(dist="poetry-to-uv")
    assert conf.warnings("dist") == ["dist-name-differs"]
    conf.set(dist="", workflow="publish.yml", environment="pypi", owner="example", repository="convert-poetry2uv")
    assert conf.page.locator("#tp-configure .tp-warning-list li.tp-level-error").count() == 0


def test_the_copy_button_copies_the_workflow(conf: Configure) -> None:
    conf.set(owner="octo-org", repository="my_repo", project="my-package", tool="publish.yml")
    conf.page.locator('button[aria-label="Copy the workflow"]').click()
    conf.page.wait_for_function("() => document.querySelector('button[aria-label=\"Copy the workflow\"]').textContent === 'Copied'")
    assert conf.page.evaluate("() => navigator.clipboard.readText()") == conf.workflow()


def test_a_fresh_page_shows_no_error_and_the_form_values_first(chromium: Any, base_url: str) -> None:
    context = chromium.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(base_url + "configure/", wait_until="load")
    page.wait_for_selector("#tp-configure[data-ready]")
    assert page.locator("#tp-config-result .tp-error, #tp-configure .tp-level-error").count() == 0
    headings = page.locator("#tp-config-result h2").all_inner_texts()
    assert headings[:2] == ["1. PyPI's publisher form", "2. The workflow"] and "Next steps" in headings
    # The workflow is highlighted as the site's other code blocks are (Pygments' classes).
    assert page.locator("#tp-workflow-text span.nt").count() > 20
    steps = page.locator(".tp-steps li").all_inner_texts()
    assert any("Environments" in s for s in steps) and any("Diagnose" in s for s in steps)
    context.close()


def test_a_pypi_only_workflow_disables_testpypi_and_says_what_it_builds_with(conf: Configure) -> None:
    conf.set(tool="publish-hatch.yml")
    assert conf.page.is_disabled('[name="tp-testpypi"]')
    assert conf.page.is_visible("#tp-testpypi-note")
    label = conf.page.locator('[name="tp-tool"] option[value="publish-uv.yml"]').inner_text()
    assert label == "uv build, uploaded by uv publish"
    conf.set(tool="publish.yml")
    assert not conf.page.is_disabled('[name="tp-testpypi"]')
