// Checking one GitHub Actions workflow in the browser: the port of src/tpsite/check/github.py. Which
// jobs publish, the claims each token carries per trigger, the publisher PyPI needs, and every
// finding at its line. The uploads, steps and triggers are in check-uploads.js and check-steps.js;
// the model's claims and form in check-model.js.

import { falsy, get, has, isMap, or, pyStr } from "./check-text.js";
import { INDEX, builds, envText, isOidc, localAction, manualExchange, run, stepItems, stepUploads, steps, uses, withOf } from "./check-uploads.js";
import { artifacts, checkArtifactNames, checkReleaseTypes, checkSteps, grants, matrixLegs, pushesBranches, reaches, refFor, repeats, triggers } from "./check-steps.js";
import { ModelError, checkedForm, declaresPermissions, githubClaims, githubFormValues, grantsIdToken } from "./check-model.js";
import { canonicalize, isValidName } from "./names.js";

export function environment(job) {
  let env = get(job, "environment");
  let url = "";
  if (isMap(env)) {
    url = pyStr(or(get(env, "url"), ""));
    env = get(env, "name");
  }
  return [env === undefined || env === null || env === "" ? null : pyStr(env), url];
}

/** github._called: the local reusable workflow a job calls, with the caller's inputs put in. */
function calledFile(job, ctx) {
  const call = get(job, "uses");
  if (typeof call !== "string" || !(call.startsWith("./") || call.startsWith("$/"))) return null;
  const called = ctx.load(call.slice(2).split("@")[0]);
  const input = new RegExp(ctx.P.callerInput.source, "g");
  if (!called || !ctx.P.callerInput.test(called.text)) return called;
  const on = get(triggers(called.data), "workflow_call");
  const declared = isMap(on) && isMap(get(on, "inputs")) ? on.inputs : {};
  const values = {};
  for (const [k, v] of Object.entries(declared)) if (isMap(v) && has(v, "default")) values[pyStr(k)] = v.default;
  for (const [k, v] of Object.entries(withOf(job))) values[pyStr(k)] = v;
  const text = called.text.replace(input, (whole, name) => (has(values, name) && !(isMap(values[name]) || Array.isArray(values[name])) ? pyStr(values[name]).replace(/\n/g, " ") : whole));
  try {
    return ctx.loadText(called.file, text);
  } catch {
    return called;
  }
}

function projectUrls(jobs, ctx) {
  const found = new Set();
  for (const job of Object.values(jobs)) {
    if (!isMap(job)) continue;
    const m = environment(job)[1].match(ctx.P.projectUrl);
    if (m && !ctx.P.expression.test(m[1])) found.add(canonicalize(m[1]));
  }
  return found;
}

/** github.check_workflow: the job entries of a workflow; findings go to ctx.findings. */
export function checkWorkflow(loaded, ctx) {
  const data = loaded.data;
  const jobs = get(data, "jobs");
  if (!isMap(jobs)) return [];
  const on = triggers(data);
  const keys = Object.keys(on);
  const onlyCalled = keys.length > 0 && keys.every((e) => e === "workflow_call");
  const events = keys.filter((e) => e in ctx.check.refs);
  const add = (id, line, variant = "", file = loaded.file, fields = {}) => ctx.add(id, file, line, variant, fields);
  if (grants(get(data, "permissions"), "id-token")) {
    add("id-token-at-workflow-level", isMap(data.permissions) ? loaded.line("permissions", "id-token") : loaded.line("permissions"));
  }
  const uploaded = artifacts(data, ctx);
  const projects = projectUrls(jobs, ctx);
  const reports = [];
  const publishers = [];
  for (const [jobId, job] of Object.entries(jobs)) {
    if (!isMap(job)) continue;
    const path = ["jobs", jobId];
    const found = stepUploads(loaded, path, job, ctx, envText(get(data, "env")));
    manualExchange(stepItems(job).map(([i, s]) => [loaded, [...path, "steps", i, "run"], run(s)]), found, ctx);
    const calls = call(loaded, jobId, job, ctx, add);
    for (const [, inner] of calls) found.push(...inner);
    const jobGrants = grantsIdToken(data, job);
    checkSteps(loaded, path, job, jobGrants, uploaded, found.length > 0, ctx, add);
    checkTokenHolder(loaded, jobId, job, found, ctx, add);
    if (!found.length) continue;
    publishers.push(job);
    if (onlyCalled) ctx.reusable.push([loaded.file, jobId, loaded.line(...path)]);
    checkPublishingJob(loaded, jobId, job, found, calls, projects, ctx, add, onlyCalled);
    if (!onlyCalled) {
      for (const [called, group] of calls.length ? calls : [[null, found]]) {
        const name = called && calls.length > 1 ? `${jobId}/${called.jobId}` : jobId;
        reports.push(...jobReports(loaded, jobId, job, group, called, events, ctx, name));
      }
    }
  }
  checkArtifactNames(loaded, add, ctx);
  if (publishers.length) {
    checkReleaseTypes(loaded, add, ctx);
    checkEnvironmentPlacement(loaded, publishers, add);
    checkConcurrency(loaded, get(data, "concurrency"), ["concurrency"], publishers, add, ctx);
  }
  return reports;
}

function checkEnvironmentPlacement(loaded, publishers, add) {
  if (!publishers.some((j) => environment(j)[0] === null && !has(j, "uses"))) return;
  for (const [jobId, job] of Object.entries(loaded.data.jobs)) {
    if (isMap(job) && !publishers.includes(job) && !has(job, "uses") && environment(job)[0] !== null) {
      add("environment-on-build-job", loaded.line("jobs", jobId, "environment"), "", undefined, { job: jobId, environment: environment(job)[0] });
    }
  }
}

function checkConcurrency(loaded, concurrency, path, jobs, add, ctx) {
  if (!isMap(concurrency) || pyStr(get(concurrency, "cancel-in-progress")).toLowerCase() !== "true") return;
  const on = triggers(loaded.data);
  const push = "push" in on ? on.push : false;
  const pushesTags = "push" in on && !(isMap(push) && (has(push, "branches") || has(push, "branches-ignore")) && !has(push, "tags"));
  const tagEvents = ["push", "release"].filter((e) => (e === "release" && "release" in on) || (e === "push" && pushesTags));
  const shared = !ctx.P.perRef.test(pyStr(or(get(concurrency, "group"), "")));
  const both = tagEvents.length === 2 && tagEvents.every((e) => jobs.some((j) => reaches(e, j, ctx.P)));
  if (shared || both) add("concurrency-cancels-publish", loaded.line(...path, "cancel-in-progress"), shared ? "shared" : "tag-and-release");
}

/** github._call: each job of a called workflow that uploads, with its uploads. */
function call(loaded, jobId, job, ctx, add) {
  const target = get(job, "uses");
  if (typeof target !== "string") return [];
  const line = loaded.line("jobs", jobId, "uses");
  const called = calledFile(job, ctx);
  if (!called) {
    const secrets = get(job, "secrets");
    const passes = secrets === "inherit" || /pypi/i.test(envText(secrets)) || grantsIdToken(loaded.data, job);
    const inputs = Object.entries(withOf(job)).filter(([, v]) => pyStr(v).toLowerCase() !== "false").map(([k]) => k).join(" ");
    const local = ["./", "$/", ...ctx.check.lists.otherOidc].some((p) => target.startsWith(p));
    if (!local && passes && ctx.P.publishingName.test(target.split("@")[0] + " " + inputs)) {
      add("reusable-workflow-publishing", line, "remote", undefined, { job: jobId, call: target });
    }
    return [];
  }
  ctx.called.add(called.file);
  const calledJobs = isMap(get(called.data, "jobs")) ? called.data.jobs : {};
  const calls = [];
  for (const [cid, cjob] of Object.entries(calledJobs)) {
    if (!isMap(cjob)) continue;
    const inner = stepUploads(called, ["jobs", cid], cjob, ctx, envText(get(called.data, "env")));
    manualExchange(stepItems(cjob).map(([i, s]) => [called, ["jobs", cid, "steps", i, "run"], run(s)]), inner, ctx);
    if (inner.length) {
      for (const u of inner) u.step = null;
      add("reusable-workflow-publishing", line, "", undefined, { called: called.file, job: cid });
      calls.push([{ workflow: called.data, jobId: cid }, inner]);
    }
  }
  return calls;
}

function checkTokenHolder(loaded, jobId, job, found, ctx, add) {
  const data = loaded.data;
  if (!grantsIdToken(data, job) || has(job, "uses")) return;
  const path = ["jobs", jobId];
  const own = has(job, "permissions");
  const grantLine = own && isMap(job.permissions) ? loaded.line(...path, "permissions", "id-token") : own ? loaded.line(...path, "permissions") : loaded.line("permissions", "id-token");
  const built = builds(loaded, path, job, ctx);
  if (built) {
    const [file, line] = built;
    const where = file !== loaded.file ? [file, line] : [loaded.file, grantLine];
    add("id-token-in-build-job", where[1], "builds", where[0], { job: jobId });
    return;
  }
  if (found.length || !own) return;
  const actions = steps(job).map((s) => uses(s)[0]);
  if (actions.some((a) => ctx.check.lists.otherOidc.some((p) => a.startsWith(p)))) return;
  if (actions.some((a) => a && !["actions/", "./", "docker://"].some((p) => a.startsWith(p)))) return;
  add("id-token-in-build-job", grantLine, "idle", undefined, { job: jobId });
}

function checkPublishingJob(loaded, jobId, job, found, calls, projects, ctx, add, onlyCalled) {
  const { P, check } = ctx;
  const called = calls.length ? calls[0][0] : null;
  const path = ["jobs", jobId];
  const jobLine = loaded.line(...path);
  const on = triggers(loaded.data);
  const [envName, envUrl] = environment(called ? called.workflow.jobs[called.jobId] : job);
  if (envName && envName !== envName.toLowerCase() && !P.expression.test(envName) && !called) add("environment-case", loaded.line(...path, "environment"), "", undefined, { environment: envName });
  if (envName === null && found.some((u) => isOidc(u, ctx)) && !called) add("no-environment", jobLine, "", undefined, { job: jobId });
  if (envUrl && ctx.project && projects.size <= 1) {
    const m = envUrl.match(P.projectUrl);
    if (m && !P.expression.test(m[1]) && canonicalize(m[1]) !== canonicalize(ctx.project)) add("dist-name-vs-project-name", loaded.line(...path, "environment"), "", undefined, { url_project: m[1], project: ctx.project });
  }
  const runsOn = pyStr(or(get(job, "runs-on"), ""));
  const strategy = get(job, "strategy");
  const matrix = isMap(strategy) ? get(strategy, "matrix") : undefined;
  if (found.some((u) => u.tool === check.publishAction) && !called && (P.nonLinux.test(runsOn) || (isMap(matrix) && P.nonLinux.test(pyStr(matrix)) && runsOn.includes("matrix")))) {
    add("non-linux-runner-for-action", loaded.line(...path, "runs-on"), "", undefined, { job: jobId, runner: runsOn });
  }
  if (matrixLegs(job) > 1 && !/matrix\./.test(pyStr(or(get(job, "if"), ""))) && !found.every((u) => /matrix\./.test(u.condition))) {
    add("publish-per-matrix-leg", loaded.line(...path, "strategy"), "", undefined, { job: jobId });
  }
  for (const [, group] of calls.length ? calls : [[null, found]]) {
    const seen = new Map();
    for (const u of group) {
      if (u.index === null) continue;
      if (seen.has(u.index)) add("publish-twice-in-one-job", u.line, "", u.file, { job: jobId, index: ctx.model.indexes[u.index].site, first: seen.get(u.index).line });
      else seen.set(u.index, u);
    }
  }
  for (const event of ["pull_request", "pull_request_target"]) {
    if (event in on && reaches(event, job, P)) add(event === "pull_request_target" ? "pull-request-target" : "publish-on-pull-request", loaded.line("on", event), "", undefined, { job: jobId });
  }
  checkRepeats(loaded, jobId, job, found, ctx, add);
  for (const u of found) if (u.index === INDEX.pypi && u.skipExisting) add("skip-existing-on-pypi", u.skipExisting, "", u.file);
  if ("push" in on && pushesBranches(on.push) && reaches("push", job, P) && envName === null) {
    const guarded = P.tagGuard.test(pyStr(or(get(job, "if"), "")));
    const pypi = found.filter((u) => u.index === INDEX.pypi && !P.tagGuard.test(u.condition));
    if (pypi.length && !guarded) add("publish-on-branch-push", loaded.line("on", "push"), "", undefined, { job: jobId });
  }
  for (const [i, step] of stepItems(job)) {
    const [action] = uses(step);
    if (!has(check.lists.caches, action)) continue;
    const flag = check.lists.caches[action];
    const value = flag ? get(withOf(step), flag) : true;
    if (value !== undefined && value !== null && value !== "" && value !== false && value !== 0 && pyStr(value).toLowerCase() !== "false") {
      add("cache-in-publish-job", flag ? loaded.line(...path, "steps", i, "with", flag) : loaded.line(...path, "steps", i), "", undefined, { job: jobId, action });
    }
  }
  checkConcurrency(loaded, get(job, "concurrency"), [...path, "concurrency"], [job], add, ctx);
  for (const [calledOne, group] of calls.length ? calls : [[null, found]]) checkUploads(loaded, jobId, job, group, calledOne, add, onlyCalled, ctx);
}

function checkRepeats(loaded, jobId, job, found, ctx, add) {
  const on = triggers(loaded.data);
  let repeated = repeats(on).filter((e) => reaches(e, job, ctx.P));
  if (!repeated.length && "workflow_dispatch" in on && reaches("workflow_dispatch", job, ctx.P)) {
    const tags = ("push" in on && !pushesBranches(on.push) && reaches("push", job, ctx.P)) || ("release" in on && reaches("release", job, ctx.P));
    repeated = tags ? [] : ["workflow_dispatch"];
  }
  const test = found.find((u) => u.index === INDEX.testpypi && !u.skipExisting);
  if (!repeated.length || !test) return;
  if (ctx.perCommitVersion === false) add("static-testpypi-version", test.line, "", test.file, { job: jobId, events: repeated.join(" and ") });
  else if (repeated.includes("push") && ctx.perCommitVersion) add("testpypi-without-skip-existing-on-every-push", test.line, "", test.file, { job: jobId });
}

function checkUploads(loaded, jobId, job, found, called, add, onlyCalled, ctx) {
  const data = loaded.data;
  const path = ["jobs", jobId];
  let jobGrants;
  if (!called) jobGrants = grantsIdToken(data, job);
  else {
    const inner = called.workflow.jobs[called.jobId];
    jobGrants = grantsIdToken(data, job) && (!declaresPermissions(called.workflow, inner) || grantsIdToken(called.workflow, inner));
  }
  const without = ctx.check.lists.withoutOidc;
  for (const u of found) {
    if (u.manual !== null) add("manual-token-exchange-hides-errors", u.manual[1], "", u.manual[0]);
    if (u.tool === "uv publish" && !u.token && !u.trustedAlways) add("uv-publish-automatic-mode", u.line, "", u.file);
    if (without.includes(u.tool)) add("publisher-tool-without-oidc", u.line, "", u.file, { tool: u.tool });
    if (u.token && u.username !== null && u.username.trim() !== "__token__") add("password-credentials", u.usernameLine || u.line, "", u.file, { username: u.username });
    else if (u.tool !== ctx.check.publishAction && u.token && u.manual === null && !without.includes(u.tool)) add(jobGrants ? "token-with-oidc" : "api-token-instead-of-oidc", u.line, "", u.file, { tool: u.tool });
    if (isOidc(u, ctx) && !jobGrants && u.index !== null && !onlyCalled) {
      const own = has(job, "permissions") || has(data, "permissions");
      const line = has(job, "permissions") ? loaded.line(...path, "permissions") : loaded.line(...path);
      add("missing-id-token-permission", line, "", undefined, { tool: u.tool, grant: own ? "lists permissions without" : "has no" });
    }
  }
}

export function validProject(name, model) {
  return isValidName(name || "your-project", model);
}

const KEEP = ["repository", "repository_owner", "job_workflow_ref", "workflow_ref", "environment", "ref", "event_name"];

/** github._reports: one entry per upload tool and index; `full` keeps the whole claims for the page. */
function jobReports(loaded, jobId, job, found, called, events, ctx, name) {
  const data = loaded.data;
  const on = triggers(data);
  const seen = new Set();
  const [envName] = environment(called ? called.workflow.jobs[called.jobId] : job);
  const reachable = events.filter((e) => reaches(e, job, ctx.P));
  const starts = reachable.length ? reachable : events;
  const out = [];
  const why = (key, fields) => ctx.why(key, fields);
  for (const upload of found) {
    if (upload.index === null || seen.has(`${upload.tool}\n${upload.index}`)) continue;
    seen.add(`${upload.tool}\n${upload.index}`);
    const index = upload.index;
    const claims = {};
    const full = {};
    let reason = null;
    let publisher = null;
    if (!ctx.repository) reason = why("no-repository");
    else if (ctx.check.lists.withoutOidc.includes(upload.tool)) reason = why("tool", { tool: upload.tool });
    else if (!isOidc(upload, ctx)) reason = why("token");
    else if (!starts.length) reason = why("no-trigger");
    else if (envName !== null && ctx.P.expression.test(envName)) reason = why("environment-expression", { environment: envName });
    else if (!validProject(ctx.project, ctx.model)) reason = why("project-name", { project: ctx.project });
    else {
      for (const event of starts) {
        let got;
        try {
          got = githubClaims(data, {
            workflowPath: loaded.file, jobId, repository: ctx.repository, audience: ctx.model.indexes[index].audience, issuer: ctx.model.issuers.github,
            trigger: { event, ref: refFor(event, get(on, event), ctx.check) }, called,
          });
        } catch (error) {
          if (!(error instanceof ModelError)) throw error;
          reason = error.message;
          continue;
        }
        if (got.clientError) {
          reason = why("no-token", { slug: got.clientError });
          continue;
        }
        claims[event] = Object.fromEntries(KEEP.filter((k) => k in got).map((k) => [k, got[k]]));
        full[event] = got;
      }
      const usable = Object.keys(claims).filter((e) => e !== "pull_request_target");
      if ("pull_request_target" in claims && !usable.length) reason = why("pull-request-target");
      else if (usable.length) {
        const form = checkedForm("github", full[usable[0]], githubFormValues(full[usable[0]], ctx.repository), index, ctx.repository, ctx.model);
        if (form.values) {
          publisher = form.values;
          reason = null;
        } else reason = why("pending", form.refused);
      }
    }
    out.push({ entry: { file: loaded.file, job: name, publishes_with: upload.tool, index, environment: envName, claims, publisher, why_no_publisher: reason }, full, kind: "github" });
  }
  return out;
}
