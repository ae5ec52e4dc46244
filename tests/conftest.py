"""Shared fixtures: tool paths from this environment, and one strict build of the site."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

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


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site built once, strictly, exactly as `mkdocs build` builds it."""
    out = tmp_path_factory.mktemp("site")
    result = run(tool("mkdocs"), "build", "--strict", "--site-dir", str(out), env={"NO_MKDOCS_2_WARNING": "1"})
    assert result.returncode == 0, result.stdout + result.stderr
    return out
