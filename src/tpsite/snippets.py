"""Read `--8<--` includes in pages and `[start:name]` sections in snippet files.

The syntax follows pymdownx.snippets (`RE_SNIPPET_SECTION` and the include line), which is
what the site build uses; tests use these helpers to check coverage before building.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from tpsite.paths import DOCS, SNIPPETS

# A page line that includes a snippet: --8<-- "path" or --8<-- "path:section".
_INCLUDE = re.compile(r'^\s*(?<!;)--8<--\s+"(?P<target>[^"]+)"\s*$')
# Section markers inside a snippet file (pymdownx: names are [a-z][-_0-9a-z]*).
_SECTION = re.compile(r"--8<-- \[(?P<kind>start|end):(?P<name>[a-z][-_0-9a-z]*)\]", re.I)
# Annotation markers as Material finds them in code comments.
ANNOTATION = re.compile(r"#\s*\((?P<number>\d+)\)!")


@dataclass(frozen=True)
class Include:
    page: Path
    line: int
    file: str
    section: str | None


def includes(docs: Path = DOCS) -> list[Include]:
    """Every `--8<--` include line in every page."""
    found: list[Include] = []
    for page in sorted(docs.rglob("*.md")):
        for number, text in enumerate(page.read_text(encoding="utf-8").splitlines(), 1):
            match = _INCLUDE.match(text)
            if not match:
                continue
            file, _, section = match["target"].partition(":")
            # A numeric suffix would be a line range; the site uses named sections only.
            found.append(Include(page, number, file, section or None))
    return found


def sections(path: Path) -> dict[str, str]:
    """Named sections of a snippet file: name -> text between its markers (markers dropped)."""
    opened: dict[str, list[str]] = {}
    done: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        markers = list(_SECTION.finditer(line))
        for marker in markers:
            name = marker["name"]
            if marker["kind"] == "start":
                opened[name] = []
            elif name in opened:
                done[name] = "\n".join(opened.pop(name))
        if markers:
            continue
        for lines in opened.values():
            lines.append(line)
    if opened:
        raise ValueError(f"{path}: section(s) never closed: {sorted(opened)}")
    return done


def snippet_files(root: Path = SNIPPETS) -> list[Path]:
    """Every file under snippets/, as pages refer to them (relative to snippets/)."""
    return sorted(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts)


def without_markers(text: str) -> str:
    """The text a reader copies: section markers gone, as pymdownx.snippets drops them."""
    return "\n".join(line for line in text.splitlines() if not _SECTION.search(line))
