"""The built site: snippets rendered verbatim, no markup leftovers, annotations complete."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from tpsite import gallery
from tpsite.paths import DOCS

LEFTOVERS = re.compile(r'--8<-- ["\[]|\[(?:start|end):[a-z][-_0-9a-z]*\]|<!--\[\[|\]\]-->|<!--\[#')
MARKER = re.compile(r"\((\d+)\)!")


def pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def test_every_page_was_built(site: Path) -> None:
    sources = {p.relative_to(DOCS).with_suffix("") for p in DOCS.rglob("*.md")}
    for source in sources:
        target = site / (source.parent if source.name == "index" else source) / "index.html"
        assert target.is_file(), f"{source}.md was not built"


def test_expressions_survive_verbatim(site: Path) -> None:
    workflow = (site / "workflow" / "index.html").read_text(encoding="utf-8")
    text = html.unescape(re.sub(r"<[^>]+>", "", workflow))
    assert "GITHUB_TOKEN: ${{ github.token }}" in text
    assert "group: ${{ github.workflow }}-${{ github.ref }}" in text


def test_no_include_section_or_macro_markup_is_left(site: Path) -> None:
    for page in pages(site):
        found = LEFTOVERS.findall(page.read_text(encoding="utf-8"))
        assert found == [], f"{page.relative_to(site)}: {found[:3]}"


# Markdown and macro syntax that only shows when an extension is missing or a block is mis-indented:
# keys (`++ctrl+c++`), includes, Jinja, admonitions, callouts, content tabs, task boxes.
UNRENDERED = re.compile(r"\+\+[^+\s][^+]*\+\+|--8<--|\{\{|\}\}|\[\[|\]\]|!!!|\?\?\?|:::|^\s*=== \"|^\s*(?:[-*] )?\[[ xX]\]\s", re.M)


def prose(markup: str) -> str:
    """A page's visible text outside code, as a reader sees it (code blocks and inline code may
    legitimately show `${{ … }}` or `[ ]`)."""
    if "<article" in markup and "</article>" in markup:  # parse the article only: the nav is the theme's
        markup = markup[markup.index("<article") : markup.rindex("</article>") + len("</article>")]
    soup = BeautifulSoup(markup, "html.parser")
    for node in soup.select("pre, code, script, style, textarea, .highlight"):
        node.decompose()
    article = soup.select_one("article") or soup
    return article.get_text("\n")


def test_no_markdown_or_macro_syntax_is_left_unrendered(site: Path) -> None:
    found = {}
    for page in pages(site):
        hits = UNRENDERED.findall(prose(page.read_text(encoding="utf-8")))
        if hits:
            found[str(page.relative_to(site))] = hits[:3]
    assert found == {}, f"{len(found)} pages show raw syntax: {dict(list(found.items())[:8])}"


def test_the_unrendered_syntax_check_can_fail() -> None:
    samples = ["press ++s++ to search", "- [ ] a task", "!!! note", '=== "uv"', "{{ macro() }}", "--8<-- x", "::: block"]
    for sample in samples:
        assert UNRENDERED.search(prose(f"<article><p>{sample}</p></article>")), sample
    assert not UNRENDERED.search(prose("<article><pre><code>${{ github.token }}</code></pre></article>"))


def annotated_blocks(page: Path) -> list[tuple[str, list[int], int]]:
    """(block title, marker numbers, items in the list after it) for each code block with markers."""
    markup = page.read_text(encoding="utf-8")
    if not MARKER.search(markup):
        return []  # no marker anywhere on the page: nothing to parse
    soup = BeautifulSoup(markup, "html.parser")
    found = []
    for block in soup.select("div.highlight"):
        comments = block.select("span.c, span.c1, span.cm, span.ch")
        numbers = [int(n) for c in comments for n in MARKER.findall(c.get_text())]
        if not numbers:
            continue
        following = block.find_next_sibling()
        items = len(following.find_all("li", recursive=False)) if following and following.name == "ol" else 0
        title = block.select_one(".filename")
        found.append((title.get_text() if title else "?", numbers, items))
    return found


def test_every_annotation_marker_has_its_item(site: Path) -> None:
    blocks = [(page, *b) for page in pages(site) for b in annotated_blocks(page)]
    assert len(blocks) >= 2, "expected annotated blocks on the workflow and guide pages"
    for page, title, numbers, items in blocks:
        where = f"{page.relative_to(site)} {title}"
        assert sorted(numbers) == list(range(1, len(numbers) + 1)), f"{where}: markers {numbers}"
        assert items == len(numbers), f"{where}: {len(numbers)} markers, {items} list items"


def test_the_workflow_page_annotates_every_marker_of_the_file(site: Path) -> None:
    blocks = annotated_blocks(site / "workflow" / "index.html")
    assert any(len(numbers) == 18 for _, numbers, _ in blocks)


@pytest.fixture(scope="module")
def search_index(site: Path) -> list[dict[str, str]]:
    return json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]


def plain(text: str) -> str:
    """Index text as a reader sees it: tags stripped, entities decoded, spaces folded."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", text)).split())


def test_each_error_headline_is_in_the_search_index(search_index: list[dict[str, str]]) -> None:
    entries = gallery.entries()
    assert len(entries) >= 2
    for entry in entries:
        texts = [plain(d["text"]) + " " + plain(d["title"]) for d in search_index if d["location"].startswith(f"errors/{entry.slug}/")]
        assert texts, f"{entry.slug} is not in the search index"
        assert any(" ".join(entry.headline.split()) in t for t in texts), entry.slug


def test_the_build_s_link_validation_stops_on_a_broken_anchor(tmp_path: Path) -> None:
    # The checks of links and anchors are MkDocs' own `validation` settings: build a two-page site
    # with exactly ours, once with a good anchor, once with a missing one.
    import yaml

    from conftest import run, tool
    from tpsite.paths import ROOT

    ours = yaml.safe_load(
        re.search(r"^validation:\n(?:  .*\n)+", (ROOT / "mkdocs.yml").read_text(encoding="utf-8"), re.M).group(0)
    )
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "other.md").write_text("# Other\n\n## Target { #target }\n", encoding="utf-8")
    config = {"site_name": "t", "strict": True, "markdown_extensions": ["attr_list"], **ours}
    (tmp_path / "mkdocs.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    results = {}
    for anchor in ("target", "missing"):
        (tmp_path / "docs" / "index.md").write_text(f"# Home\n\n[link](other.md#{anchor})\n", encoding="utf-8")
        build = run(tool("mkdocs"), "build", "--site-dir", str(tmp_path / "out"), cwd=tmp_path, env={"NO_MKDOCS_2_WARNING": "1"})
        results[anchor] = (build.returncode, build.stderr)
    assert results["target"][0] == 0, results["target"][1]
    assert results["missing"][0] != 0 and "#missing" in results["missing"][1]
