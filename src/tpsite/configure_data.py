"""The data the in-browser tools (diagnose, configure) read, embedded in their pages as JSON.

One hidden `<div id="tp-data" data-json="…">` carries the gallery (slug, headline, match
fragments, causes), the tested workflow snippets as a reader copies them, the sample names those
snippets use (the JavaScript replaces them with the reader's), a confusables table, and the
verbatim texts of the model that the pages show. Nothing here is a second copy of a snippet: the
workflow text is read from snippets/workflows/ at build time.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from typing import Any

from tpsite import gallery, scenarios, snippets
from tpsite.model import Index, messages
from tpsite.model.publishers import GITHUB_ISSUER, GITLAB_ISSUER
from tpsite.paths import SNIPPETS

# `### Title { #cause-id }` on an error page.
_CAUSE = re.compile(r"^###\s+(?P<title>.*?)\s*\{\s*#(?P<id>cause-[-a-z0-9]+)\s*\}\s*$")
# Material's annotation markers, as whole comment lines or trailing comments.
_MARKER_LINE = re.compile(r"^\s*#\s*\(\d+\)!\s*$")
_MARKER_TAIL = re.compile(r"\s+#\s*\(\d+\)!")

# Characters that look like ASCII ones in the fonts of PyPI's and GitHub's forms (a selection of
# Unicode's confusables.txt that people actually paste: Cyrillic and Greek letters, full-width
# forms, dashes, quotes, and the invisible ones).
CONFUSABLES: dict[str, str] = {
    "\u0430": "a", "\u0435": "e", "\u043e": "o", "\u0440": "p", "\u0441": "c", "\u0443": "y",
    "\u0445": "x", "\u0456": "i", "\u0458": "j", "\u0455": "s", "\u04bb": "h", "\u0501": "d",
    "\u0410": "A", "\u0412": "B", "\u0415": "E", "\u041a": "K", "\u041c": "M", "\u041d": "H",
    "\u041e": "O", "\u0420": "P", "\u0421": "C", "\u0422": "T", "\u0425": "X", "\u0406": "I",
    "\u03bf": "o", "\u03b1": "a", "\u03bd": "v", "\u03c1": "p", "\u0391": "A", "\u0392": "B",
    "\u0395": "E", "\u0397": "H", "\u0399": "I", "\u039a": "K", "\u039c": "M", "\u039d": "N",
    "\u039f": "O", "\u03a1": "P", "\u03a4": "T", "\u03a7": "X", "\u0396": "Z",
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2212": "-",
    "\u00a0": " ", "\u2007": " ", "\u202f": " ", "\u3000": " ",
    "\u200b": "", "\u200c": "", "\u200d": "", "\u2060": "", "\ufeff": "", "\u00ad": "",
    "\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"',
    "\u0131": "i", "\u017f": "s", "\u212a": "K", "\u2024": ".", "\uff0e": ".", "\uff3f": "_",
}  # fmt: skip
# Full-width ASCII (U+FF01..U+FF5E) maps to ASCII by offset.
CONFUSABLES.update({chr(c): chr(c - 0xFEE0) for c in range(0xFF01, 0xFF5F) if chr(c) not in CONFUSABLES})


def causes(path: Path) -> list[dict[str, str]]:
    """The `cause-*` sections of an error page, in page order."""
    found = []
    for line in path.read_text(encoding="utf-8").splitlines():
        match = _CAUSE.match(line)
        if match:
            found.append({"id": match["id"], "title": match["title"]})
    return found


def copyable(text: str) -> str:
    """A snippet as a reader copies it: section and annotation markers removed."""
    lines = [line for line in snippets.without_markers(text).splitlines() if not _MARKER_LINE.match(line)]
    return "\n".join(_MARKER_TAIL.sub("", line) for line in lines) + "\n"


# The configurator's build tools: a tested workflow under snippets/workflows/ each (the canonical
# one first). Files not listed (monorepo, cibuildwheel, on-release) are shapes, not build tools.
BUILD_TOOLS = {
    "publish.yml": "uv (uv build), with TestPyPI and a signed GitHub Release",
    "publish-uv.yml": "uv (uv build and uv publish)",
    "publish-build.yml": "python -m build (setuptools)",
    "publish-hatch.yml": "Hatch",
    "publish-pdm.yml": "PDM",
    "publish-poetry.yml": "Poetry",
    "publish-flit.yml": "Flit",
}


def workflow_snippets() -> list[dict[str, str]]:
    """The build tools' tested workflows in menu order: file, label, text as a reader copies it."""
    folder = SNIPPETS / "workflows"
    return [
        {"file": name, "label": label, "text": copyable((folder / name).read_text(encoding="utf-8"))}
        for name, label in BUILD_TOOLS.items()
        if (folder / name).is_file()
    ]


def _data() -> dict[str, Any]:
    entries = gallery.entries()
    sample = scenarios.SAMPLE_REPOSITORY
    return {
        "entries": [
            {
                "slug": e.slug,
                "title": e.title,
                "headline": e.headline,
                "phase": e.phase,
                "match": list(e.match),
                "causes": causes(e.path),
            }
            for e in entries
        ],
        "phases": gallery.PHASES,
        "workflows": workflow_snippets(),
        "sample": {
            "owner": sample.owner,
            "repository": sample.name,
            "project": scenarios.distributions(scenarios.PYPROJECT)[0].name,
            "workflow": Path(scenarios.WORKFLOW).name,
            "jobs": {"pypi": "publish-to-pypi", "testpypi": "publish-to-testpypi"},
        },
        "indexes": {
            i.value: {
                "site": i.site_name,
                "host": i.host,
                "audience": i.audience,
                "upload": i.upload_url,
                "pending": i.pending_publishers_url,
            }
            for i in Index
        },
        "issuers": {"github": GITHUB_ISSUER, "gitlab": GITLAB_ISSUER},
        "texts": {
            "lookup": messages.LOOKUP_FAILED.template,
            "lookupOld": messages.LOOKUP_FAILED_UNTIL_2025_06.template,
            "noPublisher": messages.NO_CORRESPONDING_PUBLISHER.template,
            "missingClaim": messages.MISSING_CLAIM.template,
            "requiredCheck": messages.REQUIRED_CLAIM_CHECK_FAILED.template,
            "optionalCheck": messages.OPTIONAL_CLAIM_CHECK_FAILED.template,
            "githubNoFilename": messages.GITHUB_NO_WORKFLOW_FILENAME.template,
            "gitlabNoFilepath": messages.GITLAB_NO_WORKFLOW_FILEPATH.template,
            "jobWorkflowRefEmpty": messages.JOB_WORKFLOW_REF_EMPTY.template,
            "refAndShaEmpty": messages.REF_AND_SHA_EMPTY.template,
            "jobWorkflowRefMismatch": messages.JOB_WORKFLOW_REF_MISMATCH.template,
            "pullRequestTarget": messages.PULL_REQUEST_TARGET.template,
            "ciConfigRefUriEmpty": messages.CI_CONFIG_REF_URI_EMPTY.template,
            "refPathAndShaEmpty": messages.REF_PATH_AND_SHA_EMPTY.template,
            "ciConfigRefUriMismatch": messages.CI_CONFIG_REF_URI_MISMATCH.template,
            "malformedJwt": messages.MALFORMED_JWT.template,
            "unknownIssuer": messages.UNKNOWN_ISSUER.template,
            "invalidToken": messages.MALFORMED_OR_INVALID_TOKEN.template,
        },
        "confusables": CONFUSABLES,
    }


def tools_data() -> dict[str, Any]:
    """The embedded data as a Python object (tests and the vectors generator read it too)."""
    return _data()


def tools_data_html() -> str:
    """The hidden element whose `data-json` attribute carries the tools' data (a macro).

    Not a `<script type="application/json">`: Material's instant navigation re-creates inline
    scripts without their `type`, so the browser would run the JSON as JavaScript.
    """
    text = json.dumps(_data(), ensure_ascii=True, separators=(",", ":"), sort_keys=True)
    return f'<div id="tp-data" hidden data-json="{html.escape(text, quote=True)}"></div>'
