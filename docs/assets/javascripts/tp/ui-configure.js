// The configure page: the reader's names -> warnings, the tested workflow filled in, PyPI's form.

import { nameWarnings } from "./names.js";
import { renderWorkflow, publisherForms, templateIndexes } from "./configure.js";
import { h, data, copyButton, mountTool } from "./dom.js";

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

function run(root, out, model, conf) {
  const state = read(root);
  const sample = conf.sample;
  const warnings = nameWarnings(state.fields, model);
  renderWarnings(root, warnings);
  const workflow = conf.workflows.find((w) => w.file === state.tool) || conf.workflows[0];
  const has = templateIndexes(workflow.text, sample);
  const chosen = { pypi: state.pypi && has.pypi, testpypi: state.testpypi && has.testpypi };
  const nodes = [];
  const errors = warnings.filter((w) => w.level === "error");
  if (errors.length) {
    nodes.push(h("p", { className: "tp-error", "data-note": "errors", text: `${errors.length === 1 ? "One value needs" : errors.length + " values need"} fixing (see the notes under the fields): PyPI would refuse ${errors.length === 1 ? "it" : "them"}, or the publisher would never match.` }));
  }
  if (state.testpypi && !has.testpypi) {
    nodes.push(h("p", { className: "tp-note", "data-note": "no-testpypi", text: "This build tool's tested workflow publishes to PyPI only. For a TestPyPI job as well, pick the first uv workflow and change its build step." }));
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
  let text;
  try {
    text = renderWorkflow(workflow.text, sample, opts, model);
  } catch (error) {
    nodes.push(h("p", { className: "tp-error", text: `The workflow could not be generated: ${error.message}` }));
    out.replaceChildren(...nodes);
    return;
  }
  const path = `.github/workflows/${opts.workflow.trim()}`;
  nodes.push(
    h("h2", { className: "tp-h", id: "tp-workflow-heading", text: "The workflow" }),
    h("p", {}, "Save it as ", h("code", { text: path }), " in ", h("code", { text: `${opts.owner}/${opts.repository}` }), ". ", copyButton(() => text, "Copy the workflow")),
    h("pre", { className: "tp-output" }, h("code", { id: "tp-workflow-text", tabindex: "0", "aria-labelledby": "tp-workflow-heading", text })),
  );
  const forms = publisherForms(model, opts);
  nodes.push(h("h2", { className: "tp-h", id: "tp-forms-heading", text: "PyPI's publisher form" }));
  nodes.push(h("p", { text: "For a new project, open “Add a new pending publisher” (your account → Publishing, GitHub tab) and type these values. For an existing project, use the project's own Publishing settings: the same values without the project name." }));
  for (const form of forms) {
    nodes.push(
      h(
        "figure",
        { className: "tp-form tp-forms", "data-index": form.index, "aria-label": `${form.site} publisher form values` },
        h("figcaption", {}, `${form.site}: `, h("a", { href: form.url, text: form.url })),
        h(
          "dl",
          {},
          form.fields.map(([label, value]) =>
            h("div", {}, h("dt", { text: label }), h("dd", {}, value ? h("code", { text: value }) : h("em", { text: "(leave empty)" }), value ? copyButton(value, `Copy ${form.site} ${label}`) : null)),
          ),
        ),
      ),
    );
  }
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
