"""Reader interactions in Chromium: linked content tabs, the palette toggle, search, the 404 page.

Every context here fails any request to a host other than the local server.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from browser import stop_other_hosts

from tpsite import gallery


@pytest.fixture
def page(chromium: Any, base_url: str) -> Iterator[Any]:
    """A fresh context (no stored palette or tab choice) that blocks and records foreign requests."""
    foreign: list[str] = []
    context = chromium.new_context()
    stop_other_hosts(context, base_url, lambda request: foreign.append(request.url))
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()
    assert foreign == [], "requests to other hosts"


def selected(page: Any) -> list[str]:
    """The label of the selected tab of every content tab set on the page, in page order."""
    return page.evaluate(
        """() => Array.from(document.querySelectorAll(".tabbed-set")).map(set => {
             const input = set.querySelector(":scope > input:checked");
             return set.querySelector(`:scope > .tabbed-labels > label[for="${input.id}"]`).innerText.trim();
           })"""
    )


def test_bad_and_fixed_tabs_switch_together(page: Any, base_url: str) -> None:
    page.goto(base_url + "pitfalls/")
    before = selected(page)
    assert before.count("Bad") >= 2 and set(before) <= {"Bad", "Fixed"}, before
    page.locator(".tabbed-labels > label", has_text="Fixed").first.click()
    assert selected(page) == ["Fixed"] * len(before)
    page.locator(".tabbed-labels > label", has_text="Bad").last.click()
    assert selected(page) == ["Bad"] * len(before)


def test_the_workflow_tab_choice_is_shown_and_remembered(page: Any, base_url: str) -> None:
    page.goto(base_url + "workflow/")
    ours = page.locator(".tabbed-block").nth(0)
    original = page.locator(".tabbed-block").nth(1)
    assert selected(page) == ["Ours"] and ours.is_visible() and not original.is_visible()
    page.locator(".tabbed-labels > label", has_text="The blog's original").click()
    assert original.is_visible() and not ours.is_visible()
    assert "actions/checkout@v4" in original.inner_text()  # the blog's unpinned checkout
    page.reload()  # linked tabs remember the reader's choice
    assert selected(page) == ["The blog's original"]


def test_palette_toggle_switches_and_persists(page: Any, base_url: str) -> None:
    page.goto(base_url)
    scheme = "() => document.body.getAttribute('data-md-color-scheme')"
    assert page.evaluate(scheme) == "default"
    page.locator("label.md-header__button[for='__palette_1']").click()
    assert page.evaluate(scheme) == "slate"
    page.goto(base_url + "guide/")
    assert page.evaluate(scheme) == "slate"
    page.locator("label.md-header__button[for='__palette_0']").click()
    assert page.evaluate(scheme) == "default"
    page.reload()
    assert page.evaluate(scheme) == "default"


def test_pasted_error_messages_find_their_gallery_page_first(page: Any, base_url: str) -> None:
    workers: list[str] = []
    page.on("worker", lambda worker: workers.append(worker.url))
    page.goto(base_url)
    # Messages with what lunr would read as field names ("word:") or operators: the cases the
    # site's search worker exists for.
    entries = {e.slug: e for e in gallery.entries()}
    cases = [entries[slug] for slug in ("no-oidc-token-discovered", "invalid-reuse-token")]
    box = page.locator("input.md-search__input")
    box.click()
    for entry in cases:
        assert ":" in entry.headline
        # Pasted, then the last key typed: Material searches as keys are released.
        box.fill(entry.headline[:-1])
        box.press_sequentially(entry.headline[-1])
        expected = f"errors/{entry.slug}/"
        first = page.locator(".md-search-result__item > .md-search-result__link").first
        try:
            page.wait_for_function(
                """([expected]) => {
                     const link = document.querySelector(".md-search-result__item > .md-search-result__link");
                     return link !== null && new URL(link.href).pathname.endsWith(expected);
                   }""",
                arg=[expected],
            )
        except Exception:  # noqa: BLE001 - report what search listed instead
            listed = page.locator(".md-search-result__item > .md-search-result__link").evaluate_all(
                "links => links.slice(0, 3).map(a => a.href)"
            )
            pytest.fail(f"{entry.headline!r} lists {listed or 'nothing'} first, not {expected}")
        assert first.is_visible()
    # The query went through the site's worker, which loads Material's behind it.
    assert any("/assets/javascripts/search-worker.js?worker=" in url for url in workers), workers


def test_the_search_index_is_fetched_only_when_the_reader_reaches_for_search(page: Any, base_url: str) -> None:
    # The index and Material's worker (lunr) are both held: a reader who never searches gets neither.
    index: list[str] = []
    lunr: list[str] = []
    page.on("request", lambda request: index.append(request.url) if "search_index" in request.url else None)
    page.on("request", lambda request: lunr.append(request.url) if "/assets/javascripts/workers/search." in request.url else None)
    page.goto(base_url + "guide/", wait_until="load")
    page.locator("a[href$='/workflow/']").first.click()  # an instant navigation, then a pause
    page.wait_for_url("**/workflow/")
    page.wait_for_timeout(500)
    assert index == [], "the index was fetched before anyone searched"
    assert lunr == [], "Material's search worker was loaded before anyone searched"
    page.keyboard.press("/")  # Material's shortcut focuses the search box
    page.keyboard.type("environment protection rules")
    first = page.locator(".md-search-result__item > .md-search-result__link").first
    first.wait_for()
    assert len(index) == 1 and index[0].endswith("/search/search_index.json")
    assert len(lunr) == 1
    assert "errors/environment-protection-rules/" in first.get_attribute("href")


def test_unknown_url_shows_the_404_page(page: Any, base_url: str) -> None:
    response = page.goto(base_url + "no/such/page/")
    assert response is not None and response.status == 404
    assert "404" in page.locator("article h1").inner_text()
    # It offers the ways on: the gallery and Diagnose (and search, in the header).
    links = page.locator("article a").evaluate_all("links => links.map(a => new URL(a.href).pathname)")
    assert any(p.endswith("/errors/") for p in links) and any(p.endswith("/diagnose/") for p in links)
    # The page is styled and navigable: the theme's assets load from the site root.
    assert page.locator(".md-header").is_visible()
    assert page.evaluate("() => getComputedStyle(document.querySelector('.md-header')).position") == "sticky"


def test_search_marks_whole_words_only_on_the_page_it_leads_to(page: Any, base_url: str) -> None:
    page.goto(base_url + "guide/", wait_until="load")
    page.keyboard.press("/")
    page.keyboard.type("publisher in the form")
    first = page.locator(".md-search-result__item > .md-search-result__link").first
    first.wait_for()
    assert "h=" in first.get_attribute("href") and "h=in" not in first.get_attribute("href").replace("h=in+", "")
    first.click()
    page.wait_for_function("() => document.querySelectorAll('mark[data-md-highlight]').length > 0")
    marks = page.evaluate(
        """() => Array.from(document.querySelectorAll("article mark[data-md-highlight]"), (m) => {
             const before = (m.previousSibling && m.previousSibling.textContent.slice(-1)) || "";
             const after = (m.nextSibling && m.nextSibling.textContent.charAt(0)) || "";
             return [before, m.textContent, after];
           })"""
    )
    assert marks, "nothing marked"
    words = {text.lower() for _, text, _ in marks}
    assert not words & {"in", "the"}, words
    assert not [m for m in marks if m[0].isalnum() or m[2].isalnum()], marks[:5]


def test_a_log_pasted_into_search_is_handed_to_diagnose(page: Any, base_url: str) -> None:
    from test_diagnose_logs import FIXTURES

    log = next(f.log for f in FIXTURES if f.name == "invalid-publisher-8")
    page.goto(base_url + "guide/", wait_until="load")
    page.keyboard.press("/")
    page.evaluate(
        """(text) => {
          const box = document.querySelector("[data-md-component=search-query]");
          const data = new DataTransfer();
          data.setData("text/plain", text);
          box.dispatchEvent(new ClipboardEvent("paste", { clipboardData: data, bubbles: true, cancelable: true }));
        }""",
        log,
    )
    offer = page.locator(".tp-handover a")
    offer.wait_for()
    offer.click()
    page.wait_for_url("**/diagnose/")
    page.wait_for_selector(".tp-verdict a")
    assert page.locator(".tp-verdict a").first.get_attribute("data-slug") == "invalid-publisher"
    assert page.evaluate("() => document.getElementById('tp-log').value") == log
