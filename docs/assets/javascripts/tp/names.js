// Checks on the names a reader types: PEP 503 normalisation, PEP 508 validity, PyPI's publisher
// form rules, look-alike characters (model: src/tpsite/model/names.py). The patterns and tables
// come from the model's export (assets/data/model.json); tests/data/vectors/names.json checks them.

import { strip, storedPublisher } from "./warehouse.js";

/** packaging.utils.canonicalize_name (PEP 503: runs of "-", "_", "." become "-", lower case). */
export function canonicalize(name) {
  return name.toLowerCase().replace(/[-_.]+/g, "-");
}

/** A PEP 508 project name (model.patterns.project, matched ignoring case). */
export function isValidName(name, model) {
  return new RegExp(model.patterns.project, "i").test(name);
}

/** Non-ASCII characters by code-point index, with the ASCII character each imitates if known. */
export function nonAscii(value, confusables) {
  const found = [];
  let i = 0;
  for (const ch of value) {
    const cp = ch.codePointAt(0);
    if (cp > 127) {
      const like = Object.prototype.hasOwnProperty.call(confusables, ch) ? confusables[ch] : null;
      found.push({ at: i, char: "U+" + cp.toString(16).toUpperCase().padStart(4, "0"), looks_like: like });
    }
    i++;
  }
  return found;
}

const LABELS = {
  owner: "Owner",
  repository: "Repository name",
  project: "PyPI project name",
  dist: "Name in pyproject.toml",
  workflow: "Workflow file name",
  environment: "PyPI environment",
  testenvironment: "TestPyPI environment",
};

function describeChar(c) {
  if (c.looks_like === "") return `${c.char} (invisible)`;
  if (c.looks_like === " ") return `${c.char} (a space that is not a plain space)`;
  if (c.looks_like) return `${c.char} (looks like “${c.looks_like}”)`;
  return c.char;
}

/**
 * Everything worth telling about the typed names. fields: {owner, repository, project, dist,
 * workflow, environment, testenvironment}. Returns [{code, field, level: "error"|"warning"|"info", message}].
 */
export function nameWarnings(fields, model) {
  const confusables = model.confusables;
  const out = [];
  const add = (code, field, level, message) => out.push({ code, field, level, message });
  const get = (k) => (typeof fields[k] === "string" ? fields[k] : "");
  for (const field of Object.keys(LABELS)) {
    const value = get(field);
    if (value !== strip(value, model)) {
      const what = field === "workflow" ? "PyPI removes them from the workflow name" : "they become part of the name and it will not match";
      add("space", field, field === "workflow" ? "warning" : "error", `${LABELS[field]} starts or ends with spaces: ${what}.`);
    }
    const chars = nonAscii(value, confusables);
    if (chars.length) {
      add("non-ascii", field, "error", `${LABELS[field]} contains ${chars.length === 1 ? "a character" : "characters"} outside ASCII at position ${chars.map((c) => c.at + 1).join(", ")}: ${chars.map(describeChar).join(", ")}. Retype it by hand; names copied from a web page or a chat can carry these.`);
    }
  }
  const project = get("project");
  const dist = get("dist");
  if (!isValidName(project, model)) {
    add("project-invalid", "project", "error", project ? `“${project}” is not a valid project name: use ASCII letters, digits, “.”, “_” and “-”, starting and ending with a letter or digit (PEP 508).` : "Enter the project name PyPI will know the package by.");
  }
  if (dist) {
    if (!isValidName(dist, model)) add("dist-invalid", "dist", "error", `“${dist}” is not a valid distribution name (PEP 508): the build will refuse it.`);
    if (canonicalize(dist) !== canonicalize(project)) {
      add("dist-name-differs", "dist", "error", `The name in pyproject.toml normalises to “${canonicalize(dist)}”, the PyPI project name to “${canonicalize(project)}”. They must be the same project: the upload fails with “Non-user identities cannot create new projects” (new project) or “OIDC scoped token is not valid for project” (existing one).`);
    } else if (dist !== project) {
      add("dist-name-spelling", "dist", "info", `“${dist}” and “${project}” are the same project for PyPI (both normalise to “${canonicalize(project)}”, PEP 503).`);
    }
  }
  if (project && canonicalize(project) !== project) {
    add("project-not-normalized", "project", "info", `PyPI compares project names normalised: “${project}” is “${canonicalize(project)}”. A new project is created under the spelling typed into the pending publisher.`);
  }
  const workflow = get("workflow");
  const stored = storedPublisher({ kind: "github", owner: "o", repository: "r", owner_id: "1", workflow_filename: workflow, environment: "" }, model);
  if (stored.error) {
    let hint = "";
    if (workflow.includes("/")) hint = ` Type only the file name: “${workflow.split("/").pop()}”.`;
    else if (!/\.ya?ml$/i.test(strip(workflow, model))) hint = " Add the extension the file has in .github/workflows/ (.yml or .yaml).";
    else hint = " The extension must be lower case, as GitHub and PyPI compare it exactly.";
    add("workflow-form-error", "workflow", "error", `PyPI's form answers: “${stored.error}”.${hint}`);
  } else if (stored.workflow_filename !== workflow) {
    add("workflow-stripped", "workflow", "info", `PyPI stores the workflow name as “${stored.workflow_filename}”.`);
  }
  for (const field of ["environment", "testenvironment"]) {
    const env = get(field);
    if (env && env.toLowerCase() !== env) {
      add("environment-lowercased", field, "info", `PyPI stores the environment of a GitHub publisher lower-cased (“${env.toLowerCase()}”) and compares it ignoring case, so “${env}” in the workflow still matches.`);
    }
  }
  const owner = get("owner");
  if (owner && !new RegExp(model.patterns.owner).test(owner)) {
    const hint = owner.includes("/") ? ` Type the owner alone (“${owner.split("/")[0]}”) and the repository in its own field.` : "";
    add("owner-invalid", "owner", "error", `“${owner}” is not a GitHub user or organization name (letters, digits and “-”, not starting with “-”).${hint}`);
  }
  const repository = get("repository");
  const validRepository = new RegExp(model.patterns.repository).test(repository);
  if (repository && !validRepository) {
    const hint = repository.includes("/") ? ` Type only the name after the owner: “${repository.replace(/\/+$/, "").split("/").pop()}”.` : "";
    add("repository-invalid", "repository", "error", `“${repository}” is not a GitHub repository name (letters, digits, “.”, “_” and “-”).${hint}`);
  }
  if (repository.endsWith(".git") && validRepository) {
    add("repository-dot-git", "repository", "warning", `“${repository}” ends in “.git”, which is part of the clone URL, not of the name GitHub puts in the token.`);
  }
  return out;
}

/** The warnings as codes (`code:field` for the per-field ones), sorted: what names.json lists. */
export function warningCodes(warnings) {
  const perField = new Set(["space", "non-ascii", "environment-lowercased"]);
  return warnings
    .map((w) => (perField.has(w.code) ? `${w.code}:${w.field}` : w.code))
    .sort();
}
