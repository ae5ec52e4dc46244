"""What the "How this site is tested" page shows from the data, not typed on the page: the record of
sources with the day each was read, and the counts of the inventory, the gallery and the tally."""

from __future__ import annotations

from collections import Counter

from tpsite import gallery, inventory, sources, threads

ROLE = {"snapshot": "read in full", "release": "release read to date a wording", "change": "commit that changed a behaviour", "document": "page or post"}


def sources_record() -> str:
    """The record as a table, newest first within each program."""
    rows = ["| Source | Version or commit | Dated | Read on | Why |", "|---|---|---|---|---|"]
    for s in sorted(sources.record(), key=lambda s: (s.program, s.role != "snapshot", s.date), reverse=False):
        what = s.version or (f"`{s.commit[:12]}`" if s.commit else f"[{s.url.removeprefix('https://')}]({s.url})")
        rows.append(f"| {s.program} | {what} | {s.date} | {s.read_on} | {ROLE[s.role]} |")
    return "\n".join(rows)


def counts() -> str:
    """The inventory by program, the gallery's pages and causes, and how each cause is cited."""
    messages = inventory.messages()
    programs = Counter(m.program for m in messages)
    answered = Counter(m.program for m in messages if m.page)
    entries = gallery.entries()
    causes = [(e.slug, c) for e in entries for c in e.causes]
    from_source = sum(1 for _, c in causes if c.sources)
    from_threads = sum(1 for slug, c in causes if threads.for_cause(slug, c.id))
    both = sum(1 for slug, c in causes if c.sources and threads.for_cause(slug, c.id))
    tally = threads.tally()
    established = sum(1 for t in tally if t.cause)
    lines = ["| Program | Messages | Answered by a page | No page needed |", "|---|---:|---:|---:|"]
    for program, n in sorted(programs.items()):
        lines.append(f"| {program} | {n} | {answered[program]} | {n - answered[program]} |")
    lines.append(f"| **all** | **{len(messages)}** | **{sum(answered.values())}** | **{len(messages) - sum(answered.values())}** |")
    lines.append("")
    lines.append(
        f"{len(entries)} error pages list {len(causes)} causes: {from_source} cite the source lines that make them possible, "
        f"{from_threads} the public threads that established them ({both} both). The tally holds {len(tally)} threads, "
        f"{established} of which established a cause."
    )
    return "\n".join(lines)
