"""Reading a YAML file for the checker: the data and the line of every value, or a clear refusal.

The data is plain dicts, lists and scalars; `lines` maps a path (a tuple of keys and indexes, as
`("jobs", "publish", "steps", 2, "uses")`) to the 1-based line of that key or item. The browser's
checker reads YAML with the `yaml` npm package into the same shapes (docs/assets/javascripts/tp/
check-load.js), so the rules see the same input on both sides.

Refused, each with a message a reader can act on: more than MAX_BYTES, not YAML (with the parser's
line and column), more than MAX_ALIASES aliases, more than MAX_VALUES values once aliases are
expanded (an alias bomb expands exponentially: the count stops at the limit, nothing is built
past it), a document that is not a mapping.

A GitLab file with a `spec:` header (include inputs) is two documents: the header, then the jobs;
the jobs are what is read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.events import AliasEvent

from tpsite.check import texts

MAX_BYTES = 1024 * 1024
MAX_ALIASES = 100
MAX_VALUES = 100_000
# The characters a YAML stream may not hold (ruamel.yaml's Reader.NON_PRINTABLE); refused before
# parsing, with their line and column (check-load.js holds the same class).
NON_PRINTABLE = re.compile("[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")

Path = tuple[str | int, ...]


class Refused(ValueError):
    """The file cannot be checked; the message says why, for the reader."""


@dataclass
class Loaded:
    file: str
    data: dict[str, Any]
    lines: dict[Path, int] = field(default_factory=dict)
    text: str = ""

    def line(self, *path: str | int) -> int:
        """The line of a path, or of its nearest ancestor that has one (1 for the whole file)."""
        key: Path = tuple(path)
        while key:
            if key in self.lines:
                return self.lines[key]
            key = key[:-1]
        return 1


class _Budget:
    """Counts the values built; past MAX_VALUES the file is refused (aliases expand)."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.left = MAX_VALUES

    def spend(self) -> None:
        self.left -= 1
        if self.left < 0:
            raise Refused(texts.refused(self.file, "values", limit=f"{MAX_VALUES:,}"))


def _plain(node: Any, path: Path, lines: dict[Path, int], budget: _Budget) -> Any:
    budget.spend()
    if isinstance(node, CommentedMap):
        out = {}
        for key, value in node.items():
            k = str(key) if not isinstance(key, bool) else ("on" if key is True else str(key))
            try:
                lines[(*path, k)] = node.lc.key(key)[0] + 1
            except (KeyError, TypeError):
                pass
            out[k] = _plain(value, (*path, k), lines, budget)
        return out
    if isinstance(node, CommentedSeq):
        out_list = []
        for i, value in enumerate(node):
            try:
                lines[(*path, i)] = node.lc.item(i)[0] + 1
            except (KeyError, TypeError, IndexError):
                pass
            out_list.append(_plain(value, (*path, i), lines, budget))
        return out_list
    if node is None or isinstance(node, (bool, int, float)):
        return node
    return str(node)


def load(file: str, text: str) -> Loaded:
    """A YAML text as data with lines, or Refused."""
    if len(text.encode("utf-8", "replace")) > MAX_BYTES:
        raise Refused(texts.refused(file, "too-large", size=f"{len(text):,}", limit=f"{MAX_BYTES:,}"))
    bad = NON_PRINTABLE.search(text)
    if bad:
        start = bad.start()
        line, column = text.count("\n", 0, start) + 1, start - (text.rfind("\n", 0, start) + 1) + 1
        raise Refused(texts.refused(file, "not-yaml", line=line, column=column, problem=f"unacceptable character #x{ord(bad[0]):04x}"))
    yaml = YAML(typ="rt", pure=True)
    try:
        aliases = sum(isinstance(event, AliasEvent) for event in yaml.parse(text))
    except MarkedYAMLError as exc:
        mark = exc.problem_mark
        if mark is None:
            raise Refused(texts.refused(file, "not-yaml-nowhere", problem=exc.problem)) from None
        raise Refused(texts.refused(file, "not-yaml", line=mark.line + 1, column=mark.column + 1, problem=exc.problem)) from None
    except YAMLError as exc:
        raise Refused(texts.refused(file, "not-yaml-nowhere", problem=exc)) from None
    if aliases > MAX_ALIASES:
        raise Refused(texts.refused(file, "aliases", count=aliases, limit=MAX_ALIASES))
    try:
        documents = list(yaml.load_all(text))
    except YAMLError as exc:
        raise Refused(texts.refused(file, "not-yaml-nowhere", problem=exc)) from None
    document = documents[0] if documents else None
    if len(documents) > 1 and isinstance(document, CommentedMap) and list(document) == ["spec"]:
        document = documents[1]  # GitLab: the inputs header, then the file's contents
    if document is None:
        raise Refused(texts.refused(file, "empty"))
    lines: dict[Path, int] = {}
    data = _plain(document, (), lines, _Budget(file))
    if not isinstance(data, dict):
        kind = "boolean" if isinstance(data, bool) else "number" if isinstance(data, (int, float)) else "list" if isinstance(data, list) else "text"
        raise Refused(texts.refused(file, "not-mapping", kind=kind))
    return Loaded(file, data, lines, text)
