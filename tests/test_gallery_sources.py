"""The gallery is complete by construction and exact by citation.

- The inventory (src/tpsite/data/inventory/): every message has a page (and section) or a reason
  for none; a page's headline is a wording of a message it answers; no message has two pages.
- Every cause on every page is cited: source lines in its front matter, or threads in the tally;
  the order of a page's causes follows the tally.
- The tally's threads name real pages and causes.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from tpsite import gallery, inventory, sources, threads

ENTRIES = gallery.entries()
SLUGS = {e.slug for e in ENTRIES}
HEADING_ID = re.compile(r"^#{2,6}\s.*\{\s*#(?P<id>[a-z0-9][-a-z0-9]*)\s*\}\s*$", re.M)


def anchors(entry: gallery.Entry) -> set[str]:
    return set(HEADING_ID.findall(entry.path.read_text(encoding="utf-8")))


# --- the inventory ------------------------------------------------------------------------------


MESSAGES = inventory.messages()


def test_the_inventory_covers_every_program() -> None:
    programs = Counter(m.program for m in MESSAGES)
    assert set(programs) >= {"warehouse", "gh-action-pypi-publish", "id", "twine", "uv", "github-actions", "gitlab-ci"}
    assert len(MESSAGES) >= 150, programs


@pytest.mark.parametrize("message", MESSAGES, ids=lambda m: m.key)
def test_every_message_is_well_formed(message: inventory.Message) -> None:
    assert message.kind in inventory.KINDS
    assert message.wording.strip() and message.how.strip() and message.since
    for part in message.citations():
        assert inventory.CITATION.match(part) or part.startswith(("thread: https://", "doc: https://")), part
    assert bool(message.page) != bool(message.no_page), "give a page or a reason for none, not both"
    # Placeholders are named and explained.
    assert set(message.fields()) <= set(message.placeholders), f"explain {sorted(set(message.fields()) - set(message.placeholders))}"


@pytest.mark.parametrize("message", [m for m in MESSAGES if m.page], ids=lambda m: m.key)
def test_every_answered_message_has_its_page_and_section(message: inventory.Message) -> None:
    assert message.slug in SLUGS, f"{message.key}: no page {message.slug}"
    _, _, anchor = message.page.partition("#")
    if anchor:
        assert anchor in anchors(gallery.entry(message.slug)), f"{message.key}: no #{anchor} on {message.slug}"


def test_ids_are_unique() -> None:
    assert len(inventory.by_key()) == len(MESSAGES)


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda e: e.slug)
def test_the_headline_is_a_wording_the_page_answers(entry: gallery.Entry) -> None:
    answered = inventory.for_page(entry.slug)
    assert answered, f"{entry.slug}: the inventory names no message this page answers"
    assert any(m.pattern().fullmatch(entry.headline) for m in answered), (
        f"{entry.slug}: the headline is not an instance of {[m.key for m in answered]}"
    )


def test_no_message_is_claimed_by_two_pages() -> None:
    """The most specific wordings a page's headline is an instance of belong to that page: a
    generic wrapper (`Invalid API Token: {reasons}`) may match other pages' headlines too, but the
    wording with the most literal text decides the page. One wording printed on two paths (a name
    refused at upload, HTTP 400, and when a pending publisher creates the project, HTTP 422) is two
    messages: the inventory has an entry for each path (`how`), one per page."""
    for entry in ENTRIES:
        matching = [m for m in MESSAGES if m.page and m.pattern().fullmatch(entry.headline)]
        most = max((len("".join(m.literal_parts())) for m in matching), default=0)
        own = [m for m in matching if m.slug == entry.slug]
        others = [
            m.key
            for m in matching
            if len("".join(m.literal_parts())) == most
            and m.slug != entry.slug
            and not any(o.wording == m.wording and o.how != m.how for o in own)
        ]
        assert not others, f"{entry.slug}'s headline is as much the wording of {others}"


# --- causes: cited, and ranked by the tally --------------------------------------------------------


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda e: e.slug)
def test_front_matter_describes_exactly_the_causes_on_the_page(entry: gallery.Entry) -> None:
    assert list(entry.declared_causes) == [c.id for c in entry.causes], "front matter `causes` ≠ the page's cause headings"


@pytest.mark.parametrize("entry", [e for e in ENTRIES if e.causes], ids=lambda e: e.slug)
def test_every_cause_is_cited(entry: gallery.Entry) -> None:
    for cause in entry.causes:
        cited = list(cause.sources) + threads.for_cause(entry.slug, cause.id)
        assert cited, f"{entry.slug}#{cause.id}: no source line and no thread"
        for citation in cause.sources:
            assert inventory.CITATION.match(citation) or citation.startswith(("thread: https://", "doc: https://")), citation


@pytest.mark.parametrize("entry", [e for e in ENTRIES if len(e.causes) > 1], ids=lambda e: e.slug)
def test_causes_are_ordered_by_the_tally(entry: gallery.Entry) -> None:
    page_order = [c.id for c in entry.causes]
    counts = threads.cause_counts(entry.slug)
    assert threads.ranked(entry.slug, page_order) == page_order, {c: counts.get(c, 0) for c in page_order}


# --- the tally -----------------------------------------------------------------------------------------


TALLY = threads.tally()


def test_the_tally_is_large_enough_to_rank_by() -> None:
    assert len(TALLY) >= 100
    assert len({t.url for t in TALLY}) == len(TALLY), "a thread is tallied once"


@pytest.mark.parametrize("thread", TALLY, ids=lambda t: t.url.removeprefix("https://"))
def test_every_thread_names_a_page_and_one_of_its_causes(thread: threads.Thread) -> None:
    assert thread.url.startswith("https://")
    assert date.fromisoformat(thread.date) <= date(2026, 12, 31)
    assert thread.page in SLUGS, f"no page {thread.page}"
    if thread.cause:
        assert thread.cause in {c.id for c in gallery.entry(thread.page).causes}, f"{thread.page} has no {thread.cause}"
    assert thread.established.strip() and thread.message.strip()


def test_the_order_check_can_fail(monkeypatch: pytest.MonkeyPatch) -> None:
    entry = next(e for e in ENTRIES if len(e.causes) > 1)
    first, second = entry.causes[0].id, entry.causes[1].id
    fake = [threads.Thread("https://example.org/t", "2026-01-01", entry.slug, "m", second, "x", "y")]
    monkeypatch.setattr(threads, "tally", lambda: tuple(fake))
    assert threads.ranked(entry.slug, [first, second]) == [second, first]


# --- the record of sources ----------------------------------------------------------------------------


def _texts() -> list[tuple[str, str]]:
    texts = [(str(p.relative_to(p.parents[1])), p.read_text(encoding="utf-8")) for p in sources.page_files()]
    # An entry's source citations; its since/until name versions of its own program, in its own words.
    texts += [(f"inventory:{m.key}", m.source) for m in MESSAGES]
    return texts


MENTIONS = sources.used(_texts())


def test_every_commit_and_version_named_is_in_the_record() -> None:
    missing = sorted({f"{m.repo} {m.commit or m.version}  ({m.where})" for m in MENTIONS if m.resolve() is None})
    assert not missing, f"{len(missing)} not in src/tpsite/data/sources.toml:\n" + "\n".join(missing[:40])


def test_every_record_entry_is_used() -> None:
    used = {id(m.resolve()) for m in MENTIONS}
    unused = [s.label for s in sources.record() if s.role != "document" and id(s) not in used]
    assert not unused, f"in the record but named nowhere: {unused}"


def test_the_gallery_is_read_again_after_forget(tmp_path: Path) -> None:
    # A build asks for the gallery hundreds of times, so it is read once; `mkdocs serve` rebuilds
    # in the same process, and each build starts with forget() (macros.define_env).
    page = tmp_path / "some-error.md"

    def write(title: str) -> None:
        page.write_text(f'---\ntitle: "{title}"\ndescription: d\nphase: upload\nheadline: h\nemitted_by: e\nmatch: ["h"]\n---\n\n# {title}\n', encoding="utf-8")

    write("First")
    assert [e.title for e in gallery.entries(tmp_path)] == ["First"]
    write("Second")
    assert [e.title for e in gallery.entries(tmp_path)] == ["First"]
    gallery.forget()
    assert [e.title for e in gallery.entries(tmp_path)] == ["Second"]
