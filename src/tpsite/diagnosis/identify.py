"""Which known messages a cleaned log holds, where, and which one ended the job.

Each gallery entry lists fragments that identify it (front matter `match`, with a weight). One pass
of a combined expression finds where any fragment occurs; each fragment is then looked for in the
whitespace-folded text around those places only, so a 10 MB log costs one scan. The browser does the
same (docs/assets/javascripts/tp/diagnose.js).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from tpsite.diagnosis.read import _S, Cleaned, flatten, js, line_of

# Text kept around each hit: enough for the longest fragment, stretched by line breaks.
MARGIN = 2000
PHASE_ORDER = ("token", "exchange", "upload", "after")
MAX_HITS = 5000


@dataclass(frozen=True)
class Hit:
    slug: str
    phase: str
    weight: int
    fragment: str
    length: int  # of the folded fragment
    at: int  # offset in the cleaned text
    line: int  # index of the cleaned line


_SPACES = re.compile(f"{_S}+")


def _any_fragment(entries: list[dict]) -> re.Pattern[str]:
    """Any fragment of any entry, whitespace-tolerant.

    The lookahead on the fragments' first characters changes no match (every fragment starts with
    one of them) but lets most positions of a long log fail at once instead of trying each of the
    hundreds of alternatives (a 10 MB paste: four times faster)."""
    texts = [m["text"].strip() for e in entries for m in e["match"]]
    sources = [f"{_S}+".join(re.escape(part) for part in _SPACES.split(text)) for text in texts]
    firsts = "".join(re.escape(c) for c in dict.fromkeys(text[0] for text in texts))
    return re.compile(f"(?=[{firsts}])(?:{'|'.join(sources)})")


class _Folded:
    """`flatten(text)` of a window, and the way back from its offsets to the log's."""

    def __init__(self, text: str, start: int) -> None:
        self.flat = flatten(text)
        # Each whitespace run became one space: (offset in flat, offset in the log) after each run.
        self.flat_at, self.log_at = [0], [start]
        shrink = 0
        for m in _SPACES.finditer(text):
            shrink += len(m[0]) - 1
            self.flat_at.append(m.end() - shrink)
            self.log_at.append(start + m.end())

    def offset(self, i: int) -> int:
        k = bisect.bisect_right(self.flat_at, i) - 1
        return self.log_at[k] + (i - self.flat_at[k])


def identify(cleaned: Cleaned, gallery: dict) -> list[Hit]:
    """The gallery entries whose fragments occur in the log, the one that ended the job first.

    Order: the fragment's weight (a message over the wrappers printed around it), then the longer
    fragment, then the earlier phase of a publish, then the later place in the log."""
    entries = gallery["entries"]
    text = cleaned.text
    windows: list[list[int]] = []
    pattern = _any_fragment(entries)
    for count, m in enumerate(pattern.finditer(text)):
        if count >= MAX_HITS:
            break
        a, b = max(0, m.start() - MARGIN), min(len(text), m.end() + MARGIN)
        if windows and a <= windows[-1][1]:
            windows[-1][1] = max(windows[-1][1], b)
        else:
            windows.append([a, b])
    folded = [_Folded(text[a:b], a) for a, b in windows]
    hits: list[Hit] = []
    for entry in entries:
        best: Hit | None = None
        for m in entry["match"]:
            fragment = flatten(m["text"].strip())
            for window in folded:
                i = window.flat.rfind(fragment)
                if i == -1:
                    continue
                at = window.offset(i)
                hit = Hit(entry["slug"], entry["phase"], gallery["weights"][m["weight"]], m["text"], len(fragment), at, line_of(cleaned, at))
                if best is None or (hit.weight, hit.length, hit.at) > (best.weight, best.length, best.at):
                    best = hit
        if best is not None:
            hits.append(best)
    hits.sort(key=lambda h: (-h.weight, -h.length, PHASE_ORDER.index(h.phase), -h.at))
    return hits


def wording_of(hit: Hit, cleaned: Cleaned, wordings: list[dict]) -> dict | None:
    """The inventory wording of the hit's entry that the log's text there is an instance of: the most
    specific (most literal text) one, preferring a current wording; None if none fits."""
    text = cleaned.text
    line_start = text.rfind("\n", 0, hit.at) + 1
    around = flatten(text[line_start : min(len(text), hit.at + MARGIN)])
    found = None
    for w in wordings:
        if js(w["pattern"], re.S).search(around):
            key = (w["literal"], w["until"] == "")
            if found is None or key > found[0]:
                found = (key, w)
    return found[1] if found else None
