// Checking a GitLab CI/CD pipeline in the browser: the port of src/tpsite/check/gitlab.py. The
// top-level file with its local includes (nested, `spec: inputs` put in), each job's `extends:` and
// the pipeline's `default:` merged in; the uploads, their findings, the claims and the form.

import { get, has, isMap, pyStr } from "./check-text.js";
import { INDEX, commandUploads, envText, isOidc, manualExchange } from "./check-uploads.js";
import { checkedForm, gitlabClaims } from "./check-model.js";
import { validProject } from "./check-github.js";
import { Refused } from "./check-load.js";

const variableFor = (audience) => audience.toUpperCase().replace(/[^A-Z0-9]/g, "_") + "_ID_TOKEN";

function inputsOf(loaded, given, ctx) {
  const header = loaded.text.match(ctx.P.specHeader);
  let values = {};
  if (header) {
    let spec = null;
    try {
      spec = get(ctx.loadText(loaded.file, header[1]).data, "spec");
    } catch {
      spec = null;
    }
    const inputs = isMap(spec) ? get(spec, "inputs") : undefined;
    if (isMap(inputs)) {
      values = Object.fromEntries(Object.entries(inputs).filter(([, v]) => isMap(v) && has(v, "default")).map(([k, v]) => [pyStr(k), v.default]));
    }
  }
  for (const [k, v] of Object.entries(given)) values[pyStr(k)] = v;
  return values;
}

function interpolate(text, values, ctx) {
  const input = new RegExp(ctx.P.gitlabInput.source, "g");
  return text.replace(input, (whole, name) => {
    if (!has(values, name)) return whole;
    const v = values[name];
    return typeof v === "string" ? v : JSON.stringify(v);
  });
}

/** gitlab.files: included files first, then the including one. */
function files(top, ctx) {
  const found = [];
  const visit = (loaded, depth) => {
    const include = get(loaded.data, "include");
    const items = Array.isArray(include) ? include : include ? [include] : [];
    for (const item of items) {
      const local = typeof item === "string" ? item : isMap(item) ? get(item, "local") : undefined;
      if (typeof local !== "string" || /^https?:\/\//.test(local) || found.length >= ctx.check.limits.includes || depth > 10) continue;
      const base = ctx.load(local.replace(/^\/+/, ""));
      if (!base) continue;
      const given = isMap(item) && isMap(get(item, "inputs")) ? item.inputs : {};
      const values = inputsOf(base, given, ctx);
      let included = base;
      if (ctx.P.gitlabInput.test(base.text)) {
        try {
          included = ctx.loadText(base.file, interpolate(base.text, values, ctx));
        } catch (error) {
          if (!(error instanceof Refused)) throw error;
          ctx.refused.push(error.message);
          continue;
        }
      }
      visit(included, depth + 1);
    }
    found.push(loaded);
  };
  visit(top, 0);
  return found;
}

function definitions(loadedFiles, ctx) {
  const found = new Map();
  for (const loaded of loadedFiles) {
    for (const [name, job] of Object.entries(loaded.data)) {
      if (ctx.check.lists.reserved.includes(name) || !isMap(job)) continue;
      const origin = { "@": [loaded, [name]] };
      for (const k of Object.keys(job)) origin[k] = [loaded, [name]];
      found.set(name, { name, data: { ...job }, origin });
    }
  }
  return found;
}

function merge(base, over) {
  const out = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = isMap(v) && isMap(out[k]) ? merge(out[k], v) : v;
  return out;
}

function resolve(name, defined, defaults, depth = 0) {
  const job = defined.get(name);
  const extend = get(job.data, "extends");
  const bases = typeof extend === "string" ? [extend] : Array.isArray(extend) ? extend.map(pyStr) : [];
  let data = {};
  const origin = {};
  for (const base of bases) {
    if (defined.has(base) && base !== name && depth < 11) {
      const parent = resolve(base, defined, null, depth + 1);
      data = merge(data, parent.data);
      for (const [k, v] of Object.entries(parent.origin)) if (k !== "@") origin[k] = v;
    }
  }
  data = merge(data, Object.fromEntries(Object.entries(job.data).filter(([k]) => k !== "extends")));
  Object.assign(origin, job.origin);
  if (defaults && Object.keys(defaults).length) {
    for (const key of ["before_script", "id_tokens", "image"]) if (!has(data, key) && has(defaults, key)) data[key] = defaults[key];
  }
  return { name, data, origin };
}

/** Defined.line: [file, line] of a key of the job, or of the job itself. */
function lineOf(job, key = "@") {
  const [loaded, path] = job.origin[key] || job.origin["@"];
  return [loaded.file, key in job.origin && key !== "@" ? loaded.line(...path, key) : loaded.line(...path)];
}

function expand(value, variables, ctx) {
  const re = new RegExp(ctx.P.gitlabVariable.source, "g");
  return pyStr(value).replace(re, (whole, name) => (has(variables, name) && !isMap(variables[name]) ? pyStr(variables[name]) : whole));
}

function scriptUploads(job, ctx, outerEnv) {
  const found = [];
  const texts = [];
  const variables = isMap(get(job.data, "variables")) ? job.data.variables : {};
  for (const key of ["before_script", "script"]) {
    if (!(key in job.origin)) continue;
    const value = get(job.data, key);
    const [loaded, path] = job.origin[key];
    const items = Array.isArray(value) ? value : [value];
    items.forEach((item, i) => {
      for (const text of Array.isArray(item) ? item : [item]) {
        if (typeof text !== "string") continue;
        const at = Array.isArray(value) ? [...path, key, i] : [...path, key];
        texts.push([loaded, at, text]);
        found.push(...commandUploads(loaded, at, text, variables, outerEnv, null, ctx));
      }
    });
  }
  manualExchange(texts, found, ctx);
  return found;
}

/** gitlab.check_pipeline. */
export function checkPipeline(top, ctx) {
  const reports = [];
  const loadedFiles = files(top, ctx);
  const defined = definitions(loadedFiles, ctx);
  const withDefault = [...loadedFiles].reverse().find((f) => isMap(get(f.data, "default")));
  const defaults = withDefault ? withDefault.data.default : null;
  const globalVars = {};
  for (const f of loadedFiles) {
    if (!isMap(get(f.data, "variables"))) continue;
    for (const [k, v] of Object.entries(f.data.variables)) globalVars[k] = isMap(v) ? get(v, "value") : v;
  }
  for (const name of defined.keys()) {
    if (name.startsWith(".")) continue;
    const job = resolve(name, defined, defaults);
    const own = get(job.data, "variables");
    const jobVars = own === undefined || own === null || isMap(own) ? { ...globalVars, ...(isMap(own) ? own : {}) } : globalVars;
    const found = scriptUploads(job, ctx, envText(globalVars));
    if (!found.length) continue;
    reports.push(...checkJob(job, found, jobVars, ctx));
  }
  return reports;
}

function checkJob(job, found, variables, ctx) {
  const add = (id, where, variant = "", fields = {}) => ctx.add(id, where[0], where[1], variant, fields);
  const name = job.name;
  const env = get(job.data, "environment");
  const raw = isMap(env) ? get(env, "name") : env;
  const envName = raw === undefined || raw === null || raw === "" ? null : expand(raw, variables, ctx);
  const tokens = isMap(get(job.data, "id_tokens")) ? job.data.id_tokens : {};
  const reports = [];
  const seen = new Set();
  const without = ctx.check.lists.withoutOidc;
  for (const upload of found) {
    const where = [upload.file, upload.line];
    const index = upload.index || INDEX.pypi;
    const audience = ctx.model.indexes[index].audience;
    const variable = variableFor(audience);
    if (without.includes(upload.tool)) add("publisher-tool-without-oidc", where, "gitlab", { tool: upload.tool });
    else if (upload.token && upload.username !== null && upload.username.trim() !== "__token__") add("password-credentials", [upload.file, upload.usernameLine || upload.line], "", { username: upload.username });
    else if (upload.token && upload.manual === null) add("api-token-instead-of-oidc", where, "", { tool: upload.tool });
    if (upload.manual !== null) add("manual-token-exchange-hides-errors", upload.manual, "gitlab");
    const hasTokens = Object.keys(tokens).length > 0;
    const oidc = isOidc(upload, ctx) && hasTokens;
    if (isOidc(upload, ctx) && !hasTokens) add("missing-id-tokens", lineOf(job), "", { job: name, variable, audience });
    else if (isOidc(upload, ctx) && !has(tokens, variable)) add("missing-id-token-permission", lineOf(job, "id_tokens"), "gitlab", { job: name, variable, audience });
    if (oidc && upload.tool === "uv publish" && !upload.token && !upload.trustedAlways) add("uv-publish-automatic-mode", where, "gitlab");
    if (oidc && envName === null) add("no-environment", lineOf(job), "gitlab", { job: name });
    else if (envName !== null && envName !== envName.toLowerCase() && oidc) add("environment-case", lineOf(job, "environment"), "gitlab", { environment: envName });
    if (upload.index === null || seen.has(`${upload.tool}\n${upload.index}`)) continue;
    seen.add(`${upload.tool}\n${upload.index}`);
    reports.push(report(job, upload, index, envName, variables, ctx));
  }
  return reports;
}

function report(job, upload, index, envName, variables, ctx) {
  const [loaded] = job.origin["@"];
  const claims = {};
  const full = {};
  let publisher = null;
  let reason = null;
  const merged = { ...job.data };
  const tokens = isMap(get(merged, "id_tokens")) ? merged.id_tokens : {};
  merged.id_tokens = Object.fromEntries(Object.entries(tokens).map(([k, v]) => [k, isMap(v) && has(v, "aud") ? { ...v, aud: expand(v.aud, variables, ctx) } : v]));
  const audienceWanted = ctx.model.indexes[index].audience;
  const variable = variableFor(audienceWanted);
  const token = get(merged.id_tokens, variable);
  const audience = !isMap(token) || get(token, "aud") === undefined || get(token, "aud") === null ? null : pyStr(token.aud);
  const why = (key, fields) => ctx.why(key, fields);
  if (!ctx.repository) reason = why("no-project-path");
  else if (ctx.check.lists.withoutOidc.includes(upload.tool)) reason = why("tool", { tool: upload.tool });
  else if (!isOidc(upload, ctx)) reason = why("token");
  else if (audience === null) reason = why("gitlab-no-id-token", { job: job.name, variable });
  else if (audience !== audienceWanted) reason = why("gitlab-audience", { job: job.name, variable, audience, site: ctx.model.indexes[index].site, expected: audienceWanted });
  else if (!validProject(ctx.project, ctx.model)) reason = why("project-name", { project: ctx.project });
  else {
    const path = `${ctx.repository.owner}/${ctx.repository.name}`;
    const got = gitlabClaims({ projectPath: path, environment: envName, audience, issuer: ctx.model.issuers.gitlab });
    claims.push = Object.fromEntries(["project_path", "ci_config_ref_uri", "environment"].filter((k) => k in got).map((k) => [k, got[k]]));
    full.push = got;
    const values = { owner: ctx.repository.owner, repository: ctx.repository.name, workflow_filename: ".gitlab-ci.yml", environment: got.environment ?? "" };
    const form = checkedForm("gitlab", got, values, index, ctx.repository, ctx.model);
    if (form.values) publisher = form.values;
    else reason = why("pending", form.refused);
  }
  return { entry: { file: loaded.file, job: job.name, publishes_with: upload.tool, index, environment: envName, claims, publisher, why_no_publisher: reason }, full, kind: "gitlab" };
}
