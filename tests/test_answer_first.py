"""Answer first, on a phone and on a desktop: every error page offers Diagnose and a jump list to
its causes on its first screen; the home page links both tools above the fold; the message box
never hides text under its copy button."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tpsite import gallery

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
SLUGS = [e.slug for e in gallery.entries()]


@pytest.fixture(scope="module", params=[PHONE, DESKTOP], ids=["phone", "desktop"])
def page(request: pytest.FixtureRequest, chromium: Any) -> Iterator[Any]:
    context = chromium.new_context(viewport=request.param)
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.viewport = request.param
    yield page
    context.close()


FIRST_SCREEN = """([height]) => {
  const inView = (el) => { const r = el.getBoundingClientRect(); return r.height > 0 && r.top >= 0 && r.top < height; };
  const diagnose = document.querySelector(".tp-diagnose-link a[href$='/diagnose/']");
  const jump = document.querySelector("nav.tp-jump");
  // Material makes every link absolute: read the fragment.
  const causes = Array.from(document.querySelectorAll("nav.tp-jump a"), (a) => a.hash.slice(1)).filter((id) => id.startsWith("cause-"));
  const headings = Array.from(document.querySelectorAll("h3[id^='cause-']"), (h) => h.id);
  return { diagnose: !!diagnose && inView(diagnose), jump: !!jump, jumpTop: jump ? jump.getBoundingClientRect().top : null, causes, headings };
}"""


# Material's instant navigation (as in the crawl): each page is swapped in without reloading the
# theme's scripts and styles, which is what a reader following a search result gets.
COUNT_DOCUMENTS = "() => { window.__tpDocuments = 0; document$.subscribe(() => { window.__tpDocuments += 1; }); }"
NAVIGATE = "(url) => { history.pushState(null, '', url); dispatchEvent(new PopStateEvent('popstate')); }"


def test_every_error_page_offers_diagnose_and_its_causes_first(page: Any, base_url: str) -> None:
    height = page.viewport["height"]
    wrong = {}
    page.goto(base_url + "errors/", wait_until="load")
    page.evaluate(COUNT_DOCUMENTS)
    for slug in SLUGS:
        shown = page.evaluate("() => window.__tpDocuments")
        page.evaluate(NAVIGATE, base_url + f"errors/{slug}/")
        page.wait_for_function("(shown) => window.__tpDocuments > shown", arg=shown)
        assert page.evaluate("() => location.pathname").endswith(f"/errors/{slug}/")
        page.evaluate("() => window.scrollTo(0, 0)")  # a page is opened at its top
        found = page.evaluate(FIRST_SCREEN, [height])
        problems = []
        if not found["diagnose"]:
            problems.append("Diagnose is not on the first screen")
        if not found["jump"]:
            problems.append("no jump list")
        if found["causes"] != found["headings"]:
            problems.append(f"jump list {found['causes']} != causes {found['headings']}")
        if problems:
            wrong[slug] = problems
    assert wrong == {}, wrong


def test_the_home_page_links_both_tools_above_the_fold(page: Any, base_url: str) -> None:
    page.goto(base_url, wait_until="domcontentloaded")
    height = page.viewport["height"]
    for target in ("configure/", "diagnose/"):
        link = page.locator(f".tp-entry a[href$='{target}']").first
        box = link.bounding_box()
        assert box is not None and box["y"] + box["height"] <= height, (target, box)


def test_the_message_box_keeps_text_clear_of_the_copy_button(page: Any, base_url: str) -> None:
    page.goto(base_url + "errors/invalid-publisher/", wait_until="load")
    page.wait_for_selector(".admonition.failure .md-code__button", state="attached")
    overlap = page.evaluate(
        """() => {
          const box = document.querySelector(".admonition.failure .highlight");
          const button = box.querySelector(".md-code__button").getBoundingClientRect();
          const code = box.querySelector("code");
          const range = document.createRange();
          range.selectNodeContents(code);
          return Array.from(range.getClientRects()).some((r) => r.width > 0 && r.right > button.left + 1 && r.left < button.right && r.bottom > button.top && r.top < button.bottom);
        }"""
    )
    assert overlap is False
