"""The sample package a page shows is valid, really builds, and is named as the workflow says."""

from __future__ import annotations

import re
import tomllib
from importlib.metadata import version
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name, parse_sdist_filename, parse_wheel_filename

from conftest import run, tool
from linters import validate_pyproject
from tpsite import workflows
from tpsite.paths import ROOT, SNIPPETS

PACKAGE = SNIPPETS / "sample-package"
PYPROJECTS = [PACKAGE / "pyproject.toml", ROOT / "pyproject.toml"]


def project_name() -> str:
    return tomllib.loads((PACKAGE / "pyproject.toml").read_text())["project"]["name"]


@pytest.mark.parametrize("path", PYPROJECTS, ids=lambda p: str(p.relative_to(ROOT)))
def test_validate_pyproject(path: Path) -> None:
    assert validate_pyproject(path) is None


@pytest.fixture(scope="module")
def dists(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """A real `uv build`; the backend comes from the test environment so it works offline."""
    out = tmp_path_factory.mktemp("dist")
    result = run("uv", "build", "--no-build-isolation", "--offline", "--out-dir", str(out), cwd=PACKAGE)
    assert result.returncode == 0, result.stderr
    return sorted((p for p in out.iterdir() if p.suffix in {".whl", ".gz"}), key=lambda p: p.suffix)


def test_installed_backend_satisfies_build_system() -> None:
    requires = tomllib.loads((PACKAGE / "pyproject.toml").read_text())["build-system"]["requires"]
    for requirement in map(Requirement, requires):
        assert version(requirement.name) in requirement.specifier, requirement


def test_build_gives_one_sdist_and_one_wheel(dists: list[Path]) -> None:
    assert [p.suffix for p in dists] == [".gz", ".whl"]


def test_twine_check_strict(dists: list[Path]) -> None:
    result = run(tool("twine"), "check", "--strict", *map(str, dists))
    assert result.returncode == 0 and result.stdout.count("PASSED") == 2, result.stdout


def test_dist_names_normalize_to_the_project_name(dists: list[Path]) -> None:
    """PyPI files a dist under the normalized name; a mismatch is a 403 for another project."""
    sdist, wheel = dists
    assert parse_sdist_filename(sdist.name)[0] == canonicalize_name(project_name())
    assert parse_wheel_filename(wheel.name)[0] == canonicalize_name(project_name())
    # PEP 625: the sdist's file name itself uses the normalized, underscored form.
    assert sdist.name == f"{canonicalize_name(project_name()).replace('-', '_')}-0.1.0.tar.gz"


def test_environment_urls_name_the_same_project() -> None:
    workflow = workflows.load(SNIPPETS / "workflows" / "publish.yml")
    urls = [job["environment"]["url"] for job in workflow["jobs"].values() if "environment" in job]
    assert len(urls) == 2
    for url in urls:
        match = re.fullmatch(r"https://(?:test\.)?pypi\.org/p/(?P<name>[^/]+)", url)
        assert match and canonicalize_name(match["name"]) == canonicalize_name(project_name()), url


@pytest.mark.parametrize("job", ["publish-to-testpypi", "publish-to-pypi"])
def test_the_guides_publisher_form_names_the_built_project(dists: list[Path], job: str) -> None:
    """The form card on the guide is computed by the same macro; its project is the dists' project."""
    from tpsite.macros import publisher_form_html

    card = publisher_form_html(job=job, index="testpypi" if "test" in job else "pypi")
    project = re.search(r"Project Name</dt><dd><code>([^<]+)</code>", card)
    assert project, card
    assert canonicalize_name(project[1]) == parse_wheel_filename(dists[1].name)[0]


def test_the_pyproject_check_can_fail(tmp_path: Path) -> None:
    bad = tmp_path / "pyproject.toml"
    bad.write_text('[project]\nname = "two words"\nversion = "1"\n', encoding="utf-8")
    assert validate_pyproject(bad) == "pyproject.toml: `project.name` must be pep508-identifier"
