// Reading a pasted CI log: cleaning, the OIDC claims the clients print, the index and the tool.
// Pure functions, no DOM: the tests import this module in the browser and call them directly.

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
const CLAIM_SET = new Set(CLAIM_NAMES);

const ANSI = /\x1b\[[0-?]*[ -\/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]/g;
// GitHub's raw log and web UI: `2025-01-01T00:00:00.0000000Z `; GitLab's raw log adds a stream id.
const TIMESTAMP = /^\uFEFF?\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z(?: \d\d[OE]\+?)? ?/;
// GitLab's collapsible sections: `section_start:1700000000:step_script[collapsed=true]`.
const GITLAB_SECTION = /section_(?:start|end):\d+:[\w.-]+(?:\[[^\]\n]*\])?/g;
// Line numbers GitHub turns into links when a log copied from the web UI is pasted into an issue.
const LINE_LINK = /\[(\d+)\]\(https:\/\/github\.com\/[^)\s]*?#step:\d+:\d+\)/g;
const WORKFLOW_COMMAND = /^(?:##\[(?:error|warning|notice|debug|group|endgroup|command|section)\]|::(?:error|warning|notice|debug)(?: [^:]*)?::|::(?:group|endgroup)::)/;

/** Control characters other than tab, newline and carriage return (binary junk). */
function controlCount(text) {
  let n = 0;
  const end = Math.min(text.length, 65536);
  for (let i = 0; i < end; i++) {
    const c = text.charCodeAt(i);
    if ((c < 32 && c !== 9 && c !== 10 && c !== 13 && c !== 27) || c === 0xfffd || c === 127) n++;
  }
  return { n, of: end };
}

/**
 * The paste as plain log lines: ANSI colours, timestamps, workflow-command prefixes, GitLab
 * section markers, web-UI line links, quoting and CRLF removed; `%0A` in `::error::` decoded.
 * Returns {text, notes}: notes say what was done that the reader should know.
 */
export function cleanLog(raw) {
  const notes = [];
  let text = typeof raw === "string" ? raw : "";
  if (text.length > MAX_CHARS) {
    notes.push({ code: "truncated", detail: `The paste has ${text.length.toLocaleString("en")} characters; only the last ${MAX_CHARS.toLocaleString("en")} were read.` });
    text = text.slice(text.length - MAX_CHARS);
  }
  const controls = controlCount(text);
  if (controls.of > 0 && controls.n / controls.of > 0.05) {
    notes.push({ code: "binary", detail: "Part of the paste is not text (control characters or invalid bytes); they were ignored." });
  }
  // Each replacement runs only when its trigger is present: a 10 MB paste is read a few times, not a dozen.
  if (text.indexOf("\x1b") !== -1) text = text.replace(ANSI, "");
  if (text.indexOf("\r") !== -1) text = text.replace(/\r\n?/g, "\n");
  if (text.indexOf("section_") !== -1) text = text.replace(GITLAB_SECTION, "");
  // NUL and other C0 controls (not tab or newline), DEL, and the replacement character.
  if (/[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffd]/.test(text)) text = text.replace(/[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffd]/g, "");
  if (text.indexOf("#step:") !== -1) text = text.replace(LINE_LINK, "$1");
  const out = text.split("\n");
  for (let i = 0; i < out.length; i++) {
    let line = out[i];
    const first = line.charCodeAt(0);
    if ((first >= 48 && first <= 57) || first === 0xfeff) line = line.replace(TIMESTAMP, "");
    // Quoted in an issue or an e-mail.
    if (line.charCodeAt(0) === 62 /* > */ || line.startsWith(" >")) line = line.replace(/^(?:\s*>\s?)+/, "");
    const c = line.charCodeAt(0);
    const command = c === 35 /* # */ || c === 58 /* : */ ? WORKFLOW_COMMAND.exec(line) : null;
    if (command) {
      const kind = command[0];
      line = line.slice(kind.length);
      if (/error/.test(kind)) line = "Error: " + line;
      else if (/warning/.test(kind)) line = "Warning: " + line;
      if (line.indexOf("%0A") !== -1 || line.indexOf("%0D") !== -1) {
        line = line.replace(/%0D/g, "").replace(/%0A/g, "\n").replace(/%25/g, "%");
      }
    }
    out[i] = line;
  }
  text = out.join("\n");
  return { text, notes };
}

/** Whitespace folded to single spaces: line breaks from a console's width no longer matter. */
export function flatten(text) {
  return text.replace(/\s+/g, " ");
}

function unquote(value) {
  value = value.trim();
  if (value.length > MAX_VALUE) return null;
  if (/^"(?:[^"\\]|\\.)*"$/.test(value)) {
    try {
      return JSON.parse(value);
    } catch {
      return value.slice(1, -1);
    }
  }
  return value;
}

/** `* \`sub\`: \`repo:...\`` lines of gh-action-pypi-publish (6 or 8 claims; `MISSING` = absent). */
function actionDumps(lines) {
  const dumps = [];
  let current = null;
  let lastLine = -2;
  const re = /^\s*(?:[*\-•]\s+)?`([a-z_]+)`\s*:\s*`([^`]*)`\s*$/;
  const plain = /^\s*[*\-•]\s+([a-z_]+):\s+(\S+)\s*$/;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line.length > MAX_VALUE || line.indexOf(":") === -1) continue;
    const m = re.exec(line) || plain.exec(line);
    if (!m || !CLAIM_SET.has(m[1])) continue;
    // A blank line may separate the items when a Markdown list was copied.
    if (!current || i - lastLine > 2) {
      current = { format: "gh-action", claims: {}, missing: [], line: i };
      dumps.push(current);
    }
    lastLine = i;
    if (m[2] === "MISSING") current.missing.push(m[1]);
    else current.claims[m[1]] = m[2];
  }
  return dumps;
}

/** uv's `{:#?}` dumps: `OidcTokenClaims {`, `GitHub(\n GitHubTokenClaims {`, `GitLab(GitLabTokenClaims {`. */
function uvDumps(lines) {
  const dumps = [];
  for (let i = 0; i < lines.length; i++) {
    const start = /\b(OidcTokenClaims|GitHubTokenClaims|GitLabTokenClaims)\s*\{(.*)$/.exec(lines[i]);
    if (!start) continue;
    const dump = { format: "uv", struct: start[1], claims: {}, missing: [], line: i };
    // A one-line `{:?}` dump: `OidcTokenClaims { sub: "x", repository: "y" }`.
    const body = [];
    if (start[2].trim()) body.push(...start[2].split(/,\s+(?=[a-z_]+:)/));
    let j = i + 1;
    for (; j < lines.length && j < i + 40 && body.length < 60; j++) {
      if (/^\s*\}/.test(lines[j])) break;
      body.push(lines[j]);
    }
    for (let k = 0; k < body.length; k++) {
      const m = /^\s*([a-z_]+):\s*(.*?),?\s*\}?\s*\)?,?\s*$/.exec(body[k]);
      if (!m || !CLAIM_SET.has(m[1])) continue;
      let value = m[2];
      if (value === "None") {
        dump.missing.push(m[1]);
        continue;
      }
      const some = /^Some\((.*?)\)?$/.exec(value);
      if (some) {
        value = some[1];
        if (!value.trim() && k + 1 < body.length) value = body[++k].replace(/,\s*$/, "");
      }
      value = unquote(value.replace(/,\s*$/, ""));
      if (value !== null) dump.claims[m[1]] = value;
    }
    if (dump.struct !== "GitLabTokenClaims" && !("environment" in dump.claims) && !dump.missing.includes("environment")) {
      // uv before 0.9.27 printed no environment; it is unknown, not absent.
      dump.noEnvironmentField = true;
    }
    dumps.push(dump);
    i = j;
  }
  return dumps;
}

/** A decoded token pasted as JSON (`"sub": "repo:..."`), e.g. from a debugging step. */
function jsonDumps(text) {
  if (text.indexOf('"sub"') === -1 && text.indexOf('"job_workflow_ref"') === -1 && text.indexOf('"project_path"') === -1) return [];
  const claims = {};
  const re = /"([a-z_]+)"\s*:\s*("(?:[^"\\\n]|\\.){0,4096}"|null)/g;
  let m;
  let count = 0;
  while ((m = re.exec(text)) && count < 500) {
    count++;
    if (!CLAIM_SET.has(m[1]) || m[2] === "null") continue;
    try {
      claims[m[1]] = JSON.parse(m[2]);
    } catch {
      /* not JSON after all */
    }
  }
  const n = Object.keys(claims).filter((k) => k !== "aud" && k !== "iss").length;
  return n >= 2 ? [{ format: "json", claims, missing: [], line: -1 }] : [];
}

/**
 * The claims the log shows, from its last dump (a re-run appends a new one).
 * Returns null when the paste has none, else
 * {format, claims: {name: value}, missing: [names shown as absent], inferred: {name: why}}.
 */
export function parseClaims(text) {
  const lines = text.split("\n");
  const dumps = [...actionDumps(lines), ...uvDumps(lines), ...jsonDumps(text)].filter(
    (d) => Object.keys(d.claims).length + d.missing.length >= 2,
  );
  if (!dumps.length) return null;
  dumps.sort((a, b) => a.line - b.line);
  const dump = dumps[dumps.length - 1];
  const result = {
    format: dump.format === "gh-action"
      ? (("workflow_ref" in dump.claims || dump.missing.includes("workflow_ref")) ? "gh-action-8" : "gh-action-6")
      : dump.format === "uv" ? `uv-${dump.struct}` : dump.format,
    claims: { ...dump.claims },
    missing: [...dump.missing],
    inferred: {},
  };
  const c = result.claims;
  const environmentShown = "environment" in c || result.missing.includes("environment");
  if (!environmentShown && typeof c.sub === "string" && !c.project_path) {
    // GitHub's default subject: repo:<owner>/<name>:environment:<env> | :ref:<ref> | :pull_request.
    const env = /^repo:[^:]+:environment:(.+)$/.exec(c.sub);
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

/**
 * Which index the job talked to, with the line that says so: the upload URL or the audience.
 * Returns {index: "pypi"|"testpypi"|null, evidence}.
 */
export function detectIndex(text, claims) {
  const re = /(?:https?:\/\/)?(upload\.pypi\.org|test\.pypi\.org|pypi\.org)\/legacy\/?|audience[ :"`']+(testpypi|pypi)\b|\baud(?:ience)?["`']?\s*[:=]\s*["`']?(testpypi|pypi)\b|TESTPYPI_ID_TOKEN|PYPI_ID_TOKEN/g;
  let found = null;
  let m;
  let count = 0;
  while ((m = re.exec(text)) && count < 100000) {
    count++;
    let index;
    if (m[1]) index = m[1] === "test.pypi.org" ? "testpypi" : "pypi";
    else if (m[2] || m[3]) index = m[2] || m[3];
    else index = m[0] === "TESTPYPI_ID_TOKEN" ? "testpypi" : "pypi";
    found = { index, evidence: m[0] };
  }
  if (claims && claims.claims && (claims.claims.aud === "pypi" || claims.claims.aud === "testpypi")) {
    return { index: claims.claims.aud, evidence: `aud: ${claims.claims.aud}` };
  }
  return found || { index: null, evidence: null };
}

/** The publishing tool and CI platform the log comes from, as far as it tells. */
export function detectTool(text, claims) {
  const has = (s) => text.indexOf(s) !== -1;
  let tool = null;
  if (has("Trusted publishing exchange failure") || has("gh-action-pypi-publish") || has("OIDC exchange failure") || (claims && claims.format.startsWith("gh-action"))) tool = "gh-action-pypi-publish";
  else if (/\buv publish\b|OidcTokenClaims|GitHubTokenClaims|GitLabTokenClaims|^Publishing \d+ files? to /m.test(text)) tool = "uv";
  else if (/\btwine\b|TrustedPublishingFailure|Uploading distributions to|WARNING {2}Error during upload|HTTPError: \d{3} /.test(text)) tool = "twine";
  else if (/\bflit publish\b|\bpoetry publish\b|\bhatch publish\b|\bpdm publish\b/.test(text)) tool = "other";
  let platform = null;
  if (/Running with gitlab-runner|\bCI_JOB_\w+|GitLab(?:TokenClaims|: )|gitlab\.com\/[^\s]*\/\/|project_path/.test(text)) platform = "gitlab";
  else if (/##\[|::error::|github\.com\/[^\s]+\/actions\/runs\/|GITHUB_|GitHubTokenClaims|job_workflow_ref|\bgh-action-pypi-publish\b|Run pypa\/|ACTIONS_ID_TOKEN/.test(text)) platform = "github";
  if (claims) {
    if (claims.claims.project_path || claims.claims.ci_config_ref_uri) platform = "gitlab";
    else if (claims.claims.job_workflow_ref || claims.claims.repository) platform = "github";
  }
  return { tool, platform };
}
