"""The tally of real public threads: a failed publish, its message, and the cause the thread
established, read from the thread itself. One file per error page,
src/tpsite/data/threads/<slug>.toml, beside the page docs/errors/<slug>.md.

It ranks each error page's causes (most often established first), gives a cause its public
evidence, and tells where the evidence is thin. A thread whose cause was never established counts
for how often the message happens (`cause = ""`), not for any cause.
"""

from __future__ import annotations

import functools
import tomllib
from collections import Counter
from dataclasses import dataclass

from tpsite.paths import ROOT

FOLDER = ROOT / "src" / "tpsite" / "data" / "threads"
# Below this many threads with an established cause, a page says its order rests on little.
THIN = 5


@dataclass(frozen=True)
class Thread:
    url: str
    date: str  # of the failure report
    page: str  # the gallery slug of the message (the file's name)
    message: str  # as quoted in the thread (trimmed)
    cause: str  # the page's cause id the thread established, or ""
    established: str  # the cause in our words, as the thread states it
    evidence: str  # where in the thread (a maintainer's comment, the fixing commit)
    client: str = ""  # what printed it, with its version when the log shows it


@functools.cache
def tally() -> tuple[Thread, ...]:
    found = []
    for path in sorted(FOLDER.glob("*.toml")):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        found += [Thread(page=path.stem, **raw) for raw in data.get("thread", [])]
    return tuple(found)


def for_page(slug: str) -> list[Thread]:
    return [t for t in tally() if t.page == slug]


def cause_counts(slug: str) -> Counter[str]:
    """Established causes of a page's threads: cause id -> number of threads."""
    return Counter(t.cause for t in for_page(slug) if t.cause)


def for_cause(slug: str, cause: str) -> list[Thread]:
    return [t for t in for_page(slug) if t.cause == cause]


def ranked(slug: str, causes: list[str]) -> list[str]:
    """The page's causes (in page order) as the tally ranks them: most threads first; causes with
    as many threads keep their page order."""
    counts = cause_counts(slug)
    return sorted(causes, key=lambda c: -counts.get(c, 0))
