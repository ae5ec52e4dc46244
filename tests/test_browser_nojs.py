"""Without JavaScript every page stays readable: its text, every code block, every annotation list.

Material renders code, content tabs (CSS radio buttons) and <details> without JavaScript; only
annotations become a numbered list under their code block. A block hidden behind a tab or a
closed <details> must appear when a reader clicks it open.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from browser import REVEAL, site_pages, stop_other_hosts

# Per page: is the article readable, are its code blocks and annotation lists there.
SURVEY = """() => {
  const article = document.querySelector("article");
  const blocks = Array.from(document.querySelectorAll("article pre > code"));
  const lists = Array.from(document.querySelectorAll("article div.highlight + ol, article div.highlight + p:empty + ol"));
  return {
    text: article ? article.innerText.trim().length : 0,
    h1: !!(article && article.querySelector("h1") && article.querySelector("h1").checkVisibility()),
    blocks: blocks.length,
    empty: blocks.filter(code => code.textContent.trim() === "").length,
    lists: lists.length,
    hiddenLists: lists.filter(ol => !ol.checkVisibility() && !ol.closest("details:not([open]), .tabbed-block")).length,
  };
}"""

# Open each hidden code block as a reader would (its tab, its <details>) and check that it shows;
# a block already opened by an earlier click (another block in the same tab) is skipped.
OPEN_HIDDEN_BLOCKS = f"""() => {{
  const reveal = {REVEAL};
  const problems = [];
  let revealed = 0;
  document.querySelectorAll("article pre > code").forEach((code, index) => {{
    if (code.checkVisibility()) return;
    if (reveal(code) === 0) problems.push(`code block ${{index}} hidden with nothing to click open`);
    else if (!code.checkVisibility()) problems.push(`code block ${{index}} stays hidden after clicking its tab or summary`);
    else revealed += 1;
  }});
  return {{problems, revealed}};
}}"""


def test_every_page_is_readable_without_javascript(chromium: Any, base_url: str, site: Path) -> None:
    foreign: list[str] = []
    context = chromium.new_context(java_script_enabled=False)
    stop_other_hosts(context, base_url, lambda request: foreign.append(request.url))
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
            opened = page.evaluate(OPEN_HIDDEN_BLOCKS)
            issues.extend(opened["problems"])
            revealed += opened["revealed"]
            if issues:
                problems[path] = issues
    finally:
        context.close()
    assert problems == {}
    assert revealed > 0, "no code block was hidden behind a tab or <details>: the reveal check checked nothing"
    assert foreign == []
