// The configurator's logic: the tested workflow (snippets/workflows/, embedded in the page) with
// the reader's names in it, and the values for PyPI's "Add a new pending publisher" form.
// Pure functions (no DOM).

import { canonicalize, isValidName } from "./names.js";
import { strip } from "./warehouse.js";

/** A YAML scalar for a name: plain when safe, else double-quoted (JSON strings are valid YAML). */
export function yamlScalar(value) {
  return /^[A-Za-z0-9][A-Za-z0-9_.\/-]*$/.test(value) && !/^(?:true|false|yes|no|on|off|null|~)$/i.test(value) ? value : JSON.stringify(value);
}

/** [start, end) line indexes of a top-level job (`  <id>:` under `jobs:`). */
function jobRange(lines, id) {
  const start = lines.indexOf(`  ${id}:`);
  if (start === -1) return null;
  let end = start + 1;
  while (end < lines.length && !/^ {2}\S|^\S/.test(lines[end])) end++;
  return [start, end];
}

/** Which indexes a workflow template has a publishing job for: {pypi, testpypi}. */
export function templateIndexes(template, sample) {
  const lines = template.split("\n");
  return { pypi: jobRange(lines, sample.jobs.pypi) !== null, testpypi: jobRange(lines, sample.jobs.testpypi) !== null };
}

function changed(what) {
  return new Error(`the workflow snippet changed: expected ${what}`);
}

/**
 * How the template becomes the reader's workflow, line by line: [{i, edits: [[from, to]]}], the
 * template's lines to keep (by index) and the text to replace in each. template: the embedded
 * snippet; sample: the names it uses; opts: {project, pypi, testpypi, pypiEnvironment,
 * testpypiEnvironment}. The same plan turns the plain text and the highlighted lines into the
 * reader's file.
 */
export function planWorkflow(template, sample, opts, model) {
  const lines = template.replace(/\n+$/, "").split("\n");
  const drop = new Set();
  const edits = new Map();
  const dropJob = (id) => {
    const range = jobRange(lines, id);
    if (range) for (let i = range[0]; i < range[1]; i++) drop.add(i);
  };
  if (!opts.testpypi) dropJob(sample.jobs.testpypi);
  // Jobs that needed a dropped job go with it (github-release needs publish-to-pypi).
  if (!opts.pypi) for (const id of [sample.jobs.pypi, "github-release"]) dropJob(id);
  const project = isValidName(strip(opts.project || "", model), model) ? canonicalize(strip(opts.project, model)) : sample.project;
  for (const [key, host] of [["testpypi", "test.pypi.org"], ["pypi", "pypi.org"]]) {
    const range = jobRange(lines, sample.jobs[key]);
    if (!range || drop.has(range[0])) continue;
    const at = lines.slice(range[0], range[1]).findIndex((line) => /^ +environment:$/.test(line));
    if (at === -1) throw changed(`an environment block in ${sample.jobs[key]}`);
    const env = range[0] + at;
    const name = lines[env + 1].match(new RegExp(`^( +name: )${key}$`));
    const url = lines[env + 2].match(new RegExp(`^( +url: https://${host.replace(/\./g, "\\.")}/p/)${sample.project.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`));
    if (!name || !url) throw changed(`environment ${key} with its ${host} project URL`);
    const environment = (key === "pypi" ? opts.pypiEnvironment : opts.testpypiEnvironment) ?? key;
    if (environment === "") {
      for (const i of [env, env + 1, env + 2]) drop.add(i);
    } else {
      edits.set(env + 1, [[key, yamlScalar(environment)]]);
      edits.set(env + 2, [[sample.project, project]]);
    }
  }
  const kept = lines.map((_, i) => i).filter((i) => !drop.has(i));
  while (kept.length && lines[kept[kept.length - 1]] === "") kept.pop();
  return kept.map((i) => ({ i, edits: edits.get(i) || [] }));
}

/** The plan applied to one line of text: each edit replaces the last occurrence (the value). */
export function applyEdits(text, edits) {
  for (const [from, to] of edits) {
    const at = text.lastIndexOf(from);
    if (at !== -1) text = text.slice(0, at) + to + text.slice(at + from.length);
  }
  return text;
}

/** The workflow with the reader's names, as text. */
export function renderWorkflow(template, sample, opts, model) {
  const lines = template.replace(/\n+$/, "").split("\n");
  return planWorkflow(template, sample, opts, model).map(({ i, edits }) => applyEdits(lines[i], edits)).join("\n") + "\n";
}

/**
 * What to type into "Add a new pending publisher" on each chosen index:
 * [{index, site, url, fields: [[label, value]]}] (labels as PyPI's form shows them).
 */
export function publisherForms(model, opts) {
  const out = [];
  for (const key of ["pypi", "testpypi"]) {
    if (!opts[key]) continue;
    const idx = model.indexes[key];
    const env = key === "pypi" ? opts.pypiEnvironment : opts.testpypiEnvironment;
    out.push({
      index: key,
      site: idx.site,
      url: idx.pending,
      fields: [[`${idx.site} Project Name`, opts.project ?? ""], ...model.labels.github.map((label, i) => [label, [opts.owner ?? "", opts.repository ?? "", strip(opts.workflow ?? "", model), env ?? ""][i]])],
    });
  }
  return out;
}
