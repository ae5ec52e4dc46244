// The Check page's checker: the same rules as the command (`uv run tpsite check`, src/tpsite/check/),
// run on the files a reader pasted or dropped, in the browser. Nothing leaves the page.
//
//   checkFiles(files, repository, deps) -> {report, details}
//
// files: {"path in the checkout": text}; repository: "owner/name" (GitLab: "namespace/project") or
// ""; deps: {check (check.json), model (model.json), YAML, TOML}. `report` is the command's JSON
// (jobs, findings, refused) without zizmor's findings, which only the command runs; `details` keeps
// each job's whole claims for the publisher comparison. tests/test_check_page.py runs it on every
// fixture against the Python checker.

import { fill } from "./check-text.js";
import { Refused, compiled, loadYaml, readProject } from "./check-load.js";
import { checkWorkflow } from "./check-github.js";
import { checkPipeline } from "./check-gitlab.js";
import { createsRelease, triggers } from "./check-steps.js";
import { stepItems } from "./check-uploads.js";

const SEVERITY_ORDER = { error: 0, warning: 1, note: 2 };
const WORKFLOW = /^\.github\/workflows\/[^/]+\.ya?ml$/;

/** parse_repository: OWNER/NAME (the owner may hold slashes on GitLab), or an Error. */
export function parseRepository(value) {
  const text = value.trim().replace(/^\/+|\/+$/g, "");
  const at = text.lastIndexOf("/");
  const owner = at < 0 ? "" : text.slice(0, at);
  const name = at < 0 ? text : text.slice(at + 1);
  if (!owner || !name || /\s/.test(value.trim())) throw new Error(`--repository takes OWNER/NAME (GitLab: NAMESPACE/PROJECT), not '${value}'`);
  return { owner, name, ownerId: "0" };
}

/** A path of the checkout, as the command resolves it (no way out of the checkout). */
function normalise(relative) {
  const parts = [];
  for (const part of relative.replace(/^\.\//, "").split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") {
      if (!parts.length) return null;
      parts.pop();
    } else parts.push(part);
  }
  return parts.join("/");
}

export function checkFiles(files, repository, { check, model, YAML, TOML }) {
  const P = compiled(check);
  const refused = [];
  const findings = [];
  const cache = new Map();
  const loadText = (file, text) => loadYaml(file, text, YAML, check);
  const load = (relative) => {
    relative = relative.replace(/^\.\//, "");
    if (cache.has(relative)) return cache.get(relative);
    const path = normalise(relative);
    let loaded = null;
    if (path !== null && Object.prototype.hasOwnProperty.call(files, path)) {
      try {
        loaded = loadYaml(relative, files[path], YAML, check);
      } catch (error) {
        if (!(error instanceof Refused)) throw error;
        refused.push(error.message);
      }
    }
    cache.set(relative, loaded);
    return loaded;
  };
  const project = Object.prototype.hasOwnProperty.call(files, "pyproject.toml") ? readProject(files["pyproject.toml"], TOML, check) : { name: null, perCommitVersion: null, metadataVersion: null, uvIndexes: {}, releaseFindings: [] };
  const kinds = check.kinds;
  const ctx = {
    check, model, P, load, loadText, refused,
    repository: repository || null,
    project: project.name ?? null,
    perCommitVersion: project.perCommitVersion ?? null,
    metadataVersion: project.metadataVersion ?? null,
    indexes: project.uvIndexes || {},
    called: new Set(),
    reusable: [],
    add(id, file, line, variant, fields) {
      findings.push({ id, file, line, message: fill(check.texts.messages[id][variant || ""], fields || {}) });
    },
    why: (key, fields) => fill(check.texts.why[key], fields || {}),
  };
  if (project.refused) refused.push(project.refused);
  const entries = [];
  const paths = Object.keys(files).filter((p) => WORKFLOW.test(p)).sort();
  const read = [];
  for (const path of paths) {
    const loaded = load(path);
    if (!loaded) continue;
    const jobs = loaded.data.jobs;
    if (jobs === null || typeof jobs !== "object" || Array.isArray(jobs)) {
      refused.push(`${loaded.file}: ${check.texts.refused["not-workflow"]}`);
      continue;
    }
    read.push(loaded);
    entries.push(...checkWorkflow(loaded, ctx));
  }
  const pipeline = load(".gitlab-ci.yml");
  if (pipeline) entries.push(...checkPipeline(pipeline, ctx));
  findings.push(...releaseTokens(read, entries, ctx));
  for (const [file, jobId, line] of ctx.reusable) {
    if (!ctx.called.has(file)) findings.push({ id: "reusable-workflow-publishing", file, line, message: fill(check.texts.messages["reusable-workflow-publishing"].offered, { job: jobId }) });
  }
  if (entries.length) findings.push(...project.releaseFindings);
  const unique = new Map();
  for (const f of findings) unique.set(`${f.id}\n${f.file}\n${f.line}`, f);
  const sorted = [...unique.values()]
    .map((f) => ({ id: f.id, severity: kinds[f.id].severity, file: f.file, line: f.line, message: f.message, page: kinds[f.id].page }))
    .sort(order);
  return {
    report: { jobs: entries.map((e) => e.entry), findings: sorted, refused },
    details: entries,
    files: paths.length + (Object.prototype.hasOwnProperty.call(files, ".gitlab-ci.yml") ? 1 : 0),
  };
}

const cmp = (a, b) => (a < b ? -1 : a > b ? 1 : 0);

function order(a, b) {
  return cmp(a.file, b.file) || a.line - b.line || SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] || cmp(a.id, b.id) || cmp(a.message, b.message);
}

/** check.release_tokens: releases made with the GITHUB_TOKEN where a workflow publishes on release. */
function releaseTokens(read, entries, ctx) {
  const onRelease = [...new Set(entries.map((e) => e.entry.file).filter((file) => "release" in triggers((read.find((w) => w.file === file) || {}).data || {})))].sort();
  if (!onRelease.length) return [];
  const found = [];
  for (const workflow of read) {
    if ("release" in triggers(workflow.data)) continue;
    const jobs = workflow.data.jobs;
    for (const [jobId, job] of Object.entries(jobs)) {
      if (job === null || typeof job !== "object" || Array.isArray(job)) continue;
      for (const [i, step] of stepItems(job)) {
        if (!createsRelease(step, ctx)) continue;
        const where = workflow.line("jobs", jobId, "steps", i, "uses" in step ? "uses" : "run");
        found.push({ id: "release-by-github-token", file: workflow.file, line: where, message: fill(ctx.check.texts.messages["release-by-github-token"][""], { workflows: onRelease.join(", ") }) });
      }
    }
  }
  return found;
}
