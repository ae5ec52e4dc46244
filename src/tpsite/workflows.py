"""Load GitHub workflow files and read their `uses:` pins."""

from __future__ import annotations

import copy
import functools
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

from tpsite.paths import ROOT

# `owner/repo[/path]@<40 hex> # vX.Y.Z`, the form Dependabot keeps up to date.
_PINNED = re.compile(
    r"^\s*(?:-\s+)?uses:\s+(?P<action>[\w.-]+/[\w.-]+)(?P<subpath>/[^@\s]*)?@(?P<ref>\S+)"
    r"(?:\s+#\s*(?P<comment>\S+))?\s*$"
)
ACTION_INPUTS = ROOT / "tests" / "data" / "action-inputs.json"


@dataclass(frozen=True)
class Use:
    file: Path
    line: int
    action: str
    ref: str
    comment: str | None

    @property
    def sha_pinned(self) -> bool:
        return re.fullmatch(r"[0-9a-f]{40}", self.ref) is not None


def load(path: Path) -> dict[str, Any]:
    """A workflow as data; YAML 1.2 keeps `on:` a string key (PyYAML would make it True).

    Parsed once per version of the file (the site build reads the same workflow many times); each
    caller gets its own copy, free to change.
    """
    return copy.deepcopy(_load(path, path.stat().st_mtime_ns))


@functools.lru_cache(maxsize=256)
def _load(path: Path, mtime_ns: int) -> dict[str, Any]:
    data = YAML(typ="safe", pure=True).load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise ValueError(f"{path}: not a mapping")
    return data


def uses(path: Path) -> list[Use]:
    """Every `uses:` line of a workflow, with its pin and version comment."""
    found = []
    for number, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        match = _PINNED.match(text)
        if match:
            found.append(Use(path, number, match["action"], match["ref"], match["comment"]))
    return found


def steps_with_inputs(workflow: dict[str, Any]) -> list[tuple[str, str, set[str]]]:
    """(job id, `uses:` value, `with:` keys) for every step that calls an action."""
    found = []
    for job_id, job in (workflow.get("jobs") or {}).items():
        for step in job.get("steps") or []:
            if "uses" in step:
                found.append((job_id, step["uses"], set((step.get("with") or {}).keys())))
    return found


def action_inputs() -> dict[str, Any]:
    """The inputs each pinned action declares, recorded from its action.yml."""
    return json.loads(ACTION_INPUTS.read_text(encoding="utf-8"))
