// Reading a pasted CI log: cleaning it, the OIDC claims the clients print, the index and the tool,
// each with the line it was read from. The port of src/tpsite/diagnosis/read.py, which is the
// truth: tests/data/vectors/diagnosis.json (computed there) checks this module in Chromium.
// Pure functions, no DOM.

// Above this many characters only the end of the paste is read (errors come last in a log).
export const MAX_CHARS = 32 * 1024 * 1024;
// A claim value longer than this is not a claim (and would make the matching slow).
const MAX_VALUE = 4096;

// Every claim a dump of gh-action-pypi-publish, uv or a decoded token can show.
export const CLAIM_NAMES = [
  "sub", "repository", "repository_owner", "repository_owner_id", "repository_id",
  "workflow_ref", "job_workflow_ref", "ref", "ref_type", "sha", "environment",
  "event_name", "workflow", "job_workflow_sha", "workflow_sha", "runner_environment",
  "iss", "aud", "jti", "actor",
  // GitLab
  "project_path", "namespace_path", "ci_config_ref_uri", "ci_config_sha", "ref_path",
  "pipeline_source", "project_id", "namespace_id",
];
const CLAIMS = new Set(CLAIM_NAMES);

const ANSI = /\x1b\[[0-?]*[ -\/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]/g;
const TIMESTAMP = /^\uFEFF?\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z(?: \d\d[OE]\+?)? ?/;
const GITLAB_SECTION = /section_(?:start|end):\d+:[\w.-]+(?:\[[^\]\n]*\])?/g;
const LINE_LINK = /\[(\d+)\]\(https:\/\/github\.com\/[^)\s]*?#step:\d+:\d+\)/g;
const COMMAND = /^(?:##\[(?:error|warning|notice|debug|group|endgroup|command|section)\]|::(?:error|warning|notice|debug)(?: [^:]*)?::|::(?:group|endgroup)::)/;
const CONTROL = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffd]/g;
const QUOTE = /^(?:\s*>\s?)+/;

function controls(text) {
  const end = Math.min(text.length, 65536);
  let n = 0;
  for (let i = 0; i < end; i++) {
    const c = text.charCodeAt(i);
    if ((c < 32 && c !== 9 && c !== 10 && c !== 13 && c !== 27) || c === 0xfffd || c === 127) n++;
  }
  return { n, of: end };
}

function countNewlines(text, end) {
  let n = 0;
  for (let i = text.indexOf("\n"); i !== -1 && i < end; i = text.indexOf("\n", i + 1)) n++;
  return n;
}

/**
 * The paste as plain lines, each with the number of the pasted line it came from: ANSI colours,
 * timestamps, workflow-command prefixes, GitLab section markers, web-UI line links, quoting and
 * CRLF removed; `%0A` in `::error::` lines decoded into lines of their own.
 * Returns {lines, numbers, notes, text}.
 */
export function clean(raw) {
  const notes = [];
  let text = typeof raw === "string" ? raw : "";
  let skipped = 0;
  if (text.length > MAX_CHARS) {
    notes.push({ code: "truncated", detail: `The paste has ${text.length.toLocaleString("en")} characters; only the last ${MAX_CHARS.toLocaleString("en")} were read.` });
    skipped = countNewlines(text, text.length - MAX_CHARS);
    text = text.slice(text.length - MAX_CHARS);
  }
  const c = controls(text);
  if (c.of > 0 && c.n / c.of > 0.05) notes.push({ code: "binary", detail: "Part of the paste is not text (control characters or invalid bytes); they were ignored." });
  if (text.indexOf("\x1b") !== -1) text = text.replace(ANSI, "");
  if (text.indexOf("\r") !== -1) text = text.replace(/\r\n?/g, "\n");
  if (text.indexOf("section_") !== -1) text = text.replace(GITLAB_SECTION, "");
  if (/[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffd]/.test(text)) text = text.replace(CONTROL, "");
  if (text.indexOf("#step:") !== -1) text = text.replace(LINE_LINK, "$1");
  const lines = [];
  const numbers = [];
  const raw_ = text.split("\n");
  for (let i = 0; i < raw_.length; i++) {
    let line = raw_[i];
    const first = line.charAt(0);
    if ((first >= "0" && first <= "9") || first === "\uFEFF") line = line.replace(TIMESTAMP, "");
    if (line.startsWith(">") || line.startsWith(" >")) line = line.replace(QUOTE, "");
    const command = line.charAt(0) === "#" || line.charAt(0) === ":" ? COMMAND.exec(line) : null;
    if (command) {
      const kind = command[0];
      line = line.slice(kind.length);
      if (kind.includes("error")) line = "Error: " + line;
      else if (kind.includes("warning")) line = "Warning: " + line;
      if (line.indexOf("%0A") !== -1 || line.indexOf("%0D") !== -1) line = line.replace(/%0D/g, "").replace(/%0A/g, "\n").replace(/%25/g, "%");
    }
    for (const part of line.split("\n")) {
      lines.push(part);
      numbers.push(skipped + i + 1);
    }
  }
  return { lines, numbers, notes, text: lines.join("\n") };
}

/** Whitespace folded to single spaces: line breaks from a console's width no longer matter. */
export function flatten(text) {
  return text.replace(/\s+/g, " ");
}

/** The index of the cleaned line holding a character offset of `cleaned.text`. */
export function lineOf(cleaned, offset) {
  return countNewlines(cleaned.text, offset);
}

function unquote(value) {
  value = value.replace(/^[ \t\n\r\v\f\xa0\uFEFF]+|[ \t\n\r\v\f\xa0\uFEFF]+$/g, "");
  if (value.length > MAX_VALUE) return null;
  if (/^"(?:[^"\\]|\\.)*"$/s.test(value)) {
    try {
      const decoded = JSON.parse(value);
      return typeof decoded === "string" ? decoded : value.slice(1, -1);
    } catch {
      return value.slice(1, -1);
    }
  }
  return value;
}

const ACTION_CLAIM = /^\s*(?:[*\-•]\s+)?`([a-z_]+)`\s*:\s*`([^`]*)`\s*$/;
const PLAIN_CLAIM = /^\s*[*\-•]\s+([a-z_]+):\s+(\S+)\s*$/;

function actionDumps(lines) {
  const dumps = [];
  let current = null;
  let last = -2;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line.length > MAX_VALUE || line.indexOf(":") === -1) continue;
    const m = ACTION_CLAIM.exec(line) || PLAIN_CLAIM.exec(line);
    if (!m || !CLAIMS.has(m[1])) continue;
    if (!current || i - last > 2) {
      current = { format: "gh-action", claims: {}, missing: [], line: i, struct: "" };
      dumps.push(current);
    }
    last = i;
    if (m[2] === "MISSING") current.missing.push(m[1]);
    else current.claims[m[1]] = m[2];
  }
  return dumps;
}

const UV_START = /\b(OidcTokenClaims|GitHubTokenClaims|GitLabTokenClaims)\s*\{(.*)$/;
const UV_FIELD = /^\s*([a-z_]+):\s*(.*?),?\s*\}?\s*\)?,?\s*$/;

function uvDumps(lines) {
  const dumps = [];
  let i = 0;
  while (i < lines.length) {
    const start = UV_START.exec(lines[i]);
    if (!start) {
      i++;
      continue;
    }
    const dump = { format: "uv", claims: {}, missing: [], line: i, struct: start[1] };
    const body = [];
    if (start[2].trim()) body.push(...start[2].split(/,\s+(?=[a-z_]+:)/));
    let j = i + 1;
    while (j < lines.length && j < i + 40 && body.length < 60) {
      if (/^\s*\}/.test(lines[j])) break;
      body.push(lines[j]);
      j++;
    }
    let k = 0;
    while (k < body.length) {
      const m = UV_FIELD.exec(body[k]);
      if (!m || !CLAIMS.has(m[1])) {
        k++;
        continue;
      }
      let value = m[2];
      if (value === "None") {
        dump.missing.push(m[1]);
        k++;
        continue;
      }
      const some = /^Some\((.*?)\)?$/s.exec(value);
      if (some) {
        value = some[1];
        if (!value.trim() && k + 1 < body.length) value = body[++k].replace(/,\s*$/, "");
      }
      value = unquote(value.replace(/,\s*$/, ""));
      if (value !== null) dump.claims[m[1]] = value;
      k++;
    }
    dumps.push(dump);
    i = j + 1;
  }
  return dumps;
}

function jsonDumps(text) {
  if (text.indexOf('"sub"') === -1 && text.indexOf('"job_workflow_ref"') === -1 && text.indexOf('"project_path"') === -1) return [];
  const claims = {};
  const re = /"([a-z_]+)"\s*:\s*("(?:[^"\\\n]|\\.){0,4096}"|null)/g;
  let m;
  let count = 0;
  while ((m = re.exec(text)) && count++ < 500) {
    if (!CLAIMS.has(m[1]) || m[2] === "null") continue;
    try {
      const value = JSON.parse(m[2]);
      if (typeof value === "string") claims[m[1]] = value;
    } catch {
      /* not JSON after all */
    }
  }
  const n = Object.keys(claims).filter((k) => k !== "aud" && k !== "iss").length;
  return n >= 2 ? [{ format: "json", claims, missing: [], line: -1, struct: "" }] : [];
}

/** A dump cut to one line still counts when that line is unmistakably a token's subject or workflow. */
function telling(claims) {
  const sub = typeof claims.sub === "string" ? claims.sub : "";
  const ref = typeof claims.job_workflow_ref === "string" ? claims.job_workflow_ref : "";
  return sub.startsWith("repo:") || sub.startsWith("project_path:") || ref.includes("/.github/workflows/");
}

/**
 * The claims the log shows, from its last dump (a re-run appends a new one): null, or
 * {format, claims, missing, inferred, line} (line: index of the dump's first cleaned line, -1 for JSON).
 */
export function parseClaims(cleaned) {
  const dumps = [...actionDumps(cleaned.lines), ...uvDumps(cleaned.lines), ...jsonDumps(cleaned.text)].filter(
    (d) => Object.keys(d.claims).length + d.missing.length >= 2 || telling(d.claims),
  );
  if (!dumps.length) return null;
  dumps.sort((a, b) => a.line - b.line);
  const dump = dumps[dumps.length - 1];
  const format =
    dump.format === "gh-action"
      ? "workflow_ref" in dump.claims || dump.missing.includes("workflow_ref") ? "gh-action-8" : "gh-action-6"
      : dump.format === "uv" ? `uv-${dump.struct}` : dump.format;
  const result = { format, claims: { ...dump.claims }, missing: [...dump.missing], inferred: {}, line: dump.line };
  const c = result.claims;
  const shown = "environment" in c || result.missing.includes("environment");
  if (!shown && typeof c.sub === "string" && !c.project_path) {
    const env = /^repo:[^:]+:environment:(.+)$/s.exec(c.sub);
    if (env) {
      c.environment = env[1];
      result.inferred.environment = "read from the end of `sub` (this dump has no environment line)";
    } else if (/^repo:[^:]+:(?:ref:|pull_request$)/.test(c.sub)) {
      result.missing.push("environment");
      result.inferred.environment = "`sub` names no environment (this dump has no environment line)";
    }
  }
  if (!c.repository_owner && typeof c.repository === "string" && c.repository.includes("/")) {
    c.repository_owner = c.repository.split("/")[0];
    result.inferred.repository_owner = "the part of `repository` before the slash";
  }
  return result;
}

const INDEX = /(?:https?:\/\/)?(upload\.pypi\.org|test\.pypi\.org|pypi\.org)\/legacy\/?|audience[ :"`']+(testpypi|pypi)\b|\baud(?:ience)?["`']?\s*[:=]\s*["`']?(testpypi|pypi)\b|TESTPYPI_ID_TOKEN|PYPI_ID_TOKEN/g;

/** Which index the job talked to: the token's audience, else the last upload URL or audience named. {value, line}. */
export function detectIndex(cleaned, claims) {
  if (claims && (claims.claims.aud === "pypi" || claims.claims.aud === "testpypi")) return { value: claims.claims.aud, line: claims.line };
  let found = null;
  let m;
  let count = 0;
  INDEX.lastIndex = 0;
  while ((m = INDEX.exec(cleaned.text)) && count++ < 100000) {
    let index;
    if (m[1]) index = m[1] === "test.pypi.org" ? "testpypi" : "pypi";
    else if (m[2] || m[3]) index = m[2] || m[3];
    else index = m[0] === "TESTPYPI_ID_TOKEN" ? "testpypi" : "pypi";
    found = { value: index, at: m.index };
  }
  return found ? { value: found.value, line: lineOf(cleaned, found.at) } : { value: null, line: -1 };
}

const ACTION_TOOL = ["Trusted publishing exchange failure", "gh-action-pypi-publish", "OIDC exchange failure"];
const UV_TOOL = /\buv publish\b|OidcTokenClaims|GitHubTokenClaims|GitLabTokenClaims|^Publishing \d+ files? to /m;
const TWINE_TOOL = /\btwine\b|TrustedPublishingFailure|Uploading distributions to|WARNING {2}Error during upload|HTTPError: \d{3} /;
const OTHER_TOOL = /\bflit publish\b|\bpoetry publish\b|\bhatch publish\b|\bpdm publish\b/;
const GITLAB = /Running with gitlab-runner|\bCI_JOB_\w+|GitLab(?:TokenClaims|: )|gitlab\.com\/[^\s]*\/\/|project_path/;
const GITHUB = /##\[|::error::|github\.com\/[^\s]+\/actions\/runs\/|GITHUB_|GitHubTokenClaims|job_workflow_ref|\bgh-action-pypi-publish\b|Run pypa\/|ACTIONS_ID_TOKEN/;

function first(cleaned, pattern) {
  const at = typeof pattern === "string" ? cleaned.text.indexOf(pattern) : cleaned.text.search(pattern);
  return at === -1 ? -1 : lineOf(cleaned, at);
}

/** The publishing tool and the CI platform the log comes from: [{value, line}, {value, line}]. */
export function detectTool(cleaned, claims) {
  let tool = { value: null, line: -1 };
  const at = Math.min(...ACTION_TOOL.map((s) => first(cleaned, s)).filter((x) => x >= 0), Infinity);
  if (at !== Infinity || (claims && claims.format.startsWith("gh-action"))) {
    tool = { value: "gh-action-pypi-publish", line: at !== Infinity ? at : claims ? claims.line : -1 };
  } else {
    for (const [name, pattern] of [["uv", UV_TOOL], ["twine", TWINE_TOOL], ["other", OTHER_TOOL]]) {
      const line = first(cleaned, pattern);
      if (line >= 0) {
        tool = { value: name, line };
        break;
      }
    }
  }
  let platform = { value: null, line: -1 };
  for (const [name, pattern] of [["gitlab", GITLAB], ["github", GITHUB]]) {
    const line = first(cleaned, pattern);
    if (line >= 0) {
      platform = { value: name, line };
      break;
    }
  }
  if (claims) {
    const sub = typeof claims.claims.sub === "string" ? claims.claims.sub : "";
    if (claims.claims.project_path || claims.claims.ci_config_ref_uri || sub.startsWith("project_path:")) platform = { value: "gitlab", line: claims.line };
    else if (claims.claims.job_workflow_ref || claims.claims.repository || sub.startsWith("repo:")) platform = { value: "github", line: claims.line };
  }
  return [tool, platform];
}
