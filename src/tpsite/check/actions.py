"""What the checker knows about pypa/gh-action-pypi-publish releases: the version a `uses:` names,
the twine each release bundles, since when it does Trusted Publishing, which inputs are deprecated.

A ref is read as a version (`v1.12.4`), else the `# v1.12.4` comment after a SHA pin, else the SHA
looked up in the table of the action's release commits (data/gh-action-pypi-publish-releases.toml,
read from the action's repository). The same table goes to the browser in check.json.
"""

from __future__ import annotations

import functools
import re
import tomllib
from pathlib import Path
from typing import Any

from packaging.version import InvalidVersion, Version

# Beside the package (src/tpsite/data/), so an installed `tpsite` (the pre-commit hook) has it too.
RELEASES = Path(__file__).resolve().parent.parent / "data" / "gh-action-pypi-publish-releases.toml"
# Releases newer than the table: the twine their image pins, as far as read (the action's
# requirements/runtime.txt): v1.12.4 and later bundle twine 6.1.0 or newer, v1.14.2 twine 7.0.0.
NEWER_TWINE = (("1.14.2", "7.0.0"), ("1.12.4", "6.1.0"))
# The releases whose set-repo-and-ref step expands branch and tag names into a shell
# (GHSA-vxmw-7h4f-hqxh): v1.12.0 to v1.12.4; fixed in v1.13.0.
VULNERABLE = ("1.12.0", "1.12.4")
VERSION = re.compile(r"^v?(\d+(?:\.\d+){0,2})$")
# Refs the action's repository does not have (no `v1` tag; the `master` branch was removed).
ABSENT_REFS = ("v1", "master")


@functools.cache
def table() -> dict[str, Any]:
    return tomllib.loads(RELEASES.read_text(encoding="utf-8"))


def data() -> dict[str, Any]:
    """Everything the browser's port needs (check.json)."""
    t = table()
    return {
        "releases": {r["commit"]: {"version": r["version"], "twine": r["twine"]} for r in t["release"]},
        "trustedPublishingSince": t["trusted_publishing_since"],
        "deprecatedInputs": t["deprecated_inputs"],
        "newerTwine": [list(pair) for pair in NEWER_TWINE],
        "vulnerable": list(VULNERABLE),
        "absentRefs": list(ABSENT_REFS),
    }


def version_of(ref: str, comment: str) -> str | None:
    """The release a `uses:` ref names: `v1.12.4` or `1.12`, the comment after a SHA, or the SHA's tag."""
    for text in (ref, comment):
        m = VERSION.search(text.strip())
        if m:
            return m[1]
    found = next((r for r in table()["release"] if r["commit"] == ref.strip().lower()), None)
    return found["version"] if found else None


def key(version: str) -> tuple[int, ...]:
    """A version as numbers, for comparing (`1.8` < `1.8.11` < `1.12.0`); pre-releases sort as their release."""
    try:
        return tuple(Version(version).release)
    except InvalidVersion:
        return (0,)


def bundled_twine(version: str) -> str | None:
    """The twine a release bundles: `4.0.2`; "" when the release pins none (the newest at the time
    its image was built); `<6.1.0` for the releases between the table and v1.12.4 (twine 5 and 6.0,
    as the site's metadata pages record); None when not known."""
    found = next((r for r in table()["release"] if key(r["version"]) == key(version)), None)
    if found is not None:
        return str(found["twine"])
    for since, twine in NEWER_TWINE:
        if key(version) >= key(since):
            return twine
    if key(version) > key(table()["release"][-1]["version"]):
        return "<6.1.0"
    return None


def reads_metadata(twine: str, metadata_version: str) -> bool:
    """Whether a twine reads a Metadata-Version: 2.4 from twine 6.1.0 on, 2.5 from 7.0.0 on."""
    needed = {"2.4": (6, 1), "2.5": (7, 0)}.get(metadata_version)
    if needed is None:
        return True
    return not twine.startswith("<") and key(twine) >= needed
