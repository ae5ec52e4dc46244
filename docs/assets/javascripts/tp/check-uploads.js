// Which steps of a job upload, with what, to which index, and how they authenticate: the port of
// src/tpsite/check/uploads.py and actions.py (the PyPA action's releases). Patterns, lists and the
// release table come from check.json; `ctx` carries it as ctx.check and its RegExps as ctx.P.

import { falsy, get, isMap, or, pyStr } from "./check-text.js";

export const INDEX = { pypi: "pypi", testpypi: "testpypi" };

export function stepItems(job) {
  const found = get(job, "steps");
  return Array.isArray(found) ? found.map((s, i) => [i, s]).filter(([, s]) => isMap(s)) : [];
}

export const steps = (job) => stepItems(job).map(([, s]) => s);

export function run(step) {
  const value = get(step, "run");
  return typeof value === "string" ? value : "";
}

export function uses(step) {
  const value = get(step, "uses");
  const text = typeof value === "string" ? value : "";
  const at = text.indexOf("@");
  return at < 0 ? [text, ""] : [text.slice(0, at), text.slice(at + 1)];
}

export function withOf(step) {
  const value = get(step, "with");
  return isMap(value) ? value : {};
}

export function envText(...envs) {
  return envs
    .filter(isMap)
    .flatMap((env) => Object.entries(env).map(([k, v]) => `${k}=${pyStr(v)}`))
    .join(" ");
}

export const truthy = (value) => pyStr(value).trim().toLowerCase() === "true";

const search = (re, text) => text.match(new RegExp(re.source, re.flags.replace("g", "")));

/** uploads.index_of: "testpypi", "pypi", or null for another index. */
export function indexOf(text, P, indexes = null) {
  const m = search(P.indexName, text);
  if (m && indexes && Object.prototype.hasOwnProperty.call(indexes, m[1])) return indexOf(indexes[m[1]], P);
  if (m && m[1].toLowerCase() === "pypi") return INDEX.pypi;
  if (P.testpypi.test(text)) return INDEX.testpypi;
  if (P.otherIndex.test(text) && !text.includes("pypi.org")) return null;
  return INDEX.pypi;
}

export function commentAfter(loaded, line, P) {
  const lines = loaded.text.split("\n");
  if (line > 0 && line <= lines.length) {
    const m = search(P.versionComment, lines[line - 1]);
    if (m) return m[1];
  }
  return "";
}

// ---- actions.py: the action's releases ----

export function key(version) {
  const m = /^v?(\d+(?:\.\d+)*)/.exec(String(version));
  return m ? m[1].split(".").map(Number) : [0];
}

/** Versions compared as Python compares their release tuples ((1, 8) < (1, 8, 0)). */
export function compare(a, b) {
  const x = key(a);
  const y = key(b);
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    if (x[i] !== y[i]) return x[i] - y[i];
  }
  return x.length - y.length;
}

/** actions.version_of: a ref like v1.12.4, else the comment after a SHA, else the SHA's tag. */
export function versionOf(ref, comment, ctx) {
  for (const text of [ref, comment]) {
    const m = search(ctx.P.version, text.trim());
    if (m) return m[1];
  }
  const found = ctx.check.actions.releases[ref.trim().toLowerCase()];
  return found ? found.version : null;
}

/** actions.bundled_twine. */
export function bundledTwine(version, ctx) {
  const A = ctx.check.actions;
  const releases = Object.values(A.releases);
  const found = releases.find((r) => compare(r.version, version) === 0);
  if (found) return found.twine;
  for (const [since, twine] of A.newerTwine) if (compare(version, since) >= 0) return twine;
  const newest = releases.reduce((a, r) => (compare(r.version, a) > 0 ? r.version : a), "0");
  return compare(version, newest) > 0 ? "<6.1.0" : null;
}

export function readsMetadata(twine, metadata) {
  const needed = { "2.4": "6.1", "2.5": "7.0" }[metadata];
  if (!needed) return true;
  return !twine.startsWith("<") && compare(twine, needed) >= 0;
}

export function actionVersion(loaded, path, step, ctx) {
  const [, ref] = uses(step);
  return versionOf(ref, commentAfter(loaded, loaded.line(...path, "uses"), ctx.P), ctx);
}

// ---- uploads ----

export function commandLine(loaded, path, text, at, P) {
  const line = loaded.line(...path);
  const lines = loaded.text.split("\n");
  const block = line > 0 && line <= lines.length && P.blockScalar.test(lines[line - 1]);
  return line + (text.slice(0, at).match(/\n/g) || []).length + (block ? 1 : 0);
}

export function localAction(load, action) {
  const folder = action.replace(/^\.\//, "").replace(/\/+$/, "");
  return load(`${folder}/action.yml`) || load(`${folder}/action.yaml`);
}

const unquote = (s) => s.replace(/^["']+|["']+$/g, "");

function username(command, env, ctx) {
  const m = search(ctx.P.usernameOption, command);
  if (m) {
    const value = unquote(m[1]);
    const v = search(ctx.P.shellVariable, value);
    return v && Object.prototype.hasOwnProperty.call(env, v[1]) ? pyStr(env[v[1]]) : value;
  }
  for (const name of ctx.check.lists.usernameVariables) if (Object.prototype.hasOwnProperty.call(env, name)) return pyStr(env[name]);
  return null;
}

function usernameLine(loaded, path, command, env, line, ctx) {
  const m = search(ctx.P.usernameOption, command);
  const v = m ? search(ctx.P.shellVariable, unquote(m[1])) : null;
  const has = (n) => Object.prototype.hasOwnProperty.call(env, n);
  const name = v && has(v[1]) ? v[1] : m ? null : ctx.check.lists.usernameVariables.find(has) || null;
  return name ? loaded.line(...path, "env", name) : line;
}

function upload(fields) {
  return { skipExisting: 0, username: null, usernameLine: 0, trustedAlways: false, manual: null, condition: "", text: "", version: null, ...fields };
}

export function isOidc(u, ctx) {
  return (!u.token || u.manual !== null) && !ctx.check.lists.withoutOidc.includes(u.tool);
}

/** uploads.command_uploads. */
export function commandUploads(loaded, path, text, env, outerEnv, step, ctx, condition = "") {
  const found = [];
  const P = ctx.P;
  for (const [tool, pattern] of P.commands) {
    for (const m of text.matchAll(pattern)) {
      const start = text.lastIndexOf("\n", m.index - 1) + 1;
      let end = text.indexOf("\n", m.index + m[0].length);
      let command = text.slice(start, end < 0 ? text.length : end);
      while (command.trimEnd().endsWith("\\") && end >= 0) {
        const next = text.indexOf("\n", end + 1);
        command += "\n" + text.slice(end + 1, next < 0 ? text.length : next);
        end = next;
      }
      if (command.includes("--dry-run")) continue;
      const environment = envText(env) + " " + outerEnv;
      const token = P.token.test(command) || P.token.test(environment);
      const line = commandLine(loaded, path, text, m.index, P);
      const name = username(command, env, ctx);
      found.push(
        upload({
          step, tool, index: indexOf(command + " " + environment, P, ctx.indexes), token, file: loaded.file, line,
          skipExisting: P.skipExisting.test(command) ? line : 0,
          username: name,
          usernameLine: name !== null ? usernameLine(loaded, path.slice(0, -1), command, env, line, ctx) : 0,
          trustedAlways: P.trustedAlways.test(command + " " + environment),
          condition, text: `${command} ${environment}`,
        }),
      );
    }
  }
  return found;
}

/** uploads.step_uploads. */
export function stepUploads(loaded, path, job, ctx, outerEnv = "", depth = 0) {
  const found = [];
  const outer = envText(get(job, "env")) + " " + outerEnv;
  const { publishAction, maturinAction } = ctx.check;
  for (const [i, step] of stepItems(job)) {
    const [action] = uses(step);
    const at = [...path, "steps", i];
    const condition = pyStr(or(get(step, "if"), ""));
    const w = withOf(step);
    if (action === publishAction) {
      const url = pyStr(or(or(get(w, "repository-url"), get(w, "repository_url")), ""));
      const skip = "skip-existing" in w ? "skip-existing" : "skip_existing";
      const user = get(w, "user");
      found.push(
        upload({
          step: i, tool: publishAction, index: url ? indexOf(url, ctx.P) : INDEX.pypi, token: !falsy(get(w, "password")), file: loaded.file, line: loaded.line(...at, "uses"),
          version: actionVersion(loaded, at, step, ctx),
          skipExisting: truthy(get(w, skip)) ? loaded.line(...at, "with", skip) : 0,
          username: user !== undefined && user !== null ? pyStr(user) : null,
          usernameLine: user !== undefined && user !== null ? loaded.line(...at, "with", "user") : 0,
          condition,
        }),
      );
    } else if (action === maturinAction && ["upload", "publish"].includes(pyStr(or(get(w, "command"), "")))) {
      const args = pyStr(or(get(w, "args"), ""));
      const environment = envText(get(step, "env")) + " " + outer;
      found.push(upload({ step: i, tool: "maturin upload", index: indexOf(args, ctx.P, ctx.indexes), token: ctx.P.token.test(args + " " + environment), file: loaded.file, line: loaded.line(...at, "uses"), condition, text: args }));
    } else if (action.startsWith("./") && depth < ctx.check.limits.depth) {
      const composite = localAction(ctx.load, action);
      const runs = composite ? get(composite.data, "runs") : undefined;
      if (composite && isMap(runs)) {
        for (const u of stepUploads(composite, ["runs"], runs, ctx, envText(get(step, "env")) + " " + outer, depth + 1)) {
          u.step = i;
          u.condition = u.condition || condition;
          found.push(u);
        }
      }
    }
    const text = run(step);
    if (text) {
      const env = isMap(get(step, "env")) ? get(step, "env") : {};
      found.push(...commandUploads(loaded, [...at, "run"], text, env, outer, i, ctx, condition));
    }
  }
  return found;
}

/** uploads.builds: [file, line] of the first step that builds, or null. */
export function builds(loaded, path, job, ctx, depth = 0) {
  for (const [i, step] of stepItems(job)) {
    const [action] = uses(step);
    const at = [...path, "steps", i];
    const m = search(ctx.P.build, run(step));
    if (m) return [loaded.file, commandLine(loaded, [...at, "run"], run(step), m.index, ctx.P)];
    if (ctx.check.lists.buildActions.includes(action) || (action === ctx.check.maturinAction && pyStr(or(get(withOf(step), "command"), "build")) === "build")) {
      return [loaded.file, loaded.line(...at, "uses")];
    }
    if (action.startsWith("./") && depth < ctx.check.limits.depth) {
      const composite = localAction(ctx.load, action);
      const runs = composite ? get(composite.data, "runs") : undefined;
      if (composite && isMap(runs)) {
        const inner = builds(composite, ["runs"], runs, ctx, depth + 1);
        if (inner) return inner;
      }
    }
  }
  return null;
}

/** uploads.manual_exchange: uploads whose token is minted by hand from the OIDC token. */
export function manualExchange(texts, found, ctx) {
  for (const [loaded, path, text] of texts) {
    const m = search(ctx.P.mint, text);
    if (m) {
      const where = [loaded.file, commandLine(loaded, path, text, m.index, ctx.P)];
      for (const u of found) if (u.token) u.manual = where;
      return;
    }
  }
}
