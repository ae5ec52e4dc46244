"""Without JavaScript every page stays readable: its text, every code block, every annotation list.

Material renders code, content tabs (CSS radio buttons) and <details> without JavaScript; only
annotations become a numbered list under their code block. A block hidden behind a tab or a
closed <details> must appear when a reader clicks it open.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from browser import site_pages

# Per page: is the article readable, which code blocks are hidden and what would reveal them.
SURVEY = """() => {
  const article = document.querySelector("article");
  const blocks = Array.from(document.querySelectorAll("article pre > code"));
  const hidden = [];
  blocks.forEach((code, index) => {
    if (code.checkVisibility()) return;
    const clicks = [];
    for (let node = code.parentElement; node; node = node.parentElement) {
      if (node.tagName === "DETAILS" && !node.open) clicks.push(`details summary @${index}`);
      if (node.classList.contains("tabbed-block")) clicks.push(`tab @${index}`);
    }
    hidden.push(index);
  });
  const lists = Array.from(document.querySelectorAll("article div.highlight + ol, article div.highlight + p:empty + ol"));
  return {
    text: article ? article.innerText.trim().length : 0,
    h1: !!(article && article.querySelector("h1") && article.querySelector("h1").checkVisibility()),
    blocks: blocks.length,
    empty: blocks.filter(code => code.textContent.trim() === "").length,
    hidden,
    lists: lists.length,
    hiddenLists: lists.filter(ol => !ol.checkVisibility() && !ol.closest("details:not([open]), .tabbed-block")).length,
  };
}"""

REVEAL = """(code) => {
  const clicks = [];
  for (let node = code.parentElement; node; node = node.parentElement) {
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


def test_every_page_is_readable_without_javascript(chromium: Any, base_url: str, site: Path) -> None:
    here = urlsplit(base_url).netloc
    foreign: list[str] = []

    def route(route: Any) -> None:
        if urlsplit(route.request.url).netloc != here:
            foreign.append(route.request.url)
            route.abort()
        else:
            route.continue_()

    context = chromium.new_context(java_script_enabled=False)
    context.route("**/*", route)
    page = context.new_page()
    page.set_default_timeout(5_000)
    problems: dict[str, object] = {}
    revealed = 0
    try:
        assert page.goto(base_url) is not None
        # Scripts really are off: Material's JavaScript would have mounted the search and set this.
        assert page.evaluate("() => document.documentElement.classList.contains('no-js')")
        for path in site_pages(site):
            page.goto(base_url + path, wait_until="load")
            survey = page.evaluate(SURVEY)
            issues = []
            if survey["text"] < 200 or not survey["h1"]:
                issues.append(f"article text {survey['text']} characters, title visible: {survey['h1']}")
            if survey["empty"]:
                issues.append(f"{survey['empty']} empty code blocks")
            if survey["hiddenLists"]:
                issues.append(f"{survey['hiddenLists']} annotation lists hidden")
            codes = page.locator("article pre > code")
            for index in survey["hidden"]:
                code = codes.nth(index)
                if code.is_visible():  # opened by an earlier click (another block in the same tab)
                    continue
                clicks = code.evaluate(REVEAL)
                if clicks == 0:
                    issues.append(f"code block {index} hidden with nothing to click open")
                    continue
                for step in range(clicks):
                    target = page.locator(f'[data-tp-reveal="{step}"]')
                    target.click()
                    target.evaluate("el => el.removeAttribute('data-tp-reveal')")
                if not code.is_visible():
                    issues.append(f"code block {index} stays hidden after clicking its tab or summary")
                revealed += 1
            if issues:
                problems[path] = issues
    finally:
        context.close()
    assert problems == {}
    assert revealed > 0, "no code block was hidden behind a tab or <details>: the reveal check checked nothing"
    assert foreign == []
