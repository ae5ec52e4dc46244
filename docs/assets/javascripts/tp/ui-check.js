// The Check page: pasted or dropped files in, the checker's report out (check.js, the port of the
// command's rules). The jobs that publish come first with the publisher PyPI needs, then each
// finding at its line; a typed publisher is compared field by field with compare.js (PyPI's
// matching, warehouse.js). Text goes into the page with textContent only (dom.js): nothing pasted
// is ever parsed as markup, and nothing leaves the browser. The checker, its data and the parsers
// (most of this page's weight) are fetched on first use: a focus in the form, a drop or a file
// chosen, so a reader who only reads the page does not download them.

import { h, data, copyButton, mountTool, siteUrl } from "./dom.js";

let checker = null;

/** The checker's modules, data and parsers, fetched once, on first use. */
function loadChecker() {
  if (!checker) {
    checker = Promise.all([import("./check.js"), import("./compare.js"), import("./check-load.js"), data("check"), data("model")]).then(
      async ([checkModule, compareModule, loadModule, check, model]) => ({
        checkFiles: checkModule.checkFiles,
        parseRepository: checkModule.parseRepository,
        comparePublisher: compareModule.comparePublisher,
        deps: { check, model, ...(await loadModule.loadParsers()) },
      }),
    );
  }
  return checker;
}

const SEVERITY = { error: "Error", warning: "Warning", note: "Note" };
const STATUS = { same: "matches", differs: "differs", unknown: "not known", assumed: "assumed the same" };
const field = (root, name) => root.querySelector(`[name="${name}"]`);
const value = (root, name) => field(root, name)?.value ?? "";

function files(root) {
  const found = {};
  const workflow = value(root, "tp-text-1");
  const path = value(root, "tp-path-1").trim().replace(/^\.\//, "") || ".github/workflows/publish.yml";
  if (workflow.trim()) found[path] = workflow;
  const second = value(root, "tp-text-2");
  const secondPath = value(root, "tp-path-2").trim().replace(/^\.\//, "");
  if (second.trim() && secondPath) found[secondPath] = second;
  const pyproject = value(root, "tp-pyproject");
  if (pyproject.trim()) found["pyproject.toml"] = pyproject;
  return { found, path, secondMissingPath: Boolean(second.trim() && !secondPath) };
}

function typedPublisher(root, kind) {
  const p = { kind, index: value(root, "tp-pub-index") || "pypi" };
  const owner = value(root, "tp-pub-owner");
  const repository = value(root, "tp-pub-repository");
  const workflow = value(root, "tp-pub-workflow");
  const environment = value(root, "tp-pub-environment");
  if (!owner && !repository && !workflow) return null;
  if (kind === "gitlab") return { ...p, namespace: owner, project: repository, pipeline: workflow || ".gitlab-ci.yml", environment };
  return { ...p, owner, repository, workflow, environment, ownerId: "" };
}

const note = (kind, text, className = "tp-note") => h("p", { className, "data-note": kind, text });

function formCard(entry, detail, model) {
  const kind = detail.kind;
  const labels = model.labels[kind];
  const index = model.indexes[entry.index];
  const values = [entry.publisher.owner, entry.publisher.repository, entry.publisher.workflow_filename, entry.publisher.environment];
  return h(
    "figure",
    { className: "tp-form tp-forms", "data-index": entry.index, "aria-label": `${index.site} publisher form values for job ${entry.job}` },
    h("figcaption", {}, `${index.site} (${kind === "gitlab" ? "GitLab" : "GitHub"} tab): `, h("a", { href: index.pending, text: index.pending })),
    h(
      "dl",
      {},
      labels.map((label, i) =>
        h("div", { "data-field": label }, h("dt", { text: label }), h("dd", {}, values[i] ? h("code", { text: values[i] }) : h("em", { text: "(leave empty)" }), values[i] ? copyButton(values[i], `Copy ${index.site} ${label}`) : null)),
      ),
    ),
  );
}

function claimsDetails(entry) {
  const events = Object.entries(entry.claims);
  if (!events.length) return null;
  return h(
    "details",
    { className: "tp-claims" },
    h("summary", { text: `The token's claims (${events.map(([e]) => e).join(", ")})` }),
    events.map(([event, claims]) =>
      h("dl", { className: "tp-rows", "data-event": event }, h("div", { className: "tp-row" }, h("dt", { text: "Trigger" }), h("dd", {}, h("code", { text: event }))), Object.entries(claims).map(([k, v]) => h("div", { className: "tp-row" }, h("dt", { text: k }), h("dd", {}, h("code", { text: v }))))),
    ),
  );
}

function comparison(entry, detail, typed, tools) {
  const event = Object.keys(detail.full)[0];
  if (!event || !typed || typed.kind !== detail.kind) return null;
  const result = tools.comparePublisher({ claims: detail.full[event], missing: [] }, typed, entry.index, tools.deps.model);
  if (result.formError) return note("form-error", `PyPI's form refuses these values: ${result.formError}`, "tp-error");
  const outcome = result.outcome;
  const verdict = outcome.ok
    ? note("publisher-matches", `PyPI would accept this job's token with the publisher you typed.`, "tp-ok")
    : note("publisher-differs", `PyPI would refuse: ${outcome.description}`, "tp-error");
  return h(
    "div",
    { className: "tp-compare", "data-job": entry.job, "data-index": entry.index },
    verdict,
    h(
      "dl",
      { className: "tp-rows" },
      // The owner's numeric ID is PyPI's record, not in the files: the comparison leaves it out.
      result.rows.filter((row) => row.field !== "ownerId").map((row) =>
        h(
          "div",
          { className: `tp-row tp-${row.status}`, "data-field": row.field, "data-status": row.status },
          h("dt", { text: `${row.label}: ${STATUS[row.status] || row.status}` }),
          h("dd", {}, "Yours: ", h("code", { text: row.typed || "(empty)" })),
          h("dd", {}, "Needed: ", h("code", { text: row.needed ?? "(not known)" })),
          row.note ? h("dd", { text: row.note }) : null,
        ),
      ),
    ),
  );
}

function jobCard(entry, detail, typed, tools) {
  const model = tools.deps.model;
  const site = model.indexes[entry.index].site;
  return h(
    "section",
    { className: "tp-section tp-job", "data-job": entry.job, "data-index": entry.index },
    h("h3", { className: "tp-h", text: `${entry.file}: job ${entry.job}` }),
    h("p", {}, `Uploads to ${site} with `, h("code", { text: entry.publishes_with }), entry.environment ? [" in the environment ", h("code", { text: entry.environment })] : " without an environment", "."),
    entry.publisher ? formCard(entry, detail, model) : note("no-publisher", `No publisher can work: ${entry.why_no_publisher}`, "tp-error"),
    claimsDetails(entry),
    entry.publisher && typed && typed.index === entry.index ? comparison(entry, detail, typed, tools) : null,
  );
}

function findingItem(f, check) {
  return h(
    "li",
    { className: `tp-finding tp-${f.severity}`, "data-id": f.id, "data-severity": f.severity },
    h("span", { className: "tp-badge tp-status", text: `${SEVERITY[f.severity]}: ` }),
    h("code", { className: "tp-where", text: `${f.file}:${f.line}` }),
    " ",
    h("strong", { text: check.kinds[f.id].title }),
    h("br"),
    h("span", { text: f.message }),
    " ",
    h("a", { href: siteUrl(f.page), text: "What to do" }),
    h("span", { className: "tp-id", text: ` [${f.id}]` }),
  );
}

function render(out, result, typed, tools, started) {
  const { report, details } = result;
  const { check } = tools.deps;
  const nodes = [];
  for (const reason of report.refused) nodes.push(note("refused", `Not read: ${reason}`, "tp-error"));
  const counts = Object.fromEntries(Object.keys(SEVERITY).map((s) => [s, report.findings.filter((f) => f.severity === s).length]));
  nodes.push(
    h("h2", { className: "tp-h", id: "tp-check-summary", tabindex: "-1", text: `${report.jobs.length} publishing job${report.jobs.length === 1 ? "" : "s"}; ${counts.error} error${counts.error === 1 ? "" : "s"}, ${counts.warning} warning${counts.warning === 1 ? "" : "s"}, ${counts.note} note${counts.note === 1 ? "" : "s"}` }),
  );
  if (!report.jobs.length && !report.refused.length) nodes.push(note("no-jobs", "No job of these files uploads to PyPI or TestPyPI (gh-action-pypi-publish, uv publish, twine, pdm, hatch, poetry, flit or maturin)."));
  if (started.secondMissingPath) nodes.push(note("second-path", "The second file has no path, so nothing can call it: give its path in the repository."));
  report.jobs.forEach((entry, i) => nodes.push(jobCard(entry, details[i], typed, tools)));
  if (report.findings.length) {
    nodes.push(h("h2", { className: "tp-h", id: "tp-findings-heading", text: "Findings" }));
    nodes.push(h("ul", { className: "tp-findings" }, report.findings.map((f) => findingItem(f, check))));
  }
  nodes.push(note("zizmor", "zizmor's audits (template injection, unpinned actions, persisted credentials) run in the command only: see below."));
  out.replaceChildren(...nodes);
}

async function readDropped(root, list) {
  for (const file of list) {
    const text = await file.text();
    const name = file.name;
    const set = (n, v) => (field(root, n).value = v);
    if (name === "pyproject.toml" || name.endsWith(".toml")) set("tp-pyproject", text);
    else if (name === ".gitlab-ci.yml") {
      set("tp-text-1", text);
      set("tp-path-1", ".gitlab-ci.yml");
    } else if (name === "action.yml" || name === "action.yaml") {
      set("tp-text-2", text);
      if (!/action\.ya?ml$/.test(value(root, "tp-path-2"))) set("tp-path-2", `.github/actions/publish/${name}`);
    } else if (!value(root, "tp-text-1").trim()) {
      set("tp-text-1", text);
      set("tp-path-1", `.github/workflows/${name}`);
    } else {
      set("tp-text-2", text);
      set("tp-path-2", `.github/workflows/${name}`);
    }
  }
}

mountTool("tp-check", async (root) => {
  const out = document.getElementById("tp-check-result");
  const runButton = root.querySelector("#tp-run");
  const ready = () =>
    loadChecker().catch((error) => {
      runButton.disabled = true;
      out.replaceChildren(note("parser-missing", error.message, "tp-error"));
      return null;
    });
  // The first sign of use starts the download, so the checker is there by the time the reader has pasted.
  for (const type of ["focusin", "dragenter", "pointerdown"]) root.addEventListener(type, ready, { once: true });
  let runs = 0;
  const go = async () => {
    const tools = await ready();
    if (!tools) return;
    const started = files(root);
    const repoText = value(root, "tp-repo").trim();
    const nodes = [];
    let repository = null;
    if (repoText) {
      try {
        repository = tools.parseRepository(repoText);
      } catch {
        nodes.push(note("bad-repository", `“${repoText}” is not owner/name (GitLab: namespace/project).`, "tp-error"));
      }
    } else nodes.push(note("no-repository", "Type the repository (owner/name) to get the claims and the publisher form values."));
    if (!Object.keys(started.found).some((p) => p === ".gitlab-ci.yml" || /^\.github\/workflows\/[^/]+\.ya?ml$/.test(p))) {
      const wrongPath = Object.keys(started.found).length && value(root, "tp-text-1").trim();
      out.replaceChildren(...nodes, note("empty", wrongPath ? "The workflow's path must be .github/workflows/<name>.yml (or .gitlab-ci.yml)." : "Paste a workflow (or a .gitlab-ci.yml), or drop the files here.", "tp-error"));
      out.dataset.runs = String(++runs);
      return;
    }
    try {
      const result = tools.checkFiles(started.found, repository, tools.deps);
      const kind = started.path === ".gitlab-ci.yml" ? "gitlab" : "github";
      render(out, result, typedPublisher(root, kind), tools, started);
      if (nodes.length) out.prepend(...nodes);
    } catch (error) {
      out.replaceChildren(note("failed", `Something went wrong: ${error && error.message ? error.message : error}`, "tp-error"));
    }
    out.dataset.runs = String(++runs);
    document.getElementById("tp-check-summary")?.focus();
  };
  runButton.addEventListener("click", go);
  root.querySelector("#tp-clear").addEventListener("click", () => {
    for (const name of ["tp-text-1", "tp-text-2", "tp-pyproject", "tp-path-2", "tp-pub-owner", "tp-pub-repository", "tp-pub-workflow", "tp-pub-environment"]) field(root, name).value = "";
    field(root, "tp-path-1").value = ".github/workflows/publish.yml";
    out.replaceChildren();
  });
  const drop = root.querySelector("#tp-drop");
  drop.addEventListener("dragover", (event) => event.preventDefault());
  drop.addEventListener("drop", async (event) => {
    event.preventDefault();
    await readDropped(root, [...(event.dataTransfer?.files || [])]);
    go();
  });
  root.querySelector("#tp-files").addEventListener("change", async (event) => {
    await readDropped(root, [...event.target.files]);
    go();
  });
});
