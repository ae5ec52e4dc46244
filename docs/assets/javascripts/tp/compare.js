// Compare the publisher a reader typed with the claims a log shows, field by field, by the model's
// matching rules (warehouse.js, a port of src/tpsite/model/). Pure functions (no DOM).

import { exchange, storedPublisher, githubWorkflowFilename, gitlabWorkflowFilepath } from "./warehouse.js";

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

// The form's fields in its order; their labels come from the model (model.labels).
const FIELDS = { github: ["owner", "repository", "workflow", "environment"], gitlab: ["namespace", "project", "pipeline", "environment"] };

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
  const labels = model.labels[platform];
  for (const [i, field] of FIELDS[platform].entries()) {
    const label = labels[i];
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
        const c = parsed.claims;
        const callee = c.job_workflow_ref ? githubWorkflowFilename(c.job_workflow_ref) : null;
        const caller = c.workflow_ref ? githubWorkflowFilename(c.workflow_ref) : null;
        if (caller && callee && caller !== callee && mine === caller) note = `You registered the calling workflow (${caller}); the job that publishes is in ${callee}, and that is the file PyPI compares.`;
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

