"""Every page of the served site, visited once in Chromium with JavaScript on.

One visit per page collects everything the tests below assert: console errors, requests to other
hosts, axe-core's violations (every rule in the light palette; colour contrast again in the dark
palette on the navigation's pages), what each copy button puts on the clipboard, and what each code
annotation shows when clicked.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup

from browser import copied_text, site_pages, source_of
from tpsite import snippets
from tpsite.paths import DOCS, SNIPPETS

# The copy button writes the clipboard asynchronously: wait (briefly) for the write to land.
READ_CLIPBOARD = """async (sentinel) => {
  for (let i = 0; i < 80; i++) {
    const text = await navigator.clipboard.readText();
    if (text !== sentinel) return text;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return sentinel;
}"""


@dataclass
class Visit:
    page: str
    console_errors: list[str] = field(default_factory=list)
    foreign_requests: list[str] = field(default_factory=list)
    axe: dict[str, list[str]] = field(default_factory=dict)  # "rule (palette)" -> offending nodes
    copied: list[tuple[str, str]] = field(default_factory=list)  # (snippet as it must be copied, clipboard)
    annotations: list[tuple[str, str, str]] = field(default_factory=list)  # (marker, list item, tooltip)


def included_texts(page: Path) -> list[str]:
    """What the copy button of each snippet a page includes must copy, in page order."""
    expected = []
    for include in snippets.includes(page.parent):
        if include.page != page:
            continue
        path = SNIPPETS / include.file
        if include.section:
            text = textwrap.dedent(snippets.sections(path)[include.section])  # dedent_subsections: true
        else:
            text = path.read_text(encoding="utf-8")
        expected.append(copied_text(snippets.without_markers(text)))
    return expected


def annotation_lists(html: str) -> list[list[str]]:
    """For each code block of a built page, the items of the annotation list that follows it."""
    soup = BeautifulSoup(html, "html.parser")
    found = []
    for block in soup.select("div.highlight"):
        sibling = block.find_next_sibling()
        while sibling is not None and sibling.name == "p" and not sibling.find(True) and not sibling.get_text(strip=True):
            sibling = sibling.find_next_sibling()
        items = sibling.find_all("li", recursive=False) if sibling is not None and sibling.name == "ol" else []
        found.append([" ".join(item.get_text(" ").split()) for item in items])
    return found


# Reveal a code block hidden in a closed <details> or an unselected content tab: returns the
# elements a reader would click, outermost first, marked so that Playwright can click them.
REVEAL = """(button) => {
  const clicks = [];
  for (let node = button.parentElement; node; node = node.parentElement) {
    if (node.tagName === "DETAILS" && !node.open) clicks.push(node.querySelector(":scope > summary"));
    if (node.classList.contains("tabbed-block")) {
      const set = node.closest(".tabbed-set");
      const index = Array.from(node.parentElement.children).indexOf(node);
      const input = set.querySelectorAll(":scope > input")[index];
      if (!input.checked) clicks.push(set.querySelector(`:scope > .tabbed-labels > label[for="${input.id}"]`));
    }
  }
  clicks.reverse();
  clicks.forEach((el, i) => el.setAttribute("data-tp-reveal", String(i)));
  return clicks.length;
}"""


def reveal(page: Any, handle: Any) -> None:
    count = handle.evaluate(REVEAL)
    for index in range(count):
        target = page.locator(f'[data-tp-reveal="{index}"]')
        target.click()
        target.evaluate("el => el.removeAttribute('data-tp-reveal')")


def interact(page: Any, record: Visit, built: Path) -> None:
    """Click every code annotation and every copy button of a loaded page (when it includes snippets)."""
    # Code annotations: clicking a marker shows the text of its list item.
    lists = annotation_lists((built / record.page / "index.html").read_text(encoding="utf-8"))
    blocks = page.locator("div.highlight")
    assert blocks.count() == len(lists), f"{record.page}: the page's code blocks differ from the built HTML's"
    for index, items in enumerate(lists):
        if not items:
            continue
        markers = blocks.nth(index).locator("aside.md-annotation")
        # Bottom to top: an open tooltip hangs below its marker, so it never covers the next one.
        for number in reversed(range(markers.count())):
            marker = markers.nth(number)
            ident = marker.locator("[data-md-annotation-id]").get_attribute("data-md-annotation-id") or "?"
            reveal(page, marker.element_handle())
            marker.click()
            tooltip = marker.locator(".md-tooltip")
            tooltip.wait_for(state="visible")
            shown = " ".join(tooltip.inner_text().split())
            expected = items[int(ident) - 1] if ident.isdigit() and int(ident) <= len(items) else "<no such item>"
            record.annotations.append((f"block {index} marker {ident}", expected, shown))
        page.mouse.move(0, 0)
        page.evaluate("() => document.activeElement && document.activeElement.blur()")

    # Copy buttons of the blocks that show included snippets: what each puts on the clipboard.
    expected = included_texts(source_of(record.page, DOCS))
    if not expected:
        return
    buttons = page.locator("button.md-code__button[data-md-type=copy]")
    # Which button belongs to which include: the page's text of each shown block, read as Material
    # reads it (hidden blocks, whose text can't be read that way, are candidates for every include).
    shown = page.evaluate(SHOWN_TEXTS)
    start = 0
    for text in expected:
        for index in range(start, len(shown)):
            if shown[index] not in (None, text):
                continue
            button = buttons.nth(index)
            reveal(page, button.element_handle())
            button.click(force=True)  # no actionability waits; a covered button copies nothing
            copied = page.evaluate(READ_CLIPBOARD)
            if shown[index] is None and copied != text:
                continue  # a hidden block that shows something else
            record.copied.append((text, copied))
            start = index + 1
            break
        else:
            record.copied.append((text, "<no code block on the page shows this file>"))


SHOWN_TEXTS = """() => Array.from(document.querySelectorAll("button.md-code__button[data-md-type=copy]")).map(button => {
  const code = document.querySelector(button.dataset.clipboardTarget);
  if (!code.checkVisibility()) return null;
  code.setAttribute("data-md-copying", "");
  const text = code.innerText.trimEnd();
  code.removeAttribute("data-md-copying");
  return text;
})"""

# Read the clipboard, then overwrite it, so that a click that copies nothing can't pass.
READ_CLIPBOARD = """async () => {
  const text = await navigator.clipboard.readText();
  await navigator.clipboard.writeText("<clipboard not written>");
  return text;
}"""


# Pages whose colour contrast is checked in the dark palette too: every page in the navigation
# (they hold all the kinds of code block, table, admonition and form the site has) and one error
# page. Running axe's contrast rule on all 60 error pages twice would double the suite's time.
DARK_ALSO = ("errors/invalid-publisher/",)

# Count the documents Material has shown: it emits each on `document$` once it is mounted.
COUNT_DOCUMENTS = "() => { window.__tpDocuments = 0; document$.subscribe(() => { window.__tpDocuments += 1; }); }"
# Material's instant navigation, as the browser's back and forward buttons trigger it.
NAVIGATE = "(url) => { history.pushState(null, '', url); dispatchEvent(new PopStateEvent('popstate')); }"


@pytest.fixture(scope="module")
def visits(chromium: Any, base_url: str, site: Path) -> dict[str, Visit]:
    return crawl(chromium, base_url, site)


def crawl(chromium: Any, base_url: str, site: Path) -> dict[str, Visit]:
    """Visit every page as a reader does with navigation.instant: the first page is loaded, the next
    ones are fetched and swapped in by Material (which keeps its search worker and index, and axe,
    instead of rebuilding them for every page)."""
    from axe_playwright_python.sync_playwright import Axe

    axe_script = Axe().axe_script
    here = urlsplit(base_url).netloc
    paths = site_pages(site)
    records = {path: Visit(path) for path in paths}
    nav = {link.split("#")[0] for link in _nav_links(site)}
    showing: dict[Any, Visit] = {}  # tab -> the page it shows

    def route(route: Any) -> None:
        if urlsplit(route.request.url).netloc == here:
            route.continue_()
            return
        try:
            record = showing[route.request.frame.page]
        except Exception:  # noqa: BLE001 - a worker's request has no frame
            record = next(iter(records.values()))
        record.foreign_requests.append(route.request.url)
        route.abort()

    def open_tab(context: Any) -> Any:
        context.route("**/*", route)
        tab = context.new_page()
        tab.set_default_timeout(10_000)
        tab.on("console", lambda m: showing[tab].console_errors.append(m.text) if m.type == "error" else None)
        tab.on("pageerror", lambda e: showing[tab].console_errors.append(str(e)))
        return tab

    def show(tab: Any, path: str) -> None:
        showing[tab] = records[path]
        if tab.evaluate("() => window.__tpDocuments === undefined"):
            tab.goto(base_url + path, wait_until="load")
            tab.evaluate(axe_script)
            tab.evaluate(COUNT_DOCUMENTS)
        else:
            shown = tab.evaluate("() => window.__tpDocuments")
            tab.evaluate(NAVIGATE, base_url + path)
            tab.wait_for_function("(shown) => window.__tpDocuments > shown", arg=shown)
        # Let colour transitions (the header's title, the copy dialog) end: axe measures colours.
        tab.wait_for_function(
            "() => document.getAnimations().every(a => !(a instanceof CSSTransition) || a.playState !== 'running')"
        )
        title = BeautifulSoup((site / path / "index.html").read_text(encoding="utf-8"), "html.parser").title
        assert title is not None and tab.title() == title.get_text(), f"{path}: another page is shown"

    light = chromium.new_context(permissions=["clipboard-read", "clipboard-write"])
    dark = chromium.new_context(color_scheme="dark")  # Material follows the system's palette
    try:
        tab = open_tab(light)
        show(tab, paths[0])
        tab.evaluate("() => navigator.clipboard.writeText('<clipboard not written>')")
        for path in paths:
            show(tab, path)
            violations = tab.evaluate("() => axe.run({resultTypes: ['violations']}).then(r => r.violations)")
            for violation in violations:
                records[path].axe[violation["id"]] = [" ".join(map(str, n["target"])) for n in violation["nodes"]]
            interact(tab, records[path], site)
        tab = open_tab(dark)
        for path in paths:
            if path not in nav and path not in DARK_ALSO:
                continue
            show(tab, path)
            assert tab.evaluate("() => document.body.dataset.mdColorScheme") == "slate", path
            violations = tab.evaluate(
                "() => axe.run({runOnly: ['color-contrast'], resultTypes: ['violations']}).then(r => r.violations)"
            )
            for violation in violations:
                records[path].axe[f"{violation['id']} (dark)"] = [
                    " ".join(map(str, n["target"])) for n in violation["nodes"]
                ]
    finally:
        light.close()
        dark.close()
    return records


def _nav_links(site: Path) -> list[str]:
    """The pages the home page's navigation links to, relative to the site root."""
    soup = BeautifulSoup((site / "index.html").read_text(encoding="utf-8"), "html.parser")
    links = []
    for anchor in soup.select("nav.md-nav--primary a.md-nav__link[href]"):
        href = str(anchor["href"])
        if "://" in href:
            continue
        links.append("" if href in {".", "./"} else href.removeprefix("./"))
    return links


def test_every_page_is_visited(visits: dict[str, Visit]) -> None:
    # The sitemap lists the nav pages and every gallery page; a short list means a broken sitemap.
    assert "" in visits and "workflow/" in visits and "errors/invalid-publisher/" in visits
    assert sum(page.startswith("errors/") for page in visits) > 50


def test_no_console_errors(visits: dict[str, Visit]) -> None:
    assert {page: v.console_errors for page, v in visits.items() if v.console_errors} == {}


def test_no_request_leaves_the_local_server(visits: dict[str, Visit]) -> None:
    assert {page: v.foreign_requests for page, v in visits.items() if v.foreign_requests} == {}


def test_no_accessibility_violations(visits: dict[str, Visit]) -> None:
    assert {page: v.axe for page, v in visits.items() if v.axe} == {}


def test_annotations_show_their_list_item(visits: dict[str, Visit]) -> None:
    shown = [(page, a) for page, v in visits.items() for a in v.annotations]
    assert any(page == "workflow/" for page, _ in shown), "the annotated workflow shows no annotations"
    # Compared without whitespace: the built HTML and the rendered text space inline code differently.
    wrong = [
        (page, marker, expected, got)
        for page, (marker, expected, got) in shown
        if "".join(expected.split()) != "".join(got.split())
    ]
    assert wrong == []


def test_copy_buttons_copy_the_snippet_files(visits: dict[str, Visit]) -> None:
    copies = [(page, want, got) for page, v in visits.items() for want, got in v.copied]
    assert len(copies) > 10, "fewer copy buttons checked than the site has included snippets"
    assert sum(page == "workflow/" for page, _, _ in copies) >= 2
    wrong = [(page, want[:60], got[:200]) for page, want, got in copies if want != got]
    assert wrong == []
