"""Every page of the served site, visited once in Chromium with JavaScript on.

One visit per page collects everything the tests below assert: console errors, requests to other
hosts, axe-core's violations (every rule but the colour rules on every page; the colour rules, in the
light and the dark palette, on the fewest pages whose articles hold every element and class the
site's articles use), what each copy button puts on the clipboard, and what each code annotation
shows when clicked.

The pages are split into shards, each crawled by its own browser tab, so that pytest-xdist can
run the shards side by side; every shard runs every check below.
"""

from __future__ import annotations

import html
import re
import textwrap
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from browser import REVEAL, copied_text, site_pages, source_of, stop_other_hosts
from bs4 import BeautifulSoup

from tpsite import snippets
from tpsite.paths import DOCS, SNIPPETS


@dataclass
class Visit:
    page: str
    console_errors: list[str] = field(default_factory=list)
    foreign_requests: list[str] = field(default_factory=list)
    axe: dict[str, list[str]] = field(default_factory=dict)  # "rule (palette)" -> offending nodes
    copied: list[tuple[str, str]] = field(default_factory=list)  # (snippet as it must be copied, clipboard)
    annotations: list[tuple[str, str, str]] = field(default_factory=list)  # (marker, list item, tooltip)
    shown: bool = False


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


def annotation_lists(markup: str) -> list[list[str]]:
    """For each code block of a built page, the items of the annotation list that follows it."""
    soup = BeautifulSoup(markup, "html.parser")
    found = []
    for block in soup.select("div.highlight"):
        sibling = block.find_next_sibling()
        while sibling is not None and sibling.name == "p" and not sibling.find(True) and not sibling.get_text(strip=True):
            sibling = sibling.find_next_sibling()
        items = sibling.find_all("li", recursive=False) if sibling is not None and sibling.name == "ol" else []
        found.append([" ".join(item.get_text(" ").split()) for item in items])
    return found


ANNOTATION_MARKER = re.compile(r"\(\d+\)!")
TITLE = re.compile(r"<title>(.*?)</title>", re.S)


def reveal(page: Any, element: Any) -> bool:
    """Open what hides `element` and see that it stays shown: right after an instant navigation,
    Material may still restore the reader's stored tab choice and hide it again. False if it
    can't be shown."""
    for _ in range(20):
        if element.evaluate(REVEAL) == 0 and element.evaluate("el => el.checkVisibility()"):
            return True
        page.wait_for_timeout(50)
    return False


def has_interactions(built: Path, page: str) -> bool:
    """Does the page include snippets (copy buttons to check) or annotate code (markers to click)?"""
    if included_texts(source_of(page, DOCS)):
        return True
    return bool(ANNOTATION_MARKER.search((built / page / "index.html").read_text(encoding="utf-8")))


def interact(page: Any, record: Visit, built: Path) -> None:
    """Click every code annotation and every copy button of a loaded page (when it includes snippets)."""
    # Code annotations: clicking a marker shows the text of its list item.
    source = (built / record.page / "index.html").read_text(encoding="utf-8")
    lists = annotation_lists(source) if ANNOTATION_MARKER.search(source) else []
    blocks = page.locator("div.highlight")
    if lists:
        assert blocks.count() == len(lists), f"{record.page}: the page's code blocks differ from the built HTML's"
    for index, items in enumerate(lists):
        if not items:
            continue
        markers = blocks.nth(index).locator("aside.md-annotation")
        # Bottom to top: an open tooltip hangs below its marker, so it never covers the next one.
        for number in reversed(range(markers.count())):
            marker = markers.nth(number)
            ident = marker.locator("[data-md-annotation-id]").get_attribute("data-md-annotation-id") or "?"
            reveal(page, marker)
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
    count = buttons.count()
    # The text each block shows, read as the copy button reads it (Material, then our override trims
    # line ends), and what its button copied.
    # Hidden blocks are opened as a reader would, one click (or two) at a time; with linked tabs one
    # click shows every "Fixed" block of the page at once.
    shown: list[str | None] = [None] * count
    copied: dict[int, str] = {}
    # Open every closed <details> first, as a reader clicking each one would; tabs then need one
    # click per choice.
    page.evaluate("() => document.querySelectorAll('article details:not([open]) > summary').forEach(s => s.click())")
    while True:
        for index, text in enumerate(page.evaluate(SHOWN_TEXTS)):
            if text is None or shown[index] is not None:
                continue
            shown[index] = text
            if text in expected:
                buttons.nth(index).click(force=True)  # no actionability waits; a covered button copies nothing
                copied[index] = page.evaluate(READ_CLIPBOARD)
        hidden = [index for index, text in enumerate(shown) if text is None]
        if not hidden:
            break
        code = page.locator(str(buttons.nth(hidden[0]).get_attribute("data-clipboard-target")))
        if not reveal(page, code):
            shown[hidden[0]] = "<a hidden block that no click shows>"
    # Each include, in page order, is the next block that shows its text.
    start = 0
    for text in expected:
        index = next((i for i in range(start, count) if shown[i] == text), None)
        if index is None:
            record.copied.append((text, "<no code block on the page shows this file>"))
            continue
        record.copied.append((text, copied[index]))
        start = index + 1


SHOWN_TEXTS = """() => Array.from(document.querySelectorAll("button.md-code__button[data-md-type=copy]")).map(button => {
  const code = document.querySelector(button.dataset.clipboardTarget);
  if (!code.checkVisibility()) return null;
  code.setAttribute("data-md-copying", "");
  const text = code.innerText.replace(/[ \t]+$/gm, "").trimEnd();
  code.removeAttribute("data-md-copying");
  return text;
})"""

# Read the clipboard, then overwrite it, so that a click that copies nothing can't pass.
READ_CLIPBOARD = """async () => {
  const text = await navigator.clipboard.readText();
  await navigator.clipboard.writeText("<clipboard not written>");
  return text;
}"""


def dark_palette_pages(site: Path) -> list[str]:
    """The fewest pages whose articles, together, hold every element and class the site's articles
    use (chosen greedily, biggest first): their colour contrast is checked in the dark palette too.
    The theme around the article is the same on every page, so it is checked on each of them."""
    pages = site_pages(site)
    kinds = {}
    for page in pages:
        markup = (site / page / "index.html").read_text(encoding="utf-8")
        article = markup[markup.index("<article") : markup.index("</article>")]
        tags = {f"<{tag}>" for tag in re.findall(r"<([a-z][a-z0-9]*)", article)}
        kinds[page] = tags | {f".{name}" for value in re.findall(r'class="([^"]*)"', article) for name in value.split()}
    left = set().union(*kinds.values())
    chosen = []
    while left:
        best = max(pages, key=lambda page: len(kinds[page] & left))  # the first of equals, in sitemap order
        chosen.append(best)
        left -= kinds[best]
    return chosen


# Count the documents Material has shown: it emits each on `document$` once it is mounted.
COUNT_DOCUMENTS = "() => { window.__tpDocuments = 0; document$.subscribe(() => { window.__tpDocuments += 1; }); }"
# Material's instant navigation, as the browser's back and forward buttons trigger it.
NAVIGATE = "(url) => { history.pushState(null, '', url); dispatchEvent(new PopStateEvent('popstate')); }"


SHARDS = 4
COLOUR_RULES = ("color-contrast", "link-in-text-block")


def shard(site: Path, number: int) -> list[str]:
    """The `number`-th of SHARDS groups of pages of about equal cost, in sitemap order. A page
    costs its HTML's size (what axe and the clicks cost grows with), three times over on the pages
    whose colours are measured too; heaviest first, each page goes to the cheapest group."""
    pages = site_pages(site)
    covering = set(dark_palette_pages(site))

    def cost(page: str) -> int:
        return (site / page / "index.html").stat().st_size * (3 if page in covering else 1)

    groups: list[list[str]] = [[] for _ in range(SHARDS)]
    loads = [0] * SHARDS
    for page in sorted(pages, key=lambda page: -cost(page)):
        cheapest = loads.index(min(loads))
        groups[cheapest].append(page)
        loads[cheapest] += cost(page)
    return sorted(groups[number], key=pages.index)


def crawl(chromium: Any, base_url: str, site: Path, paths: list[str]) -> dict[str, Visit]:
    """Visit pages as a reader does with navigation.instant: the first page is loaded, the next
    ones are fetched and swapped in by Material (which keeps its search worker and index, and axe,
    instead of rebuilding them for every page)."""
    from axe_playwright_python.sync_playwright import Axe

    axe_script = Axe().axe_script
    records = {path: Visit(path) for path in paths}
    showing: dict[Any, Visit] = {}  # tab -> the page it shows

    def foreign(request: Any) -> None:
        try:
            record = showing[request.frame.page]
        except Exception:  # noqa: BLE001 - a worker's request has no frame
            record = next(iter(records.values()))
        record.foreign_requests.append(request.url)

    def open_tab(context: Any) -> Any:
        stop_other_hosts(context, base_url, foreign)
        tab = context.new_page()
        tab.set_default_timeout(10_000)
        tab.on("console", lambda m: showing[tab].console_errors.append(m.text) if m.type == "error" else None)
        tab.on("pageerror", lambda e: showing[tab].console_errors.append(str(e)))
        return tab

    def show(tab: Any, path: str, *, settle: bool = True) -> None:
        showing[tab] = records[path]
        if tab.evaluate("() => window.__tpDocuments === undefined"):
            tab.goto(base_url + path, wait_until="load")
            tab.evaluate(axe_script)
            tab.evaluate(COUNT_DOCUMENTS)
        else:
            shown = tab.evaluate("() => window.__tpDocuments")
            tab.evaluate(NAVIGATE, base_url + path)
            tab.wait_for_function("(shown) => window.__tpDocuments > shown", arg=shown)
        if settle:  # let colour transitions (the header's title) end: axe measures colours
            tab.wait_for_function(
                "() => document.getAnimations().every(a => !(a instanceof CSSTransition) || a.playState !== 'running')"
            )
        title = TITLE.search((site / path / "index.html").read_text(encoding="utf-8"))
        assert title is not None and tab.title() == html.unescape(title.group(1)), f"{path}: another page is shown"
        records[path].shown = True

    covering = dark_also = set(dark_palette_pages(site))
    light = chromium.new_context(permissions=["clipboard-read", "clipboard-write"])
    dark = chromium.new_context(color_scheme="dark")  # Material follows the system's palette
    try:
        tab = open_tab(light)
        for path in paths:
            show(tab, path, settle=path in covering)
            # The colour rules (text contrast; links told from the text around them by colour) are
            # most of axe's time, and follow from the site's one stylesheet: they are measured on
            # the pages that hold every element and class the articles use, in both palettes; the
            # other rules on every page.
            rules = "{}" if path in covering else "{%s}" % ", ".join(f"'{rule}': {{enabled: false}}" for rule in COLOUR_RULES)
            violations = tab.evaluate(f"() => axe.run({{resultTypes: ['violations'], rules: {rules}}}).then(r => r.violations)")
            for violation in violations:
                records[path].axe[violation["id"]] = [" ".join(map(str, n["target"])) for n in violation["nodes"]]
        # Clicks come after every page is measured: the "Copied" dialog a copy button opens fades out
        # over two seconds, and the next page's contrast check would wait for it.
        tab.evaluate("() => navigator.clipboard.writeText('<clipboard not written>')")
        for path in paths:
            if has_interactions(site, path):
                show(tab, path, settle=False)
                interact(tab, records[path], site)
        tab = open_tab(dark)
        for path in paths:
            if path not in dark_also:
                continue
            show(tab, path)
            assert tab.evaluate("() => document.body.dataset.mdColorScheme") == "slate", path
            violations = tab.evaluate(
                f"() => axe.run({{runOnly: {list(COLOUR_RULES)}, resultTypes: ['violations']}}).then(r => r.violations)"
            )
            for violation in violations:
                records[path].axe[f"{violation['id']} (dark)"] = [
                    " ".join(map(str, n["target"])) for n in violation["nodes"]
                ]
    finally:
        light.close()
        dark.close()
    return records


def test_the_sitemap_lists_every_page(site: Path) -> None:
    # The crawl visits the pages of the sitemap: a short list would leave pages unchecked.
    pages = site_pages(site)
    assert "" in pages and "workflow/" in pages and "errors/invalid-publisher/" in pages
    assert sum(page.startswith("errors/") for page in pages) > 50
    # The shards, each crawled by its class of checks, hold every page once.
    assert sorted(c.shard for c in CrawlChecks.__subclasses__()) == list(range(SHARDS))
    assert sorted(page for number in range(SHARDS) for page in shard(site, number)) == sorted(pages)


@pytest.fixture(scope="class")
def visits(request: pytest.FixtureRequest, chromium: Any, base_url: str, site: Path) -> dict[str, Visit]:
    return crawl(chromium, base_url, site, shard(site, request.cls.shard))


class CrawlChecks:
    """Every check, on the pages of one shard: a subclass per shard, each crawled once (a
    class-scoped fixture). pytest-xdist's `--dist loadscope` runs a class on one worker, so the
    shards are crawled side by side and none twice."""

    shard: int

    def test_every_page_of_the_shard_is_shown(self, visits: dict[str, Visit]) -> None:
        assert visits and [page for page, v in visits.items() if not v.shown] == []


    def test_no_console_errors(self, visits: dict[str, Visit]) -> None:
        assert {page: v.console_errors for page, v in visits.items() if v.console_errors} == {}


    def test_no_request_leaves_the_local_server(self, visits: dict[str, Visit]) -> None:
        assert {page: v.foreign_requests for page, v in visits.items() if v.foreign_requests} == {}


    def test_no_accessibility_violations(self, visits: dict[str, Visit]) -> None:
        assert {page: v.axe for page, v in visits.items() if v.axe} == {}


    def test_annotations_show_their_list_item(self, visits: dict[str, Visit]) -> None:
        shown = [(page, a) for page, v in visits.items() for a in v.annotations]
        if "workflow/" in visits:
            assert any(page == "workflow/" for page, _ in shown), "the annotated workflow shows no annotations"
        # Compared without whitespace: the built HTML and the rendered text space inline code differently.
        wrong = [
            (page, marker, expected, got)
            for page, (marker, expected, got) in shown
            if "".join(expected.split()) != "".join(got.split())
        ]
        assert wrong == []


    def test_copy_buttons_copy_the_snippet_files(self, visits: dict[str, Visit]) -> None:
        copies = [(page, want, got) for page, v in visits.items() for want, got in v.copied]
        if "workflow/" in visits:
            assert sum(page == "workflow/" for page, _, _ in copies) >= 2
        wrong = [(page, want[:60], got[:200]) for page, want, got in copies if want != got]
        assert wrong == []
        # What a reader pastes has no line ending in blanks, which yamllint and pre-commit reject.
        assert [(page, want[:60]) for page, want, got in copies if re.search(r"[ \t]$", got, re.M)] == []


class TestShard0(CrawlChecks):
    shard = 0


class TestShard1(CrawlChecks):
    shard = 1


class TestShard2(CrawlChecks):
    shard = 2


class TestShard3(CrawlChecks):
    shard = 3
