"""The diagnosis of a pasted log: the Python truth (tpsite.diagnosis) on real logs and on bad input,
and the browser's port (docs/assets/javascripts/tp/diagnose.js) equal to it on every one of them.

Real logs are tests/data/logs/ (see test_diagnose_logs.py); the bad input is made here.
"""

from __future__ import annotations

import json
import signal
from typing import Any

import pytest

from test_diagnose_logs import FIXTURES
from tpsite import export
from tpsite.diagnosis import diagnose

MODEL = export.model_data()
GALLERY = export.gallery_data()

ANSI_LOG = "\x1b[31mError:\x1b[0m Trusted publishing exchange failure:\r\n* `invalid-publisher`: valid token, but no corresponding publisher (Publisher with matching claims was not found)\r\n"
BAD_INPUT = {
    "empty": "",
    "blank": " \n\t\n ",
    "binary": "".join(chr(i % 32) for i in range(5000)) + "PK\x03\x04\x00\x00",
    "html": '<img src=x onerror="window.__tp_pwned=1"><script>alert(1)</script> valid token, but no corresponding publisher',
    "ansi and crlf": ANSI_LOG,
    "timestamps": "\n".join(f"2026-01-01T00:00:0{i}.0000000Z line {i}" for i in range(9)) + "\n2026-01-01T00:00:09.0000000Z ERROR    HTTPError: 400 Bad Request from https://upload.pypi.org/legacy/",
    "prose": "PyPI says invalid publisher but every field matches, the workflow file and the environment are right",
    "cut before the error": "Run pypa/gh-action-pypi-publish@release/v1\n  with:\n    repository-url: https://test.pypi.org/legacy/\nChecking dist/convert_poetry2uv-0.1.0.tar.gz: PASSED\n",
    "one long line": "x" * 300 + " OIDC scoped token is not valid for project 'foo' " + "y" * 300,
    "regex specials": "(*+?[{^$|\\ valid token, but no corresponding publisher ((( [[[",
    "alias-like yaml": "a: &a [*a, *a]\nb: &b [*a, *a]\n" * 50,
}
CASES = {**{f.name: f.log for f in FIXTURES}, **{f"bad input: {k}": v for k, v in BAD_INPUT.items()}}


@pytest.fixture(scope="module")
def expected() -> dict[str, Any]:
    return {name: diagnose(text, MODEL, GALLERY) for name, text in CASES.items()}


def test_real_logs_name_their_message(expected: dict[str, Any]) -> None:
    wrong = {f.name: expected[f.name].get("ended") for f in FIXTURES if expected[f.name].get("ended") != f.expected}
    assert len(wrong) <= 0.1 * len(FIXTURES), wrong


def test_every_quoted_line_is_a_line_of_the_paste(expected: dict[str, Any]) -> None:
    for name, text in CASES.items():
        result = expected[name]
        pasted = text.replace("\r\n", "\n").split("\n")
        quoted = [m["line"] for m in result.get("messages", [])] + [e["line"] for c in result.get("causes", []) for e in c["evidence"]]
        for line in quoted:
            assert line is not None and 1 <= line["number"] <= len(pasted), (name, line)


def _hung(signum: int, frame: object) -> None:
    raise TimeoutError("the diagnosis did not answer in 30 s")


@pytest.mark.parametrize("name", BAD_INPUT)
def test_bad_input_gets_an_answer(name: str) -> None:
    # A hang (catastrophic backtracking) fails here instead of stalling the suite; how long an
    # answer takes is scripts/diagnose_benchmark.py's to print, not a test's.
    signal.signal(signal.SIGALRM, _hung)
    signal.alarm(30)
    try:
        result = diagnose(BAD_INPUT[name], MODEL, GALLERY)
    finally:
        signal.alarm(0)
    json.dumps(result)  # plain data, whatever came in


def test_a_long_paste_is_read_to_the_message_that_ended_it() -> None:
    # Two megabytes of noise before the refusal; the page's own 10 MB paste is
    # test_diagnose_page.py's, and scripts/diagnose_benchmark.py prints the times.
    tail = next(f.log for f in FIXTURES if f.expected == "invalid-publisher")
    text = ("Collecting dependency-" + "x" * 60 + "\n") * 25_000 + tail
    result = diagnose(text, MODEL, GALLERY)
    assert result["ended"] == "invalid-publisher"


def test_a_paste_without_a_message_gets_a_labelled_guess(expected: dict[str, Any]) -> None:
    prose = expected["bad input: prose"]
    assert prose["ended"] is None and prose["guess"], prose
    assert prose["guess"][0]["slug"] == "invalid-publisher"


# The same model and gallery data on both sides (what the page fetches is checked by test_export.py).
RUN = """async ([base, cases, model, gallery]) => {
  const { diagnose } = await import(new URL("assets/javascripts/tp/diagnose.js", base));
  const out = {};
  for (const [name, text] of Object.entries(cases)) out[name] = diagnose(text, model, gallery);
  return out;
}"""


def test_the_browser_gives_the_same_diagnosis(chromium: Any, base_url: str, expected: dict[str, Any]) -> None:
    context = chromium.new_context()
    page = context.new_page()
    page.goto(base_url + "diagnose/", wait_until="load")
    got = page.evaluate(RUN, [base_url, CASES, MODEL, GALLERY])
    context.close()
    norm = lambda r: json.loads(json.dumps(r, sort_keys=True))  # noqa: E731
    different = {name: (norm(expected[name]), norm(got[name])) for name in CASES if norm(expected[name]) != norm(got[name])}
    first = {}
    if different:
        name, (want, have) = next(iter(different.items()))
        first = {k: (want.get(k), have.get(k)) for k in set(want) | set(have) if want.get(k) != have.get(k)}
    assert not different, f"{len(different)} of {len(CASES)} differ: {sorted(different)[:10]}; first: {json.dumps(first)[:3000]}"
