"""The inventory: every message a publish can end with, read from the programs that print it.

One TOML file per program under src/tpsite/data/inventory/ (warehouse, the publish action, id,
twine, uv, GitHub Actions, GitLab CI). Each `[[message]]` is one wording, verbatim with its
placeholders (Python format syntax), the source that prints it (`owner/repo@commit:path#Lnn`, or
`thread: <url>` where the program is closed source), the versions that print it (`since`,
`until`; "" = still printed by the version read), and the gallery page that answers it, or
`no_page` with the reason none is needed. The model's texts (model/messages.py) are entries of
this inventory, so each wording has one home.
"""

from __future__ import annotations

import functools
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

FOLDER = Path(__file__).resolve().parent / "data" / "inventory"  # in the package: the installed hook reads it too
KINDS = ("error", "warning", "notice", "form-error", "email")
# owner/repo@<7-40 hex>:path#Lnn or #Lnn-Lmm
CITATION = re.compile(r"^(?P<repo>[\w.-]+/[\w.-]+)@(?P<commit>[0-9a-f]{7,40}):(?P<path>[^#\s]+)#L(?P<start>\d+)(?:-L(?P<end>\d+))?$")
_FIELD = re.compile(r"\{(\w+)(?:![rs])?\}")


@dataclass(frozen=True)
class Message:
    program: str  # the inventory file's stem
    id: str  # unique within the program; an older wording is `<id>@<when>`
    wording: str
    kind: str
    how: str  # how it reaches the user
    source: str
    since: str
    until: str = ""
    page: str = ""  # "slug" or "slug#anchor"
    no_page: str = ""
    note: str = ""
    placeholders: dict[str, str] = field(default_factory=dict)

    @property
    def key(self) -> str:
        return f"{self.program}:{self.id}"

    @property
    def template(self) -> str:
        """The wording with its placeholders (what the model's texts call `template`)."""
        return self.wording

    @property
    def citation(self) -> str:
        return self.source

    def citations(self) -> list[str]:
        """The source's parts: one citation, several joined by " + ", or `thread:`/`doc:` URLs."""
        return [part.strip() for part in self.source.split(" + ")]

    @property
    def current(self) -> bool:
        return self.until == ""

    @property
    def slug(self) -> str:
        return self.page.partition("#")[0]

    def format(self, **fields: Any) -> str:
        return self.wording.format(**fields) if fields else self.wording

    def fields(self) -> list[str]:
        return _FIELD.findall(self.wording.replace("{{", "").replace("}}", ""))

    def pattern(self) -> re.Pattern[str]:
        """The wording as a regular expression: literal text, any text for each placeholder."""
        return _pattern(self.wording)

    def literal_parts(self) -> list[str]:
        """The wording's literal stretches between placeholders, longest first."""
        text = self.wording.replace("{{", "{").replace("}}", "}")
        return sorted((p for p in _FIELD.split(text)[::2] if p.strip()), key=len, reverse=True)


@functools.lru_cache(maxsize=None)  # each wording is compiled once, however often it is matched
def _pattern(wording: str) -> re.Pattern[str]:
    parts: list[str] = []
    i = 0
    while i < len(wording):
        if wording.startswith(("{{", "}}"), i):
            parts.append(re.escape(wording[i]))
            i += 2
            continue
        match = _FIELD.match(wording, i)
        if match:
            parts.append(r".+?")
            i = match.end()
            continue
        parts.append(re.escape(wording[i]))
        i += 1
    return re.compile("".join(parts), re.S)


def _read(path: Any) -> list[Message]:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    found = []
    for raw in data.get("message", []):
        known = {f for f in Message.__dataclass_fields__ if f != "program"}
        unknown = set(raw) - known
        if unknown:
            raise ValueError(f"{path.name}: {raw.get('id')}: unknown keys {sorted(unknown)}")
        found.append(Message(program=path.stem, **raw))
    return found


@functools.cache
def messages() -> tuple[Message, ...]:
    """Every entry of every program, in file order."""
    return tuple(m for path in sorted(FOLDER.glob("*.toml")) for m in _read(path))


@functools.cache
def by_key() -> dict[str, Message]:
    found: dict[str, Message] = {}
    for m in messages():
        if m.key in found:
            raise ValueError(f"duplicate inventory id {m.key}")
        found[m.key] = m
    return found


def get(key: str) -> Message:
    """One entry by `program:id`."""
    try:
        return by_key()[key]
    except KeyError:
        raise KeyError(f"no inventory entry {key!r}") from None


def for_page(slug: str) -> list[Message]:
    """The entries a gallery page answers, current wordings first."""
    return sorted((m for m in messages() if m.slug == slug), key=lambda m: (not m.current, m.program, m.id))
