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

function replaceOnce(text, pattern, replacement, what) {
  let count = 0;
  const out = text.replace(pattern, (...m) => {
    count++;
    return typeof replacement === "function" ? replacement(...m) : replacement;
  });
  if (count !== 1) throw new Error(`the workflow snippet changed: expected one ${what}, found ${count}`);
  return out;
}

/** Which indexes a workflow template has a publishing job for: {pypi, testpypi}. */
export function templateIndexes(template, sample) {
  const lines = template.split("\n");
  return { pypi: jobRange(lines, sample.jobs.pypi) !== null, testpypi: jobRange(lines, sample.jobs.testpypi) !== null };
}

/**
 * The workflow with the reader's names. template: the embedded snippet; sample: the names it
 * uses (tp-data.sample); opts: {project, pypi, testpypi, pypiEnvironment, testpypiEnvironment}.
 */
export function renderWorkflow(template, sample, opts, model) {
  let lines = template.replace(/\n+$/, "").split("\n");
  const drop = [];
  if (!opts.testpypi) drop.push(sample.jobs.testpypi);
  if (!opts.pypi) drop.push(sample.jobs.pypi, "github-release");
  for (const id of drop) {
    const range = jobRange(lines, id);
    if (!range) continue;
    // Jobs that needed a dropped job go with it (github-release needs publish-to-pypi).
    lines = [...lines.slice(0, range[0]), ...lines.slice(range[1])];
  }
  while (lines.length && lines[lines.length - 1] === "") lines.pop();
  const project = isValidName(strip(opts.project || "", model), model) ? canonicalize(strip(opts.project, model)) : sample.project;
  for (const [key, host] of [["testpypi", "test.pypi.org"], ["pypi", "pypi.org"]]) {
    const range = jobRange(lines, sample.jobs[key]);
    if (!range) continue;
    let block = lines.slice(range[0], range[1]).join("\n");
    const env = (key === "pypi" ? opts.pypiEnvironment : opts.testpypiEnvironment) ?? key;
    if (env === "") {
      block = replaceOnce(block, /\n +environment:\n +name: .*\n +url: .*/, "", "environment block");
    } else {
      block = replaceOnce(block, new RegExp(`(\\n +environment:\\n +name: )${key}(\\n)`), (_, a, b) => a + yamlScalar(env) + b, `environment ${key}`);
      block = replaceOnce(block, new RegExp(`(url: https://${host.replace(/\./g, "\\.")}/p/)${sample.project.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\b`), (_, a) => a + project, `${host} project URL`);
    }
    lines = [...lines.slice(0, range[0]), ...block.split("\n"), ...lines.slice(range[1])];
  }
  return lines.join("\n") + "\n";
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
