// The configure page: the reader's names -> the values for PyPI's form first, then the tested
// workflow with those names in it (highlighted like every block of the site), then what to do next.
// Reader text goes into the page with textContent only.

import { nameWarnings } from "./names.js";
import { planWorkflow, applyEdits, publisherForms, templateIndexes } from "./configure.js";
import { h, data, copyButton, mountTool, siteUrl } from "./dom.js";

const FIELDS = ["owner", "repository", "project", "dist", "workflow", "environment", "testenvironment"];

function read(root) {
  const get = (name) => root.querySelector(`[name="tp-${name}"]`)?.value ?? "";
  const fields = Object.fromEntries(FIELDS.map((f) => [f, get(f)]));
  return {
    fields,
    tool: get("tool"),
    pypi: root.querySelector('[name="tp-pypi"]').checked,
    testpypi: root.querySelector('[name="tp-testpypi"]').checked,
  };
}

function renderWarnings(root, warnings) {
  for (const field of FIELDS) {
    const box = root.querySelector(`#tp-${field}-warnings`);
    if (!box) continue;
    const mine = warnings.filter((w) => w.field === field);
    box.replaceChildren(...mine.map((w) => h("li", { className: `tp-level-${w.level}`, "data-code": w.code, text: w.message })));
    root.querySelector(`[name="tp-${field}"]`)?.setAttribute("aria-invalid", mine.some((w) => w.level === "error") ? "true" : "false");
  }
}

/** The highlighted workflow: the trusted lines the site built (configure.json), with the reader's
 * names put into their text nodes (never parsed as markup). */
function highlightedWorkflow(workflow, plan) {
  const code = h("code", { id: "tp-workflow-text", tabindex: "0", "aria-labelledby": "tp-workflow-heading" });
  const template = document.createElement("template");
  plan.forEach(({ i, edits }) => {
    template.innerHTML = workflow.lines[i]; // the site's own Pygments output, not reader input
    const line = template.content;
    for (const [from, to] of edits) {
      const walker = document.createTreeWalker(line, NodeFilter.SHOW_TEXT);
      let last = null;
      for (let node = walker.nextNode(); node; node = walker.nextNode()) if (node.data.includes(from)) last = node;
      if (last) last.data = applyEdits(last.data, [[from, to]]);
    }
    code.append(line.cloneNode(true), "\n");
  });
  return h("div", { className: "highlight tp-output" }, h("pre", {}, code));
}

function nextSteps(opts, model, path) {
  const indexes = ["pypi", "testpypi"].filter((k) => opts[k]);
  const envs = indexes.map((k) => (k === "pypi" ? opts.pypiEnvironment : opts.testpypiEnvironment)).filter(Boolean);
  const steps = [];
  if (envs.length) {
    steps.push(h("li", {}, `In ${opts.owner}/${opts.repository} on GitHub, Settings → Environments: create ${envs.map((e) => `“${e}”`).join(" and ")}; for the PyPI one add required reviewers and allow only your release tags (`, h("a", { href: siteUrl("guide/#environments"), text: "how" }), ")."));
  }
  for (const k of indexes) {
    steps.push(h("li", {}, `Sign in to ${model.indexes[k].site} (${model.indexes[k].host}; its own account) and add the publisher with the values above: `, h("a", { href: model.indexes[k].pending, text: model.indexes[k].pending }), "."));
  }
  steps.push(h("li", {}, "Save the workflow as ", h("code", { text: path }), ", commit it and push it to your default branch."));
  steps.push(h("li", {}, "Tag a release (", h("code", { text: "git tag v0.1.0 && git push origin v0.1.0" }), ") and watch the run; if it fails, paste its log into ", h("a", { href: siteUrl("diagnose/"), text: "Diagnose" }), "."));
  steps.push(h("li", {}, "Check what was published: the files, and their attestations (", h("a", { href: siteUrl("publish/verify/"), text: "how to verify" }), ")."));
  return [h("h2", { className: "tp-h", id: "tp-steps-heading", text: "Next steps" }), h("ol", { className: "tp-steps" }, steps)];
}

function run(root, out, model, conf) {
  const state = read(root);
  const sample = conf.sample;
  // A field left empty is not an error: the sample's name stands in for it until the reader types.
  const typed = Object.fromEntries(Object.entries(state.fields).filter(([, v]) => v !== ""));
  const warnings = nameWarnings({ ...state.fields, project: state.fields.project || sample.project, dist: state.fields.dist }, model).filter(
    (w) => w.field in typed || w.field === "workflow" || w.field.endsWith("environment"),
  );
  renderWarnings(root, warnings);
  const workflow = conf.workflows.find((w) => w.file === state.tool) || conf.workflows[0];
  const has = templateIndexes(workflow.text, sample);
  const testpypiBox = root.querySelector('[name="tp-testpypi"]');
  testpypiBox.disabled = !has.testpypi;
  root.querySelector("#tp-testpypi-note").hidden = has.testpypi;
  const chosen = { pypi: state.pypi && has.pypi, testpypi: state.testpypi && has.testpypi };
  const nodes = [];
  const errors = warnings.filter((w) => w.level === "error");
  if (errors.length) {
    nodes.push(h("p", { className: "tp-error", "data-note": "errors", text: `${errors.length === 1 ? "One value needs" : errors.length + " values need"} fixing (see the notes under the fields): PyPI would refuse ${errors.length === 1 ? "it" : "them"}, or the publisher would never match.` }));
  }
  if (!chosen.pypi && !chosen.testpypi) {
    nodes.push(h("p", { className: "tp-error", "data-note": "no-index", text: "Choose PyPI, TestPyPI or both." }));
    out.replaceChildren(...nodes);
    return;
  }
  const f = state.fields;
  const opts = {
    owner: f.owner || sample.owner,
    repository: f.repository || sample.repository,
    project: f.project || sample.project,
    workflow: f.workflow || sample.workflow,
    pypiEnvironment: f.environment,
    testpypiEnvironment: f.testenvironment,
    ...chosen,
  };
  const placeholders = ["owner", "repository", "project"].filter((k) => !f[k]);
  if (placeholders.length) {
    nodes.push(h("p", { className: "tp-note", "data-note": "sample-names", text: `Until you fill in ${placeholders.join(", ")}, the sample project's names are shown.` }));
  }
  let plan;
  try {
    plan = planWorkflow(workflow.text, sample, opts, model);
  } catch (error) {
    nodes.push(h("p", { className: "tp-error", text: `The workflow could not be generated: ${error.message}` }));
    out.replaceChildren(...nodes);
    return;
  }
  const lines = workflow.text.replace(/\n+$/, "").split("\n");
  const text = plan.map(({ i, edits }) => applyEdits(lines[i], edits)).join("\n") + "\n";
  const path = `.github/workflows/${opts.workflow.trim()}`;
  nodes.push(
    h("h2", { className: "tp-h", id: "tp-forms-heading", text: "1. PyPI's publisher form" }),
    h("p", { text: "For a new project: your account → Publishing → “Add a new pending publisher”, GitHub tab. For a project that exists: the project's Settings → Publishing, the same values without the project name." }),
  );
  for (const form of publisherForms(model, opts)) {
    nodes.push(
      h(
        "figure",
        { className: "tp-form tp-forms", "data-index": form.index, "aria-label": `${form.site} publisher form values` },
        h("figcaption", {}, `${form.site}: `, h("a", { href: form.url, text: form.url })),
        h("dl", {}, form.fields.map(([label, value]) => h("div", {}, h("dt", { text: label }), h("dd", {}, value ? h("code", { text: value }) : h("em", { text: "(leave empty)" }), value ? copyButton(value, `Copy ${form.site} ${label}`) : null)))),
      ),
    );
  }
  nodes.push(
    h("h2", { className: "tp-h", id: "tp-workflow-heading", text: "2. The workflow" }),
    h("p", {}, "Save it as ", h("code", { text: path }), " in ", h("code", { text: `${opts.owner}/${opts.repository}` }), ". ", copyButton(() => text, "Copy the workflow")),
    highlightedWorkflow(workflow, plan),
    ...nextSteps(opts, model, path),
  );
  out.replaceChildren(...nodes);
}

mountTool("tp-configure", async (root) => {
  const [model, conf] = await Promise.all([data("model"), data("configure")]);
  const out = document.getElementById("tp-config-result");
  const select = root.querySelector('[name="tp-tool"]');
  select.replaceChildren(...conf.workflows.map((w) => h("option", { value: w.file, text: w.label })));
  let runs = 0;
  let last = null;
  const update = () => {
    // `change` follows `input` when a field loses focus: re-rendering then would replace the
    // button the reader is clicking, so nothing happens unless a value really changed.
    const state = JSON.stringify(read(root));
    if (state === last) return;
    last = state;
    try {
      run(root, out, model, conf);
    } catch (error) {
      out.replaceChildren(h("p", { className: "tp-error", text: `Something went wrong: ${error.message}` }));
    }
    out.dataset.runs = String(++runs);
  };
  for (const input of root.querySelectorAll("input, select")) {
    input.addEventListener("input", update);
    input.addEventListener("change", update);
  }
  update();
});
