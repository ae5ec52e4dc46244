// The diagnose page: wires the form to diagnose.js and renders the answer (textContent only).

import { diagnoseLog, comparePublisher } from "./diagnose.js";
import { h, errorUrl, siteUrl, data, copyButton, mountTool } from "./dom.js";

const LIKELIHOOD = { likely: "Likely", possible: "Possible", check: "Check", unlikely: "Unlikely" };
const TOOL = { "gh-action-pypi-publish": "gh-action-pypi-publish", uv: "uv publish", twine: "twine", other: "another publishing tool" };
const FORMAT = {
  "gh-action-8": "gh-action-pypi-publish, 8 claims (2025 and later)",
  "gh-action-6": "gh-action-pypi-publish, 6 claims (2023–2024)",
  "uv-OidcTokenClaims": "uv publish 0.6.7–0.9.26 (no environment claim)",
  "uv-GitHubTokenClaims": "uv publish 0.9.27 or later",
  "uv-GitLabTokenClaims": "uv publish 0.9.27 or later (GitLab)",
  json: "a decoded token (JSON)",
};

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

function section(title, ...children) {
  return h("section", { className: "tp-section" }, h("h2", { text: title, className: "tp-h" }), ...children);
}

function table(headers, rows, caption) {
  return h(
    "table",
    { className: "tp-table" },
    caption ? h("caption", { text: caption }) : null,
    h("thead", {}, h("tr", {}, headers.map((t) => h("th", { scope: "col", text: t })))),
    h("tbody", {}, rows.map((cells) => h("tr", {}, cells.map((c, i) => (i === 0 ? h("th", { scope: "row" }, c) : h("td", {}, c)))))),
  );
}

const code = (text) => h("code", { text });

function renderMatches(result) {
  const [top, ...rest] = result.matches;
  const out = [];
  out.push(
    h("p", { className: "tp-verdict" }, "This is ", h("a", { href: errorUrl(top.slug), text: top.title, "data-slug": top.slug }), "."),
    h("p", {}, "The log says: ", h("q", { className: "tp-excerpt", text: top.excerpt })),
  );
  if (rest.length) {
    out.push(
      h("p", { text: "Also in the log (usually printed around the error above, or a consequence of it):" }),
      h("ul", { className: "tp-also" }, rest.slice(0, 6).map((m) => h("li", {}, h("a", { href: errorUrl(m.slug), text: m.title, "data-slug": m.slug })))),
    );
  }
  return section("What it is", ...out);
}

function renderCauses(result) {
  const top = result.matches[0];
  const entry = result.causes;
  if (!entry.length) return null;
  const items = entry.map((c) =>
    h(
      "li",
      { className: `tp-cause tp-${c.likelihood}`, "data-cause": c.id || "" },
      h("strong", { text: `${LIKELIHOOD[c.likelihood]}: ` }),
      c.id ? h("a", { href: errorUrl(top.slug, c.id), text: c.title }) : c.title,
      c.why ? h("span", { text: ` — ${c.why}` }) : null,
    ),
  );
  return section(
    "Causes, most likely first",
    h("ol", { className: "tp-causes" }, items),
    h("p", {}, "What the log cannot tell, the page's ", h("a", { href: errorUrl(top.slug, "tell-apart"), text: "“Tell the causes apart”" }), " section shows how to check."),
  );
}

function claimRows(parsed) {
  const rows = [];
  const names = [...new Set([...Object.keys(parsed.claims), ...parsed.missing])];
  for (const name of names) {
    const missing = parsed.missing.includes(name);
    const shown = missing ? h("em", { text: "absent (MISSING)" }) : code(parsed.claims[name]);
    rows.push([code(name), shown, parsed.inferred[name] || ""]);
  }
  return rows;
}

function renderClaims(result) {
  const parsed = result.claims;
  if (!parsed) {
    return section("Claims", h("p", { text: "The paste shows no claims. gh-action-pypi-publish (v1.8.9 and later) and uv publish (0.6.7 and later) print them when PyPI refuses the token; twine does not." }));
  }
  const e = result.expected;
  const rows =
    e.kind === "gitlab"
      ? [["Namespace", e.namespace], ["Project name", e.project], ["Top-level pipeline file path", e.pipeline], ["Environment name", e.environment]]
      : [["Owner", e.owner], ["Repository name", e.repository], ["Workflow name", e.workflow], ["Environment name", e.environment]];
  const publisherRows = rows.map(([label, v]) => [
    label,
    v === null ? h("em", { text: "not in the log" }) : v === "" ? h("em", { text: "(leave empty: the job has no environment)" }) : h("span", {}, code(v), " ", copyButton(v, `Copy ${label}`)),
  ]);
  return [
    section(
      "Claims in the log",
      h("p", { text: `Read from: ${FORMAT[parsed.format] || parsed.format}.` }),
      table(["Claim", "Value", "Note"], claimRows(parsed)),
    ),
    section(
      "The publisher these claims match",
      h("p", { text: "A publisher on PyPI with exactly these values accepts this job (the claims say what the job is, not what it should be: check they are what you expect)." }),
      table(["Field", "Value"], publisherRows),
      result.facts.length ? h("ul", { className: "tp-facts" }, result.facts.map((f) => h("li", { text: f.message }))) : null,
    ),
  ];
}

const STATUS = { same: "matches", differs: "differs", unknown: "not in the log", assumed: "assumed the same" };

function renderComparison(result, typed, model) {
  if (!typed) {
    return section("Compare with your publisher", h("p", { text: "Type the values of the publisher you registered on PyPI (above, under “Compare with your publisher”) to see which one differs." }));
  }
  if (!result.claims) return section("Compare with your publisher", h("p", { text: "The log has no claims to compare your publisher with." }));
  const cmp = comparePublisher(result.claims, typed, result.index.index, model);
  if (cmp.formError) return section("Compare with your publisher", h("p", { className: "tp-error" }, "PyPI's form would refuse these values: ", h("q", { text: cmp.formError })));
  const rows = cmp.rows.map((r) => [
    r.label,
    r.typed ? code(r.typed) : h("em", { text: "(empty)" }),
    r.needed === null || r.needed === undefined ? h("em", { text: "—" }) : r.needed === "" ? h("em", { text: "(none)" }) : code(r.needed),
    h("span", { className: `tp-status tp-${r.status}`, text: STATUS[r.status] }),
    r.note,
  ]);
  const verdict = cmp.outcome.ok
    ? h("p", { className: "tp-ok", text: "With these values, PyPI's matching accepts the claims in the log. If the job still fails, check the project the publisher is on, and that it is on the index the job uploads to." })
    : h("p", { className: "tp-error" }, "With these values PyPI answers: ", code(cmp.outcome.description || cmp.outcome.slug));
  return section("Compare with your publisher", verdict, table(["Field", "Yours", "From the log", "", "What to do"], rows));
}

function renderSummary(result) {
  const parts = [];
  if (result.platform) parts.push(`CI: ${result.platform === "gitlab" ? "GitLab CI/CD" : "GitHub Actions"}`);
  if (result.tool) parts.push(`tool: ${TOOL[result.tool]}`);
  if (result.index.index) parts.push(`index: ${result.index.index === "testpypi" ? "TestPyPI" : "PyPI"} (from “${result.index.evidence}”)`);
  return parts.length ? h("p", { className: "tp-summary", text: parts.join(" · ") }) : null;
}

function render(out, result, typed, model) {
  const nodes = [];
  for (const note of result.notes) nodes.push(h("p", { className: "tp-note", role: "note", text: note.detail, "data-note": note.code }));
  if (result.empty) {
    nodes.push(h("p", { className: "tp-note", "data-note": "empty", text: "Paste the output of the failed step first (or open a downloaded log)." }));
  } else {
    nodes.push(renderSummary(result));
    if (result.matches.length) nodes.push(renderMatches(result), renderCauses(result));
    else nodes.push(section("What it is", h("p", { className: "tp-verdict", text: "No error from the gallery was found in this paste." }), h("p", {}, "Browse the ", h("a", { href: siteUrl("errors/"), text: "error gallery" }), " or paste more of the log.")));
    nodes.push(renderClaims(result));
    nodes.push(renderComparison(result, typed, model));
  }
  out.replaceChildren(...nodes.flat().filter(Boolean));
}

mountTool("tp-diagnose", (root) => {
  const log = root.querySelector("#tp-log");
  const out = document.getElementById("tp-result");
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

  let shown = null;
  const run = async (force = true) => {
    clearTimeout(timer);
    const raw = big ?? log.value;
    const typed = typedPublisher(root);
    // A field's `change` (on leaving it) must not re-render what is already shown: that would
    // replace a copy button under the reader's click.
    const key = JSON.stringify(typed);
    if (!force && cache.raw === raw && shown === key) return;
    shown = key;
    out.setAttribute("aria-busy", "true");
    try {
      // The gallery and the model's tables are fetched on the first diagnosis, not with the page.
      const [model, gallery] = await Promise.all([data("model"), data("gallery")]);
      if (cache.raw !== raw) cache = { raw, result: diagnoseLog(raw, gallery) };
      render(out, cache.result, typed, model);
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
    if (text.length <= LARGE) return;
    event.preventDefault();
    hold(text, "Pasted log");
    out.replaceChildren(h("p", { className: "tp-note", text: "Reading the log…" }));
    later(30);
  });
  log.addEventListener("input", () => {
    if (big !== null) release();
    later(250);
  });
  for (const input of root.querySelectorAll(".tp-publisher input, .tp-publisher select")) {
    input.addEventListener("input", () => later(150));
    input.addEventListener("change", () => later(0));
  }
  const platform = () => {
    const gitlab = value(root, "tp-platform") === "gitlab";
    root.querySelector(".tp-github").hidden = gitlab;
    root.querySelector(".tp-gitlab").hidden = !gitlab;
  };
  for (const radio of root.querySelectorAll('[name="tp-platform"]')) radio.addEventListener("change", platform);
  platform();
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
      run();
    };
    reader.onerror = () => out.replaceChildren(h("p", { className: "tp-error", text: "The file could not be read." }));
    reader.readAsText(chosen);
  });
  if (log.value) run();
});
