// Rules on the steps of a GitHub job and on a workflow's triggers: the port of
// src/tpsite/check/steps.py and triggers.py. Findings go through add(id, line, variant, file, fields).

import { falsy, get, has, isMap, or, pyStr } from "./check-text.js";
import { bundledTwine, commentAfter, compare, key, localAction, readsMetadata, run, stepItems, steps, uses, versionOf, withOf } from "./check-uploads.js";

const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

// ---- triggers.py ----

export function triggers(data) {
  const on = get(data, "on");
  if (typeof on === "string") return { [on]: null };
  if (Array.isArray(on)) return Object.fromEntries(on.map((e) => [pyStr(e), null]));
  if (isMap(on)) return { ...on };
  return {};
}

export function reaches(event, job, P) {
  const cond = pyStr(or(get(job, "if"), ""));
  if (new RegExp(`!=\\s*'${escape(event)}'`).test(cond)) return false;
  if (!cond || new RegExp(`\\b${escape(event)}\\b`).test(cond)) return true;
  if (P.releaseOnly.test(cond)) return event === "release";
  if (P.tagRef.test(cond)) return event === "push" || event === "release";
  return !P.narrowing.test(cond);
}

export function refFor(event, config, check) {
  if (event === "push" && isMap(config) && (has(config, "branches") || has(config, "branches-ignore")) && !has(config, "tags") && !has(config, "tags-ignore")) {
    return "refs/heads/main";
  }
  return check.refs[event];
}

export function pushesBranches(config) {
  if (!isMap(config)) return true;
  return has(config, "branches") || has(config, "branches-ignore") || (!has(config, "tags") && !has(config, "tags-ignore"));
}

export function repeats(on) {
  const found = ["schedule"].filter((e) => e in on);
  if ("push" in on && pushesBranches(on.push)) found.unshift("push");
  return found;
}

export function checkReleaseTypes(loaded, add, ctx) {
  const on = triggers(loaded.data);
  if (!("release" in on)) return;
  const config = on.release;
  const types = isMap(config) ? get(config, "types") : undefined;
  if (types === undefined || types === null) {
    add("release-all-activity-types", loaded.line("on", "release"));
    return;
  }
  const known = ctx.check.lists.releaseTypes;
  const listed = Array.isArray(types) ? types.map(pyStr) : [pyStr(types)];
  const unknown = listed.filter((t) => !known.includes(t));
  if (unknown.length) add("invalid-trigger-type", loaded.line("on", "release", "types"), "", undefined, { types: unknown.join(", "), known: known.join(", ") });
  if (listed.includes("created") && !listed.includes("published")) add("release-created-trigger", loaded.line("on", "release", "types"));
}

// ---- steps.py ----

export function grants(permissions, scope) {
  if (permissions === "write-all") return true;
  return isMap(permissions) && get(permissions, scope) === "write";
}

/** steps.artifacts: [names uploaded, whether that is all of them]. */
export function artifacts(data, ctx) {
  const names = new Set();
  let complete = true;
  const jobs = isMap(get(data, "jobs")) ? data.jobs : {};
  for (const job of Object.values(jobs)) {
    if (!isMap(job)) continue;
    if (has(job, "uses")) complete = false;
    for (const step of steps(job)) {
      const [action] = uses(step);
      if (action === "actions/upload-artifact") {
        const name = get(withOf(step), "name");
        if (name === undefined || name === null || ctx.P.expression.test(pyStr(name))) complete = false;
        else names.add(pyStr(name));
      } else if (action && !["actions/", "./", "docker://", ctx.check.publishAction].some((p) => action.startsWith(p))) {
        complete = false;
      } else if (action.startsWith("./")) {
        const composite = localAction(ctx.load, action);
        if (!composite || composite.text.includes("upload-artifact")) complete = false;
      }
    }
  }
  return [names, complete];
}

function tokenIsGithubToken(step, action, P) {
  const env = isMap(get(step, "env")) ? step.env : {};
  let given;
  if (action) {
    const w = withOf(step);
    given = has(w, "token") ? w.token : has(w, "github_token") ? w.github_token : get(w, "repo_token");
    given = given !== undefined && given !== null ? given : get(env, "GITHUB_TOKEN");
  } else {
    given = has(env, "GH_TOKEN") ? env.GH_TOKEN : get(env, "GITHUB_TOKEN");
  }
  return given === undefined || given === null || P.githubToken.test(pyStr(given));
}

export function createsRelease(step, ctx) {
  const [action] = uses(step);
  if (ctx.check.lists.releaseActions.includes(action)) {
    const draft = has(withOf(step), "draft") ? withOf(step).draft : "false";
    return tokenIsGithubToken(step, action, ctx.P) && pyStr(draft).toLowerCase() !== "true";
  }
  const text = run(step);
  return ctx.P.ghReleaseCreate.test(text) && !text.includes("--draft") && tokenIsGithubToken(step, "", ctx.P);
}

/** steps.check_steps. */
export function checkSteps(loaded, path, job, jobGrants, uploaded, publishes, ctx, add) {
  const { P, check } = ctx;
  const items = stepItems(job);
  const publishAt = items.find(([, s]) => uses(s)[0] === check.publishAction)?.[0] ?? null;
  const on = triggers(loaded.data);
  const [names, complete] = uploaded;
  for (const [i, step] of items) {
    const [action, ref] = uses(step);
    const at = [...path, "steps", i];
    const usesLine = loaded.line(...at, "uses");
    const w = withOf(step);
    if (action === "actions/upload-artifact" || action === "actions/download-artifact") {
      const version = versionOf(ref, commentAfter(loaded, usesLine, P), ctx);
      if (version !== null && key(version)[0] <= 3) add("deprecated-artifact-action-v3", usesLine, "", undefined, { action, ref });
    }
    if (action === "actions/download-artifact") {
      const name = pyStr(or(get(w, "name"), ""));
      if (name && !P.expression.test(name) && complete && names.size && !names.has(name)) {
        add("artifact-name-mismatch", usesLine, "", undefined, { name, names: [...names].sort().join(", ") });
      }
      const merge = has(w, "merge-multiple") ? w["merge-multiple"] : "false";
      if (!falsy(get(w, "pattern")) && pyStr(merge).toLowerCase() !== "true" && publishAt !== null) add("merge-multiple-misuse", usesLine);
    }
    if (action === check.publishAction) checkAction(loaded, at, step, ref, usesLine, jobGrants, ctx, add);
    const stepLine = action ? usesLine : loaded.line(...at, "run");
    if (publishAt !== null && i < publishAt && (action.startsWith("sigstore/gh-action-sigstore-python") || P.intoDist.test(run(step)))) {
      add("non-distribution-file-in-packages-dir", stepLine);
    }
    const releaseAction = check.lists.releaseActions.includes(action);
    if ((P.ghRelease.test(run(step)) || releaseAction) && tokenIsGithubToken(step, releaseAction ? action : "", P)) {
      const perms = has(job, "permissions") ? job.permissions : get(loaded.data, "permissions");
      if (perms !== undefined && perms !== null && !grants(perms, "contents")) add("missing-contents-write-for-release", stepLine);
    }
    if (action === "actions/checkout") {
      const ref_ = pyStr(or(get(w, "ref"), ""));
      if ("pull_request_target" in on && P.prHead.test(ref_) && jobGrants) add("untrusted-checkout-in-privileged-job", loaded.line(...at, "with", "ref"));
      if ("workflow_dispatch" in on && /inputs\./.test(ref_) && publishes) add("closed-release-upload", loaded.line(...at, "with", "ref"));
    }
  }
}

function checkAction(loaded, at, step, ref, usesLine, jobGrants, ctx, add) {
  const w = withOf(step);
  const A = ctx.check.actions;
  const action = ctx.check.publishAction;
  if (A.absentRefs.includes(ref)) add("unresolvable-or-removed-action-ref", usesLine, "", undefined, { action, ref });
  const version = versionOf(ref, commentAfter(loaded, usesLine, ctx.P), ctx);
  if (version !== null) {
    const [low, high] = A.vulnerable;
    if (compare(low, version) <= 0 && compare(version, high) <= 0) add("vulnerable-action-version", usesLine, "", undefined, { action, version });
    if (compare(version, A.trustedPublishingSince) < 0) add("outdated-action-version", usesLine, "", undefined, { action, version, since: A.trustedPublishingSince });
    const twine = bundledTwine(version, ctx);
    if (twine) {
      for (const metadata of [...new Set(["2.4", ctx.metadataVersion || "2.4"])]) {
        if (!readsMetadata(twine, metadata)) {
          const shown = twine.startsWith("<") ? "a twine older than 6.1.0" : `twine ${twine}`;
          add("action-bundled-twine-too-old", usesLine, "", undefined, { action, version, twine: shown, metadata });
          break;
        }
      }
    }
  }
  const deprecated = Object.keys(w).filter((k) => A.deprecatedInputs.includes(k));
  if (deprecated.length) add("deprecated-action-input", loaded.line(...at, "with", deprecated[0]), "", undefined, { input: deprecated[0], action, dashed: deprecated[0].replace(/_/g, "-") });
  if (!falsy(get(w, "password"))) {
    const where = loaded.line(...at, "with", "password");
    add(jobGrants ? "token-with-oidc" : "api-token-instead-of-oidc", where, "password");
  }
}

export function matrixLegs(job) {
  const strategy = get(job, "strategy");
  const matrix = isMap(strategy) ? get(strategy, "matrix") : undefined;
  if (matrix === undefined || matrix === null) return 1;
  if (!isMap(matrix)) return 2;
  const axes = Object.entries(matrix).filter(([k]) => k !== "include" && k !== "exclude").map(([, v]) => v);
  if (!axes.length) return Array.isArray(get(matrix, "include")) ? matrix.include.length : 2;
  return axes.reduce((legs, value) => legs * (Array.isArray(value) ? value.length : 2), 1);
}

export function checkArtifactNames(loaded, add, ctx) {
  const jobs = isMap(get(loaded.data, "jobs")) ? loaded.data.jobs : {};
  const first = new Map();
  for (const [jobId, job] of Object.entries(jobs)) {
    if (!isMap(job)) continue;
    const matrix = matrixLegs(job) > 1;
    for (const [i, step] of stepItems(job)) {
      const w = withOf(step);
      if (uses(step)[0] !== "actions/upload-artifact" || pyStr(has(w, "overwrite") ? w.overwrite : "false").toLowerCase() === "true") continue;
      const name = has(w, "name") ? w.name : "artifact";
      if (ctx.P.expression.test(pyStr(name))) continue;
      const where = has(w, "name") ? loaded.line("jobs", jobId, "steps", i, "with", "name") : loaded.line("jobs", jobId, "steps", i, "uses");
      if (matrix) add("artifact-name-reused", where, "matrix", undefined, { job: jobId, name });
      else if (first.has(pyStr(name)) && first.get(pyStr(name)) !== jobId) add("artifact-name-reused", where, "jobs", undefined, { other: first.get(pyStr(name)), name });
      if (!first.has(pyStr(name))) first.set(pyStr(name), jobId);
    }
  }
}
