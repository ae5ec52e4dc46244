"""Pasting an error's headline into the site's own search lists its gallery page first.

The ranking comes from the site's real search worker (Material's lunr build, as copied into the
built site), run in Node by tests/js/material-search.cjs: no reimplementation that could disagree.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from tpsite import gallery
from tpsite.paths import ROOT

HARNESS = ROOT / "tests" / "js" / "material-search.cjs"


def rank(site: Path, queries: list[str]) -> list[list[str]]:
    node = shutil.which("node")
    if node is None:
        pytest.fail("Node.js is needed to run the site's search worker")
    unique = list(dict.fromkeys(queries))  # many logs carry the same line: each is searched once
    result = subprocess.run(
        [node, str(HARNESS), str(site)], input=json.dumps(unique), capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    found = dict(zip(unique, json.loads(result.stdout), strict=True))
    return [found[query] for query in queries]


def pages(found: list[str]) -> list[str]:
    """The pages of a result list (a group led by one of a page's sections is that page)."""
    return [location.split("#")[0] for location in found]


def test_expanded_words_missing_from_the_index_are_dropped(site: Path) -> None:
    result = subprocess.run(
        [shutil.which("node") or "node", str(HARNESS), str(site), "--guard-check"], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == ["publish"]


def test_the_harness_tells_hits_from_misses(site: Path) -> None:
    hits, misses = rank(site, ["trusted publisher", "qqqxyzzy"])
    assert hits and misses == []


def test_every_headline_finds_its_entry_first(site: Path) -> None:
    entries = gallery.entries()
    results = rank(site, [e.headline for e in entries])
    # Two pages may answer the same wording printed in different circumstances: either may lead.
    sharing = {e.slug: {f"errors/{o.slug}/" for o in entries if o.headline == e.headline} for e in entries}
    wrong = {
        e.slug: found[:3]
        for e, found in zip(entries, results, strict=True)
        if not found or pages(found)[0] not in sharing[e.slug]
    }
    assert wrong == {}, f"{len(wrong)} of {len(entries)} headlines don't rank their entry first"


def test_a_line_of_a_real_log_finds_its_page_in_the_top_three(site: Path) -> None:
    """The line of each real log that carries its message, searched as it is (with its prefixes,
    timestamps and quoting cleaned away as a reader would paste it), lists its page in the top 3."""
    from test_diagnose_logs import FIXTURES

    from tpsite import export
    from tpsite.diagnosis import diagnose

    model, data = export.model_data(), export.gallery_data()
    cases = []
    for fixture in FIXTURES:
        result = diagnose(fixture.log, model, data)
        if result.get("ended") == fixture.expected and result["messages"][0]["line"]:
            cases.append((fixture.name, fixture.expected, result["messages"][0]["line"]["text"]))
    results = rank(site, [line for _, _, line in cases])
    missed = {name: (expected, found[:3]) for (name, expected, _), found in zip(cases, results, strict=True) if f"errors/{expected}/" not in pages(found)[:3]}
    print(f"\nlines of real logs: {len(cases) - len(missed)} of {len(cases)} find their page in the top 3")
    assert len(missed) <= 0.05 * len(cases), missed
