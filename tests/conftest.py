"""Shared fixtures: tool paths from this environment, and one strict build of the site."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tpsite.paths import ROOT

BIN = Path(sys.executable).parent


def tool(name: str) -> str:
    """A command-line tool installed in the test environment (never one from elsewhere)."""
    path = BIN / name
    if not path.exists():
        raise FileNotFoundError(f"{name} is not installed in {BIN.name}/; run `uv sync`")
    return str(path)


def run(*args: str, cwd: Path = ROOT, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run a tool offline-safe (no tokens in its environment) and capture its output."""
    clean = {k: v for k, v in os.environ.items() if k not in {"GH_TOKEN", "GITHUB_TOKEN"}}
    clean["PATH"] = f"{BIN}{os.pathsep}{clean.get('PATH', '')}"  # actionlint finds our shellcheck
    clean.update(env or {})
    return subprocess.run(args, cwd=cwd, env=clean, capture_output=True, text=True, timeout=120)


def build_site(out: Path) -> None:
    result = run(tool("mkdocs"), "build", "--strict", "--site-dir", str(out), env={"NO_MKDOCS_2_WARNING": "1"})
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> Path:
    """The site built once per test run, strictly, exactly as `mkdocs build` builds it.

    Under pytest-xdist the workers share one build: the first to ask builds it while holding a
    lock in the run's own temporary folder (a new one each run, so no build outlives its run).
    """
    if worker_id == "master":  # not under xdist
        out = tmp_path_factory.mktemp("site")
        build_site(out)
        return out
    from filelock import FileLock

    shared = tmp_path_factory.getbasetemp().parent
    out = shared / "site"
    with FileLock(shared / "site.lock"):
        if not (shared / "site.built").exists():
            shutil.rmtree(out, ignore_errors=True)
            build_site(out)
            (shared / "site.built").touch()
    return out


@pytest.fixture(scope="session")
def base_url(site: Path) -> Iterator[str]:
    """The built site, served on 127.0.0.1 for the duration of the test session."""
    from browser import serve

    with serve(site) as url:
        yield url


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    """A headless Debian Chromium driven by Playwright (skips, or fails under CI=true, without one)."""
    from playwright.sync_api import sync_playwright

    from browser import CHROMIUM_ARGS, require_chromium

    executable = require_chromium()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


_SUMMARIES: list[str] = []


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    """Collect what a test recorded as `summary` (record_property), from every xdist worker."""
    if report.when == "call":
        _SUMMARIES.extend(str(value) for name, value in report.user_properties if name == "summary")


def pytest_terminal_summary(terminalreporter: Any) -> None:
    for text in _SUMMARIES:
        terminalreporter.write_sep("-", "summary")
        terminalreporter.write_line(text)
