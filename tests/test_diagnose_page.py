"""The diagnose page in Chromium: a pasted log in, the verdict first, nothing sent anywhere.

One page is opened for the module (phone-sized, as most readers arriving from a thread are); each
check pastes into it and waits for the next run.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser import stop_other_hosts

from tpsite import workflows
from tpsite.sample import SAMPLE
from tpsite.model import Index, exchange, github_claims, messages
from tpsite.model.publishers import GitHubPublisher, Registration, Registry
from tpsite.paths import ROOT, SNIPPETS

LOGS = ROOT / "tests" / "data" / "logs"


def fixture_log(name: str) -> str:
    from test_diagnose_logs import FIXTURES

    return next(f.log for f in FIXTURES if f.name == name)


class Diagnose:
    """The page, plus every request it made to a host other than the local server."""

    def __init__(self, page: Any, base_url: str) -> None:
        self.page = page
        self.base_url = base_url
        self.foreign: list[str] = []

    def runs(self) -> int:
        return int(self.page.get_attribute("#tp-result", "data-runs") or 0)

    def paste(self, text: str | None = None, *, script: str | None = None) -> str:
        """Put a log into the box (text, or built in the page by `script`), run, return the answer's text."""
        before = self.runs()
        if script is not None:
            self.page.evaluate(f"() => {{ document.getElementById('tp-log').value = ({script}); }}")
        else:
            self.page.evaluate("(t) => { document.getElementById('tp-log').value = t; }", text)
        self.page.click("#tp-run")
        self.page.wait_for_function(f"() => Number(document.getElementById('tp-result').dataset.runs || 0) > {before}")
        return self.page.inner_text("#tp-result")

    def set_publisher(self, **values: str) -> None:
        for name, value in values.items():
            selector = f'[name="tp-{name}"]'
            if name == "index":
                self.page.select_option(selector, value)
            else:
                self.page.fill(selector, value)

    def clear_publisher(self) -> None:
        for name in ("owner", "repository", "workflow", "environment", "owner-id"):
            self.page.fill(f'[name="tp-{name}"]', "")
        self.page.select_option('[name="tp-index"]', "pypi")

    def compare(self) -> None:
        before = self.runs()
        self.page.click("#tp-run")
        self.page.wait_for_function(f"() => Number(document.getElementById('tp-result').dataset.runs || 0) > {before}")

    def rows(self) -> dict[str, dict[str, str]]:
        """The comparison: field -> {status, yours, log}."""
        found = {}
        for row in self.page.locator("#tp-compare-result .tp-row").all():
            values = row.locator("dd .tp-value").all_inner_texts()
            dds = row.locator("dd").all_inner_texts()
            found[row.get_attribute("data-field")] = {
                "status": row.get_attribute("data-status"),
                "yours": dds[0].removeprefix("Yours: ").strip(),
                "log": dds[1].removeprefix("From the log: ").strip(),
            }
        return found

    def causes(self) -> list[tuple[str, str]]:
        return [(li.get_attribute("data-cause"), li.get_attribute("data-verdict")) for li in self.page.locator(".tp-causes > li").all()]


PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def diag(chromium: Any, base_url: str) -> Iterator[Diagnose]:
    context = chromium.new_context(viewport=PHONE)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    tool = Diagnose(page, base_url)
    stop_other_hosts(context, base_url, lambda request: tool.foreign.append(request.url))
    page.goto(base_url + "diagnose/", wait_until="load")
    page.wait_for_selector("#tp-diagnose[data-ready]")
    yield tool
    context.close()
    assert errors == []


def test_the_tools_load_only_on_their_own_pages(site: Path) -> None:
    loading = sorted(
        str(p.relative_to(site)) for p in site.rglob("*.html") if "javascripts/tp/" in p.read_text(encoding="utf-8")
    )
    assert loading == ["check/index.html", "configure/index.html", "diagnose/index.html"]


def test_a_uv_log_names_its_entry_and_the_publisher_that_would_match(diag: Diagnose, site: Path) -> None:
    text = diag.paste(fixture_log("invalid-publisher-8"))
    link = diag.page.locator(".tp-verdict a").first
    assert link.get_attribute("href").endswith("/errors/invalid-publisher/")
    assert (site / "errors" / "invalid-publisher" / "index.html").is_file()
    # The line that ended the job is quoted with its number in the paste.
    assert re.search(r"The message that ended the job: Line \d+: ", text)
    assert "uv publish 0.6.7 to 0.9.26" in text
    publisher = diag.page.locator(".tp-section:has(#tp-claims-heading) .tp-rows").first.inner_text()
    for value in ("tail-unica", "hopwise", "pypi_release.yml", "release"):
        assert value in publisher
    first_cause = diag.page.locator(".tp-causes > li").first
    assert first_cause.get_attribute("data-cause").startswith("cause-")
    assert "/errors/invalid-publisher/#cause-" in first_cause.locator("a").first.get_attribute("href")


def test_the_verdict_is_in_view_and_focused_on_a_phone(diag: Diagnose) -> None:
    diag.paste(fixture_log("invalid-publisher-8"))
    box = diag.page.locator("#tp-verdict").bounding_box()
    assert box is not None and 0 <= box["y"] and box["y"] + box["height"] <= PHONE["height"], box
    assert diag.page.evaluate("() => document.activeElement && document.activeElement.id") == "tp-verdict"


def test_typed_values_show_which_field_differs(diag: Diagnose) -> None:
    diag.paste(fixture_log("invalid-publisher-8"))
    diag.set_publisher(owner="tail-unica", repository="hopwise", workflow="release.yml", environment="Release")
    diag.compare()
    rows = diag.rows()
    assert rows["owner"]["status"] == "same" and rows["repository"]["status"] == "same"
    assert (rows["workflow"]["yours"], rows["workflow"]["log"], rows["workflow"]["status"]) == ("release.yml", "pypi_release.yml", "differs")
    # GitHub environments: stored lower-cased, compared ignoring case.
    assert rows["environment"]["yours"] == "release" and rows["environment"]["status"] == "same"
    # The differing field is the headline, with what to do.
    headline = diag.page.locator('[data-note="differs"]').inner_text()
    assert "Workflow name" in headline and "delete it on PyPI and add one" in headline
    diag.clear_publisher()


def test_comparing_ranks_the_causes_again(diag: Diagnose) -> None:
    """Owner and repository match, the workflow differs: the workflow cause comes first and the
    renamed-repository cause is ruled out."""
    diag.paste(fixture_log("invalid-publisher-8"))
    diag.set_publisher(owner="tail-unica", repository="hopwise", workflow="release.yml", environment="release")
    diag.compare()
    causes = diag.causes()
    assert causes[0] == ("cause-workflow-file", "likely"), causes
    assert ("cause-renamed", "unlikely") in causes, causes
    diag.clear_publisher()


def test_values_never_wrap_inside_a_word(diag: Diagnose) -> None:
    diag.paste(fixture_log("invalid-publisher-8"))
    diag.set_publisher(owner="tail-unica", repository="hopwise", workflow="release.yml", environment="release")
    diag.compare()
    # Each line a value wraps onto starts right after a separator the page marked (a <wbr>).
    bad = diag.page.evaluate(
        r"""() => {
          const bad = [];
          for (const value of document.querySelectorAll("#tp-result .tp-value, #tp-compare-result .tp-value")) {
            const walker = document.createTreeWalker(value, NodeFilter.SHOW_TEXT);
            let lastTop = null;
            for (let node = walker.nextNode(); node; node = walker.nextNode()) {
              for (let i = 0; i < node.length; i++) {
                const range = document.createRange();
                range.setStart(node, i);
                range.setEnd(node, i + 1);
                const rect = range.getClientRects()[0];
                if (!rect) continue;
                // A new line may start at a text node's start (after a <wbr>) or after a space.
                if (lastTop !== null && rect.top > lastTop + 2 && i > 0 && !/\s/.test(node.data[i - 1])) bad.push(value.textContent.slice(0, 60) + " at " + node.data.slice(0, i + 1));
                lastTop = rect.top;
              }
            }
          }
          return bad;
        }"""
    )
    assert bad == []
    diag.clear_publisher()


def model_log(*, crlf: bool, timestamps: bool, ansi: bool, index: Index) -> tuple[str, dict[str, str]]:
    """A gh-action-pypi-publish log for the sample job, claims from the model, as GitHub's raw log has it."""
    claims = github_claims(
        workflows.load(SNIPPETS / SAMPLE.workflow),
        workflow_path=".github/workflows/publish.yml",
        job_id="publish-to-pypi",
        repository=SAMPLE.repository,
        trigger=SAMPLE.tag_push,
        audience=index.audience,
    )
    assert isinstance(claims, dict)
    claims = {k: v for k, v in claims.items() if k != "environment"}  # a job without `environment:`
    publisher = GitHubPublisher("example", "convert-poetry2uv", "123456", "publish.yml", "pypi")
    outcome = exchange(claims, Registry.of(Registration(publisher, "convert-poetry2uv", Index.PYPI)), index)
    assert not hasattr(outcome, "projects")
    dump = "\n".join(
        f"* `{name}`: `{claims.get(name, 'MISSING')}`"
        for name in ("sub", "repository", "repository_owner", "repository_owner_id", "workflow_ref", "job_workflow_ref", "ref", "environment")
    )
    message = (
        "Token request failed: the server refused the request for the following reasons:\n\n"
        f"{outcome.reason_line}\n\n{dump}\n"  # type: ignore[union-attr]
    )
    red = ("\x1b[31m", "\x1b[0m") if ansi else ("", "")
    lines = [
        f"Uploading distributions to {index.upload_url}",
        red[0] + messages.annotation(messages.GH_ERROR_ANNOTATION, message) + red[1],
    ]
    if timestamps:
        lines = [f"2025-01-01T00:00:0{i}.0000000Z {line}" for i, line in enumerate(lines)]
    return ("\r\n" if crlf else "\n").join(lines), claims


def test_a_raw_log_with_timestamps_crlf_and_colours(diag: Diagnose) -> None:
    log, claims = model_log(crlf=True, timestamps=True, ansi=True, index=Index.TESTPYPI)
    text = diag.paste(log)
    assert diag.page.locator(".tp-verdict a").first.get_attribute("data-slug") == "invalid-publisher"
    assert claims["job_workflow_ref"].removeprefix("example/convert-poetry2uv/.github/workflows/").split("@")[0] in text
    # The publisher is on pypi.org with environment pypi; the job uploads to TestPyPI without one.
    diag.set_publisher(owner="example", repository="convert-poetry2uv", workflow="publish.yml", environment="pypi", index="pypi")
    diag.compare()
    rows = diag.rows()
    assert rows["environment"]["status"] == "differs"
    assert rows["index"]["status"] == "differs"
    assert rows["workflow"]["status"] == "same"
    diag.clear_publisher()


def test_a_downloaded_log_file_is_read_locally(diag: Diagnose, tmp_path: Path) -> None:
    log, _ = model_log(crlf=True, timestamps=True, ansi=False, index=Index.PYPI)
    path = tmp_path / "logs_123.txt"
    path.write_bytes(log.encode("utf-8"))
    before = diag.runs()
    diag.page.set_input_files("#tp-file", str(path))
    diag.page.wait_for_function(f"() => Number(document.getElementById('tp-result').dataset.runs || 0) > {before}")
    assert diag.page.locator(".tp-verdict a").first.get_attribute("data-slug") == "invalid-publisher"


def test_empty_input_asks_for_a_log(diag: Diagnose) -> None:
    diag.paste("   \n\t ")
    assert diag.page.locator('[data-note="empty"]').count() == 1


# A paste event carrying `text`, as the browser fires it when the reader presses Ctrl+V.
PASTE = """(text) => {
  const data = new DataTransfer();
  data.setData("text/plain", text);
  const box = document.getElementById("tp-log");
  box.focus();
  box.dispatchEvent(new ClipboardEvent("paste", { clipboardData: data, bubbles: true, cancelable: true }));
}"""


def test_ten_megabytes_are_pasted_and_diagnosed(diag: Diagnose) -> None:
    tail = fixture_log("invalid-publisher-8")
    before = diag.runs()
    # Built in the page (10 MB over the wire would test the test), then pasted like Ctrl+V does.
    diag.page.evaluate(
        "([tail, paste]) => { const text = ('Collecting dependency-' + 'x'.repeat(60) + '\\n').repeat(130000) + tail;"
        " window.__tp_size = text.length; (0, eval)('(' + paste + ')')(text); }",
        [tail, PASTE],
    )
    diag.page.wait_for_function(f"() => Number(document.getElementById('tp-result').dataset.runs || 0) > {before}")
    assert diag.page.evaluate("() => window.__tp_size") > 10_000_000
    # The log is held in memory, not in the box, and the reader is told so.
    assert diag.page.evaluate("() => document.getElementById('tp-log').value") == ""
    assert "MB, kept out of the box" in diag.page.inner_text("#tp-held")
    assert diag.page.locator(".tp-verdict a").first.get_attribute("data-slug") == "invalid-publisher"
    assert "hopwise" in diag.page.inner_text("#tp-result")
    diag.page.click("#tp-clear")
    assert diag.page.is_hidden("#tp-held")


def test_a_small_paste_goes_into_the_box(diag: Diagnose) -> None:
    diag.page.evaluate(PASTE, fixture_log("token-expired-1"))
    # The browser inserts an untrusted paste's text itself only for real key presses; the page
    # must not have intercepted this one.
    assert diag.page.is_hidden("#tp-held")


def test_binary_junk_gets_a_clear_message(diag: Diagnose) -> None:
    script = "Array.from({length: 200000}, (_, i) => String.fromCharCode((i * 7919) % 256)).join('')"
    diag.paste(script=script)
    notes = [n.get_attribute("data-note") for n in diag.page.locator("[data-note]").all()]
    assert "binary" in notes
    assert diag.page.locator(".tp-verdict").count() == 1


def test_markup_in_a_log_is_shown_as_text(diag: Diagnose) -> None:
    payload = '<img src=x onerror="window.__tp_pwned=1"><script>window.__tp_pwned=2</script><b>bold</b>'
    text = diag.paste(
        f"* `invalid-publisher`: valid token, but no corresponding publisher (Publisher with matching claims was not found) {payload}\n"
        f"* `sub`: `repo:a/b:ref:{payload}`\n* `repository`: `a/{payload}`\n"
    )
    assert diag.page.evaluate("() => window.__tp_pwned") is None
    result = diag.page.locator("#tp-result")
    assert result.locator("img, script, b").count() == 0
    assert payload in text


def test_a_log_cut_in_the_middle(diag: Diagnose) -> None:
    text = diag.paste(fixture_log("invalid-publisher-13"))
    assert diag.page.locator(".tp-verdict a").first.get_attribute("data-slug") == "invalid-publisher"
    assert "pypdfium2-team" in text and "pypdfium2" in text
    # The cut-off owner id is not guessed.
    rows = diag.page.locator("details.tp-claims .tp-row").all_inner_texts()
    assert not any(re.match(r"repository_owner_id\s", r) for r in rows)


def test_a_log_without_a_known_error(diag: Diagnose) -> None:
    text = diag.paste("Run actions/checkout@v4\nAll good\n")
    assert "No message this site knows is in the paste" in text
    assert diag.page.locator('a[href$="about/#report"]').count() == 1


def test_prose_gets_the_best_pages_labelled_as_a_guess(diag: Diagnose) -> None:
    diag.paste("PyPI says invalid publisher but every field matches, the workflow file and the environment are right")
    assert diag.page.locator('[data-note="guess"]').count() == 1
    assert diag.page.locator(".tp-guess a").first.get_attribute("data-slug") == "invalid-publisher"


def test_nothing_was_requested_from_another_host(diag: Diagnose) -> None:
    diag.paste(fixture_log("invalid-publisher-1"))
    assert diag.foreign == []


def test_instant_navigation_starts_the_tool(chromium: Any, base_url: str) -> None:
    context = chromium.new_context()
    page = context.new_page()
    page.goto(base_url, wait_until="load")
    page.wait_for_function("() => window.document$ !== undefined")
    page.locator(".md-nav__link", has_text="Diagnose a log").first.click()
    page.wait_for_selector("#tp-diagnose[data-ready]")
    page.fill("#tp-log", fixture_log("token-expired-1"))
    page.click("#tp-run")
    page.wait_for_selector(".tp-verdict a")
    assert page.locator(".tp-verdict a").first.get_attribute("data-slug") == "token-expired"
    context.close()
