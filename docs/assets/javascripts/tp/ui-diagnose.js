// The Diagnose page: the pasted log in, the answer out, verdict first. Text goes into the page with
// textContent only (dom.js). The reading is diagnose.js; the comparison with a typed publisher is
// compare.js; the data (model.json, gallery.json) is fetched on the first diagnosis.

import { diagnose, comparedCodes } from "./diagnose.js";
import { comparePublisher, expectedPublisher } from "./compare.js";
import { h, errorUrl, siteUrl, data, copyButton, mountTool } from "./dom.js";

const VERDICT = { likely: "Likely", check: "Check", unlikely: "Ruled out" };
const STATUS = { same: "matches", differs: "differs", unknown: "not in the log", assumed: "assumed the same" };
const FORMAT = {
  "gh-action-8": "gh-action-pypi-publish, 8 claims (v1.13.0 or later)",
  "gh-action-6": "gh-action-pypi-publish, 6 or 7 claims (v1.8.9 to v1.12.4)",
  "uv-OidcTokenClaims": "uv publish 0.6.7 to 0.9.26 (no environment claim)",
  "uv-GitHubTokenClaims": "uv publish 0.9.27 or later",
  "uv-GitLabTokenClaims": "uv publish 0.9.27 or later (GitLab)",
  json: "a decoded token (JSON)",
};
const PROGRAM = { warehouse: "PyPI", "gh-action-pypi-publish": "gh-action-pypi-publish", uv: "uv", twine: "twine", id: "id (used by twine and the action)", "github-actions": "GitHub Actions", "gitlab-ci": "GitLab CI/CD" };

const code = (text) => h("code", { className: "tp-value" }, breakable(text));

/** A value that may wrap only after a separator (/ @ . - _ : =), never inside a word. */
function breakable(text) {
  const parts = String(text).split(/(?<=[\/@.\-_:=])/);
  return parts.flatMap((part, i) => (i < parts.length - 1 ? [part, h("wbr")] : [part]));
}

function quote(line, label = "Line") {
  if (!line) return null;
  return h("span", { className: "tp-proof" }, h("span", { className: "tp-line-number", text: `${label} ${line.number}: ` }), code(line.text));
}

function value(root, name) {
  const node = root.querySelector(`[name="${name}"]`);
  if (!node) return "";
  if (node.type === "radio") return root.querySelector(`[name="${name}"]:checked`)?.value ?? "";
  return node.value;
}

function typedPublisher(root) {
  const kind = value(root, "tp-platform") || "github";
  const index = value(root, "tp-index") || "pypi";
  if (kind === "gitlab") {
    const p = { kind, index, namespace: value(root, "tp-namespace"), project: value(root, "tp-project"), pipeline: value(root, "tp-pipeline"), environment: value(root, "tp-gl-environment") };
    return p.namespace || p.project ? p : null;
  }
  const p = { kind, index, owner: value(root, "tp-owner"), repository: value(root, "tp-repository"), workflow: value(root, "tp-workflow"), environment: value(root, "tp-environment"), ownerId: value(root, "tp-owner-id").trim() };
  return p.owner || p.repository || p.workflow ? p : null;
}

function section(title, id, ...children) {
  return h("section", { className: "tp-section", "aria-labelledby": id }, h("h2", { id, className: "tp-h", text: title }), ...children);
}

function renderVerdict(result, gallery, comparison) {
  const nodes = [];
  if (!result.ended) {
    nodes.push(h("h2", { id: "tp-verdict", className: "tp-h tp-verdict", tabindex: "-1", text: "No message this site knows is in the paste" }));
    if (result.guess.length) {
      nodes.push(
        h("p", { className: "tp-note", "data-note": "guess", text: "This is a guess from the words of your paste, not from an error message: the closest pages are" }),
        h("ol", { className: "tp-guess" }, result.guess.map((g) => h("li", {}, h("a", { href: errorUrl(g.slug), "data-slug": g.slug, text: titleOf(gallery, g.slug) }), g.named ? " (your paste names it)" : g.shared.length ? ` (shares: ${g.shared.slice(0, 5).join(", ")})` : ""))),
      );
    }
    nodes.push(
      h("p", {}, "Paste the whole output of the failed step: the error is usually near the end. If the log does end in an error this site does not know, ", h("a", { href: siteUrl("about/#report"), text: "tell us about it" }), ", with the log, so the gallery gets a page for it."),
    );
    return nodes;
  }
  const entry = gallery.entries.find((e) => e.slug === result.ended);
  const top = result.messages[0];
  nodes.push(
    h("h2", { id: "tp-verdict", className: "tp-h tp-verdict", tabindex: "-1" }, "This is ", h("a", { href: errorUrl(entry.slug), "data-slug": entry.slug, text: entry.title })),
    h("p", { className: "tp-ended" }, "The message that ended the job: ", quote(top.line)),
  );
  if (result.ended === "bad-request-no-details" && result.followed_by) {
    nodes.push(h("p", {}, "The reason PyPI gave, on the next line: ", quote(result.followed_by)));
  }
  const w = result.wording;
  if (w && w.until) {
    nodes.push(h("p", { className: "tp-note", "data-note": "older-wording", text: `This is the wording ${PROGRAM[w.program] || w.program} printed from ${w.since} until ${w.until}: the tool that printed it is older than that. A current release prints the message differently${w.current ? " (the page shows both)" : ""}; upgrading often gives a clearer error.` }));
  }
  if (comparison && !comparison.formError && comparison.outcome && !comparison.outcome.ok) {
    const differ = comparison.rows.filter((r) => r.status === "differs");
    if (differ.length) {
      nodes.push(
        h("div", { className: "tp-error tp-compare-verdict", "data-note": "differs" },
          h("p", {}, h("strong", { text: `${differ.length === 1 ? "One field differs" : differ.length + " fields differ"}: ${differ.map((r) => r.label).join(", ")}.` })),
          h("p", { text: "PyPI cannot edit a publisher: delete it on PyPI and add one with the values from the log (below, with copy buttons), or change the workflow so that the job matches the publisher." }),
        ),
      );
    }
  } else if (comparison && comparison.outcome && comparison.outcome.ok) {
    nodes.push(h("p", { className: "tp-ok", "data-note": "matches", text: "Your publisher matches the claims in the log. If the job still fails, check which project the publisher is on, and that it is on the index the job uploads to." }));
  }
  return nodes;
}

function titleOf(gallery, slug) {
  const e = gallery.entries.find((x) => x.slug === slug);
  return e ? e.title : slug;
}

function renderCauses(result, gallery) {
  if (!result.causes.length) return null;
  const slug = result.ended;
  const items = result.causes.map((c) => {
    const cause = gallery.entries.find((e) => e.slug === slug).causes.find((x) => x.id === c.id);
    const proof = c.evidence.map((e) => h("li", { className: e.weight > 0 ? "tp-for" : "tp-against" }, `${e.weight > 0 ? "For" : "Against"}: ${e.says || (e.kind === "compare" ? "your publisher, compared with the log" : "")}`, e.line ? [" — ", quote(e.line)] : null));
    return h(
      "li",
      { className: `tp-cause tp-${c.verdict}`, "data-cause": c.id, "data-verdict": c.verdict },
      h("strong", { className: "tp-badge", text: `${VERDICT[c.verdict]}: ` }),
      h("a", { href: errorUrl(slug, c.id), text: cause ? cause.title.replace(/`/g, "") : c.id }),
      c.prior ? h("span", { className: "tp-prior", text: ` (established in ${c.prior} public thread${c.prior === 1 ? "" : "s"})` }) : null,
      proof.length ? h("ul", { className: "tp-evidence" }, proof) : h("p", { className: "tp-check" }, "The log cannot tell: ", h("a", { href: errorUrl(slug, "tell-apart"), text: "how to check" }), "."),
    );
  });
  return section("Causes, most likely first", "tp-causes-heading", h("ol", { className: "tp-causes" }, items));
}

function renderAlso(result, gallery) {
  const seen = new Set([result.ended]);
  const also = result.messages.filter((m) => !seen.has(m.slug) && seen.add(m.slug));
  if (!also.length) return null;
  return section(
    "Also in your log",
    "tp-also-heading",
    h("p", { text: "Printed around the message above, or a consequence of it:" }),
    h("ul", { className: "tp-also" }, also.slice(0, 8).map((m) => h("li", {}, h("a", { href: errorUrl(m.slug), "data-slug": m.slug, text: titleOf(gallery, m.slug) }), " — ", quote(m.line)))),
  );
}

function renderClaims(result, model) {
  const parsed = result.claims;
  if (!parsed) return null;
  const e = expectedPublisher(parsed);
  const fields = e.kind === "gitlab" ? ["namespace", "project", "pipeline", "environment"] : ["owner", "repository", "workflow", "environment"];
  const rows = fields.map((field, i) => {
    const label = model.labels[e.kind][i];
    const v = e[field];
    return h("div", { className: "tp-row" }, h("dt", { text: label }), h("dd", {}, v === null ? h("em", { text: "not in the log" }) : v === "" ? h("em", { text: "(leave empty: the job has no environment)" }) : [code(v), " ", copyButton(v, `Copy ${label}`)]));
  });
  const claimRows = [...new Set([...Object.keys(parsed.claims), ...parsed.missing])].map((name) =>
    h("div", { className: "tp-row" }, h("dt", {}, h("code", { text: name })), h("dd", {}, parsed.missing.includes(name) ? h("em", { text: "absent (MISSING)" }) : code(parsed.claims[name]), parsed.inferred[name] ? h("span", { className: "tp-inferred", text: ` — ${parsed.inferred[name]}` }) : null)),
  );
  return section(
    "The publisher these claims match",
    "tp-claims-heading",
    h("p", { text: "A publisher on PyPI with exactly these values accepts this job. The claims say what the job is, not what it should be: check they are what you expect." }),
    h("dl", { className: "tp-rows" }, rows),
    h("details", { className: "tp-claims" }, h("summary", { text: `All claims in the log (${FORMAT[parsed.format] || parsed.format})` }), h("dl", { className: "tp-rows" }, claimRows)),
  );
}

function renderComparison(comparison) {
  if (!comparison) return [h("p", { className: "tp-note", text: "Type the values of the publisher as PyPI shows it to see which field differs." })];
  if (comparison.formError) return [h("p", { className: "tp-error" }, "PyPI's form would refuse these values: ", h("q", { text: comparison.formError }))];
  return [
    h(
      "dl",
      { className: "tp-rows tp-compare" },
      comparison.rows.map((r) =>
        h(
          "div",
          { className: `tp-row tp-${r.status}`, "data-field": r.field, "data-status": r.status },
          h("dt", {}, r.label, " ", h("span", { className: `tp-status tp-${r.status}`, text: STATUS[r.status] })),
          h("dd", {}, h("span", { text: "Yours: " }), r.typed ? code(r.typed) : h("em", { text: "(empty)" })),
          h("dd", {}, h("span", { text: "From the log: " }), r.needed === null || r.needed === undefined ? h("em", { text: "—" }) : r.needed === "" ? h("em", { text: "(none)" }) : code(r.needed)),
          r.note ? h("dd", { className: "tp-todo", text: r.note }) : null,
        ),
      ),
    ),
  ];
}

function render(out, result, comparison, model, gallery) {
  const nodes = [];
  if (result.empty) {
    nodes.push(h("p", { className: "tp-note", "data-note": "empty", text: "Paste the output of the failed step first (or open a downloaded log)." }));
  } else {
    nodes.push(...renderVerdict(result, gallery, comparison), renderCauses(result, gallery), renderAlso(result, gallery), renderClaims(result, model));
  }
  for (const note of result.notes || []) nodes.push(h("p", { className: "tp-note", role: "note", text: note.detail, "data-note": note.code }));
  out.replaceChildren(...nodes.filter(Boolean));
}

mountTool("tp-diagnose", (root) => {
  const log = root.querySelector("#tp-log");
  const out = document.getElementById("tp-result");
  const comparePanel = document.getElementById("tp-compare");
  const compareOut = document.getElementById("tp-compare-result");
  const file = root.querySelector("#tp-file");
  const held = root.querySelector("#tp-held");
  let cache = { raw: null, result: null };
  let runs = 0;
  let timer = null;
  // A log above this size is kept out of the text box: laying out megabytes of text in a
  // <textarea> takes the browser far longer than reading them.
  const LARGE = 512 * 1024;
  let big = null;
  const hold = (text, how) => {
    big = text;
    log.value = "";
    held.hidden = false;
    held.textContent = `${how}: ${(text.length / 1048576).toFixed(1)} MB, kept out of the box above (a box that big makes the browser slow). Clear to start again, or type in the box to replace it.`;
  };
  const release = () => {
    big = null;
    held.hidden = true;
    held.textContent = "";
  };
  // A log handed over from the site's search box (sessionStorage: it never leaves the browser).
  try {
    const handed = sessionStorage.getItem("tp-diagnose-log");
    if (handed) {
      sessionStorage.removeItem("tp-diagnose-log");
      log.value = handed;
    }
  } catch {
    /* storage off: nothing handed over */
  }

  let shown = null;
  const run = async (reveal = false) => {
    clearTimeout(timer);
    const raw = big ?? log.value;
    const typed = typedPublisher(comparePanel);
    // A field's `change` (on leaving it) must not re-render what is already shown: that would
    // replace a copy button under the reader's click.
    const key = JSON.stringify(typed);
    if (!reveal && cache.raw === raw && shown === key) return;
    shown = key;
    out.setAttribute("aria-busy", "true");
    try {
      const [model, gallery] = await Promise.all([data("model"), data("gallery")]);
      if (cache.raw !== raw) cache = { raw, result: diagnose(raw, model, gallery) };
      let result = cache.result;
      const comparison = typed && result.claims ? comparePublisher(result.claims, typed, result.index.value, model) : null;
      // What the comparison found moves the causes that declare `compare` signals.
      if (comparison && comparison.outcome) result = diagnose(raw, model, gallery, comparedCodes(comparison));
      render(out, result, comparison, model, gallery);
      comparePanel.hidden = !result.claims;
      compareOut.replaceChildren(...renderComparison(comparison));
      if (reveal) {
        const verdict = out.querySelector("#tp-verdict") || out.firstElementChild;
        verdict?.scrollIntoView({ block: "start" });
        verdict?.focus({ preventScroll: true });
      }
    } catch (error) {
      out.replaceChildren(h("p", { className: "tp-error", "data-note": "failed", text: `The diagnosis failed: ${error && error.message ? error.message : error}. Please report it with the log.` }));
    }
    out.removeAttribute("aria-busy");
    out.dataset.runs = String(++runs);
  };
  const later = (ms) => {
    clearTimeout(timer);
    timer = setTimeout(() => run(false), ms);
  };
  root.querySelector("#tp-run").addEventListener("click", () => run(true));
  root.querySelector("#tp-clear").addEventListener("click", () => {
    log.value = "";
    release();
    run();
  });
  log.addEventListener("paste", (event) => {
    const text = event.clipboardData ? event.clipboardData.getData("text/plain") : "";
    if (text.length <= LARGE) {
      setTimeout(() => run(true), 0); // a paste is the reader asking: show the answer
      return;
    }
    event.preventDefault();
    hold(text, "Pasted log");
    out.replaceChildren(h("p", { className: "tp-note", text: "Reading the log…" }));
    setTimeout(() => run(true), 30);
  });
  log.addEventListener("input", () => {
    if (big !== null) release();
    later(250);
  });
  for (const input of comparePanel.querySelectorAll("input, select")) {
    input.addEventListener("input", () => later(150));
    input.addEventListener("change", () => later(0));
  }
  const platform = () => {
    const gitlab = value(comparePanel, "tp-platform") === "gitlab";
    comparePanel.querySelector(".tp-github").hidden = gitlab;
    comparePanel.querySelector(".tp-gitlab").hidden = !gitlab;
  };
  for (const radio of comparePanel.querySelectorAll('[name="tp-platform"]')) radio.addEventListener("change", platform);
  platform();
  for (const node of comparePanel.querySelectorAll("[disabled]")) node.disabled = false;
  file.addEventListener("change", () => {
    const chosen = file.files && file.files[0];
    if (!chosen) return;
    const reader = new FileReader();
    reader.onload = () => {
      const text = String(reader.result);
      if (text.length > LARGE) hold(text, `Opened ${chosen.name}`);
      else {
        release();
        log.value = text;
      }
      run(true);
    };
    reader.onerror = () => out.replaceChildren(h("p", { className: "tp-error", text: "The file could not be read." }));
    reader.readAsText(chosen);
  });
  if (log.value) run(true);
});
