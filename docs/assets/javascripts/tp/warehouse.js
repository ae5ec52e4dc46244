// PyPI's publisher matching, rule for rule as the site's Python model (src/tpsite/model/) has it:
// the exchange of one token against the publishers the reader typed, and why none matched.
// Pure functions; tests/data/vectors/exchange.json (generated from the model) checks every branch.

// PyPI's publisher matching, rule for rule as the site's Python model (src/tpsite/model/) has it:
// the exchange of one token against the publishers the reader typed, and why none matched.
// Pure functions. Every text, issuer and character class comes from the model's export
// (assets/data/model.json, written by `python -m tpsite.export`); tests/data/vectors/exchange.json
// (generated from the model) checks every branch.

const EXTENSIONS = [".yml", ".yaml"];

/** Python's `str.strip()`, with the characters Python counts as whitespace (model.whitespace). */
export function strip(s, model) {
  const ws = model.whitespace;
  let a = 0;
  let b = s.length;
  while (a < b && ws.includes(s[a])) a++;
  while (b > a && ws.includes(s[b - 1])) b--;
  return s.slice(a, b);
}

function isBlank(s, model) {
  return s.length > 0 && strip(s, model) === "";
}

/** A model text with its `{name}` / `{name!r}` fields filled in, for display (quoted as Python would
 * for plain names; the tests compare the structured result, not these bytes). */
export function format(template, fields) {
  const quote = (v) => `'${v}'`;
  return template.replace(/\{(\w+)(!r)?\}/g, (_, name, r) => {
    const v = fields[name];
    if (!r) return String(v);
    return Array.isArray(v) ? "[" + v.map(quote).join(", ") + "]" : quote(String(v));
  });
}

function endsWithExtension(text, minStem) {
  return EXTENSIONS.some((ext) => text.endsWith(ext) && text.length - ext.length >= minStem);
}

/** The workflow file name in `owner/repo/.github/workflows/<name>.yml@ref` (model: github_workflow_filename). */
export function githubWorkflowFilename(jobWorkflowRef) {
  for (const segment of jobWorkflowRef.split("/")) {
    for (let end = segment.length - 1; end > 0; end--) {
      if (segment[end] === "@" && endsWithExtension(segment.slice(0, end), 1)) return segment.slice(0, end);
    }
  }
  return null;
}

/** The pipeline path in `gitlab.com/ns/proj//<path>.yml@ref` (model: gitlab_workflow_filepath). */
export function gitlabWorkflowFilepath(uri) {
  const starts = [];
  for (let i = 0; i < uri.length - 1; i++) if (uri[i] === "/" && uri[i + 1] === "/") starts.push(i + 2);
  for (const start of starts) {
    for (let end = uri.length - 1; end > start; end--) {
      const candidate = uri.slice(start, end);
      if (uri[end] !== "@" || !endsWithExtension(candidate, 1)) continue;
      const dot = candidate.lastIndexOf(".");
      const stem = dot === -1 ? candidate : candidate.slice(0, dot);
      if (!stem.slice(0, -1).includes("\n") && !stem.endsWith("/")) return candidate;
    }
  }
  return null;
}

/**
 * A publisher as PyPI stores it (the form's normalisation), or {error} with the form's message.
 * GitHub: {kind: "github", owner, repository, owner_id, workflow_filename, environment}
 * GitLab: {kind: "gitlab", namespace, project, workflow_filepath, environment, issuer_url}
 */
export function storedPublisher(p, model) {
  if (p.kind === "gitlab") {
    const filepath = strip(p.workflow_filepath ?? ".gitlab-ci.yml", model);
    const env = p.environment || "";
    if (!endsWithExtension(filepath, 0)) return { error: "Top-level pipeline file path must end with .yml or .yaml" };
    if (filepath.startsWith("/") || filepath.endsWith("/")) return { error: "Top-level pipeline file path cannot start or end with /" };
    return {
      kind: "gitlab",
      namespace: p.namespace,
      project: p.project,
      workflow_filepath: filepath,
      environment: isBlank(env, model) ? "" : env,
      issuer_url: p.issuer_url || model.issuers.gitlab,
    };
  }
  const workflow = strip(p.workflow_filename, model);
  if (!endsWithExtension(workflow, 0)) return { error: "Workflow name must end with .yml or .yaml" };
  if (workflow.includes("/")) return { error: "Workflow filename must be a filename only, without directories" };
  return {
    kind: "github",
    owner: p.owner,
    repository: p.repository,
    owner_id: String(p.owner_id),
    workflow_filename: workflow,
    environment: (p.environment || "").toLowerCase(),
  };
}

function identity(p) {
  return p.kind === "github"
    ? JSON.stringify(["github", p.repository, p.owner, p.workflow_filename, p.environment])
    : JSON.stringify(["gitlab", p.namespace, p.project, p.workflow_filepath, p.environment, p.issuer_url]);
}

class Invalid {
  constructor(template, slug, fields = {}) {
    this.template = template;
    this.slug = slug;
    this.fields = fields;
  }
}

const isNone = (v) => v === undefined || v === null;

function require_(claims, names, T) {
  for (const name of names) if (isNone(claims[name])) throw new Invalid(T.MISSING_CLAIM, "missing-claim", { claim_name: name });
}

function mostSpecific(publishers, environment, foldCase) {
  if (environment) {
    const wanted = foldCase ? environment.toLowerCase() : environment;
    const hit = publishers.find((p) => p.environment === wanted);
    if (hit) return hit;
  }
  return publishers.find((p) => p.environment === "") || null;
}

function checkRef(template, slug, groundTruth, signed, refs) {
  const expected = [...new Set(refs.filter((r) => r).map((r) => `${groundTruth}@${r}`))];
  if (!expected.includes(signed)) throw new Invalid(template, slug, { expected, signed_claim: signed });
}

function split1(s, sep, fromRight) {
  const i = fromRight ? s.lastIndexOf(sep) : s.indexOf(sep);
  if (i === -1) throw new Invalid(null, "not-modelled", { reason: `no ${JSON.stringify(sep)} in ${JSON.stringify(s)}` });
  return [s.slice(0, i), s.slice(i + sep.length)];
}

function findGithub(claims, publishers, T) {
  require_(claims, ["repository", "repository_owner", "repository_owner_id", "job_workflow_ref", "jti", "event_name", "ref", "sha"], T);
  const [owner, name] = split1(claims.repository, "/", false);
  const filename = githubWorkflowFilename(claims.job_workflow_ref);
  if (!filename) throw new Invalid(T.GITHUB_NO_WORKFLOW_FILENAME, "invalid-publisher");
  const rows = publishers.filter(
    (p) => p.repository === name && p.owner === owner && p.owner_id === claims.repository_owner_id && p.workflow_filename === filename,
  );
  const publisher = mostSpecific(rows, claims.environment, true);
  if (!publisher) throw new Invalid(T.LOOKUP_FAILED, "invalid-publisher");
  const failed = (claim) => new Invalid(T.REQUIRED_CLAIM_CHECK_FAILED, claim === "sub" ? "sub-claim-check-failed" : "claim-check-failed", { claim_name: claim });
  if (claims.repository.toLowerCase() !== `${publisher.owner}/${publisher.repository}`.toLowerCase()) throw failed("repository");
  if (claims.repository_owner !== publisher.owner) throw failed("repository_owner");
  if (claims.repository_owner_id !== publisher.owner_id) throw failed("repository_owner_id");
  if (!claims.job_workflow_ref) throw new Invalid(T.JOB_WORKFLOW_REF_EMPTY, "invalid-publisher");
  if (!(claims.ref || claims.sha)) throw new Invalid(T.REF_AND_SHA_EMPTY, "invalid-publisher");
  checkRef(
    T.JOB_WORKFLOW_REF_MISMATCH,
    "job-workflow-ref-mismatch",
    `${publisher.owner}/${publisher.repository}/.github/workflows/${publisher.workflow_filename}`,
    claims.job_workflow_ref,
    [claims.ref, claims.sha],
  );
  if (claims.event_name === "pull_request_target") throw new Invalid(T.PULL_REQUEST_TARGET, "pull-request-target-not-supported");
  if (publisher.environment) {
    const env = claims.environment;
    if (!env || env.toLowerCase() !== publisher.environment.toLowerCase()) {
      throw new Invalid(T.OPTIONAL_CLAIM_CHECK_FAILED, "claim-check-failed", { claim_name: "environment" });
    }
  }
  return publisher;
}

function findGitlab(claims, publishers, T) {
  require_(claims, ["sub", "project_path", "ci_config_ref_uri", "jti", "ref_path", "sha"], T);
  const [namespace, project] = split1(claims.project_path, "/", true);
  const filepath = gitlabWorkflowFilepath(claims.ci_config_ref_uri);
  if (!filepath) throw new Invalid(T.GITLAB_NO_WORKFLOW_FILEPATH, "invalid-publisher");
  const rows = publishers.filter(
    (p) =>
      p.namespace.toLowerCase() === namespace.toLowerCase() &&
      p.project.toLowerCase() === project.toLowerCase() &&
      p.workflow_filepath === filepath &&
      p.issuer_url === claims.iss,
  );
  const publisher = mostSpecific(rows, claims.environment, false);
  if (!publisher) throw new Invalid(T.LOOKUP_FAILED, "invalid-publisher");
  const failed = (claim) => new Invalid(T.REQUIRED_CLAIM_CHECK_FAILED, "claim-check-failed", { claim_name: claim });
  const projectPath = `${publisher.namespace}/${publisher.project}`;
  const parts = claims.sub.split(":");
  if (parts.length < 2 || !(parts[0] && parts[1])) throw failed("sub");
  if (`${parts[0]}:${parts[1]}`.toLowerCase() !== `project_path:${projectPath}`.toLowerCase()) throw failed("sub");
  if (claims.project_path.toLowerCase() !== projectPath.toLowerCase()) throw failed("project_path");
  if (!claims.ci_config_ref_uri) throw new Invalid(T.CI_CONFIG_REF_URI_EMPTY, "invalid-publisher");
  if (!(claims.ref_path && claims.sha)) throw new Invalid(T.REF_PATH_AND_SHA_EMPTY, "invalid-publisher");
  const domain = publisher.issuer_url.replace(/^https:\/\//, "");
  checkRef(T.CI_CONFIG_REF_URI_MISMATCH, "ci-config-ref-uri-mismatch", `${domain}/${projectPath}//${publisher.workflow_filepath}`, claims.ci_config_ref_uri, [claims.ref_path, claims.sha]);
  if (publisher.environment && claims.environment !== publisher.environment) {
    throw new Invalid(T.OPTIONAL_CLAIM_CHECK_FAILED, "claim-check-failed", { claim_name: "environment" });
  }
  return publisher;
}

function differ(stored, claimed, name) {
  if (stored === claimed) return [];
  return [stored.toLowerCase() === claimed.toLowerCase() ? `${name}-case-mismatch` : `${name}-mismatch`];
}

/** How a publisher differs from the claims (model: exchange._differences); null if not comparable. */
export function differences(claims, p) {
  const env = claims.environment;
  const found = [];
  if (p.kind === "github") {
    if (!("repository" in claims) || !("job_workflow_ref" in claims)) return null;
    const [owner, name] = split1(claims.repository, "/", false);
    found.push(...differ(p.owner, owner, "owner"));
    found.push(...differ(p.repository, name, "repository"));
    if (p.owner_id !== claims.repository_owner_id) found.push("owner-id-mismatch");
    found.push(...differ(p.workflow_filename, githubWorkflowFilename(claims.job_workflow_ref) || "", "workflow"));
    if (p.environment && !env) found.push("environment-missing");
    else if (p.environment && p.environment !== (env || "").toLowerCase()) found.push("environment-mismatch");
    return found;
  }
  if (!("project_path" in claims) || !("ci_config_ref_uri" in claims)) return null;
  const [namespace, project] = split1(claims.project_path, "/", true);
  if (p.namespace.toLowerCase() !== namespace.toLowerCase()) found.push("namespace-mismatch");
  if (p.project.toLowerCase() !== project.toLowerCase()) found.push("project-mismatch");
  found.push(...differ(p.workflow_filepath, gitlabWorkflowFilepath(claims.ci_config_ref_uri) || "", "workflow"));
  if (p.environment && !env) found.push("environment-missing");
  else if (p.environment && p.environment !== env) found.push(...differ(p.environment, env || "", "environment"));
  return found;
}

/** Why no publisher matched (model: exchange.diagnose): the differences to the closest one. */
export function diagnose(claims, registrations, index) {
  let best = null;
  for (const r of registrations) {
    let d = differences(claims, r.publisher);
    if (d === null) continue;
    if (r.index !== index) d = ["publisher-on-other-index", ...d];
    if (best === null || d.length < best.length) best = d;
  }
  return best || ["no-publisher-registered"];
}

/**
 * What `index` answers to a token with these claims, given normal (non-pending) registrations
 * [{publisher (stored form), index}] (model: exchange.exchange).
 * {ok: true, publisher} or {ok: false, slug, code, text, reason: {text, fields} | null, description, causes};
 * `text` and `reason.text` name model texts (model.texts).
 */
export function exchange(claims, registrations, index, model) {
  const T = Object.fromEntries(Object.keys(model.texts).map((k) => [k, k]));
  const err = (slug, code, text, causes = [], reason = null) => ({
    ok: false,
    slug,
    code,
    text,
    reason,
    description: reason ? format(model.texts[text], { reason: format(model.texts[reason.text], reason.fields) }) : text ? model.texts[text] : "",
    causes,
  });
  if (!claims.iss) return err("malformed-jwt", "invalid-payload", T.MALFORMED_JWT);
  let service = model.services[claims.iss];
  if (!service && registrations.some((r) => r.publisher.kind === "gitlab" && r.publisher.issuer_url === claims.iss)) service = "gitlab";
  if (!service) return err("unknown-issuer", "invalid-payload", T.UNKNOWN_ISSUER);
  if (claims.aud !== index) return err("invalid-token", "invalid-token", T.MALFORMED_OR_INVALID_TOKEN);
  if (service !== "github" && service !== "gitlab") return { ok: false, slug: "not-modelled", code: "", text: null, reason: null, description: `${service} publishers are not modelled`, causes: [] };
  const rows = new Map();
  for (const r of registrations) if (r.index === index && !rows.has(identity(r.publisher))) rows.set(identity(r.publisher), r);
  const publishers = [...rows.values()].map((r) => r.publisher).filter((p) => p.kind === service);
  try {
    const found = service === "github" ? findGithub(claims, publishers, T) : findGitlab(claims, publishers, T);
    return { ok: true, publisher: found };
  } catch (e) {
    if (!(e instanceof Invalid)) throw e;
    if (e.slug === "not-modelled") return { ok: false, slug: "not-modelled", code: "", text: null, reason: null, description: e.fields.reason, causes: [] };
    const causes = e.slug === "invalid-publisher" ? diagnose(claims, registrations, index) : [];
    return err(e.slug, "invalid-publisher", T.NO_CORRESPONDING_PUBLISHER, causes, { text: e.template, fields: e.fields });
  }
}
