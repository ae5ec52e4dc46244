"""The diagnose and configure pages' JavaScript gives the Python model's answers, in Chromium.

tests/data/vectors/*.json are computed by the model (src/tpsite/vectors.py); the JavaScript
modules, served from the built site, are imported into one page and run on every vector.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tpsite import vectors
from tpsite.paths import ROOT

VECTORS = ROOT / "tests" / "data" / "vectors"
REGENERATE = "run `uv run python -m tpsite.vectors --write`"


def test_the_committed_vectors_are_what_the_model_computes_now() -> None:
    assert vectors.stale() == [], f"stale vectors: {REGENERATE}"


def test_the_staleness_check_can_fail(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name, text in vectors.render().items():
        (tmp_path / name).write_text(text.replace('"ok": false', '"ok": true', 1), encoding="utf-8")
    monkeypatch.setattr(vectors, "OUT", tmp_path)
    assert "exchange.json" in vectors.stale()
    assert vectors.main(["--check"]) == 1


def test_the_vectors_cover_every_outcome_the_page_explains() -> None:
    found = json.loads((VECTORS / "exchange.json").read_text(encoding="utf-8"))
    slugs = {v["expect"].get("slug", "ok") for v in found}
    causes = {c for v in found for c in v["expect"].get("causes", [])}
    assert {"ok", "invalid-publisher", "job-workflow-ref-mismatch", "missing-claim", "invalid-token",
            "pull-request-target-not-supported", "ci-config-ref-uri-mismatch", "claim-check-failed"} <= slugs  # fmt: skip
    assert {"environment-missing", "environment-mismatch", "environment-case-mismatch", "workflow-mismatch",
            "workflow-case-mismatch", "owner-case-mismatch", "repository-mismatch", "owner-id-mismatch",
            "publisher-on-other-index", "no-publisher-registered", "namespace-mismatch"} <= causes  # fmt: skip


# Runs every vector through the modules the page uses; returns the ones whose answer differs.
RUN_VECTORS = """async ([base, exchangeVectors, nameVectors]) => {
  const wh = await import(new URL("assets/javascripts/tp/warehouse.js", base));
  const names = await import(new URL("assets/javascripts/tp/names.js", base));
  // The model's export, as the page fetches it.
  const model = await (await fetch(new URL("assets/data/model.json", base))).json();
  const wrong = [];
  // Key order never matters, nor the order of a reason's list of expected refs; values do.
  const norm = (o) => JSON.stringify(o, (key, val) => (Array.isArray(val) && key === "expected" ? [...val].sort() : val && typeof val === "object" && !Array.isArray(val) ? Object.fromEntries(Object.entries(val).sort()) : val));
  for (const v of exchangeVectors) {
    const registrations = v.registrations.map((r) => ({ publisher: wh.storedPublisher(r.publisher, model), index: r.index }));
    const got = wh.exchange(v.claims, registrations, v.index, model);
    const shown = got.ok ? { ok: true, publisher: got.publisher } : { ok: false, slug: got.slug, code: got.code, text: got.text, reason: got.reason, causes: got.causes };
    if (norm(shown) !== norm(v.expect)) {
      wrong.push({ name: v.name, expected: v.expect, got: shown });
    }
  }
  for (const v of nameVectors) {
    const f = v.fields;
    const stored = wh.storedPublisher({ kind: "github", owner: "o", repository: "r", owner_id: "1", workflow_filename: f.workflow, environment: f.environment }, model);
    const workflow = stored.error ? { error: stored.error } : { stored: stored.workflow_filename };
    const env = wh.storedPublisher({ kind: "github", owner: "o", repository: "r", owner_id: "1", workflow_filename: "w.yml", environment: f.environment }, model).environment;
    const nonAscii = {};
    for (const [k, value] of Object.entries(f)) {
      const found = names.nonAscii(value, model.confusables);
      if (found.length) nonAscii[k] = found;
    }
    const got = {
      canonical: names.canonicalize(f.project),
      valid: names.isValidName(f.project, model),
      workflow,
      environment: env,
      non_ascii: nonAscii,
      warnings: names.warningCodes(names.nameWarnings(f, model)),
    };
    if (norm(got) !== norm(v.expect)) wrong.push({ name: v.name, expected: v.expect, got });
  }
  return { checked: exchangeVectors.length + nameVectors.length, wrong };
}"""


@pytest.fixture(scope="module")
def module_page(chromium: Any, base_url: str) -> Any:
    """One page of the site, to import the tools' modules into."""
    context = chromium.new_context()
    page = context.new_page()
    page.goto(base_url + "diagnose/", wait_until="load")
    yield page
    context.close()


def test_the_javascript_agrees_with_the_model_on_every_vector(module_page: Any, base_url: str) -> None:
    exchange = json.loads((VECTORS / "exchange.json").read_text(encoding="utf-8"))
    names = json.loads((VECTORS / "names.json").read_text(encoding="utf-8"))
    result = module_page.evaluate(RUN_VECTORS, [base_url, exchange, names])
    assert result["checked"] == len(exchange) + len(names) > 400
    wrong = result["wrong"]
    assert wrong == [], f"{len(wrong)} vectors differ; first: {json.dumps(wrong[:3], indent=1, ensure_ascii=False)}"


def test_a_wrong_answer_would_be_reported(module_page: Any, base_url: str) -> None:
    # The comparison above must be able to fail: feed it one vector with a falsified answer.
    exchange = json.loads((VECTORS / "exchange.json").read_text(encoding="utf-8"))
    falsified = [dict(exchange[0], expect={**exchange[0]["expect"], "ok": not exchange[0]["expect"]["ok"]})]
    result = module_page.evaluate(RUN_VECTORS, [base_url, falsified, []])
    assert len(result["wrong"]) == 1
