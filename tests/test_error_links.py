"""Error-page URLs and their heading anchors are a contract: none disappears without a redirect."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tpsite import gallery, links
from tpsite.paths import ERRORS

HEADING = re.compile(r"^(#{2,6})\s+(?P<text>.*?)\s*$")
EXPLICIT_ID = re.compile(r"\{\s*#[a-z0-9][-a-z0-9]*\s*\}$")
UPDATE = "build the site and run `uv run python -m tpsite.links <site dir> --write`"


def test_every_registered_link_still_resolves(site: Path) -> None:
    registry, now, moved = links.load(), links.published(site), links.redirects(site)
    assert len(registry) >= len(gallery.entries())
    for url, anchors in registry.items():
        if url in moved:
            continue
        assert url in now, f"/{url} disappeared without a redirect"
        missing = set(anchors) - set(now[url])
        assert not missing, f"/{url} lost the anchors {sorted(missing)}"


def test_every_published_link_is_registered(site: Path) -> None:
    registry = links.load()
    for url, anchors in links.published(site).items():
        if url in links.redirects(site):
            continue
        assert url in registry, f"/{url} is not in the registry: {UPDATE}"
        assert set(anchors) <= set(registry[url]), f"/{url}: new anchors not registered: {UPDATE}"


@pytest.mark.parametrize("page", [e.path for e in gallery.entries()], ids=lambda p: p.stem)
def test_error_page_headings_have_explicit_ids(page: Path) -> None:
    fenced = False
    for number, line in enumerate(page.read_text(encoding="utf-8").splitlines(), 1):
        if line.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
        match = None if fenced else HEADING.match(line)
        if match:
            assert EXPLICIT_ID.search(match["text"]), f"{page.name}:{number}: {line!r} has no {{ #id }}"


def test_the_gallery_has_its_pages() -> None:
    slugs = {e.slug for e in gallery.entries()}
    assert len(slugs) >= 45
    assert {p.stem for p in ERRORS.glob("*.md")} - {"index"} == slugs
