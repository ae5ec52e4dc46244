"""The record of what the site was checked against: every upstream source, version and commit it
relies on, with the day it was read (src/tpsite/data/sources.toml).

Pages and the inventory cite through it: a citation `owner/repo@<commit>:path#Lnn`, a GitHub link
to a commit, or a program's version named in prose (`uv 0.9.27`, `twine 6.1.0`, the action's
`v1.14.2`) must be in the record, and every entry of the record must be used somewhere
(tests/test_sources.py). Error pages show "Checked against … on …" from it.
"""

from __future__ import annotations

import functools
import re
import tomllib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from tpsite.paths import DOCS, ROOT

RECORD = ROOT / "src" / "tpsite" / "data" / "sources.toml"
ROLES = ("snapshot", "release", "change", "document")

# Where pages and data name commits and versions (the programs whose versions pages discuss).
_CITATION = re.compile(r"\b(?P<repo>[\w.-]+/[\w.-]+)@(?P<commit>[0-9a-f]{7,40})(?=:)")
_COMMIT_URL = re.compile(r"https://github\.com/(?P<repo>[\w.-]+/[\w.-]+)/(?:blob|tree|commit)/(?P<commit>[0-9a-f]{7,40})\b")
PROGRAM_NAMES = {
    "uv": "astral-sh/uv",
    "twine": "pypa/twine",
    "gh-action-pypi-publish": "pypa/gh-action-pypi-publish",
    "pypa/gh-action-pypi-publish": "pypa/gh-action-pypi-publish",
    "id": "di/id",
}
_VERSION = re.compile(
    r"\b(?P<name>uv|twine|(?:pypa/)?gh-action-pypi-publish)(?:@|\s+)v?(?P<version>\d+\.\d+\.\d+)\b"
    r"|(?<![\w.])(?P<action>v1\.\d+\.\d+)\b"
)


@dataclass(frozen=True)
class Source:
    program: str  # owner/repo, or a document's publisher (e.g. "github-changelog", "python/peps")
    role: str  # snapshot: the newest version read in full; release: a version read to date a
    #            wording; change: the commit that changed a behaviour; document: a page or post
    date: str  # the commit's, release's or document's date
    read_on: str
    commit: str = ""
    version: str = ""
    url: str = ""
    what: str = ""

    @property
    def label(self) -> str:
        name = self.program.split("/")[-1]
        if self.version:
            return f"{name} {self.version}"
        if self.commit:
            return f"{name} {self.commit[:7]}"
        return self.what or self.url


@functools.cache
def record() -> tuple[Source, ...]:
    data = tomllib.loads(RECORD.read_text(encoding="utf-8"))
    found = tuple(Source(**raw) for raw in data.get("source", []))
    for s in found:
        if s.role not in ROLES:
            raise ValueError(f"{RECORD.name}: {s.label}: role {s.role!r} is not one of {ROLES}")
    return found


def commit(repo: str, prefix: str) -> Source | None:
    """The record's entry for a commit of a repository (cited by any prefix of 7+ hex digits)."""
    return next((s for s in record() if s.program == repo and s.commit and s.commit.startswith(prefix)), None)


def release(repo: str, version: str) -> Source | None:
    version = version.removeprefix("v")
    return next((s for s in record() if s.program == repo and s.version.removeprefix("v") == version), None)


@dataclass(frozen=True)
class Mention:
    where: str  # file:line
    repo: str
    commit: str = ""
    version: str = ""

    def resolve(self) -> Source | None:
        return commit(self.repo, self.commit) if self.commit else release(self.repo, self.version)


def mentions(text: str, where: str) -> Iterator[Mention]:
    """Commits and versions a page names (on pages, a bare `v1.x.y` is the publish action's)."""
    for number, line in enumerate(text.splitlines(), 1):
        at = f"{where}:{number}"
        for m in _CITATION.finditer(line):
            yield Mention(at, m["repo"], commit=m["commit"])
        for m in _COMMIT_URL.finditer(line):
            yield Mention(at, m["repo"], commit=m["commit"])
        for m in _VERSION.finditer(line):
            if m["action"]:
                yield Mention(at, "pypa/gh-action-pypi-publish", version=m["action"])
            else:
                yield Mention(at, PROGRAM_NAMES[m["name"]], version=m["version"])


def page_files() -> list[Path]:
    return sorted(DOCS.rglob("*.md"))


def used(texts: Iterable[tuple[str, str]]) -> list[Mention]:
    """Every mention in (where, text) pairs."""
    return [m for where, text in texts for m in mentions(text, where)]


def checked_against(citations: Iterable[str]) -> list[Source]:
    """The record's entries behind some citations, one per program (the newest read), for a page's
    "Checked against … on …" line."""
    found: dict[str, Source] = {}
    for text in citations:
        for m in mentions(text, ""):
            source = m.resolve()
            if source is None:
                continue
            best = found.get(source.program)
            if best is None or (source.role == "snapshot", source.date) > (best.role == "snapshot", best.date):
                found[source.program] = source
    return sorted(found.values(), key=lambda s: s.program)
