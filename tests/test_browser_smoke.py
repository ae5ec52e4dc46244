"""The served site loads in a real browser, offline, with no request to any other host."""

from __future__ import annotations

from typing import Any


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
