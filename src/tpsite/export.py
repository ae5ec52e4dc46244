"""The data the in-browser tools read, written from the Python side to docs/assets/data/.

The browser keeps only code that must run there; every text, table and rule value it needs comes
from here, so nothing is typed twice:

- model.json: the model's texts by name, the issuers, the indexes, the publisher form's labels,
  PyPI's name patterns, what str.strip() removes, the look-alike table (Diagnose, Configure);
- gallery.json: every error page's headline, match fragments and causes (Diagnose);
- configure.json: the build tools' tested workflows as a reader copies them, and the sample's
  names the configurator replaces (Configure);
- check.json: the checker's findings table, texts, action releases and patterns (Check, from
  tpsite.check.browser).

    python -m tpsite.export --write   # regenerate docs/assets/data/*.json
    python -m tpsite.export --check   # exit 1 if a committed file is stale (a test runs this)
"""

from __future__ import annotations

import json
import re
import sys
from typing import Any

from collections import Counter

from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import YamlLexer

from tpsite import gallery, inventory, snippets, threads, workflows
from tpsite.check import browser as check_browser
from tpsite.diagnosis import STOP_WORDS, words
from tpsite.diagnosis.facts import FACTS, LOG_PATTERNS
from tpsite.diagnosis.read import flatten
from tpsite.model import Index, messages, names
from tpsite.model.form import LABELS
from tpsite.model.jobs import publishing_jobs
from tpsite.model.publishers import ACTIVESTATE_ISSUER, GITHUB_ISSUER, GITLAB_ISSUER, GOOGLE_ISSUER
from tpsite.paths import DOCS, SNIPPETS
from tpsite.sample import SAMPLE

OUT = DOCS / "assets" / "data"

# Material's annotation markers, as whole comment lines or trailing comments.
_MARKER_LINE = re.compile(r"^\s*#\s*\(\d+\)!\s*$")
_MARKER_TAIL = re.compile(r"\s+#\s*\(\d+\)!")

# The configurator's build tools: a tested workflow under snippets/workflows/ each (the canonical
# one first). Files not listed (monorepo, cibuildwheel, on-release) are shapes, not build tools.
BUILD_TOOLS = ("publish.yml", "publish-uv.yml", "publish-build.yml", "publish-hatch.yml", "publish-pdm.yml", "publish-poetry.yml", "publish-flit.yml")
# The commands that build, as a workflow's `run:` lines spell them.
_BUILDERS = ("uv build", "python -m build", "hatch build", "pdm build", "poetry build", "flit build")


def copyable(text: str) -> str:
    """A snippet as a reader copies it: section and annotation markers removed."""
    lines = [line for line in snippets.without_markers(text).splitlines() if not _MARKER_LINE.match(line)]
    return "\n".join(_MARKER_TAIL.sub("", line) for line in lines) + "\n"


def workflow_label(workflow: dict[str, Any]) -> str:
    """What a workflow does, by what differs between them: what builds, what uploads, and where."""
    runs = " ".join(str(step.get("run", "")) for job in workflow["jobs"].values() for step in job.get("steps") or [])
    builder = next(command for command in _BUILDERS if command in runs)
    publishing = publishing_jobs(workflow)
    uploader = "uv publish" if any("uv publish" in str(s.get("run", "")) for j in publishing for s in workflow["jobs"][j].get("steps") or []) else "gh-action-pypi-publish"
    extras = []
    if Index.TESTPYPI in publishing.values():
        extras.append("TestPyPI")
    if any("sigstore" in str(s.get("uses", "")) for job in workflow["jobs"].values() for s in job.get("steps") or []):
        extras.append("a signed GitHub Release")
    return f"{builder}, uploaded by {uploader}" + (f" (with {' and '.join(extras)})" if extras else "")


def highlighted(text: str) -> list[str]:
    """Each line of a YAML text as Pygments highlights the site's code blocks (spans closed per line)."""
    return highlight(text, YamlLexer(), HtmlFormatter(nowrap=True)).split("\n")[: text.count("\n")]


def workflow_snippets() -> list[dict[str, Any]]:
    """The build tools' tested workflows in menu order: file, label, text as a reader copies it, and
    its lines highlighted."""
    folder = SNIPPETS / "workflows"
    found = []
    for name in BUILD_TOOLS:
        source = (folder / name).read_text(encoding="utf-8")
        text = copyable(source)
        found.append({"file": name, "label": workflow_label(workflows.load(folder / name)), "text": text, "lines": highlighted(text)})
    return found


def model_data() -> dict[str, Any]:
    return {
        "texts": {name: text.template for name, text in messages.TEXTS.items()},
        # OIDC_ISSUER_SERVICE_NAMES (warehouse/oidc/utils.py:39-44).
        "services": {GITHUB_ISSUER: "github", GITLAB_ISSUER: "gitlab", GOOGLE_ISSUER: "google", ACTIVESTATE_ISSUER: "activestate"},
        "issuers": {"github": GITHUB_ISSUER, "gitlab": GITLAB_ISSUER},
        "indexes": {
            i.value: {"site": i.site_name, "host": i.host, "audience": i.audience, "upload": i.upload_url, "pending": i.pending_publishers_url}
            for i in Index
        },
        "labels": LABELS,
        "patterns": {
            "owner": names.GITHUB_OWNER.pattern,
            "repository": names.GITHUB_REPO.pattern,
            "project": names.PROJECT_NAME.pattern,  # case-insensitive
        },
        "whitespace": names.whitespace(),
        "confusables": names.CONFUSABLES,
        "facts": FACTS,
        "factPatterns": LOG_PATTERNS,
        "stopWords": sorted(STOP_WORDS),
    }


def folded_pattern(wording: str) -> tuple[str, int]:
    """A wording as a regular expression over whitespace-folded log text (valid in Python and in
    JavaScript), and how much literal text it has: literal stretches escaped, placeholders `.+?`."""
    parts = []
    literal = 0
    for i, piece in enumerate(re.split(r"(\{\w+(?:![rs])?\})", wording.replace("{{", "\0").replace("}}", "\1"))):
        if i % 2:
            parts.append(".+?")
            continue
        text = flatten(piece.replace("\0", "{").replace("\1", "}"))
        literal += len(text.strip())
        parts.append(re.escape(text))
    return "".join(parts), literal


def _wordings(slug: str) -> list[dict[str, Any]]:
    found = []
    for m in inventory.for_page(slug):
        pattern, literal = folded_pattern(m.wording)
        base = m.id.split("@")[0]
        current = f"{m.program}:{base}" if not m.current and f"{m.program}:{base}" in inventory.by_key() else ""
        found.append({"key": m.key, "program": m.program, "since": m.since, "until": m.until, "current": current, "pattern": pattern, "literal": literal})
    return found


def _vocabularies(entries: list[gallery.Entry]) -> dict[str, list[str]]:
    """Each entry's rare words (in at most five entries): what a paste without a message can share."""
    texts = {
        e.slug: " ".join([e.title, e.description, e.headline, *(m.text for m in e.match), *(c.title for c in e.causes)])
        for e in entries
    }
    vocab = {slug: set(words(text)) for slug, text in texts.items()}
    df = Counter(w for ws in vocab.values() for w in ws)
    return {slug: sorted(w for w in ws if df[w] <= 5) for slug, ws in vocab.items()}


def gallery_data() -> dict[str, Any]:
    entries = gallery.entries()
    vocab = _vocabularies(entries)
    return {
        "phases": gallery.PHASES,
        "weights": gallery.WEIGHTS,
        "entries": [
            {
                "slug": e.slug,
                "title": e.title,
                "headline": e.headline,
                "phase": e.phase,
                "match": [{"text": m.text, "weight": m.weight} for m in e.match],
                "causes": [
                    {"id": c.id, "title": c.title, "signals": list(c.signals), "prior": threads.cause_counts(e.slug).get(c.id, 0)}
                    for c in e.causes
                ],
                "wordings": _wordings(e.slug),
                "words": vocab[e.slug],
            }
            for e in entries
        ],
    }


def configure_data() -> dict[str, Any]:
    return {
        "workflows": workflow_snippets(),
        "sample": {
            "owner": SAMPLE.repository.owner,
            "repository": SAMPLE.repository.name,
            "project": SAMPLE.project,
            "workflow": SAMPLE.workflow_file,
            "jobs": {index.value: job for index, job in SAMPLE.jobs.items()},
        },
    }


def render() -> dict[str, str]:
    """File name -> contents, exactly as --write writes them."""
    dump = lambda data: json.dumps(data, ensure_ascii=True, separators=(",", ":"), sort_keys=True) + "\n"  # noqa: E731
    return {
        "model.json": dump(model_data()),
        "gallery.json": dump(gallery_data()),
        "configure.json": dump(configure_data()),
        "check.json": dump(check_browser.data()),
    }


def stale() -> list[str]:
    """Data files whose committed contents differ from what the Python side computes now."""
    return [n for n, text in render().items() if not (OUT / n).exists() or (OUT / n).read_text(encoding="utf-8") != text]


def main(argv: list[str]) -> int:
    if argv == ["--write"]:
        OUT.mkdir(parents=True, exist_ok=True)
        for name, text in render().items():
            (OUT / name).write_text(text, encoding="utf-8")
        print(f"wrote {', '.join(render())} to docs/assets/data/")
        return 0
    if argv == ["--check"]:
        names_ = stale()
        print(f"stale: {', '.join(names_)}; run `uv run python -m tpsite.export --write`" if names_ else "up to date")
        return 1 if names_ else 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
