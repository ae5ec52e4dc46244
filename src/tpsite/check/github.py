"""Checking one GitHub Actions workflow: which jobs publish, the token each presents, the publisher
PyPI needs for it, and every pitfall, each at its line.

The token and the form come from the model (tpsite.model: github_claims, pending_publisher_form);
the rules read the workflow as loaded by check.load (plain data plus a line per path): the uploads
(check.uploads), the triggers (check.triggers), the steps (check.steps) and, here, the jobs. The
browser's Check page runs the same rules (docs/assets/javascripts/tp/check.js); vectors keep them equal.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from packaging.utils import canonicalize_name

from tpsite.check import steps as step_rules
from tpsite.check import texts
from tpsite.check import triggers as trig
from tpsite.check.findings import Finding
from tpsite.check.load import Loaded, Refused, load
from tpsite.check.uploads import (
    PUBLISH_ACTION,
    WITHOUT_OIDC,
    Upload,
    builds,
    env_text,
    local_action,
    manual_exchange,
    run,
    step_items,
    step_uploads,
    steps,
    uses,
    with_,
)  # fmt: skip
from tpsite.model import (
    CalledWorkflow,
    ClientError,
    GitHubRepository,
    Index,
    RefusedJob,
    Trigger,
    github_claims,
    pending_publisher_form,
    workflow,
)

_EXPRESSION = re.compile(r"\$\{\{")
_NON_LINUX = re.compile(r"\b(?:windows|macos)(?:-|\b)", re.IGNORECASE)
# Actions that need an OIDC token for something else than PyPI (signing, attesting, cloud logins).
_OTHER_OIDC = ("actions/attest", "sigstore/", "astral-sh/attest-action", "aws-actions/", "azure/login", "google-github-actions/auth", "slsa-framework/", "rust-lang/crates-io-auth-action")
# A remote reusable workflow whose name or inputs say it publishes.
_PUBLISHING_NAME = re.compile(r"publish|deploy|pypi", re.IGNORECASE)
# A concurrency group that names the run's ref (else every run of the workflow shares it).
# A project's page on PyPI or TestPyPI (an environment's URL).
PROJECT_URL = re.compile(r"https://(?:test\.)?pypi\.org/p(?:roject)?/([^/\s]+)")
_PER_REF = re.compile(r"github\.(?:ref|ref_name|sha|run_id|head_ref)\b|pull_request\.number")
# Steps that restore a cache: the action, and the input that turns its cache on.
_CACHES = {"actions/setup-python": "cache", "astral-sh/setup-uv": "enable-cache", "actions/setup-node": "cache", "actions/cache": None, "actions/cache/restore": None}


@dataclass
class JobReport:
    file: str
    job: str
    publishes_with: str
    index: str
    environment: str | None
    claims: dict[str, dict[str, str]]
    publisher: dict[str, str] | None
    why_no_publisher: str | None

    def as_json(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "job": self.job,
            "publishes_with": self.publishes_with,
            "index": self.index,
            "environment": self.environment,
            "claims": self.claims,
            "publisher": self.publisher,
            "why_no_publisher": self.why_no_publisher,
        }


@dataclass
class Context:
    """What a workflow's check can read beyond the file itself, and what it tells the others."""

    repository: GitHubRepository | None
    load: Callable[[str], Loaded | None]  # a file of the checkout by path (None if absent)
    project: str | None  # the name in pyproject.toml
    per_commit_version: bool | None = None  # the version changes with each commit (None: not known)
    metadata_version: str | None = None  # what the build backend writes, where known
    findings: list[Finding] = field(default_factory=list)
    # The jobs that publish or can mint a token (file -> job ids) and the local composite actions
    # they run: where zizmor's findings matter for publishing.
    scope: dict[str, set[str]] = field(default_factory=dict)
    actions: set[str] = field(default_factory=set)
    # Reusable workflows: the files local jobs call, and the publishing jobs of workflows that only
    # run when called ((file, job, line)), reported when no local job calls them.
    called: set[str] = field(default_factory=set)
    reusable: list[tuple[str, str, int]] = field(default_factory=list)
    indexes: dict[str, str] = field(default_factory=dict)  # [[tool.uv.index]] name -> publish-url


def _environment(job: Mapping[str, Any]) -> tuple[str | None, str]:
    env = job.get("environment")
    url = ""
    if isinstance(env, Mapping):
        url = str(env.get("url") or "")
        env = env.get("name")
    return (str(env) if env not in (None, "") else None), url


_INPUT = re.compile(r"\$\{\{\s*inputs\.([\w-]+)\s*\}\}")


def _called(loaded: Loaded, job: Mapping[str, Any], ctx: Context) -> Loaded | None:
    """The local reusable workflow a job calls (`./.github/...` or `$/.github/...`), if readable,
    with `${{ inputs.name }}` put in: the caller's `with:` value, else the input's default."""
    call = job.get("uses")
    if not isinstance(call, str) or not call.startswith(("./", "$/")):
        return None
    called = ctx.load(call[2:].split("@")[0])
    if called is None or not _INPUT.search(called.text):
        return called
    on = trig.triggers(called.data).get("workflow_call")
    declared = on.get("inputs") if isinstance(on, Mapping) and isinstance(on.get("inputs"), Mapping) else {}
    values = {str(k): v["default"] for k, v in declared.items() if isinstance(v, Mapping) and "default" in v}
    values.update({str(k): v for k, v in with_(job).items()})

    def value(m: re.Match[str]) -> str:
        return str(values[m[1]]).replace("\n", " ") if m[1] in values and not isinstance(values[m[1]], (Mapping, list)) else m[0]

    try:
        return load(called.file, _INPUT.sub(value, called.text))
    except Refused:
        return called


def _project_urls(jobs: Mapping[str, Any]) -> set[str]:
    """The projects the environments' URLs of a workflow name (PyPI or TestPyPI project pages)."""
    found = set()
    for job in jobs.values():
        if isinstance(job, Mapping):
            m = PROJECT_URL.search(_environment(job)[1])
            if m and not _EXPRESSION.search(m[1]):
                found.add(canonicalize_name(m[1]))
    return found


def check_workflow(loaded: Loaded, ctx: Context) -> list[JobReport]:
    """The report of every publishing job of a workflow; findings go to `ctx.findings`."""
    data = loaded.data
    jobs = data.get("jobs")
    if not isinstance(jobs, Mapping):
        return []
    on = trig.triggers(data)
    only_called = bool(on) and set(on) <= {"workflow_call"}  # reported through its callers
    events = [e for e in on if e in trig.REFS]

    def add(id_: str, line: int, variant: str = "", file: str = loaded.file, **fields: Any) -> None:
        ctx.findings.append(Finding(id_, file, line, texts.message(id_, variant, **fields)))

    if step_rules.grants(data.get("permissions"), "id-token"):
        where = loaded.line("permissions", "id-token") if isinstance(data.get("permissions"), Mapping) else loaded.line("permissions")
        add("id-token-at-workflow-level", where)
    uploaded = step_rules.artifacts(data, ctx.load)
    projects = _project_urls(jobs)
    reports: list[JobReport] = []
    publishes = False
    publishers: list[Mapping[str, Any]] = []
    for job_id, job in jobs.items():
        if not isinstance(job, Mapping):
            continue
        path = ("jobs", job_id)
        found = step_uploads(loaded, path, job, ctx, env_text(data.get("env")))
        manual_exchange([(loaded, (*path, "steps", i, "run"), run(st)) for i, st in step_items(job)], found)
        calls = _call(loaded, job_id, job, ctx, add)
        for _, inner in calls:
            found.extend(inner)
        job_grants = workflow.grants_id_token(data, job)
        if found or job_grants:
            _note_actions(job, ctx)
        step_rules.check_steps(loaded, path, job, job_grants, uploaded, bool(found), ctx.metadata_version, add)
        _check_token_holder(loaded, job_id, job, found, ctx, add)
        if not found:
            continue
        publishes = True
        publishers.append(job)
        ctx.scope.setdefault(loaded.file, set()).add(job_id)
        if only_called:
            ctx.reusable.append((loaded.file, job_id, loaded.line(*path)))
        _check_publishing_job(loaded, job_id, job, found, calls, projects, ctx, add, only_called)
        if not only_called:
            for called_, uploads_ in calls or [(None, found)]:
                name = f"{job_id}/{called_.job_id}" if called_ is not None and len(calls) > 1 else job_id
                reports.extend(_reports(loaded, job_id, job, uploads_, called_, events, ctx, name))
    step_rules.check_artifact_names(loaded, add)
    if publishes:
        trig.check_release_types(loaded, add)
        _check_environment_placement(loaded, publishers, add)
        _check_concurrency(loaded, data.get("concurrency"), ("concurrency",), publishers, add)
    return reports


def _check_environment_placement(loaded: Loaded, publishers: list[Mapping[str, Any]], add: Callable[..., None]) -> None:
    """An environment on a job that does not upload, while a job that uploads has none: the
    environment's rules guard the wrong job, and a publisher naming it never matches."""
    if not any(_environment(j)[0] is None and "uses" not in j for j in publishers):
        return
    jobs = loaded.data["jobs"]
    for job_id, job in jobs.items():
        if isinstance(job, Mapping) and job not in publishers and "uses" not in job and _environment(job)[0] is not None:
            add("environment-on-build-job", loaded.line("jobs", job_id, "environment"), job=job_id, environment=_environment(job)[0])


def _check_concurrency(loaded: Loaded, concurrency: Any, path: tuple[str, ...], jobs: list[Mapping[str, Any]], add: Callable[..., None]) -> None:
    """`cancel-in-progress: true` where two runs that publish can share the group: a group that
    does not name the run's ref, or a tag push and a release (the same tag's ref) both publishing."""
    if not isinstance(concurrency, Mapping) or str(concurrency.get("cancel-in-progress")).lower() != "true":
        return
    on = trig.triggers(loaded.data)
    push = on.get("push", False)
    pushes_tags = "push" in on and not (isinstance(push, Mapping) and ("branches" in push or "branches-ignore" in push) and "tags" not in push)
    tag_events = [e for e in ("push", "release") if (e == "release" and "release" in on) or (e == "push" and pushes_tags)]
    shared = not _PER_REF.search(str(concurrency.get("group") or ""))
    both = len(tag_events) == 2 and all(any(trig.reaches(e, j) for j in jobs) for e in tag_events)
    if shared or both:
        add("concurrency-cancels-publish", loaded.line(*path, "cancel-in-progress"), "shared" if shared else "tag-and-release")


def _note_actions(job: Mapping[str, Any], ctx: Context) -> None:
    """The local composite actions a job runs (zizmor audits them with the workflows)."""
    for step in steps(job):
        action, _ = uses(step)
        composite = local_action(ctx.load, action) if action.startswith("./") else None
        if composite is not None:
            ctx.actions.add(composite.file)


def _call(loaded: Loaded, job_id: str, job: Mapping[str, Any], ctx: Context, add: Callable[..., None]) -> list[tuple[CalledWorkflow, list[Upload]]]:
    """A job that calls a reusable workflow: each job of it that uploads, with its uploads; the
    call is a finding."""
    call = job.get("uses")
    if not isinstance(call, str):
        return []
    line = loaded.line("jobs", job_id, "uses")
    called_file = _called(loaded, job, ctx)
    if called_file is None:
        secrets = job.get("secrets")
        passes = secrets == "inherit" or bool(re.search(r"pypi", env_text(secrets), re.IGNORECASE)) or workflow.grants_id_token(loaded.data, job)
        inputs = " ".join(str(k) for k, v in with_(job).items() if str(v).lower() != "false")
        if not call.startswith(("./", "$/", *_OTHER_OIDC)) and passes and _PUBLISHING_NAME.search(call.split("@")[0] + " " + inputs):
            ctx.scope.setdefault(loaded.file, set()).add(job_id)
            add("reusable-workflow-publishing", line, "remote", job=job_id, call=call)
        return []
    ctx.called.add(called_file.file)
    called_jobs = called_file.data.get("jobs") if isinstance(called_file.data.get("jobs"), Mapping) else {}
    calls = []
    for cid, cjob in called_jobs.items():
        if not isinstance(cjob, Mapping):
            continue
        inner = step_uploads(called_file, ("jobs", cid), cjob, ctx, env_text(called_file.data.get("env")))
        manual_exchange([(called_file, ("jobs", cid, "steps", i, "run"), run(st)) for i, st in step_items(cjob)], inner)
        if inner:
            for u in inner:
                u.step = None
            ctx.scope.setdefault(called_file.file, set()).add(cid)
            add("reusable-workflow-publishing", line, called=called_file.file, job=cid)
            calls.append((CalledWorkflow(called_file.data, cid), inner))
    return calls


def _check_token_holder(loaded: Loaded, job_id: str, job: Mapping[str, Any], found: list[Upload], ctx: Context, add: Callable[..., None]) -> None:
    """A job that can mint a token and builds, or does not publish at all."""
    data = loaded.data
    if not workflow.grants_id_token(data, job) or "uses" in job:
        return
    path = ("jobs", job_id)
    own = "permissions" in job
    if own:
        ctx.scope.setdefault(loaded.file, set()).add(job_id)
    grant_line = loaded.line(*path, "permissions", "id-token") if own and isinstance(job.get("permissions"), Mapping) else loaded.line(*path, "permissions") if own else loaded.line("permissions", "id-token")
    built = builds(loaded, path, job, ctx.load)
    if built is not None:
        file, line = built
        where = (file, line) if file != loaded.file else (loaded.file, grant_line)
        add("id-token-in-build-job", where[1], "builds", where[0], job=job_id)
        return
    if found or not own:
        return  # publishes; or inherits the grant, which id-token-at-workflow-level reports
    actions_ = [uses(s)[0] for s in steps(job)]
    if any(a.startswith(_OTHER_OIDC) for a in actions_):
        return
    if any(a and not a.startswith(("actions/", "./", "docker://")) for a in actions_):
        return  # a third-party action may use the token: we cannot see inside
    add("id-token-in-build-job", grant_line, "idle", job=job_id)


def _check_publishing_job(loaded: Loaded, job_id: str, job: Mapping[str, Any], found: list[Upload], calls: list[tuple[CalledWorkflow, list[Upload]]], projects: set[str], ctx: Context, add: Callable[..., None], only_called: bool) -> None:
    called = calls[0][0] if calls else None
    data = loaded.data
    path = ("jobs", job_id)
    job_line = loaded.line(*path)
    on = trig.triggers(data)
    publishing_job = called.workflow["jobs"][called.job_id] if called else job
    env_name, env_url = _environment(publishing_job)
    if env_name and env_name != env_name.lower() and not _EXPRESSION.search(env_name) and called is None:
        add("environment-case", loaded.line(*path, "environment"), environment=env_name)
    oidc = [u for u in found if u.oidc]
    if env_name is None and oidc and called is None:
        add("no-environment", job_line, job=job_id)
    if env_url and ctx.project and len(projects) <= 1:
        m = PROJECT_URL.search(env_url)
        if m and not _EXPRESSION.search(m[1]) and canonicalize_name(m[1]) != canonicalize_name(ctx.project):
            add("dist-name-vs-project-name", loaded.line(*path, "environment"), url_project=m[1], project=ctx.project)
    runs_on = str(job.get("runs-on") or "")
    strategy = job.get("strategy")
    matrix = strategy.get("matrix") if isinstance(strategy, Mapping) else None
    if any(u.tool == PUBLISH_ACTION for u in found) and called is None and (_NON_LINUX.search(runs_on) or (isinstance(matrix, Mapping) and _NON_LINUX.search(str(matrix)) and "matrix" in runs_on)):
        add("non-linux-runner-for-action", loaded.line(*path, "runs-on"), job=job_id, runner=runs_on)
    if step_rules.matrix_legs(job) > 1 and not re.search(r"matrix\.", str(job.get("if") or "")) and not all(re.search(r"matrix\.", u.condition) for u in found):
        add("publish-per-matrix-leg", loaded.line(*path, "strategy"), job=job_id)
    for _, group in calls or [(None, found)]:
        seen: dict[Index, Upload] = {}
        for u in group:
            if u.index is None:
                continue
            if u.index in seen:
                add("publish-twice-in-one-job", u.line, "", u.file, job=job_id, index=u.index.site_name, first=seen[u.index].line)
            else:
                seen[u.index] = u
    for event in ("pull_request", "pull_request_target"):
        if event in on and trig.reaches(event, job):
            if event == "pull_request_target":
                add("pull-request-target", loaded.line("on", event), job=job_id)
            else:
                add("publish-on-pull-request", loaded.line("on", event), job=job_id)
    _check_repeats(loaded, job_id, job, found, ctx, add)
    for u in found:
        if u.index is Index.PYPI and u.skip_existing:
            add("skip-existing-on-pypi", u.skip_existing, "", u.file)
    if "push" in on and trig.pushes_branches(on["push"]) and trig.reaches("push", job) and env_name is None:
        guarded = trig.TAG_GUARD.search(str(job.get("if") or ""))
        pypi = [u for u in found if u.index is Index.PYPI and not trig.TAG_GUARD.search(u.condition)]
        if pypi and not guarded:
            add("publish-on-branch-push", loaded.line("on", "push"), job=job_id)
    for i, step in step_items(job):
        action, _ = uses(step)
        if action in _CACHES:
            flag = _CACHES[action]
            value = with_(step).get(flag) if flag else True
            if value not in (None, "", False) and str(value).lower() != "false":
                add("cache-in-publish-job", loaded.line(*path, "steps", i, "with", flag) if flag else loaded.line(*path, "steps", i), job=job_id, action=action)
    _check_concurrency(loaded, job.get("concurrency"), (*path, "concurrency"), [job], add)
    for called_, uploads_ in calls or [(None, found)]:
        _check_uploads(loaded, job_id, job, uploads_, called_, add, only_called)


def _check_repeats(loaded: Loaded, job_id: str, job: Mapping[str, Any], found: list[Upload], ctx: Context, add: Callable[..., None]) -> None:
    """TestPyPI uploads on events that repeat (branch pushes, dispatches, schedules) without skip-existing."""
    on = trig.triggers(loaded.data)
    repeated = [e for e in trig.repeats(on) if trig.reaches(e, job)]
    if not repeated and "workflow_dispatch" in on and trig.reaches("workflow_dispatch", job):
        tags = ("push" in on and not trig.pushes_branches(on["push"]) and trig.reaches("push", job)) or ("release" in on and trig.reaches("release", job))
        repeated = [] if tags else ["workflow_dispatch"]  # run by hand, again and again, for the same version
    test = next((u for u in found if u.index is Index.TESTPYPI and not u.skip_existing), None)
    if not repeated or test is None:
        return
    if ctx.per_commit_version is False:
        add("static-testpypi-version", test.line, "", test.file, job=job_id, events=" and ".join(repeated))
    elif "push" in repeated and ctx.per_commit_version:
        add("testpypi-without-skip-existing-on-every-push", test.line, "", test.file, job=job_id)


def _check_uploads(loaded: Loaded, job_id: str, job: Mapping[str, Any], found: list[Upload], called: CalledWorkflow | None, add: Callable[..., None], only_called: bool) -> None:
    """Each upload's tool and credentials against the job's permission (a reusable workflow's
    permission is its callers' to give: checked through them)."""
    data = loaded.data
    path = ("jobs", job_id)
    if called is None:
        grants = workflow.grants_id_token(data, job)
    else:
        inner = called.workflow["jobs"][called.job_id]
        grants = workflow.grants_id_token(data, job) and (not workflow.declares_permissions(called.workflow, inner) or workflow.grants_id_token(called.workflow, inner))
    for u in found:
        if u.manual is not None:
            add("manual-token-exchange-hides-errors", u.manual[1], "", u.manual[0])
        if u.tool == "uv publish" and not u.token and not u.trusted_always:
            add("uv-publish-automatic-mode", u.line, "", u.file)
        if u.tool in WITHOUT_OIDC:
            add("publisher-tool-without-oidc", u.line, "", u.file, tool=u.tool)
        if u.token and u.username is not None and u.username.strip() != "__token__":
            add("password-credentials", u.username_line or u.line, "", u.file, username=u.username)
        elif u.tool != PUBLISH_ACTION and u.token and u.manual is None and u.tool not in WITHOUT_OIDC:
            add("token-with-oidc" if grants else "api-token-instead-of-oidc", u.line, "", u.file, tool=u.tool)
        if u.oidc and not grants and u.index is not None and not only_called:
            own = "permissions" in job or "permissions" in data
            line = loaded.line(*path, "permissions") if "permissions" in job else loaded.line(*path)
            add("missing-id-token-permission", line, tool=u.tool, grant="lists permissions without" if own else "has no")


def valid_project(name: str | None) -> bool:
    """A project name PyPI's form takes (PEP 508); none given stands for "your-project"."""
    try:
        canonicalize_name(name or "your-project", validate=True)
    except ValueError:
        return False
    return True


def pending_refusal(exc: Exception) -> str:
    """The model's refusal of a pending publisher (RefusedJob "... (slug): description") as our text."""
    m = re.search(r"\(([\w-]+)\): (.*)", str(exc).split("\n")[0])
    return texts.why("pending", slug=m[1], description=m[2]) if m else str(exc)


def _form_values(form: Any) -> dict[str, str]:
    return {"owner": form.owner, "repository": form.repository, "workflow_filename": form.workflow, "environment": form.environment}


def _reports(loaded: Loaded, job_id: str, job: Mapping[str, Any], found: list[Upload], called: CalledWorkflow | None, events: list[str], ctx: Context, name: str) -> Iterator[JobReport]:
    """One entry per upload tool and index: the claims for each trigger that reaches the job, and the form."""
    data = loaded.data
    on = trig.triggers(data)
    seen: set[tuple[str, str]] = set()
    env_name, _ = _environment(job if called is None else called.workflow["jobs"][called.job_id])
    reachable = [e for e in events if trig.reaches(e, job)] or events
    for upload in found:
        if upload.index is None or (upload.tool, upload.index.value) in seen:
            continue
        index = upload.index
        seen.add((upload.tool, index.value))
        claims: dict[str, dict[str, str]] = {}
        why: str | None = None
        publisher = None
        if ctx.repository is None:
            why = texts.why("no-repository")
        elif upload.tool in WITHOUT_OIDC:
            why = texts.why("tool", tool=upload.tool)
        elif not upload.oidc:
            why = texts.why("token")
        elif not reachable:
            why = texts.why("no-trigger")
        elif env_name is not None and _EXPRESSION.search(env_name):
            why = texts.why("environment-expression", environment=env_name)
        elif not valid_project(ctx.project):
            why = texts.why("project-name", project=ctx.project)
        else:
            for event in reachable:
                try:
                    got = github_claims(
                        data, workflow_path=loaded.file, job_id=job_id, repository=ctx.repository,
                        trigger=Trigger(event_name=event, ref=trig.ref_for(event, on.get(event))), audience=index.audience, called=called,
                    )  # fmt: skip
                except ValueError as exc:
                    why = str(exc)
                    continue
                if isinstance(got, ClientError):
                    why = texts.why("no-token", slug=got.slug)
                    continue
                keep = ("repository", "repository_owner", "job_workflow_ref", "workflow_ref", "environment", "ref", "event_name")
                claims[event] = {k: got[k] for k in keep if k in got}
            usable = [e for e in claims if e != "pull_request_target"]
            if "pull_request_target" in claims and not usable:
                why = texts.why("pull-request-target")
            elif usable:
                try:
                    form = pending_publisher_form(
                        data, workflow_path=loaded.file, job_id=job_id, index=index, repository=ctx.repository,
                        project_name=ctx.project or "your-project", called=called,
                        trigger=Trigger(event_name=usable[0], ref=trig.ref_for(usable[0], on.get(usable[0]))),
                    )  # fmt: skip
                    publisher = _form_values(form)
                    why = None
                except RefusedJob as exc:
                    why = pending_refusal(exc)
        yield JobReport(loaded.file, name, upload.tool, index.value, env_name, claims, publisher, why)
