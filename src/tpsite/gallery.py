"""The error gallery: one page per real error message, described by its front matter.

Front matter: title, description, phase, headline (the message verbatim), emitted_by, match
(fragments that identify the message in a log, with an optional weight), and `causes`: for each
`### Title { #cause-… }` heading of the page, in page order, the source lines that make it
possible (`owner/repo@commit:path#Lnn`); the public threads that established it are in the tally
(tpsite.threads), the messages the page answers in the inventory (tpsite.inventory).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from pathlib import Path

from mkdocs.utils.meta import get_data

from tpsite.paths import ERRORS

# The order a publish goes through; the gallery index groups entries by it.
PHASES = {
    "token": "Getting the OIDC token",
    "exchange": "Exchanging it for a PyPI token",
    "upload": "Uploading",
    "after": "After the upload",
}


# How much a match fragment says. Most fragments name one error (strong, the default). Some are
# text that clients print *around* other errors (a wrapper, or a parent message whose parenthesis
# names a more specific entry): medium. Warnings and generic wrappers that accompany any failure: weak.
WEIGHTS = {"strong": 3, "medium": 2, "weak": 1}


@dataclass(frozen=True)
class Fragment:
    """Text that identifies an entry in a log: `- "text"` or `- {text: "...", weight: weak}`."""

    text: str
    weight: str = "strong"


def _fragment(item: object, page: str) -> Fragment:
    if isinstance(item, str):
        return Fragment(item)
    if isinstance(item, dict) and set(item) <= {"text", "weight"} and item.get("weight", "strong") in WEIGHTS:
        return Fragment(str(item["text"]), str(item.get("weight", "strong")))
    raise ValueError(f"{page}: match entry {item!r} is neither a string nor {{text, weight}}")


# `### Title { #cause-id }` on an error page.
_CAUSE = re.compile(r"^###\s+(?P<title>.*?)\s*\{\s*#(?P<id>cause-[-a-z0-9]+)\s*\}\s*$")


@dataclass(frozen=True)
class Cause:
    id: str
    title: str  # as the heading shows it (Markdown)
    sources: tuple[str, ...] = ()
    signals: tuple[dict[str, object], ...] = ()


def cause_headings(path: Path) -> list[tuple[str, str]]:
    """(id, title) of the `cause-*` headings of a page, in page order (outside code fences)."""
    found, fenced = [], False
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
        match = None if fenced else _CAUSE.match(line)
        if match:
            found.append((match["id"], match["title"]))
    return found


def _causes(path: Path, meta: dict[str, object]) -> tuple[Cause, ...]:
    declared = meta.get("causes") or {}
    if not isinstance(declared, dict):
        raise ValueError(f"{path.name}: `causes` must map cause ids to their sources")
    found = []
    for cause_id, title in cause_headings(path):
        info = declared.get(cause_id) or {}
        found.append(
            Cause(
                cause_id,
                title,
                tuple(str(s) for s in info.get("sources", [])),
                tuple(info.get("signals", [])),
            )
        )
    return tuple(found)


@dataclass(frozen=True)
class Entry:
    slug: str
    title: str
    description: str
    phase: str
    headline: str
    emitted_by: str
    match: tuple[Fragment, ...]
    path: Path
    causes: tuple[Cause, ...] = field(default=())
    declared_causes: tuple[str, ...] = field(default=())  # the ids the front matter describes


def front_matter(path: Path) -> dict[str, object]:
    """A page's front matter; parsed once per version of the file (a build reads each many times)."""
    return _front_matter(path, path.stat().st_mtime_ns)


@functools.lru_cache(maxsize=512)
def _front_matter(path: Path, mtime_ns: int) -> dict[str, object]:
    # MkDocs' own reader, so the gallery sees exactly the page.meta the build sees.
    text = path.read_text(encoding="utf-8")
    if not text.startswith("---\n"):
        raise ValueError(f"{path.name}: no front matter")
    _, data = get_data(text)
    if not data:
        raise ValueError(f"{path.name}: front matter is not a YAML mapping")
    return data


def entry(slug: str) -> Entry:
    return _by_slug(ERRORS)[slug]


def entries(folder: Path = ERRORS) -> list[Entry]:
    """Every error page, in phase order then by title; read once, until `forget()`."""
    return list(_entries(folder))


def forget() -> None:
    """Read the pages again on next use. Each build starts with this (macros.define_env): `mkdocs
    serve` rebuilds in the same process after a page changed. A build asks for the gallery some 300
    times, so nothing is checked per call."""
    _entries.cache_clear()
    _by_slug.cache_clear()


@functools.lru_cache(maxsize=8)
def _by_slug(folder: Path) -> dict[str, Entry]:
    return {e.slug: e for e in _entries(folder)}


@functools.lru_cache(maxsize=8)
def _entries(folder: Path) -> tuple[Entry, ...]:
    found = []
    for path in sorted(folder.glob("*.md")):
        if path.name == "index.md":
            continue
        meta = front_matter(path)
        missing = {"title", "description", "phase", "headline", "emitted_by", "match"} - set(meta)
        if missing:
            raise ValueError(f"{path.name}: front matter lacks {sorted(missing)}")
        if meta["phase"] not in PHASES:
            raise ValueError(f"{path.name}: phase {meta['phase']!r} is not one of {list(PHASES)}")
        found.append(
            Entry(
                slug=path.stem,
                title=str(meta["title"]),
                description=str(meta["description"]),
                phase=str(meta["phase"]),
                headline=str(meta["headline"]),
                emitted_by=str(meta["emitted_by"]),
                match=tuple(_fragment(m, path.name) for m in meta["match"]),  # type: ignore[union-attr]
                path=path,
                causes=_causes(path, meta),
                declared_causes=tuple(meta.get("causes") or {}),  # type: ignore[arg-type]
            )
        )
    order = list(PHASES)
    return tuple(sorted(found, key=lambda e: (order.index(e.phase), e.title.lower())))
