"""What each page of the built site weighs on the wire, cold, and how fast search answers (not a test).

    uv run python scripts/page_weight.py [--site DIR] [--pages N] [--search]

Builds the site (or takes a built one), serves it gzip-compressed on 127.0.0.1 as GitHub Pages
does, and opens every page (or the first N) in a fresh Chromium context: every byte transferred
(HTML, CSS, JS, data, fonts, images) is counted by class, as the page loads with nothing cached.
Prints the median and the heaviest page, each class's share, and the pages over 100 KB. With
--search: on a cold page with the CPU slowed 4x, the time from the first keystroke in the search box
to the first result.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from browser import CHROMIUM_ARGS, browser_for_tests, serve, site_pages

LIMIT = 100 * 1024
CLASSES = {
    "document": "html",
    "stylesheet": "css",
    "script": "js",
    "fetch": "data",
    "xhr": "data",
    "font": "fonts",
    "image": "images",
}


def build(out: Path) -> float:
    started = time.perf_counter()
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    subprocess.run(
        [
            sys.executable,
            "-m",
            "mkdocs",
            "build",
            "--strict",
            "--quiet",
            "--site-dir",
            str(out),
        ],
        cwd=ROOT,
        env=env,
        check=True,
    )
    return time.perf_counter() - started


def weigh(browser: object, url: str) -> dict[str, int]:
    """Bytes transferred by class for one cold page load: each response's headers and body as
    sent (gzip included), also those of the page's workers (Playwright reports them with the
    page's; Chromium's page-level DevTools session does not see a worker's own requests)."""
    context = browser.new_context()  # type: ignore[attr-defined]
    page = context.new_page()
    found: dict[str, int] = defaultdict(int)

    def finished(request: Any) -> None:
        sizes = request.sizes()
        kind = CLASSES.get(request.resource_type, "other")
        if kind == "other" and urlsplit(request.url).path.endswith(".js"):
            kind = "js"  # a worker's importScripts()
        found[kind] += sizes["responseBodySize"] + sizes["responseHeadersSize"]

    context.on("requestfinished", finished)
    page.goto(url, wait_until="networkidle")
    page.wait_for_timeout(300)
    context.close()
    return dict(found)


def search_latency(browser: object, base: str) -> float:
    """Seconds from the first keystroke in the search box to the first result, cold page, CPU 4x slower."""
    context = browser.new_context()  # type: ignore[attr-defined]
    page = context.new_page()
    client = context.new_cdp_session(page)
    client.send("Emulation.setCPUThrottlingRate", {"rate": 4})
    page.goto(base + "guide/", wait_until="load")
    started = time.perf_counter()
    page.keyboard.press("/")
    page.keyboard.type("invalid publisher")
    page.locator(".md-search-result__item").first.wait_for(timeout=30_000)
    seconds = time.perf_counter() - started
    context.close()
    return seconds


def report(site: Path, pages: int | None, search: bool) -> int:
    from playwright.sync_api import sync_playwright

    paths = site_pages(site)[:pages] if pages else site_pages(site)
    weights: dict[str, dict[str, int]] = {}
    with serve(site, compress=True) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=browser_for_tests(), args=CHROMIUM_ARGS
        )
        for path in paths:
            weights[path] = weigh(browser, base + path)
        latency = search_latency(browser, base) if search else None
        browser.close()
    totals = {path: sum(w.values()) for path, w in weights.items()}
    heaviest = max(totals, key=totals.get)  # type: ignore[arg-type]
    print(
        f"{len(totals)} pages, cold, gzip: median {statistics.median(totals.values()) / 1024:.0f} KB, heaviest /{heaviest} {totals[heaviest] / 1024:.0f} KB"
    )
    classes = sorted({c for w in weights.values() for c in w})
    print("| Class | Median per page | On the heaviest page |")
    print("|---|---:|---:|")
    for c in classes:
        print(
            f"| {c} | {statistics.median(w.get(c, 0) for w in weights.values()) / 1024:.1f} KB | {weights[heaviest].get(c, 0) / 1024:.1f} KB |"
        )
    over = sorted((p for p, t in totals.items() if t > LIMIT), key=lambda p: -totals[p])
    print(
        f"Over {LIMIT // 1024} KB: {', '.join(f'/{p} ({totals[p] / 1024:.0f} KB)' for p in over) or 'none'}"
    )
    if latency is not None:
        print(
            f"Search, cold page, CPU 4x slower: first result {latency:.2f} s after the first keystroke"
        )
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, help="a built site (default: build one)")
    parser.add_argument("--pages", type=int, help="only the first N pages")
    parser.add_argument(
        "--search", action="store_true", help="also time search on a slowed CPU"
    )
    args = parser.parse_args()
    if args.site:
        return report(args.site, args.pages, args.search)
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        print(f"`mkdocs build --strict`: {build(site):.1f} s")
        return report(site, args.pages, args.search)


if __name__ == "__main__":
    sys.exit(main())
