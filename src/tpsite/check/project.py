"""What the checker reads from pyproject.toml: the project's name, whether its version is static
(and a local version in it), the Metadata-Version its build backend writes where known, and the
package indexes uv can publish to (`[[tool.uv.index]]` with a `publish-url`).

The browser's port (check-load.js) reads the same keys with a TOML parser.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tpsite.check import texts
from tpsite.check.findings import Finding

FILE = "pyproject.toml"


# Build plugins that derive the version from git, so each commit gets its own.
_VCS_PLUGINS = re.compile(r"setuptools[-_]scm|hatch-vcs|poetry-dynamic-versioning|versioningit|flit[-_]scm|uv-dynamic-versioning|setuptools-git-versioning|dunamai|\bpbr\b", re.IGNORECASE)


TABLE_HEADER = re.compile(r"^\s*\[([^\[\]]+)\]\s*(?:#.*)?$")
# hatchling 1.32 and later write Metadata-Version 2.5.
HATCHLING = re.compile(r"hatchling\s*(?:>=|==|~=)\s*1\.(\d+)")


@dataclass
class Project:
    name: str | None = None
    per_commit_version: bool | None = None  # the version changes with every commit (None: not known)
    metadata_version: str | None = None  # what the build backend writes, where known
    uv_indexes: dict[str, str] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    release_findings: list[Finding] = field(default_factory=list)  # reported when a job publishes
    refused: str | None = None


def _line_of(text: str, table: str, key: str) -> int:
    """The line of `key = ...` inside `[table]` (1 if not found)."""
    current = ""
    for number, line in enumerate(text.split("\n"), 1):
        header = TABLE_HEADER.search(line)
        if header:
            current = header[1].strip()
        elif current == table and re.match(rf"\s*{re.escape(key)}\s*=", line):
            return number
    return 1


def parse(text: str) -> Project:
    """A pyproject.toml's text as the checker's Project (refused: not TOML)."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        return Project(refused=texts.refused(FILE, "not-toml", problem=exc))
    return project_of(data, text)


def project_of(data: dict[str, Any], text: str) -> Project:
    project = data.get("project") if isinstance(data.get("project"), dict) else {}
    name = project.get("name") if isinstance(project.get("name"), str) else None
    dynamic = project.get("dynamic") if isinstance(project.get("dynamic"), list) else []
    version = project.get("version")
    static = isinstance(version, str) and "version" not in dynamic
    build = data.get("build-system") if isinstance(data.get("build-system"), dict) else {}
    requires = " ".join(str(r) for r in build.get("requires") or [] if isinstance(r, str)) if isinstance(build.get("requires"), list) else ""
    m = HATCHLING.search(requires)
    tool = data.get("tool") if isinstance(data.get("tool"), dict) else {}
    hatch_source = ((tool.get("hatch") or {}).get("version") or {}).get("source") if isinstance(tool.get("hatch"), dict) and isinstance(tool["hatch"].get("version"), dict) else None
    pdm_source = ((tool.get("pdm") or {}).get("version") or {}).get("source") if isinstance(tool.get("pdm"), dict) and isinstance(tool["pdm"].get("version"), dict) else None
    per_commit = bool(_VCS_PLUGINS.search(requires)) or "setuptools_scm" in tool or hatch_source == "vcs" or pdm_source == "scm"
    uv = tool.get("uv")
    indexes = uv.get("index") if isinstance(uv, dict) and isinstance(uv.get("index"), list) else []
    found = Project(
        name=name,
        per_commit_version=per_commit and not static,
        metadata_version="2.5" if m and int(m[1]) >= 32 else None,
        uv_indexes={str(i["name"]): str(i["publish-url"]) for i in indexes if isinstance(i, dict) and "name" in i and "publish-url" in i},
    )
    if static and "+" in str(version):
        found.release_findings.append(
            Finding("local-version", FILE, _line_of(text, "project", "version"), texts.message("local-version", version=version))
        )
    return found


def read_project(path: Path) -> Project:
    if not path.is_file():
        return Project()
    return parse(path.read_text(encoding="utf-8", errors="replace"))
