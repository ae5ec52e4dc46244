"""The served site loads in a real browser, offline, with no request to any other host."""

from __future__ import annotations

from typing import Any

from browser import stop_other_hosts


def test_home_page_loads_without_errors_or_foreign_requests(chromium: Any, base_url: str) -> None:
    context = chromium.new_context()
    page = context.new_page()
    requests: list[str] = []
    errors: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.goto(base_url, wait_until="networkidle")
    assert "Trusted Publishing" in page.title()
    assert errors == []
    assert requests and all(url.startswith(base_url) for url in requests), requests
    context.close()


def test_requests_to_other_hosts_are_stopped_and_recorded(chromium: Any, base_url: str) -> None:
    # The interception every browser test relies on: another host's request is caught (and never
    # sent), the local server's and the page's own data: URLs are not.
    context = chromium.new_context()
    stopped: list[str] = []
    stop_other_hosts(context, base_url, lambda request: stopped.append(request.url))
    page = context.new_page()
    page.goto(base_url, wait_until="load")
    page.evaluate(
        """() => Promise.allSettled([
             fetch("http://example.invalid/font.woff2"),
             fetch("https://127.0.0.2/other"),
             fetch("data:text/plain,inline"),
             fetch("sitemap.xml"),
           ])"""
    )
    context.close()
    assert stopped == ["http://example.invalid/font.woff2", "https://127.0.0.2/other"]
