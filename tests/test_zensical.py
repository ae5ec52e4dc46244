"""Forward compatibility: Zensical, the Material team's successor engine, builds this site from the
same mkdocs.yml, with the same pages and the same included snippets.

zensical is pinned to 0.0.73, the last release that doesn't depend on `zensical-ui`, a package the
index this project installs from does not carry. Known differences, kept because MkDocs needs them:
Zensical shows the "Edit this page" button only with a `repo_url` (which the site leaves out so that
no page calls the GitHub API), and it reads only `not_found` and `anchors` under `validation`.
"""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import run, tool
from tpsite.paths import ROOT

# What a build reads: the configuration, the pages, the snippets, the theme overrides, the macros.
SOURCES = ("mkdocs.yml", "docs", "snippets", "overrides", "src")
CODE = re.compile(r"<pre[^>]*>(?:<span></span>)?<code[^>]*>(.*?)</code></pre>", re.S)
FORM = re.compile(r'<figure class="tp-form".*?</figure>', re.S)
TAG = re.compile(r"<[^>]+>")


@pytest.fixture(scope="module")
def zensical_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("zensical")
    for name in SOURCES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, root / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, root / name)
    result = run(tool("zensical"), "build", "--config-file", "mkdocs.yml", "--strict", cwd=root)
    assert result.returncode == 0, result.stdout + result.stderr
    return root / "site"


def pages(site: Path) -> dict[str, str]:
    return {str(p.relative_to(site)): p.read_text(encoding="utf-8") for p in sorted(site.rglob("*.html"))}


def code_blocks(markup: str) -> list[str]:
    """The text of each code block, as a reader (and the copy button) sees it."""
    return [html.unescape(TAG.sub("", block)) for block in CODE.findall(markup)]


def test_the_same_pages_are_built(site: Path, zensical_site: Path) -> None:
    assert sorted(pages(zensical_site)) == sorted(pages(site))


def test_every_page_shows_the_same_code_blocks(site: Path, zensical_site: Path) -> None:
    ours, theirs = pages(site), pages(zensical_site)
    assert sum(len(code_blocks(markup)) for markup in ours.values()) > 300
    different = [page for page in ours if code_blocks(ours[page]) != code_blocks(theirs.get(page, ""))]
    assert different == []


def test_macros_render_the_same_form_cards(site: Path, zensical_site: Path) -> None:
    ours, theirs = pages(site), pages(zensical_site)
    cards = {page: FORM.findall(markup) for page, markup in ours.items() if FORM.search(markup)}
    assert len(cards) >= 5
    assert {page: FORM.findall(theirs[page]) for page in cards} == cards
    assert [page for page, markup in theirs.items() if "<!--[[" in markup] == []


def test_the_search_worker_leaves_zensical_s_search_alone(site: Path, zensical_site: Path) -> None:
    # Our worker fixes lunr's query parsing for Material; behind Zensical's worker (no lunr) it must
    # load without an error and pass messages through.
    harness = ROOT / "tests" / "js" / "material-search.cjs"
    node = shutil.which("node") or "node"
    loaded = {}
    for name, built in (("mkdocs", site), ("zensical", zensical_site)):
        result = subprocess.run([node, str(harness), str(built), "--load-check"], capture_output=True, text=True, timeout=60)
        assert result.returncode == 0, result.stderr
        loaded[name] = json.loads(result.stdout)
    assert loaded == {
        "mkdocs": {"before": "undefined", "lunr": "function", "listening": True},
        "zensical": {"before": "undefined", "lunr": "undefined", "listening": True},
    }
