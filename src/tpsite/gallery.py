"""The error gallery: one page per real error message, described by its front matter."""

from __future__ import annotations

import functools
from dataclasses import dataclass
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


def entries(folder: Path = ERRORS) -> list[Entry]:
    """Every error page, in phase order then by title."""
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
            )
        )
    order = list(PHASES)
    return sorted(found, key=lambda e: (order.index(e.phase), e.title.lower()))
