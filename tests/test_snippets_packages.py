"""Each build tool's pyproject.toml builds the same project, with its own backend, offline."""

from __future__ import annotations

import tomllib
import zipfile
from concurrent.futures import ThreadPoolExecutor
from email.parser import Parser
from importlib.metadata import version
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name, parse_sdist_filename, parse_wheel_filename

from conftest import run, tool
from linters import validate_pyproject
from tpsite import workflows
from tpsite.paths import SNIPPETS

PACKAGES = sorted(p for p in (SNIPPETS / "packages").iterdir() if p.is_dir())
SAMPLE = SNIPPETS / "sample-package"
# The sample package's sources every tool builds (the pages show them once, on the guide).
SHARED = ["src", "README.md", "LICENSE"]
# Package folder -> the workflow that builds it, and the command its build step runs.
WORKFLOWS = {
    "setuptools": ("publish-build.yml", "python -m build"),
    "hatch": ("publish-hatch.yml", "hatch build"),
    "pdm": ("publish-pdm.yml", "pdm build"),
    "poetry": ("publish-poetry.yml", "poetry build"),
    "flit": ("publish-flit.yml", "flit build"),
}


def load(path: Path) -> dict:
    return tomllib.loads(path.read_text(encoding="utf-8"))


def test_every_tool_has_a_package_and_a_workflow() -> None:
    assert sorted(p.name for p in PACKAGES) == sorted(WORKFLOWS)
    assert all((p / "pyproject.toml").is_file() for p in PACKAGES)


def test_validate_pyproject() -> None:
    assert [validate_pyproject(p / "pyproject.toml") for p in PACKAGES] == [None] * len(PACKAGES)


@pytest.mark.parametrize("package", PACKAGES, ids=lambda p: p.name)
def test_same_project_as_the_sample(package: Path) -> None:
    """Only [build-system] differs: the [project] table is the sample's, key for key."""
    assert load(package / "pyproject.toml")["project"] == load(SAMPLE / "pyproject.toml")["project"]


@pytest.mark.parametrize("package", PACKAGES, ids=lambda p: p.name)
def test_installed_backend_satisfies_build_system(package: Path) -> None:
    """The backend the tests build with is one the pyproject allows (installed in the test group)."""
    for requirement in map(Requirement, load(package / "pyproject.toml")["build-system"]["requires"]):
        assert version(requirement.name) in requirement.specifier, requirement


def _build(package: Path, root: Path) -> tuple[str, list[Path]]:
    src, out = root / package.name / "src-tree", root / package.name / "dist"
    src.mkdir(parents=True)
    (src / "pyproject.toml").write_bytes((package / "pyproject.toml").read_bytes())
    for name in SHARED:
        copy = run("cp", "-R", str(SAMPLE / name), str(src / name))
        assert copy.returncode == 0, copy.stderr
    result = run("uv", "build", "--no-build-isolation", "--offline", "--out-dir", str(out), cwd=src)
    assert result.returncode == 0, f"{package.name}: {result.stderr}"
    return package.name, sorted((p for p in out.iterdir() if p.suffix in {".whl", ".gz"}), key=lambda p: p.suffix)


@pytest.fixture(scope="module")
def dists(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[Path]]:
    """Every package really built, in parallel, with its backend from the test environment."""
    root = tmp_path_factory.mktemp("packages")
    with ThreadPoolExecutor(max_workers=len(PACKAGES)) as pool:
        return dict(pool.map(lambda p: _build(p, root), PACKAGES))


@pytest.mark.parametrize("package", PACKAGES, ids=lambda p: p.name)
def test_builds_one_sdist_and_one_wheel_named_for_the_project(dists: dict[str, list[Path]], package: Path) -> None:
    sdist, wheel = dists[package.name]
    name = canonicalize_name(load(SAMPLE / "pyproject.toml")["project"]["name"])
    assert parse_sdist_filename(sdist.name)[0] == name
    assert parse_wheel_filename(wheel.name)[0] == name
    assert sdist.name == f"{name.replace('-', '_')}-0.1.0.tar.gz"  # PEP 625


@pytest.mark.parametrize("package", PACKAGES, ids=lambda p: p.name)
def test_wheel_has_the_import_package_and_the_license(dists: dict[str, list[Path]], package: Path) -> None:
    wheel = dists[package.name][1]
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        metadata_path = next(n for n in names if n.endswith(".dist-info/METADATA"))
        metadata = Parser().parsestr(archive.read(metadata_path).decode())
    assert "convert_poetry2uv/__init__.py" in names
    assert canonicalize_name(metadata["Name"]) == "convert-poetry2uv"
    assert metadata["License-Expression"] == "MIT"
    assert any(n.endswith("LICENSE") and ".dist-info/" in n for n in names), names


def test_twine_check_strict(dists: dict[str, list[Path]]) -> None:
    files = [str(p) for pair in dists.values() for p in pair]
    result = run(tool("twine"), "check", "--strict", *files)
    assert result.returncode == 0 and result.stdout.count("PASSED") == len(files) == 2 * len(PACKAGES), result.stdout


@pytest.mark.parametrize("package", PACKAGES, ids=lambda p: p.name)
def test_its_workflow_builds_with_that_tool_at_a_pinned_version(package: Path) -> None:
    workflow_name, command = WORKFLOWS[package.name]
    build = workflows.load(SNIPPETS / "workflows" / workflow_name)["jobs"]["build"]
    runs = [str(step.get("run", "")) for step in build["steps"]]
    assert command in runs, runs
    installs = [r for r in runs if "pip install" in r]
    assert installs and all("==" in r for r in installs), installs
