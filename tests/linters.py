"""yamllint and validate-pyproject called as libraries: the checks their command lines run, without
starting a Python process for every file (each start costs more than the check)."""

from __future__ import annotations

import functools
import tomllib
from pathlib import Path
from typing import Any

from tpsite.paths import ROOT


@functools.cache
def _yamllint_config() -> Any:
    from yamllint.config import YamlLintConfig

    return YamlLintConfig(file=str(ROOT / ".yamllint.yml"))


def yamllint(path: Path) -> list[str]:
    """What `yamllint --strict -c .yamllint.yml PATH` reports: errors and warnings (strict fails on both)."""
    from yamllint import linter

    problems = linter.run(path.read_text(encoding="utf-8"), _yamllint_config(), str(path))
    return [f"{path.name}:{p.line}:{p.column}: [{p.level}] {p.desc} ({p.rule})" for p in problems]


@functools.cache
def _pyproject_validator() -> Any:
    from validate_pyproject import api

    return api.Validator()  # every installed plugin, as the command line loads them


def validate_pyproject(path: Path) -> str | None:
    """What `validate-pyproject PATH` rejects the file for, or None for a valid file."""
    from validate_pyproject.errors import ValidationError

    try:
        _pyproject_validator()(tomllib.loads(path.read_text(encoding="utf-8")))
    except ValidationError as error:
        return f"{path.name}: {error.message}"
    return None
