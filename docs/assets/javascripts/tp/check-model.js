// The model's claims and publisher form for the Check page: a faithful port of what the checker
// asks of src/tpsite/model/ (workflow.py: permissions and environment; claims.py: github_claims,
// gitlab_claims; form.py: pending_publisher_form, gitlab_pending_publisher_form). The form is then
// checked by the site's port of PyPI's matching (warehouse.js), as form._checked does.

import { get, has, isMap, pyStr } from "./check-text.js";
import { triggers } from "./check-steps.js";
import { exchange, githubWorkflowFilename, storedPublisher } from "./warehouse.js";

const WORKFLOWS_DIR = ".github/workflows/";
const PLACEHOLDER_SHA = "0123456789abcdef0123456789abcdef01234567";

export class ModelError extends Error {}

const repr = (s) => (s.includes("'") && !s.includes('"') ? `"${s}"` : `'${s}'`);

/** workflow.check_path. */
export function checkPath(path) {
  path = path.replace(/^\.\//, "");
  const name = path.startsWith(WORKFLOWS_DIR) ? path.slice(WORKFLOWS_DIR.length) : path;
  if (!path.startsWith(WORKFLOWS_DIR) || name.includes("/") || !(name.endsWith(".yml") || name.endsWith(".yaml"))) {
    throw new ModelError(`${repr(path)} is not a workflow file directly in ${WORKFLOWS_DIR}`);
  }
  return path;
}

function grantsIdTokenIn(permissions) {
  if (permissions === "write-all") return true;
  return isMap(permissions) && get(permissions, "id-token") === "write";
}

/** workflow.grants_id_token: the job's permissions replace the workflow's; none: no id-token. */
export function grantsIdToken(workflow, job) {
  if (has(job, "permissions")) return grantsIdTokenIn(job.permissions);
  if (has(workflow, "permissions")) return grantsIdTokenIn(workflow.permissions);
  return false;
}

export const declaresPermissions = (workflow, job) => has(job, "permissions") || has(workflow, "permissions");

/** workflow.environment (the checker catches the expression case before). */
export function environmentOf(job) {
  let env = get(job, "environment");
  if (isMap(env)) env = get(env, "name");
  if (env === undefined || env === null || env === "") return null;
  return pyStr(env);
}

/** workflow.uses for a job that calls a workflow of this repository. */
function usesPath(job) {
  const value = pyStr(get(job, "uses"));
  if (value.startsWith("./") || value.startsWith("$/")) return checkPath("./" + value.slice(2));
  return null;
}

/**
 * claims.github_claims: the token's claims, or {clientError: slug} when the job gets no token.
 * repository: {owner, name, ownerId}; trigger: {event, ref}; called: {workflow, jobId} or null.
 */
export function githubClaims(workflow, { workflowPath, jobId, repository, trigger, audience, called, issuer }) {
  workflowPath = checkPath(workflowPath);
  if (!(trigger.event in triggers(workflow))) throw new ModelError(`${workflowPath} does not run on ${repr(trigger.event)}`);
  const callerJob = workflow.jobs[jobId];
  const full = `${repository.owner}/${repository.name}`;
  const workflowRef = `${full}/${workflowPath}@${trigger.ref}`;
  let publishingJob = callerJob;
  let hasIdToken;
  let jobWorkflowRef = workflowRef;
  const call = has(callerJob, "uses") ? usesPath(callerJob) : null;
  if (!called) {
    hasIdToken = grantsIdToken(workflow, callerJob);
  } else {
    if (!("workflow_call" in triggers(called.workflow))) throw new ModelError(`${call} has no \`on: workflow_call\``);
    publishingJob = called.workflow.jobs[called.jobId];
    hasIdToken = grantsIdToken(workflow, callerJob) && (!declaresPermissions(called.workflow, publishingJob) || grantsIdToken(called.workflow, publishingJob));
    jobWorkflowRef = `${full}/${call}@${trigger.ref}`;
  }
  if (!hasIdToken) return { clientError: "id-token-permission-missing" };
  const environment = environmentOf(publishingJob);
  const claims = {
    iss: issuer,
    aud: audience,
    jti: `jti-${jobId}`,
    ref: trigger.ref,
    sha: PLACEHOLDER_SHA,
    repository: full,
    repository_owner: repository.owner,
    repository_owner_id: String(repository.ownerId),
    repository_id: "1",
    run_id: "1",
    run_number: "1",
    run_attempt: "1",
    actor: repository.owner,
    event_name: trigger.event,
    ref_type: trigger.ref.startsWith("refs/tags/") ? "tag" : "branch",
    workflow: pyStr(get(workflow, "name") || workflowPath),
    workflow_ref: workflowRef,
    workflow_sha: PLACEHOLDER_SHA,
    job_workflow_ref: jobWorkflowRef,
    job_workflow_sha: PLACEHOLDER_SHA,
    runner_environment: "github-hosted",
  };
  if (environment !== null) claims.environment = environment;
  claims.sub = `repo:${full}:${environment ? `environment:${environment}` : trigger.event === "pull_request" ? "pull_request" : `ref:${trigger.ref}`}`;
  return claims;
}

/** claims.gitlab_claims for the top-level .gitlab-ci.yml at a tag. */
export function gitlabClaims({ projectPath, environment, audience, issuer, refPath = "refs/tags/v1.0.0", ciConfigPath = ".gitlab-ci.yml" }) {
  const namespace = projectPath.slice(0, projectPath.lastIndexOf("/"));
  const [refType, ref] = refPath.startsWith("refs/tags/") ? ["tag", refPath.slice(10)] : ["branch", refPath.replace(/^refs\/heads\//, "")];
  const host = issuer.replace(/^https:\/\//, "");
  const claims = {
    iss: issuer,
    aud: audience,
    jti: `jti-${projectPath}`,
    sub: `project_path:${projectPath}:ref_type:${refType}:ref:${ref}`,
    namespace_path: namespace,
    project_path: projectPath,
    ref,
    ref_type: refType,
    ref_path: refPath,
    sha: PLACEHOLDER_SHA,
    ci_config_ref_uri: `${host}/${projectPath}//${ciConfigPath}@${refPath}`,
    ci_config_sha: PLACEHOLDER_SHA,
    pipeline_source: "push",
  };
  if (environment !== null && environment !== undefined) claims.environment = environment;
  return claims;
}

/**
 * form.pending_publisher_form / gitlab_pending_publisher_form, checked as form._checked does:
 * {values} or {refused: {slug, description}} when PyPI would refuse that pending publisher.
 */
export function checkedForm(kind, claims, values, index, owner, model) {
  const publisher =
    kind === "gitlab"
      ? storedPublisher({ kind, namespace: values.owner, project: values.repository, workflow_filepath: values.workflow_filename, environment: values.environment, issuer_url: model.issuers.gitlab }, model)
      : storedPublisher({ kind, owner: values.owner, repository: values.repository, owner_id: owner.ownerId, workflow_filename: values.workflow_filename, environment: values.environment }, model);
  if (publisher.error) return { refused: { slug: "form-error", description: publisher.error } };
  const outcome = exchange(claims, [{ publisher, index }], index, model);
  return outcome.ok ? { values } : { refused: { slug: outcome.slug, description: outcome.description } };
}

export function githubFormValues(claims, repository) {
  return {
    owner: repository.owner,
    repository: repository.name,
    workflow_filename: githubWorkflowFilename(claims.job_workflow_ref) || "",
    environment: claims.environment ?? "",
  };
}
