"""The registry of published error-page URLs and heading anchors: links people paste are a contract.

`python -m tpsite.links SITE_DIR --write` records what a built site publishes; the tests compare
a fresh build against the committed registry, so a page or anchor can't vanish unnoticed.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

from tpsite.paths import ROOT

REGISTRY = ROOT / "tests" / "data" / "published-error-links.json"
_HEADING_ID = re.compile(r'<h[2-6][^>]* id="([^"]+)"')


def published(site: Path) -> dict[str, list[str]]:
    """Every error page of a built site (URL path) with the ids of its headings."""
    found = {}
    for page in sorted((site / "errors").glob("*/index.html")):
        url = f"errors/{page.parent.name}/"
        found[url] = sorted(set(_HEADING_ID.findall(page.read_text(encoding="utf-8"))))
    return found


def redirects(site: Path) -> set[str]:
    """URLs that now only redirect (a meta refresh page left by mkdocs-redirects)."""
    return {
        f"errors/{p.parent.name}/"
        for p in (site / "errors").glob("*/index.html")
        if 'http-equiv="refresh"' in p.read_text(encoding="utf-8")
    }


def load() -> dict[str, list[str]]:
    return json.loads(REGISTRY.read_text(encoding="utf-8"))


def write(site: Path) -> None:
    """Add what the site publishes to the registry; nothing is ever removed from it."""
    registry = load() if REGISTRY.exists() else {}
    for url, anchors in published(site).items():
        if url in redirects(site):
            continue
        registry[url] = sorted(set(registry.get(url, [])) | set(anchors))
    REGISTRY.write_text(json.dumps(dict(sorted(registry.items())), indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[2] != "--write":
        sys.exit("usage: python -m tpsite.links SITE_DIR --write")
    write(Path(sys.argv[1]))
