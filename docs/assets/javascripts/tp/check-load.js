// Reading the pasted files for the Check page, as src/tpsite/check/load.py and project.py read them
// in the command: a YAML file as plain data with the line of every key and item (a path key ->
// 1-based line), or a refusal with the reason; pyproject.toml as the keys the rules need.
//
// YAML is parsed by the `yaml` package (eemeli/yaml v2) and TOML by `smol-toml`, both served from
// the site (assets/javascripts/vendor/, copied from node_modules by macros.on_post_build). Their
// line positions come from yaml's LineCounter; aliases are counted before anything is built, and
// yaml's own maxAliasCount stays on as a second guard.

import { fill, pyStr } from "./check-text.js";

const VENDOR = new URL("../vendor/", import.meta.url);
let parsers = null;

/** The YAML and TOML parsers, or an Error saying they are not installed (run npm ci). */
export function loadParsers() {
  if (!parsers) {
    parsers = Promise.all([import(new URL("yaml/index.js", VENDOR).href), import(new URL("smol-toml/index.js", VENDOR).href)]).then(
      ([YAML, TOML]) => ({ YAML, TOML }),
      () => {
        parsers = null;
        throw new Error("The YAML parser is not installed on this copy of the site (run npm ci, then build the site again).");
      },
    );
  }
  return parsers;
}

export class Refused extends Error {}

const key = (path) => JSON.stringify(path);

/** A loaded file: data, lines, text, and line(...path) as Loaded.line in load.py. */
export class Loaded {
  constructor(file, data, lines, text) {
    this.file = file;
    this.data = data;
    this.lines = lines;
    this.text = text;
  }

  line(...path) {
    for (let n = path.length; n > 0; n--) {
      const found = this.lines.get(key(path.slice(0, n)));
      if (found !== undefined) return found;
    }
    return 1;
  }
}

function refuse(file, name, fields, T) {
  return new Refused(`${file}: ${fill(T.refused[name], fields)}`);
}

const thousands = (n) => n.toLocaleString("en-US");

/** A mapping key as load.py turns it into a string (Python's str of the scalar; `true` -> "on"). */
function keyText(node) {
  const value = node && typeof node === "object" && "value" in node ? node.value : node;
  if (value === true) return "on";
  return pyStr(value);
}

/** Count alias nodes in every document (load.py counts the parser's AliasEvents). */
function countAliases(YAML, docs) {
  let count = 0;
  for (const doc of docs) YAML.visit(doc, { Alias: () => void count++ });
  return count;
}

/**
 * A YAML text as Loaded, or throws Refused (load.py's load). `check` is check.json.
 */
export function loadYaml(file, text, YAML, check) {
  const T = check.texts;
  const limits = check.limits;
  if (new TextEncoder().encode(text).length > limits.bytes) {
    throw refuse(file, "too-large", { size: thousands([...text].length), limit: thousands(limits.bytes) }, T);
  }
  // The characters a YAML stream may not hold, as load.py refuses them (ruamel.yaml's NON_PRINTABLE).
  const bad = /[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/u.exec(text);
  if (bad) {
    const before = text.slice(0, bad.index);
    const line = (before.match(/\n/g) || []).length + 1;
    const column = bad.index - (before.lastIndexOf("\n") + 1) + 1;
    throw refuse(file, "not-yaml", { line, column, problem: `unacceptable character #x${bad[0].codePointAt(0).toString(16).padStart(4, "0")}` }, T);
  }
  const lineCounter = new YAML.LineCounter();
  const docs = YAML.parseAllDocuments(text, { lineCounter, uniqueKeys: true });
  const all = Array.isArray(docs) ? docs : [];
  for (const doc of all) {
    const error = doc.errors[0];
    if (error) {
      const at = error.linePos && error.linePos[0];
      const problem = String(error.message).split("\n")[0].replace(/ at line \d+, column \d+:?$/, "");
      if (at) throw refuse(file, "not-yaml", { line: at.line, column: at.col, problem }, T);
      throw refuse(file, "not-yaml-nowhere", { problem }, T);
    }
  }
  const aliases = countAliases(YAML, all);
  if (aliases > limits.aliases) throw refuse(file, "aliases", { count: aliases, limit: limits.aliases }, T);
  let document = all[0] ? all[0].contents : null;
  if (all.length > 1 && YAML.isMap(document) && document.items.length === 1 && keyText(document.items[0].key) === "spec") {
    document = all[1].contents; // GitLab: the inputs header, then the file's contents
  }
  if (document === null || document === undefined) throw refuse(file, "empty", {}, T);
  // yaml's own guard against an alias bomb (maxAliasCount), before anything of ours is built.
  for (const doc of all) {
    try {
      doc.toJS({ maxAliasCount: limits.aliases });
    } catch (error) {
      if (/Excessive alias count/.test(String(error && error.message))) throw refuse(file, "values", { limit: thousands(limits.values) }, T);
      throw refuse(file, "not-yaml-nowhere", { problem: String(error && error.message).split("\n")[0] }, T);
    }
  }
  const lines = new Map();
  const state = { left: limits.values, limits, file, T, YAML, doc: all[0], docs: all, lineCounter };
  const data = plain(document, [], lines, state);
  if (data === null || typeof data !== "object" || Array.isArray(data)) {
    const kind = typeof data === "boolean" ? "boolean" : typeof data === "number" ? "number" : Array.isArray(data) ? "list" : "text";
    throw refuse(file, "not-mapping", { kind }, T);
  }
  return new Loaded(file, data, lines, text);
}

function lineOf(node, state) {
  const offset = node && node.range ? node.range[0] : null;
  return offset === null ? undefined : state.lineCounter.linePos(offset).line;
}

function resolve(node, state) {
  const { YAML } = state;
  let seen = 0;
  while (YAML.isAlias(node)) {
    const docs = state.docs || [];
    node = node.resolve(state.doc) ?? docs.map((d) => node.resolve(d)).find(Boolean);
    if (++seen > 64 || node === undefined) return null;
  }
  return node;
}

/** load.py's _plain: dicts, lists, scalars; the line of each key and item; a budget of values. */
function plain(node, path, lines, state) {
  state.left -= 1;
  if (state.left < 0) throw refuse(state.file, "values", { limit: thousands(state.limits.values) }, state.T);
  const { YAML } = state;
  node = resolve(node, state);
  if (node === null || node === undefined) return null;
  if (YAML.isMap(node)) {
    const out = Object.create(null);
    const merges = [];
    for (const pair of node.items) {
      const k = keyText(pair.key);
      if (k === "<<" && pair.key && pair.key.value === "<<") {
        merges.push(pair.value);
        continue;
      }
      const line = lineOf(pair.key, state);
      if (line !== undefined) lines.set(key([...path, k]), line);
      out[k] = plain(pair.value, [...path, k], lines, state);
    }
    // Merge keys (`<<: *base`), as ruamel.yaml reads them: after the map's own keys, the first
    // source's keys first, none over a key already there; no line of their own.
    for (const merge of merges) {
      const sources = YAML.isSeq(resolve(merge, state)) ? resolve(merge, state).items : [merge];
      for (const source of sources) {
        const map = resolve(source, state);
        if (!YAML.isMap(map)) continue;
        for (const pair of map.items) {
          const k = keyText(pair.key);
          if (!(k in out)) out[k] = plain(pair.value, [...path, k], lines, state);
        }
      }
    }
    return out;
  }
  if (YAML.isSeq(node)) {
    return node.items.map((item, i) => {
      const line = lineOf(resolve(item, state) || item, state);
      if (line !== undefined) lines.set(key([...path, i]), line);
      return plain(item, [...path, i], lines, state);
    });
  }
  if (YAML.isScalar(node)) {
    const v = node.value;
    if (v === null || v === undefined || typeof v === "boolean" || typeof v === "number") return v ?? null;
    if (typeof v === "bigint") return Number(v);
    return String(v);
  }
  return null;
}

/** What the rules read from pyproject.toml (project.py's Project), or {refused}. */
export function readProject(text, TOML, check) {
  let data;
  try {
    data = TOML.parse(text);
  } catch (error) {
    return { refused: `pyproject.toml: ${fill(check.texts.refused["not-toml"], { problem: String(error.message).split("\n")[0] })}` };
  }
  return projectOf(data, text, check);
}

const isMap = (x) => x !== null && typeof x === "object" && !Array.isArray(x) && !(x instanceof Date);

function lineOfKey(text, table, name, P) {
  let current = "";
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const header = lines[i].match(P.tableHeader);
    if (header) current = header[1].trim();
    else if (current === table && new RegExp(`^\\s*${name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\s*=`).test(lines[i])) return i + 1;
  }
  return 1;
}

export function projectOf(data, text, check, P = compiled(check)) {
  const project = isMap(data.project) ? data.project : {};
  const name = typeof project.name === "string" ? project.name : null;
  const dynamic = Array.isArray(project.dynamic) ? project.dynamic : [];
  const version = project.version;
  const isStatic = typeof version === "string" && !dynamic.includes("version");
  const build = isMap(data["build-system"]) ? data["build-system"] : {};
  const requires = Array.isArray(build.requires) ? build.requires.filter((r) => typeof r === "string").join(" ") : "";
  const m = requires.match(P.hatchling);
  const tool = isMap(data.tool) ? data.tool : {};
  const hatchSource = isMap(tool.hatch) && isMap(tool.hatch.version) ? tool.hatch.version.source : null;
  const pdmSource = isMap(tool.pdm) && isMap(tool.pdm.version) ? tool.pdm.version.source : null;
  const perCommit = P.vcsPlugins.test(requires) || "setuptools_scm" in tool || hatchSource === "vcs" || pdmSource === "scm";
  const uv = tool.uv;
  const indexes = isMap(uv) && Array.isArray(uv.index) ? uv.index : [];
  const found = {
    name,
    perCommitVersion: perCommit && !isStatic,
    metadataVersion: m && Number(m[1]) >= 32 ? "2.5" : null,
    uvIndexes: Object.fromEntries(indexes.filter((i) => isMap(i) && "name" in i && "publish-url" in i).map((i) => [pyStr(i.name), pyStr(i["publish-url"])])),
    releaseFindings: [],
  };
  if (isStatic && String(version).includes("+")) {
    found.releaseFindings.push({ id: "local-version", file: "pyproject.toml", line: lineOfKey(text, "project", "version", P), message: fill(check.texts.messages["local-version"][""], { version }) });
  }
  return found;
}

const cache = new WeakMap();

/** check.json's patterns as RegExps (the same sources Python's re compiles). */
export function compiled(check) {
  if (!cache.has(check)) {
    const out = {};
    for (const [name, [source, flags]] of Object.entries(check.patterns)) out[name] = new RegExp(source, flags);
    out.commands = check.commands.map(([tool, source]) => [tool, new RegExp(source, "g")]);
    cache.set(check, out);
  }
  return cache.get(check);
}
