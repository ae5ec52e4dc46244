"""Shared browser-test plumbing: the built site served on 127.0.0.1, and Debian's Chromium.

Playwright drives the system Chromium; it never downloads a browser. Without one the browser
tests skip with the reason, except under CI=true, where a missing browser is a failure.
"""

from __future__ import annotations

import functools
import gzip
import http.server
import io
import os
import re
import shutil
import threading
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

# The flags Chromium needs to start as root in a sandbox without a network.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> str | None:
    """Debian's Chromium binary (the real one, not its shell wrapper), if installed."""
    for candidate in ("/usr/lib/chromium/chromium", shutil.which("chromium"), shutil.which("chromium-browser")):
        if candidate and Path(candidate).exists():
            return candidate
    return None


def browser_for_tests() -> str | None:
    """The browser the tests drive: Debian's headless shell (package chromium-headless-shell, the
    same Chromium without its windowing; it renders the same pages for about a sixth less CPU) if
    installed, else Chromium itself. Lighthouse needs the full browser (chromium_path)."""
    shell = Path("/usr/lib/chromium/chromium-headless-shell")
    return str(shell) if shell.exists() else chromium_path()


def require_chromium() -> str:
    path = browser_for_tests()
    if path is None:
        reason = "Chromium is not installed (apt-get install chromium); browser tests need it"
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    return path


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Static files; a missing file gets the site's 404.html with status 404, as GitHub Pages does."""

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib signature
        pass

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.is_file():
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


class _GzipHandler(_QuietHandler):
    """Like GitHub Pages: text files are sent gzip-compressed to clients that accept it."""

    COMPRESSIBLE = (".html", ".css", ".js", ".json", ".xml", ".svg", ".txt", ".map")

    def send_head(self):  # type: ignore[no-untyped-def]  # stdlib signature
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            if not urlsplit(self.path).path.endswith("/"):
                return super().send_head()  # the stdlib redirects to the URL with a slash
            path = path / "index.html"
        accepted = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (accepted and path.is_file() and path.suffix in self.COMPRESSIBLE):
            return super().send_head()
        body = gzip.compress(path.read_bytes(), compresslevel=6)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Vary", "Accept-Encoding")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)


@contextmanager
def serve(directory: Path, *, compress: bool = False) -> Iterator[str]:
    """Serve a folder on 127.0.0.1 at a free port until the block ends; yields the base URL.

    `compress` gzips text files as GitHub Pages does (for measuring page weight).
    """
    handler = functools.partial(_GzipHandler if compress else _QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def stop_other_hosts(context: Any, base_url: str, record: Callable[[Any], None]) -> None:
    """Intercept every request of `context` that is not for the local server (or a data:/blob: URL
    the page made itself): `record` gets the request, then the request is aborted.

    The route is a regular expression, which Playwright matches in its driver: requests for the
    local server go on without a round trip through this process (a function would see them all).
    """

    def abort(route: Any) -> None:
        record(route.request)
        route.abort()

    context.route(re.compile(rf"^(?!{re.escape(base_url)}|data:|blob:)"), abort)


def site_pages(site: Path) -> list[str]:
    """Every page of the built site, as paths relative to its root ("" is the home page), from its sitemap."""
    namespace = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locations = [loc.text or "" for loc in ET.parse(site / "sitemap.xml").getroot().findall("s:url/s:loc", namespace)]
    pages = [urlsplit(location).path.lstrip("/") for location in locations]
    missing = [page for page in pages if not (site / page / "index.html").is_file()]
    assert not missing, f"sitemap lists pages that were not built: {missing}"
    return pages


def source_of(page: str, docs: Path) -> Path:
    """The Markdown file a built page comes from ("errors/x/" -> docs/errors/x.md)."""
    stem = page.rstrip("/")
    for candidate in (docs / f"{stem}.md", docs / stem / "index.md"):
        if stem and candidate.is_file():
            return candidate
    return docs / "index.md" if not stem else docs / f"{stem}.md"


# A comment holding an annotation marker, "# (3)!": Material's annotation handling replaces the
# whole comment token (from "#" to the end of the line) with the annotation, which is hidden
# while copying.
_ANNOTATION_COMMENT = re.compile(r"(?:^|(?<=\s))#[^\n]*\(\d+\)![^\n]*$")


def copied_text(snippet: str) -> str:
    """What the copy button puts on the clipboard for a code block showing `snippet`.

    `snippet` is the included text as pymdownx.snippets inserts it (section markers dropped,
    sections dedented). Material copies the code element's innerText with annotations hidden
    (`extract` in its integrations/clipboard) and trims the end of the whole text; our override
    (overrides/main.html) then drops the blanks a removed comment leaves at the end of its line.
    """
    lines = [_ANNOTATION_COMMENT.sub("", line).rstrip(" \t") for line in snippet.split("\n")]
    return "\n".join(lines).rstrip()


# Open what hides an element (closed <details>, unselected content tabs), outermost first, by
# clicking each summary or tab label as a reader would; returns the number of clicks.
REVEAL = """(element) => {
  const clicks = [];
  for (let node = element.parentElement; node; node = node.parentElement) {
    if (node.tagName === "DETAILS" && !node.open) clicks.push(node.querySelector(":scope > summary"));
    if (node.classList.contains("tabbed-block")) {
      const set = node.closest(".tabbed-set");
      const index = Array.from(node.parentElement.children).indexOf(node);
      const input = set.querySelectorAll(":scope > input")[index];
      if (!input.checked) clicks.push(set.querySelector(`:scope > .tabbed-labels > label[for="${input.id}"]`));
    }
  }
  clicks.reverse().forEach((target) => target.click());
  return clicks.length;
}"""
