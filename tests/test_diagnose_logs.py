"""Real failing-publish logs, pasted in public threads, are recognised by the diagnose page.

Each tests/data/logs/<slug>-<n>.txt starts with header lines: `# source: <URL>`, then optionally
`# expected: <slug>` (default: the file name's slug) and `# cause: <cause id, or the cause in words>`;
the rest is the log as it was pasted (copied from the web UI, quoted, cut off: as found). The page's
own module diagnoses them in Chromium.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import pytest

from tpsite import gallery
from tpsite.paths import ROOT

LOGS = ROOT / "tests" / "data" / "logs"
REQUIRED_ACCURACY = 0.90
# Secrets that must never be committed with a fixture: PyPI tokens, JWTs, GitHub tokens.
SECRET = re.compile(r"pypi-AgE[\w-]{20,}|eyJ[\w-]{10,}\.eyJ[\w-]{10,}\.[\w-]+|gh[pousr]_[A-Za-z0-9]{30,}")


@dataclass(frozen=True)
class Fixture:
    name: str
    source: str
    expected: str
    log: str
    cause: str = ""


_HEADER = re.compile(r"# (source|expected|cause): (.*)")


def fixtures() -> list[Fixture]:
    found = []
    for path in sorted(LOGS.glob("*.txt")):
        lines = path.read_text(encoding="utf-8").split("\n")
        headers: dict[str, str] = {}
        while lines and (m := _HEADER.fullmatch(lines[0])):
            headers[m[1]] = m[2].strip()
            lines.pop(0)
        source = re.fullmatch(r"https://\S+", headers.get("source", ""))
        assert source, f"{path.name}: needs a `# source: <URL>` first line"
        expected = headers.get("expected") or re.sub(r"-\d+$", "", path.stem)
        found.append(Fixture(path.stem, source[0], expected, "\n".join(lines), headers.get("cause", "")))
    return found


FIXTURES = fixtures()


def test_there_are_enough_real_logs_of_enough_kinds() -> None:
    assert len(FIXTURES) >= 30
    assert len({f.expected for f in FIXTURES}) >= 15
    assert len({f.source for f in FIXTURES}) >= 30, "each fixture should come from its own thread"


@pytest.mark.parametrize("fixture", FIXTURES, ids=lambda f: f.name)
def test_fixture_is_well_formed(fixture: Fixture) -> None:
    slugs = {e.slug for e in gallery.entries()}
    assert fixture.expected in slugs, f"{fixture.expected} is not a gallery entry"
    assert re.fullmatch(rf"{re.escape(fixture.expected)}-\d+", fixture.name), "name it <expected slug>-<n>.txt"
    assert fixture.source.startswith("https://github.com/")
    assert not SECRET.search(fixture.log), "looks like a secret: strip it"


DIAGNOSE_ALL = """async ([base, logs]) => {
  const { diagnose } = await import(new URL("assets/javascripts/tp/diagnose.js", base));
  const json = async (name) => (await fetch(new URL(`assets/data/${name}.json`, base))).json();
  const [model, gallery] = await Promise.all([json("model"), json("gallery")]);
  return logs.map((log) => {
    const r = diagnose(log, model, gallery);
    return { slugs: (r.messages || []).map((m) => m.slug), claims: r.claims, index: r.index && r.index.value, platform: r.platform && r.platform.value };
  });
}"""


@pytest.fixture(scope="module")
def results(chromium: Any, base_url: str) -> dict[str, dict[str, Any]]:
    context = chromium.new_context()
    page = context.new_page()
    page.goto(base_url + "diagnose/", wait_until="load")
    found = page.evaluate(DIAGNOSE_ALL, [base_url, [f.log for f in FIXTURES]])
    context.close()
    return {f.name: r for f, r in zip(FIXTURES, found, strict=True)}


def test_the_right_gallery_entry_comes_first(results: dict[str, dict[str, Any]]) -> None:
    misses = {f.name: (f.expected, results[f.name]["slugs"][:3]) for f in FIXTURES if results[f.name]["slugs"][:1] != [f.expected]}
    right = len(FIXTURES) - len(misses)
    print(f"\nreal logs: {right} of {len(FIXTURES)} recognised first ({right / len(FIXTURES):.0%})")
    assert right / len(FIXTURES) >= REQUIRED_ACCURACY, f"{right}/{len(FIXTURES)}; misses (expected, got): {misses}"


# `* \`name\`: \`value\`` in gh-action-pypi-publish's dump, read here independently of the page.
ACTION_CLAIM = re.compile(r"^[>\s]*\* `([a-z_]+)`: `([^`]*)`\s*$", re.M)
UV_CLAIM = re.compile(r'^\s*([a-z_]+): "([^"]*)",\s*$', re.M)
LINE_LINK = re.compile(r"\[(\d+)\]\(https://github\.com/[^)\s]*#step:\d+:\d+\)")


def dumped_claims(log: str) -> dict[str, str]:
    text = LINE_LINK.sub(r"\1", log)
    claims = {k: v for k, v in ACTION_CLAIM.findall(text) if v != "MISSING"}
    claims.update(UV_CLAIM.findall(text))
    return claims


WITH_CLAIMS = [f for f in FIXTURES if dumped_claims(f.log)]


def test_some_fixtures_have_claim_dumps() -> None:
    assert len(WITH_CLAIMS) >= 8
    formats = {"uv" if "TokenClaims" in f.log else "action" for f in WITH_CLAIMS}
    assert formats == {"uv", "action"}


@pytest.mark.parametrize("fixture", WITH_CLAIMS, ids=lambda f: f.name)
def test_every_complete_claim_is_read(fixture: Fixture, results: dict[str, dict[str, Any]]) -> None:
    parsed = results[fixture.name]["claims"]
    assert parsed is not None, "the page found no claims"
    got = parsed["claims"]
    for name, value in dumped_claims(fixture.log).items():
        assert got.get(name) == value, name
    assert results[fixture.name]["platform"] == "github"


def test_the_index_is_read_from_the_upload_url(results: dict[str, dict[str, Any]]) -> None:
    # bad-request-no-details-1 uploads to test.pypi.org; file-already-exists-1 to upload.pypi.org.
    assert results["bad-request-no-details-1"]["index"] == "testpypi"
    assert results["file-already-exists-1"]["index"] == "pypi"
    assert results["invalid-publisher-14"]["index"] == "pypi"  # twine: "Got OIDC token for audience pypi"


def test_web_ui_line_links_and_quoting_are_undone(results: dict[str, dict[str, Any]]) -> None:
    # `7049[30](https://github.com/.../job/...#step:10:31)3` is 7049303 with a line link inside.
    assert results["invalid-publisher-1"]["claims"]["claims"]["repository_owner_id"] == "7049303"
    # A `> `-quoted dump (czml3) reads like an unquoted one.
    assert results["invalid-publisher-7"]["claims"]["claims"]["repository_owner_id"] == "12176396"
    # A six-claim dump has no environment line: it is read from `sub`.
    assert results["invalid-publisher-7"]["claims"]["claims"]["environment"] == "pypi"
    assert "environment" in results["invalid-publisher-2"]["claims"]["missing"]
