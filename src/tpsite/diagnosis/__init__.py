"""Reading a pasted log: which message ended the job, which cause the log points to, and the lines
that prove it. `diagnose(raw, data)` is the truth the browser's Diagnose page is checked against
(tests/data/vectors/diagnosis.json); `data` is what tpsite.export writes for the browser.

    read (clean, claims, index, tool) -> identify (messages, the one that ended the job, its
    wording and versions) -> facts -> rank (the entry's causes by their declared signals)
    -> a guess from the paste's words when no message is found
"""

from __future__ import annotations

import re
from typing import Any

from tpsite.diagnosis import identify, rank, read

# Words that say nothing about which error it is.
STOP_WORDS = frozenset(
    "the and for with that this from not but are was were has have had you your our its any all can "
    "does did error errors failed fail fails failure pypi publish publishing upload uploading package "
    "packages python github workflow workflows action actions job step run using use when what why how "
    "after before into out get got set see more info information".split()
)
_WORD = re.compile(r"[a-z0-9][a-z0-9_.-]*[a-z0-9]")
_PART = re.compile(r"[a-z0-9]+")
GUESS_MIN = 2  # points a paste must score for a page to be offered as a guess
SLUG_POINTS = 3  # the page's name written out ("invalid publisher") counts as much as three rare words


def words(text: str) -> list[str]:
    """The paste's distinct words (ASCII, lower case, three characters or more), in order."""
    seen: dict[str, None] = {}
    for w in _WORD.findall(text.lower()):
        if len(w) >= 3 and w not in STOP_WORDS:
            seen.setdefault(w, None)
    return list(seen)


def _named(text: str, slugs: set[str]) -> set[str]:
    """The pages whose name the text writes out, in words or with hyphens ("invalid publisher")."""
    parts = _PART.findall(text.lower())
    found = set()
    for i in range(len(parts)):
        for n in range(2, 7):
            if i + n <= len(parts) and "-".join(parts[i : i + n]) in slugs:
                found.add("-".join(parts[i : i + n]))
    return found


def _guess(text: str, gallery: dict) -> list[dict[str, Any]]:
    """Pages whose name or rare words the paste shares, most first (at most three): a guess, said as one."""
    text = text[-200_000:]
    pasted = set(words(text))
    named = _named(text, {e["slug"] for e in gallery["entries"]})
    found = []
    for order, entry in enumerate(gallery["entries"]):
        shared = sorted(pasted & set(entry["words"]))
        points = len(shared) + (SLUG_POINTS if entry["slug"] in named else 0)
        if points >= GUESS_MIN:
            found.append((points, order, {"slug": entry["slug"], "shared": shared, "named": entry["slug"] in named}))
    found.sort(key=lambda f: (-f[0], f[1]))
    return [f[2] for f in found[:3]]


def _line(cleaned: read.Cleaned, index: int) -> dict[str, Any] | None:
    """A line of the paste as the page quotes it: its number in the paste and its (cleaned) text."""
    if index < 0 or index >= len(cleaned.lines):
        return None
    return {"number": cleaned.numbers[index], "text": read.trim(cleaned.lines[index])[:300]}


def diagnose(raw: object, model: dict, gallery: dict, compared: frozenset[str] = frozenset()) -> dict[str, Any]:
    """The diagnosis of a paste; `compared`: the codes a comparison with the reader's publisher
    found (see rank.rank), which move the causes that declare `compare` signals."""
    cleaned = read.clean(raw)
    result: dict[str, Any] = {"notes": cleaned.notes, "empty": not read.trim(cleaned.text)}
    if result["empty"]:
        return result
    claims = read.parse_claims(cleaned)
    index = read.detect_index(cleaned, claims)
    tool, platform = read.detect_tool(cleaned, claims)
    hits = identify.identify(cleaned, gallery)
    entries = {e["slug"]: e for e in gallery["entries"]}
    result["claims"] = (
        None
        if claims is None
        else {"format": claims.format, "claims": claims.claims, "missing": claims.missing, "inferred": claims.inferred, "line": _line(cleaned, claims.line)}
    )
    result["index"] = {"value": index.value, "line": _line(cleaned, index.line)}
    result["tool"] = {"value": tool.value, "line": _line(cleaned, tool.line)}
    result["platform"] = {"value": platform.value, "line": _line(cleaned, platform.line)}
    facts = rank.derive_facts(cleaned, claims, index, tool, platform)
    result["facts"] = {name: _line(cleaned, at) for name, at in sorted(facts.items())}
    result["messages"] = [{"slug": h.slug, "weight": h.weight, "line": _line(cleaned, h.line)} for h in hits]
    if hits:
        top = entries[hits[0].slug]
        wording = identify.wording_of(hits[0], cleaned, top["wordings"])
        result["ended"] = top["slug"]
        result["followed_by"] = _line(cleaned, next((i for i in range(hits[0].line + 1, min(len(cleaned.lines), hits[0].line + 4)) if read.trim(cleaned.lines[i])), -1))
        result["wording"] = None if wording is None else {k: wording[k] for k in ("key", "program", "since", "until", "current")}
        result["causes"] = [
            {
                "id": c.id,
                "score": c.score,
                "prior": c.prior,
                "verdict": c.verdict,
                "evidence": [{"kind": e.kind, "what": e.what, "weight": e.weight, "says": e.says, "line": _line(cleaned, e.line)} for e in c.evidence],
            }
            for c in rank.rank(top["causes"], cleaned, facts, model["facts"], compared)
        ]
        result["guess"] = []
    else:
        result["ended"] = None
        result["followed_by"] = None
        result["wording"] = None
        result["causes"] = []
        result["guess"] = _guess(cleaned.text, gallery)
    return result
