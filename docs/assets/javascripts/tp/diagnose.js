// From a pasted log to an answer: which gallery entry, the claims, the publisher they match,
// how a typed publisher differs, and the likely causes. Pure functions (no DOM).

import { cleanLog, flatten, parseClaims, detectIndex, detectTool } from "./parse.js";
import { exchange, storedPublisher, githubWorkflowFilename, gitlabWorkflowFilepath } from "./warehouse.js";

const PHASE_ORDER = ["token", "exchange", "upload", "after"];

const ESCAPE = /[.*+?^${}()|[\]\\]/g;
const compiled = new WeakMap();

/** One regular expression finding any fragment of any entry, whitespace-tolerant (cached). */
function anyFragment(entries) {
  let re = compiled.get(entries);
  if (!re) {
    const sources = entries.flatMap((e) => e.match.map((m) => m.text.trim().replace(ESCAPE, "\\$&").replace(/\s+/g, "\\s+")));
    re = new RegExp(sources.join("|"), "g");
    compiled.set(entries, re);
  }
  re.lastIndex = 0;
  return re;
}

// Text kept around each hit: enough for the longest fragment, stretched by line breaks.
const MARGIN = 2000;

/**
 * The gallery entries whose match fragments occur in the (cleaned) log, best first.
 * gallery: {weights, entries: [{slug, phase, match: [{text, weight}]}]} (assets/data/gallery.json).
 * Returns [{slug, weight, fragment, at, excerpt}].
 * One pass of a combined expression finds where fragments occur; each fragment is then looked
 * for in the whitespace-folded text around those places only, so a 10 MB log costs one scan.
 */
export function identify(text, gallery) {
  const entries = gallery.entries;
  const re = anyFragment(entries);
  const windows = [];
  let m;
  let count = 0;
  while ((m = re.exec(text)) && count++ < 5000) {
    const a = Math.max(0, m.index - MARGIN);
    const b = Math.min(text.length, m.index + m[0].length + MARGIN);
    const last = windows[windows.length - 1];
    if (last && a <= last[1]) last[1] = Math.max(last[1], b);
    else windows.push([a, b]);
    if (m[0].length === 0) re.lastIndex++;
  }
  const flats = windows.map(([a, b]) => ({ offset: a, flat: flatten(text.slice(a, b)) }));
  const hits = [];
  for (const entry of entries) {
    let best = null;
    for (const { text: raw, weight } of entry.match) {
      const fragment = flatten(raw.trim());
      for (const w of flats) {
        const i = w.flat.lastIndexOf(fragment);
        if (i === -1) continue;
        const hit = { slug: entry.slug, phase: entry.phase, weight: gallery.weights[weight], fragment: raw, length: fragment.length, at: w.offset + i, excerpt: excerpt(w.flat, i, fragment.length) };
        if (!best || hit.weight > best.weight || (hit.weight === best.weight && (hit.length > best.length || (hit.length === best.length && hit.at > best.at)))) best = hit;
      }
    }
    if (best) hits.push(best);
  }
  hits.sort(
    (a, b) =>
      b.weight - a.weight ||
      b.length - a.length ||
      PHASE_ORDER.indexOf(a.phase) - PHASE_ORDER.indexOf(b.phase) ||
      b.at - a.at,
  );
  return hits;
}

/** The text around offset `at` of a whitespace-folded text (for showing the evidence). */
export function excerpt(flat, at, length) {
  const start = Math.max(0, at - 80);
  const end = Math.min(flat.length, at + length + 160);
  return (start > 0 ? "…" : "") + flat.slice(start, end).trim() + (end < flat.length ? "…" : "");
}

function repoOf(ref) {
  // owner/repo/.github/workflows/x.yml@ref -> owner/repo
  const i = ref.indexOf("/.github/workflows/");
  return i === -1 ? null : ref.slice(0, i);
}

/**
 * The publisher values that would match these claims (what to type into PyPI's form).
 * GitHub: {kind, owner, repository, workflow, environment, ownerId}; GitLab: {kind, namespace,
 * project, pipeline, environment}. Values the dump does not show are null.
 */
export function expectedPublisher(parsed) {
  const c = parsed.claims;
  if (c.project_path || c.ci_config_ref_uri) {
    const path = c.project_path || null;
    const i = path ? path.lastIndexOf("/") : -1;
    return {
      kind: "gitlab",
      namespace: i > 0 ? path.slice(0, i) : null,
      project: i > 0 ? path.slice(i + 1) : null,
      pipeline: c.ci_config_ref_uri ? gitlabWorkflowFilepath(c.ci_config_ref_uri) : null,
      environment: "environment" in c ? c.environment : parsed.missing.includes("environment") ? "" : null,
    };
  }
  const repository = c.repository || null;
  const i = repository ? repository.indexOf("/") : -1;
  return {
    kind: "github",
    owner: c.repository_owner || (i > 0 ? repository.slice(0, i) : null),
    repository: i > 0 ? repository.slice(i + 1) : null,
    ownerId: c.repository_owner_id || null,
    workflow: c.job_workflow_ref ? githubWorkflowFilename(c.job_workflow_ref) : null,
    environment: "environment" in c ? c.environment : parsed.missing.includes("environment") ? "" : null,
  };
}

/** Facts read from the claims that bear on the causes (reusable workflow, custom sub, fork...). */
export function claimFacts(parsed) {
  const facts = [];
  if (!parsed) return facts;
  const c = parsed.claims;
  if (c.job_workflow_ref && c.workflow_ref && c.job_workflow_ref !== c.workflow_ref) {
    const callee = githubWorkflowFilename(c.job_workflow_ref);
    const caller = githubWorkflowFilename(c.workflow_ref);
    facts.push({ code: "reusable-workflow", caller, callee, message: `The publishing job is in a reusable workflow: ${caller} calls ${callee}. PyPI takes the workflow name from job_workflow_ref (${callee}), not from the caller.` });
  }
  if (c.job_workflow_ref && c.repository) {
    const from = repoOf(c.job_workflow_ref);
    if (from && from.toLowerCase() !== c.repository.toLowerCase()) {
      facts.push({ code: "reusable-other-repository", message: `The publishing job's workflow lives in another repository (${from}), not in ${c.repository}: PyPI cannot match it (job_workflow_ref must be in the repository of the token).` });
    }
  }
  if (typeof c.sub === "string" && c.repository && !c.project_path && !c.sub.startsWith(`repo:${c.repository}:`)) {
    facts.push({ code: "custom-sub", message: `The sub claim (${c.sub}) is not GitHub's default “repo:${c.repository}:…”: the repository or organization customises its OIDC subject. PyPI stopped checking sub on 29 January 2026; before that it had to start with repo:<owner>/<repository>.` });
  }
  if (c.ref && /^refs\/pull\//.test(c.ref)) facts.push({ code: "pull-request", message: `The job ran for a pull request (${c.ref}): fork pull requests get no token, and publishing from pull requests is rarely intended.` });
  if (c.event_name === "pull_request_target") facts.push({ code: "pull-request-target", message: "The job ran on pull_request_target, which PyPI refuses since 2 March 2026." });
  if (c.ref === "" && c.job_workflow_ref && /@[0-9a-f]{40}$/.test(c.job_workflow_ref)) facts.push({ code: "empty-ref", message: "The ref claim is empty and job_workflow_ref ends with a commit SHA: PyPI accepts that (since August 2023)." });
  return facts;
}

const GH_FIELDS = [
  ["owner", "Owner"],
  ["repository", "Repository name"],
  ["workflow", "Workflow name"],
  ["environment", "Environment name"],
];
const GL_FIELDS = [
  ["namespace", "Namespace"],
  ["project", "Project name"],
  ["pipeline", "Top-level pipeline file path"],
  ["environment", "Environment name"],
];

function fillClaims(parsed, platform, index, model) {
  // A dump shows only some claims; every real token has the others. Fill them with values that
  // pass the checks they take part in, so the comparison is about the fields the reader typed.
  const c = { ...parsed.claims };
  if (!c.iss) c.iss = model.issuers[platform];
  if (!c.aud) c.aud = index;
  if (!("jti" in c)) c.jti = "jti-from-the-token";
  if (!("sha" in c)) c.sha = "0000000000000000000000000000000000000000";
  if (platform === "github") {
    if (!("event_name" in c)) c.event_name = "push";
    if (!("ref" in c) && c.job_workflow_ref) c.ref = c.job_workflow_ref.slice(c.job_workflow_ref.lastIndexOf("@") + 1);
  } else if (!("ref_path" in c) && c.ci_config_ref_uri) {
    c.ref_path = c.ci_config_ref_uri.slice(c.ci_config_ref_uri.lastIndexOf("@") + 1);
  }
  if (platform === "gitlab" && !c.sub && c.project_path) c.sub = `project_path:${c.project_path}:ref_type:tag:ref:x`;
  for (const name of parsed.missing) delete c[name];
  return c;
}

/**
 * Field by field: the publisher the reader typed against the claims, decided by the model's
 * rules (warehouse.js). typed: {kind, owner, repository, ownerId?, workflow, environment, index}
 * or GitLab {namespace, project, pipeline, environment, index}.
 * Returns {outcome, rows: [{field, label, typed, needed, status, note}], formError, unknown: [...]}.
 */
export function comparePublisher(parsed, typed, logIndex, model) {
  const platform = typed.kind;
  const expected = expectedPublisher(parsed);
  const index = logIndex || typed.index;
  const rows = [];
  const unknown = [];
  let stored;
  if (platform === "gitlab") {
    stored = storedPublisher({ kind: "gitlab", namespace: typed.namespace, project: typed.project, workflow_filepath: typed.pipeline, environment: typed.environment }, model);
  } else {
    stored = storedPublisher({
      kind: "github",
      owner: typed.owner,
      repository: typed.repository,
      owner_id: typed.ownerId || parsed.claims.repository_owner_id || "",
      workflow_filename: typed.workflow,
      environment: typed.environment,
    }, model);
  }
  if (stored.error) return { outcome: null, rows, formError: stored.error, unknown };
  const claims = fillClaims(parsed, platform, index, model);
  const outcome = exchange(claims, [{ publisher: stored, index: typed.index }], index, model);
  const causes = new Set(outcome.ok ? [] : outcome.causes);
  const fields = platform === "gitlab" ? GL_FIELDS : GH_FIELDS;
  for (const [field, label] of fields) {
    const needed = expected[field];
    const mine = field === "environment" ? (platform === "gitlab" ? stored.environment : stored.environment) : field === "workflow" ? stored.workflow_filename : field === "pipeline" ? stored.workflow_filepath : typed[field];
    let status = "same";
    let note = "";
    if (needed === null || needed === undefined) {
      status = "unknown";
      unknown.push(label);
      note = field === "environment" ? "The log does not show the environment: compare with the job's environment: key." : "The log does not show this value.";
    } else if (field === "environment") {
      if (!mine) {
        status = "same";
        note = needed ? `Your publisher accepts any environment; the job uses “${needed}”.` : "Neither names an environment.";
      } else if (causes.has("environment-missing")) {
        status = "differs";
        note = `The publisher requires environment “${mine}”, but the job has no environment: add environment: ${mine} to the publishing job, or remove the environment from the publisher.`;
      } else if (causes.has("environment-mismatch") || causes.has("environment-case-mismatch")) {
        status = "differs";
        note = platform === "gitlab" && mine.toLowerCase() === needed.toLowerCase() ? `GitLab environments are compared with case: “${mine}” is not “${needed}”.` : `The job runs in “${needed}”, the publisher says “${mine}”.`;
      } else if (platform === "github" && mine !== needed) {
        note = `Same environment for PyPI: it compares GitHub environments ignoring case.`;
      }
    } else {
      const code = { owner: "owner", repository: "repository", workflow: "workflow", namespace: "namespace", project: "project", pipeline: "workflow" }[field];
      if (causes.has(`${code}-mismatch`) || causes.has(`${code}-case-mismatch`)) {
        status = "differs";
        if (causes.has(`${code}-case-mismatch`)) note = `Only the case differs, and PyPI compares ${label.toLowerCase()} exactly.`;
      } else if (mine !== needed) {
        if (mine.toLowerCase() === needed.toLowerCase()) note = platform === "gitlab" ? "Only the case differs; PyPI ignores case here." : "Only the case differs.";
        else status = outcome.ok ? "same" : "differs";
      }
      if (field === "workflow" && status === "differs") {
        const facts = claimFacts(parsed);
        const reusable = facts.find((f) => f.code === "reusable-workflow");
        if (reusable && mine === reusable.caller) note = `You registered the calling workflow (${reusable.caller}); the job that publishes is in ${reusable.callee}, and that is the file PyPI compares.`;
        else if (!note) note = "Renamed, .yml versus .yaml, or a typo: the publisher must name the file that contains the publishing job.";
      }
      if ((field === "owner" || field === "repository") && status === "differs" && !note) {
        note = "Renamed or transferred repository, or a typo in the publisher.";
      }
    }
    rows.push({ field, label, typed: mine, needed, status, note });
  }
  if (platform === "github") {
    const ownerIdTyped = typed.ownerId || "";
    const needed = expected.ownerId;
    const row = { field: "ownerId", label: "Owner ID (numeric)", typed: ownerIdTyped, needed, status: "same", note: "" };
    if (!ownerIdTyped) {
      row.status = needed ? "assumed" : "unknown";
      row.note = "PyPI recorded the owner's numeric ID when the publisher was created; it is not shown on PyPI. It differs only if the repository moved to another owner or the account was deleted and re-created.";
    } else if (causes.has("owner-id-mismatch")) {
      row.status = "differs";
      row.note = "The owner's account or organization is not the one PyPI recorded (transfer, or deleted and re-created): add the publisher again.";
    }
    rows.push(row);
  }
  const indexRow = { field: "index", label: "Index", typed: typed.index, needed: logIndex, status: "same", note: "" };
  if (!logIndex) {
    indexRow.status = "unknown";
    indexRow.note = "The log names no upload URL or audience; the comparison assumes the index you chose.";
  } else if (logIndex !== typed.index) {
    indexRow.status = "differs";
    indexRow.note = `The job uploads to ${logIndex === "testpypi" ? "TestPyPI" : "PyPI"}, your publisher is on ${typed.index === "testpypi" ? "TestPyPI" : "PyPI"}: they are separate sites; add a publisher on the one the job uses.`;
  }
  rows.push(indexRow);
  return { outcome, rows, formError: null, unknown };
}

// Cause ids on the invalid-publisher page (docs/errors/invalid-publisher.md) and what the paste
// says about each. Returns [{id, likelihood: "likely"|"possible"|"unlikely", why}].
function invalidPublisherEvidence(ctx) {
  const out = [];
  const { parsed, index, platform } = ctx;
  const c = parsed ? parsed.claims : {};
  const facts = claimFacts(parsed);
  const has = (code) => facts.some((f) => f.code === code);
  if (platform === "gitlab") out.push({ id: "cause-gitlab", likelihood: "likely", why: "The log comes from GitLab CI: compare namespace, project, top-level pipeline file and environment (with case)." });
  if (index.index === "testpypi") out.push({ id: "cause-no-publisher", likelihood: "likely", why: `The job talks to TestPyPI (${index.evidence}): a publisher created on pypi.org does not exist there.` });
  if (has("reusable-workflow")) out.push({ id: "cause-reusable-workflow", likelihood: "likely", why: facts.find((f) => f.code === "reusable-workflow").message });
  if (has("reusable-other-repository")) out.push({ id: "cause-reusable-workflow", likelihood: "likely", why: facts.find((f) => f.code === "reusable-other-repository").message });
  if (parsed && parsed.missing.includes("environment")) {
    out.push({ id: "cause-environment", likelihood: "likely", why: `The token has no environment${parsed.inferred.environment ? " (" + parsed.inferred.environment + ")" : ""}: if the publisher names one (PyPI's suggestion is “pypi”), it cannot match.` });
  } else if (c.environment) {
    out.push({ id: "cause-environment", likelihood: "possible", why: `The job runs in environment “${c.environment}”: the publisher's environment must be empty or “${c.environment.toLowerCase()}”.` });
  }
  if (c.job_workflow_ref) out.push({ id: "cause-workflow-file", likelihood: "possible", why: `The publisher's workflow name must be exactly “${githubWorkflowFilename(c.job_workflow_ref)}”.` });
  if (c.repository) {
    out.push({ id: "cause-renamed", likelihood: "possible", why: `The publisher must name ${c.repository} (owner ID ${c.repository_owner_id || "?"}) as it is now.` });
    out.push({ id: "cause-spelling", likelihood: "possible", why: `Repository name spelled exactly “${c.repository.split("/").slice(1).join("/")}”, same case, no look-alike characters.` });
  }
  if (index.index === "pypi" && !out.some((o) => o.id === "cause-no-publisher")) out.push({ id: "cause-no-publisher", likelihood: "possible", why: `The job talks to PyPI (${index.evidence}): the publisher must be on pypi.org (for a new project, a pending publisher).` });
  if (platform === "github") out.push({ id: "cause-gitlab", likelihood: "unlikely", why: "The log comes from GitHub Actions." });
  if (!has("reusable-workflow") && c.workflow_ref) out.push({ id: "cause-reusable-workflow", likelihood: "unlikely", why: "workflow_ref and job_workflow_ref name the same file." });
  return out;
}

const EVIDENCE = {
  "invalid-publisher": invalidPublisherEvidence,
  "id-token-permission-missing": ({ text }) => {
    const out = [];
    if (/pull\s+request\s+on\s+a\s+fork|pull_request\b/.test(text)) out.push({ id: "cause-fork", likelihood: "possible", why: "The log mentions a pull request." });
    return out;
  },
  "oidc-token-not-valid-for-project": ({ text }) => {
    const m = /OIDC\s+scoped\s+token\s+is\s+not\s+valid\s+for\s+project\s+'([^'\n]{1,200})'/.exec(text);
    return m ? [{ id: null, likelihood: "likely", why: `The upload is for project “${m[1]}”, which is not the project the publisher belongs to: compare the name in pyproject.toml with the project the publisher is on (PEP 503 normalised).` }] : [];
  },
};

/**
 * Rank an entry's causes (from its page, in page order) with what the paste says.
 * Returns [{id, title, likelihood, why}] best first; causes the paste says nothing about come
 * after, as "check" (the page's "Tell the causes apart" section says how).
 */
export function rankCauses(entry, ctx) {
  const evidence = (EVIDENCE[entry.slug] || (() => []))(ctx);
  const order = { likely: 0, possible: 1, check: 2, unlikely: 3 };
  const byId = new Map();
  const extra = [];
  for (const e of evidence) {
    if (e.id === null) {
      extra.push({ id: null, title: "From the log", likelihood: e.likelihood, why: e.why });
      continue;
    }
    const prev = byId.get(e.id);
    if (!prev || order[e.likelihood] < order[prev.likelihood]) byId.set(e.id, e);
  }
  const ranked = entry.causes.map((cause, i) => {
    const e = byId.get(cause.id);
    return { id: cause.id, title: cause.title, likelihood: e ? e.likelihood : "check", why: e ? e.why : "", i };
  });
  ranked.sort((a, b) => order[a.likelihood] - order[b.likelihood] || a.i - b.i);
  return [...extra, ...ranked.map(({ i, ...r }) => r)];
}

/**
 * The whole diagnosis of a paste. gallery: assets/data/gallery.json. Never throws on bad input.
 * Returns {empty, notes, matches: [{slug, title, headline, fragment, excerpt}], claims, expected,
 * facts, index, tool, platform, causes}.
 */
export function diagnoseLog(raw, gallery) {
  const { text, notes } = cleanLog(raw);
  if (!/\S/.test(text)) return { empty: true, notes, matches: [], claims: null, expected: null, facts: [], index: { index: null, evidence: null }, tool: null, platform: null, causes: [] };
  const parsed = parseClaims(text);
  const index = detectIndex(text, parsed);
  const { tool, platform } = detectTool(text, parsed);
  const bySlug = new Map(gallery.entries.map((e) => [e.slug, e]));
  const hits = identify(text, gallery);
  const matches = hits.map((h) => {
    const e = bySlug.get(h.slug);
    return { slug: h.slug, title: e.title, headline: e.headline, phase: e.phase, fragment: h.fragment, weight: h.weight, excerpt: h.excerpt };
  });
  if (parsed && !matches.length) notes.push({ code: "claims-only", detail: "The paste has a claims dump but none of the messages the gallery knows." });
  if (!matches.length && !parsed) notes.push({ code: "no-match", detail: "No known Trusted Publishing or upload error in the paste. Paste the whole output of the failed step (the error is usually near the end)." });
  if (/\S/.test(text) && !/\n/.test(text.trim()) && text.length > 200 && !matches.length) notes.push({ code: "one-line", detail: "The paste is one long line." });
  const top = matches.length ? bySlug.get(matches[0].slug) : null;
  const ctx = { parsed, index, tool, platform, text };
  return {
    empty: false,
    notes,
    matches,
    claims: parsed,
    expected: parsed ? expectedPublisher(parsed) : null,
    facts: claimFacts(parsed),
    index,
    tool,
    platform,
    causes: top ? rankCauses(top, ctx) : [],
  };
}
