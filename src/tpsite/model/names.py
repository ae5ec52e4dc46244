"""The names a reader types into PyPI's form and pyproject.toml, checked before anything fails.

PyPI's GitHub form patterns are warehouse's (warehouse/oidc/forms/github.py#L12-L13 at
pypi/warehouse@6b62157), project names are PEP 508 names compared after PEP 503
normalisation (packaging), and the look-alike table is the part of Unicode's confusables that
people actually paste. The configurator runs the same checks in the browser, from the patterns
and tables exported here (tpsite.export); tests/data/vectors/names.json keeps the two equal.
"""

from __future__ import annotations

import functools
import re
import sys
from collections.abc import Mapping

from packaging.utils import InvalidName, canonicalize_name

from tpsite.model.publishers import GitHubPublisher

# warehouse/oidc/forms/github.py#L12-L13: what the form accepts before asking GitHub's API.
GITHUB_OWNER = re.compile(r"^[a-zA-Z0-9][a-zA-Z0-9-]*$")
GITHUB_REPO = re.compile(r"^[a-zA-Z0-9-_.]+$")
# PEP 508 "Names" (packaging.utils.canonicalize_name(validate=True) applies the same pattern).
PROJECT_NAME = re.compile(r"^([A-Z0-9]|[A-Z0-9][A-Z0-9._-]*[A-Z0-9])$", re.IGNORECASE)


@functools.cache
def whitespace() -> str:
    """What Python's str.strip() removes (PyPI strips the workflow name: forms/github.py#L38)."""
    return "".join(c for c in map(chr, range(sys.maxunicode + 1)) if c.isspace())


# Characters that look like ASCII ones in the fonts of PyPI's and GitHub's forms (a selection of
# Unicode's confusables.txt that people actually paste: Cyrillic and Greek letters, full-width
# forms, dashes, quotes, and the invisible ones).
CONFUSABLES: dict[str, str] = {
    "\u0430": "a", "\u0435": "e", "\u043e": "o", "\u0440": "p", "\u0441": "c", "\u0443": "y",
    "\u0445": "x", "\u0456": "i", "\u0458": "j", "\u0455": "s", "\u04bb": "h", "\u0501": "d",
    "\u0410": "A", "\u0412": "B", "\u0415": "E", "\u041a": "K", "\u041c": "M", "\u041d": "H",
    "\u041e": "O", "\u0420": "P", "\u0421": "C", "\u0422": "T", "\u0425": "X", "\u0406": "I",
    "\u03bf": "o", "\u03b1": "a", "\u03bd": "v", "\u03c1": "p", "\u0391": "A", "\u0392": "B",
    "\u0395": "E", "\u0397": "H", "\u0399": "I", "\u039a": "K", "\u039c": "M", "\u039d": "N",
    "\u039f": "O", "\u03a1": "P", "\u03a4": "T", "\u03a7": "X", "\u0396": "Z",
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2212": "-",
    "\u00a0": " ", "\u2007": " ", "\u202f": " ", "\u3000": " ",
    "\u200b": "", "\u200c": "", "\u200d": "", "\u2060": "", "\ufeff": "", "\u00ad": "",
    "\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"',
    "\u0131": "i", "\u017f": "s", "\u212a": "K", "\u2024": ".", "\uff0e": ".", "\uff3f": "_",
}  # fmt: skip
# Full-width ASCII (U+FF01..U+FF5E) maps to ASCII by offset.
CONFUSABLES.update({chr(c): chr(c - 0xFEE0) for c in range(0xFF01, 0xFF5F) if chr(c) not in CONFUSABLES})

# The configurator's fields: GitHub names, the PyPI project, the name in pyproject.toml, environments.
FIELDS = ("owner", "repository", "project", "dist", "workflow", "environment", "testenvironment")


def non_ascii(value: str) -> list[dict[str, object]]:
    """Each non-ASCII character (by code point index), with the ASCII it imitates if known."""
    return [
        {"at": i, "char": f"U+{ord(c):04X}", "looks_like": CONFUSABLES.get(c)}
        for i, c in enumerate(value)
        if ord(c) > 127
    ]


def stored_workflow(workflow: str) -> dict[str, str]:
    """The workflow name as PyPI stores it, or the form's error."""
    try:
        return {"stored": GitHubPublisher("o", "r", "1", workflow).workflow_filename}
    except ValueError as exc:
        return {"error": str(exc)}


def _valid(name: str) -> bool:
    try:
        canonicalize_name(name, validate=True)
    except InvalidName:
        return False
    return True


def findings(fields: Mapping[str, str]) -> list[str]:
    """What the configurator tells about the typed names, as codes (`code` or `code:field`)."""
    found: list[str] = []
    for field in FIELDS:
        value = fields.get(field, "")
        if value != value.strip():
            found.append(f"space:{field}")
        if any(ord(c) > 127 for c in value):
            found.append(f"non-ascii:{field}")
    project, dist = fields.get("project", ""), fields.get("dist", "")
    if not _valid(project):
        found.append("project-invalid")
    if dist:
        if not _valid(dist):
            found.append("dist-invalid")
        if canonicalize_name(dist) != canonicalize_name(project):
            found.append("dist-name-differs")
        elif dist != project:
            found.append("dist-name-spelling")
    if project and canonicalize_name(project) != project:
        found.append("project-not-normalized")
    workflow = stored_workflow(fields.get("workflow", ""))
    if "error" in workflow:
        found.append("workflow-form-error")
    elif workflow["stored"] != fields.get("workflow"):
        found.append("workflow-stripped")
    for field in ("environment", "testenvironment"):
        env = fields.get(field, "")
        if env and GitHubPublisher("o", "r", "1", "w.yml", env).environment != env:
            found.append(f"environment-lowercased:{field}")
    owner, repository = fields.get("owner", ""), fields.get("repository", "")
    if owner and not GITHUB_OWNER.match(owner):
        found.append("owner-invalid")
    if repository and not GITHUB_REPO.match(repository):
        found.append("repository-invalid")
    elif repository.endswith(".git"):
        # Valid for the form, but part of the clone URL, not of the name GitHub puts in the token.
        found.append("repository-dot-git")
    return sorted(found)
