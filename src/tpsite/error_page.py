"""What an error page shows from the data, not typed on the page: the message box with the way to
Diagnose and the jump list, the wording history (from the inventory), and the sources of each
cause (front matter and the thread tally) with what the page was checked against (the record).
"""

from __future__ import annotations

from html import escape

from tpsite import gallery, inventory, sources, threads

def citation_url(citation: str) -> str:
    match = inventory.CITATION.match(citation)
    if not match:
        raise ValueError(f"not a citation: {citation!r}")
    lines = f"L{match['start']}" + (f"-L{match['end']}" if match["end"] else "")
    return f"https://github.com/{match['repo']}/blob/{match['commit']}/{match['path']}#{lines}"


def citation_label(citation: str) -> str:
    match = inventory.CITATION.match(citation)
    assert match
    lines = f"L{match['start']}" + (f"–L{match['end']}" if match["end"] else "")
    return f"{match['repo'].split('/')[-1]} {match['commit'][:7]} `{match['path']}` {lines}"


def _cite(source: str) -> str:
    """Markdown links for a source: citations joined by " + ", `thread: <url>` or `doc: <url>`."""
    links = []
    for part in (p.strip() for p in source.split(" + ")):
        if part.startswith(("thread: ", "doc: ")):
            url = part.split(": ", 1)[1]
            links.append(f"[{url.removeprefix('https://')}]({url})")
        elif inventory.CITATION.match(part):
            links.append(f"[{citation_label(part)}]({citation_url(part)})")
        else:
            raise ValueError(f"not a citation: {part!r}")
    return " + ".join(links)


def _code(text: str) -> str:
    ticks = "``" if "`" in text else "`"
    pad = " " if ticks == "``" else ""
    return f"{ticks}{pad}{text}{pad}{ticks}"


LONG_HEADLINE = 12  # lines; a longer message goes under the way to Diagnose


def headline_box(meta: dict[str, object], slug: str) -> str:
    """The message verbatim, the way to Diagnose, and the jump list phones see (the page's causes,
    in the tally's order, then its fixed sections)."""
    text = "\n".join(f"    {line}" for line in str(meta["headline"]).splitlines())
    entry = gallery.entry(slug)
    box = f'!!! failure "The message"\n\n    ```text\n{text}\n    ```\n'
    diagnose = (
        '\n<p class="tp-diagnose-link"><a class="md-button md-button--primary" '
        f'href="../../diagnose/">Paste your log: Diagnose</a> names the cause from the log\'s own lines.</p>\n'
    )
    items = [f'<li><a href="#{c.id}">{escape(_plain(c.title))}</a></li>' for c in entry.causes]
    rest = [("tell-apart", "Which one is yours"), ("fix", "Fix"), ("message", "The message in each client"), ("sources", "Sources")]
    items += [f'<li><a href="#{anchor}">{label}</a></li>' for anchor, label in rest]
    note = evidence_note(slug)
    jump = (
        f'\n<nav class="tp-jump" aria-label="On this page">\n<p>{"Causes, most often first" if entry.causes else "On this page"}'
        f'{f" ({note})" if note else ""}:</p>\n<ol>\n' + "\n".join(items) + "\n</ol>\n</nav>\n"
    )
    # A whole job summary (forty lines) would push the way to Diagnose off a phone's first screen.
    if len(str(meta["headline"]).splitlines()) > LONG_HEADLINE:
        return diagnose.lstrip("\n") + "\n" + box + jump
    return box + diagnose + jump


def _plain(markdown: str) -> str:
    return markdown.replace("`", "")


def evidence_note(slug: str) -> str:
    counts = threads.cause_counts(slug)
    total = sum(counts.values())
    if not gallery.entry(slug).causes:
        return ""
    if total == 0:
        return "no public thread established a cause yet; ordered as a publish checks them"
    if total < threads.THIN:
        return f"ordered by {total} public thread{'s' if total != 1 else ''} only, so take the order loosely"
    return f"ordered by {total} public threads"


def wording_history(slug: str) -> str:
    """Every wording of the messages this page answers: who prints it, since and until when, from where."""
    rows = ["| Wording | Printed by | Since | Until | Source |", "|---|---|---|---|---|"]
    for m in inventory.for_page(slug):
        wording = _code(m.wording.replace("\n", " ").replace("|", "\\|"))
        source = _cite(m.source).replace("|", "\\|")
        rows.append(f"| {wording} | {m.program} | {m.since or '?'} | {m.until or 'still printed'} | {source} |")
    if len(rows) == 2:
        return ""
    return "\n".join(rows)


def page_sources(slug: str) -> str:
    """Per cause, the source lines and the threads behind it; then what the page was checked against."""
    entry = gallery.entry(slug)
    lines = []
    for cause in entry.causes:
        cited = [_cite(s) for s in cause.sources]
        cited += [f"[{t.url.removeprefix('https://github.com/')}]({t.url}) ({t.date})" for t in threads.for_cause(slug, cause.id)]
        lines.append(f"- [{cause.title}](#{cause.id}): " + ("; ".join(cited) if cited else "no citation"))
    citations = [s for c in entry.causes for s in c.sources] + [m.source for m in inventory.for_page(slug)]
    checked = sources.checked_against(citations)
    if checked:
        read_on = max(s.read_on for s in checked)
        what = ", ".join(f"{s.label} ({s.date})" for s in checked)
        lines.append(f"\nChecked against {what} on {read_on}.")
    # Citations (commits, paths, thread URLs) are a tenth of the search index and nobody searches
    # for them: Material's search leaves the block out.
    return '<div class="tp-sources" data-search-exclude markdown>\n\n' + "\n".join(lines) + "\n\n</div>"
