// From a pasted log to an answer: which message ended the job (and which others the log holds), the
// wording's versions, the facts the log shows, and the message's causes ranked by the signals their
// error pages declare, each with the line of the paste that proves it. The port of
// src/tpsite/diagnosis/ (the truth; tests/data/vectors/diagnosis.json checks this module).
// Pure functions (no DOM). model/gallery: assets/data/model.json and gallery.json.

import { clean, flatten, lineOf, parseClaims, detectIndex, detectTool } from "./parse.js";

const MARGIN = 2000;
const MAX_HITS = 5000;
const PHASE_ORDER = ["token", "exchange", "upload", "after"];
const ESCAPE = /[.*+?^${}()|[\]\\]/g;
const compiled = new WeakMap();

function anyFragment(gallery) {
  let re = compiled.get(gallery);
  if (!re) {
    const texts = gallery.entries.flatMap((e) => e.match.map((m) => m.text.trim()));
    const sources = texts.map((text) => text.split(/\s+/).map((p) => p.replace(ESCAPE, "\\$&")).join("\\s+"));
    // The fragments' first characters, looked ahead: no match changes (every fragment starts with
    // one), but most positions of a long log fail at once instead of trying every alternative.
    const firsts = [...new Set(texts.map((text) => text[0]))].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`).join("");
    re = new RegExp(`(?=[${firsts}])(?:${sources.join("|")})`, "g");
    compiled.set(gallery, re);
  }
  re.lastIndex = 0;
  return re;
}

/** flatten(text) of a window, and the way back from its offsets to the log's. */
function folded(text, start) {
  const flatAt = [0];
  const logAt = [start];
  let shrink = 0;
  const runs = /\s+/g;
  let m;
  while ((m = runs.exec(text))) {
    shrink += m[0].length - 1;
    flatAt.push(m.index + m[0].length - shrink);
    logAt.push(start + m.index + m[0].length);
  }
  return {
    flat: flatten(text),
    offset(i) {
      let lo = 0;
      let hi = flatAt.length - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (flatAt[mid] <= i) lo = mid;
        else hi = mid - 1;
      }
      return logAt[lo] + (i - flatAt[lo]);
    },
  };
}

/** The entries whose fragments occur in the log: [{slug, phase, weight, fragment, length, at, line}], the one that ended the job first. */
export function identify(cleaned, gallery) {
  const text = cleaned.text;
  const windows = [];
  const re = anyFragment(gallery);
  let m;
  let count = 0;
  while ((m = re.exec(text)) && count++ < MAX_HITS) {
    const a = Math.max(0, m.index - MARGIN);
    const b = Math.min(text.length, m.index + m[0].length + MARGIN);
    const last = windows[windows.length - 1];
    if (last && a <= last[1]) last[1] = Math.max(last[1], b);
    else windows.push([a, b]);
    if (m[0].length === 0) re.lastIndex++;
  }
  const windowsFolded = windows.map(([a, b]) => folded(text.slice(a, b), a));
  const hits = [];
  for (const entry of gallery.entries) {
    let best = null;
    for (const { text: raw, weight } of entry.match) {
      const fragment = flatten(raw.trim());
      for (const w of windowsFolded) {
        const i = w.flat.lastIndexOf(fragment);
        if (i === -1) continue;
        const at = w.offset(i);
        const hit = { slug: entry.slug, phase: entry.phase, weight: gallery.weights[weight], fragment: raw, length: fragment.length, at, line: lineOf(cleaned, at) };
        if (!best || hit.weight > best.weight || (hit.weight === best.weight && (hit.length > best.length || (hit.length === best.length && hit.at > best.at)))) best = hit;
      }
    }
    if (best) hits.push(best);
  }
  hits.sort((a, b) => b.weight - a.weight || b.length - a.length || PHASE_ORDER.indexOf(a.phase) - PHASE_ORDER.indexOf(b.phase) || b.at - a.at);
  return hits;
}

/** The inventory wording of the hit's entry that the log's text there is an instance of (the most literal, a current one first). */
export function wordingOf(hit, cleaned, wordings) {
  const text = cleaned.text;
  const lineStart = text.lastIndexOf("\n", hit.at - 1) + 1;
  const around = flatten(text.slice(lineStart, Math.min(text.length, hit.at + MARGIN)));
  let found = null;
  for (const w of wordings) {
    if (!new RegExp(w.pattern, "s").test(around)) continue;
    if (!found || w.literal > found.literal || (w.literal === found.literal && w.until === "" && found.until !== "")) found = w;
  }
  return found;
}

function lineWith(cleaned, claims, name) {
  if (claims.line < 0) return claims.line;
  const re = new RegExp(`\\b${name}\\b`);
  for (let i = claims.line; i < Math.min(cleaned.lines.length, claims.line + 60); i++) if (re.test(cleaned.lines[i])) return i;
  return claims.line;
}

/** Fact name -> the index of the cleaned line that shows it (model: diagnosis.rank.derive_facts). */
export function deriveFacts(cleaned, claims, index, tool, platform, model) {
  const facts = {};
  if (platform.value) facts[`platform-${platform.value}`] = platform.line;
  if (tool.value) facts[{ "gh-action-pypi-publish": "tool-action", uv: "tool-uv", twine: "tool-twine" }[tool.value] || "tool-other"] = tool.line;
  if (index.value) facts[`index-${index.value}`] = index.line;
  for (const [name, pattern] of Object.entries(model.factPatterns)) {
    const at = cleaned.text.search(new RegExp(pattern, "m"));
    if (at !== -1) facts[name] = lineOf(cleaned, at);
  }
  if (claims) {
    const c = claims.claims;
    facts["claims-shown"] = claims.line;
    if (claims.missing.includes("environment")) facts["environment-missing"] = lineWith(cleaned, claims, "environment");
    else if (c.environment) {
      facts["environment-present"] = lineWith(cleaned, claims, "environment");
      if (c.environment !== c.environment.toLowerCase()) facts["environment-not-lowercase"] = facts["environment-present"];
    }
    const jwr = c.job_workflow_ref || "";
    const wr = c.workflow_ref || "";
    if (jwr && wr && jwr !== wr) facts["reusable-workflow"] = lineWith(cleaned, claims, "job_workflow_ref");
    const repo = c.repository || "";
    if (jwr && repo && jwr.includes("/.github/workflows/") && jwr.split("/.github/workflows/")[0].toLowerCase() !== repo.toLowerCase()) facts["reusable-other-repository"] = lineWith(cleaned, claims, "job_workflow_ref");
    const sub = c.sub || "";
    if (sub && repo && !c.project_path && !sub.startsWith(`repo:${repo}:`)) facts["custom-sub"] = lineWith(cleaned, claims, "sub");
    const ref = c.ref || "";
    if (ref.startsWith("refs/tags/")) facts["ref-tag"] = lineWith(cleaned, claims, "ref");
    else if (ref.startsWith("refs/heads/")) facts["ref-branch"] = lineWith(cleaned, claims, "ref");
    else if (ref.startsWith("refs/pull/")) facts["ref-pull-request"] = lineWith(cleaned, claims, "ref");
    if (c.event_name === "pull_request_target") facts["event-pull-request-target"] = lineWith(cleaned, claims, "event_name");
  }
  return facts;
}

/** The entry's causes (page order), best first, with the evidence each signal found (model: diagnosis.rank.rank). */
export function rank(causes, cleaned, facts, factNames, compared = new Set()) {
  const ranked = causes.map((cause, order) => {
    const evidence = [];
    for (const signal of cause.signals || []) {
      if ("compare" in signal) {
        if (compared.has(signal.compare)) evidence.push({ kind: "compare", what: signal.compare, weight: signal.weight, line: -1, says: signal.says || "" });
      } else if ("log" in signal) {
        const at = cleaned.text.search(new RegExp(signal.log, "im"));
        if (at !== -1) evidence.push({ kind: "log", what: signal.log, weight: signal.weight, line: lineOf(cleaned, at), says: signal.says || "" });
      } else if (signal.fact in facts) {
        evidence.push({ kind: "fact", what: signal.fact, weight: signal.weight, line: facts[signal.fact], says: signal.says || factNames[signal.fact] });
      }
    }
    const score = evidence.reduce((sum, e) => sum + e.weight, 0);
    return { order, id: cause.id, title: cause.title, score, prior: cause.prior || 0, verdict: score > 0 ? "likely" : score < 0 ? "unlikely" : "check", evidence };
  });
  ranked.sort((a, b) => b.score - a.score || a.order - b.order);
  return ranked;
}

/** The paste's distinct words (ASCII, lower case, three characters or more), in order. */
export function words(text, stopWords) {
  const stop = new Set(stopWords);
  const seen = new Set();
  for (const w of text.toLowerCase().match(/[a-z0-9][a-z0-9_.-]*[a-z0-9]/g) || []) if (w.length >= 3 && !stop.has(w)) seen.add(w);
  return [...seen];
}

/** The pages whose name the text writes out, in words or with hyphens ("invalid publisher"). */
function named(text, slugs) {
  const parts = text.toLowerCase().match(/[a-z0-9]+/g) || [];
  const found = new Set();
  for (let i = 0; i < parts.length; i++) {
    for (let n = 2; n <= 6 && i + n <= parts.length; n++) {
      const name = parts.slice(i, i + n).join("-");
      if (slugs.has(name)) found.add(name);
    }
  }
  return found;
}

function guess(text, gallery, model) {
  text = text.slice(-200000);
  const pasted = new Set(words(text, model.stopWords));
  const names = named(text, new Set(gallery.entries.map((e) => e.slug)));
  const found = [];
  gallery.entries.forEach((entry, order) => {
    const shared = entry.words.filter((w) => pasted.has(w)).sort();
    const points = shared.length + (names.has(entry.slug) ? 3 : 0);
    if (points >= 2) found.push({ points, order, slug: entry.slug, shared, named: names.has(entry.slug) });
  });
  found.sort((a, b) => b.points - a.points || a.order - b.order);
  return found.slice(0, 3).map(({ slug, shared, named }) => ({ slug, shared, named }));
}

function quote(cleaned, index) {
  if (index < 0 || index >= cleaned.lines.length) return null;
  return { number: cleaned.numbers[index], text: cleaned.lines[index].trim().slice(0, 300) };
}

/** The codes a comparison with the reader's publisher found (compare.js): the model's, plus `compared`. */
export function comparedCodes(comparison) {
  if (!comparison || !comparison.outcome) return new Set();
  return new Set(["compared", ...(comparison.outcome.ok ? ["matches"] : comparison.outcome.causes)]);
}

/** The whole diagnosis of a paste (model: tpsite.diagnosis.diagnose). Never throws on bad input. */
export function diagnose(raw, model, gallery, compared = new Set()) {
  const cleaned = clean(raw);
  const result = { notes: cleaned.notes, empty: !/\S/.test(cleaned.text) };
  if (result.empty) return result;
  const claims = parseClaims(cleaned);
  const index = detectIndex(cleaned, claims);
  const [tool, platform] = detectTool(cleaned, claims);
  const hits = identify(cleaned, gallery);
  result.claims = claims && { format: claims.format, claims: claims.claims, missing: claims.missing, inferred: claims.inferred, line: quote(cleaned, claims.line) };
  result.index = { value: index.value, line: quote(cleaned, index.line) };
  result.tool = { value: tool.value, line: quote(cleaned, tool.line) };
  result.platform = { value: platform.value, line: quote(cleaned, platform.line) };
  const facts = deriveFacts(cleaned, claims, index, tool, platform, model);
  result.facts = Object.fromEntries(Object.keys(facts).sort().map((name) => [name, quote(cleaned, facts[name])]));
  result.messages = hits.map((h) => ({ slug: h.slug, weight: h.weight, line: quote(cleaned, h.line) }));
  if (hits.length) {
    const top = gallery.entries.find((e) => e.slug === hits[0].slug);
    const wording = wordingOf(hits[0], cleaned, top.wordings);
    result.ended = top.slug;
    let next = -1;
    for (let i = hits[0].line + 1; i < Math.min(cleaned.lines.length, hits[0].line + 4); i++) {
      if (cleaned.lines[i].trim()) {
        next = i;
        break;
      }
    }
    result.followed_by = quote(cleaned, next);
    result.wording = wording && { key: wording.key, program: wording.program, since: wording.since, until: wording.until, current: wording.current };
    result.causes = rank(top.causes, cleaned, facts, model.facts, compared).map((c) => ({
      id: c.id,
      score: c.score,
      prior: c.prior,
      verdict: c.verdict,
      evidence: c.evidence.map((e) => ({ kind: e.kind, what: e.what, weight: e.weight, says: e.says, line: quote(cleaned, e.line) })),
    }));
    result.guess = [];
  } else {
    result.ended = null;
    result.followed_by = null;
    result.wording = null;
    result.causes = [];
    result.guess = guess(cleaned.text, gallery, model);
  }
  return result;
}
