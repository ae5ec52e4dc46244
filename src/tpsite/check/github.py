"""Checking one GitHub Actions workflow: which jobs publish, the token each presents, the publisher
PyPI needs for it, and every pitfall, each at its line.

The token and the form come from the model (tpsite.model: github_claims, pending_publisher_form);
the rules here read the workflow as loaded by check.load (plain data plus a line per path). The
browser's Check page runs the same rules (docs/assets/javascripts/tp/check.js); vectors keep them equal.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

from tpsite.check.findings import Finding
from tpsite.check.load import Loaded
from tpsite.model import CalledWorkflow, ClientError, GitHubRepository, Index, RefusedJob, Trigger, github_claims, pending_publisher_form, workflow

PUBLISH_ACTION = "pypa/gh-action-pypi-publish"
# Upload commands in a `run:` line, with the tool they belong to.
_COMMANDS = (
    ("uv publish", re.compile(r"\buv\s+publish\b")),
    ("twine", re.compile(r"\btwine\s+upload\b")),
    ("pdm publish", re.compile(r"\bpdm\s+publish\b")),
    ("hatch publish", re.compile(r"\bhatch\s+publish\b")),
    ("poetry publish", re.compile(r"\bpoetry\s+publish\b")),
    ("flit publish", re.compile(r"\bflit\s+publish\b")),
    ("maturin upload", re.compile(r"\bmaturin\s+(?:upload|publish)\b")),
)
# Tools that cannot do Trusted Publishing themselves (they need a token or a password).
_WITHOUT_OIDC = {"poetry publish", "flit publish"}
_BUILD = re.compile(r"\b(?:uv\s+build|python3?\s+-m\s+build|pyproject-build|hatch\s+build|pdm\s+build|poetry\s+build|flit\s+build|maturin\s+build|cibuildwheel)\b")
_TESTPYPI = re.compile(r"test\.pypi\.org|\btestpypi\b", re.I)
_TOKEN = re.compile(r"secrets\.\w*(?:TOKEN|PASSWORD|PYPI)\w*|UV_PUBLISH_TOKEN|TWINE_PASSWORD|--token\b|--password\b|(?:^|\s)-p\s", re.I)
_EXPRESSION = re.compile(r"\$\{\{")
_RELEASE_ACTIONS = ("softprops/action-gh-release", "ncipollo/release-action", "actions/create-release", "svenstaro/upload-release-action")
_NON_LINUX = re.compile(r"\b(?:windows|macos)(?:-|\b)", re.I)
# The action's releases whose set-repo-and-ref step expands branch and tag names into a shell
# (GHSA-vxmw-7h4f-hqxh): v1.12.0 to v1.12.4; fixed in v1.13.0.
_VULNERABLE = (Version("1.12.0"), Version("1.12.4"))
# The twine each action release bundles (requirements/runtime.txt), as far as read.
_BUNDLED_TWINE = ((Version("1.14.2"), "7.0.0"), (Version("1.12.4"), "6.1.0"), (Version("0"), "older than 6.1.0"))
_ABSENT_ACTION_REFS = {"v1", "master"}
# Actions that need an OIDC token for something else than PyPI (signing, attesting, cloud logins).
_OTHER_OIDC = ("actions/attest", "sigstore/", "astral-sh/attest-action", "aws-actions/", "azure/login", "google-github-actions/auth", "slsa-framework/")
# The events a trigger can start, and the ref the token names for each (a placeholder version).
_REFS = {
    "push": "refs/tags/v1.0.0",
    "release": "refs/tags/v1.0.0",
    "workflow_dispatch": "refs/heads/main",
    "pull_request": "refs/pull/1/merge",
    "pull_request_target": "refs/heads/main",
    "schedule": "refs/heads/main",
    "workflow_run": "refs/heads/main",
    "merge_group": "refs/heads/gh-readonly-queue/main/pr-1",
}


@dataclass
class Upload:
    """One upload a job makes: the step, its tool, its index, and how it authenticates."""

    step: int | None  # index in the job's steps (None: the job calls a reusable workflow)
    tool: str
    index: Index | None  # None: another index than PyPI and TestPyPI
    token: bool  # an API token or a password is passed
    action_ref: str = ""  # pypa/gh-action-pypi-publish@<ref>
    action_version: Version | None = None
    line: int = 0
    via: str = ""  # the composite action it runs in
    text: str = ""  # the command line, with the step's environment


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
    """What a workflow's check can read beyond the file itself."""

    repository: GitHubRepository | None
    load: Callable[[str], Loaded | None]  # a file of the checkout by path (None if absent)
    project: str | None  # the name in pyproject.toml
    dynamic_version: bool = True
    metadata_version: str | None = None  # what the build backend writes, where known
    findings: list[Finding] = field(default_factory=list)


def _steps(job: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    steps = job.get("steps")
    return [s for s in steps if isinstance(s, Mapping)] if isinstance(steps, list) else []


def _run(step: Mapping[str, Any]) -> str:
    return str(step.get("run") or "")


def _uses(step: Mapping[str, Any]) -> tuple[str, str, str]:
    """(action, ref, version comment) of a `uses:` step."""
    value = str(step.get("uses") or "")
    action, _, ref = value.partition("@")
    return action, ref, ""


def _version_of(ref: str, comment: str) -> Version | None:
    for text in (ref, comment):
        m = re.fullmatch(r"v?(\d+(?:\.\d+){0,2})", text.strip())
        if m:
            try:
                return Version(m[1])
            except InvalidVersion:
                return None
    return None


def _comment_after(loaded: Loaded, line: int) -> str:
    """The `# vX.Y.Z` comment that follows a pinned SHA on a line of the file."""
    lines = loaded.text.splitlines()
    if 0 < line <= len(lines):
        m = re.search(r"#\s*(v?\d+(?:\.\d+){0,2})\b", lines[line - 1])
        if m:
            return m[1]
    return ""


def _index_of(text: str) -> Index | None:
    if _TESTPYPI.search(text):
        return Index.TESTPYPI
    if re.search(r"--(?:publish|repository)-url\s+\S+|--repository\s+\S+|-r\s+\S+|repository-url", text) and "pypi.org" not in text:
        return None
    return Index.PYPI


def uploads(loaded: Loaded, path: tuple[str | int, ...], job: Mapping[str, Any], ctx: Context) -> list[Upload]:
    """The uploads a job makes: the PyPA action, an upload command, or either inside a local composite action."""
    found: list[Upload] = []
    for i, step in enumerate(_steps(job)):
        action, ref, _ = _uses(step)
        line = loaded.line(*path, "steps", i)
        if action == PUBLISH_ACTION:
            with_ = step.get("with") if isinstance(step.get("with"), Mapping) else {}
            url = str(with_.get("repository-url") or with_.get("repository_url") or "")
            comment = _comment_after(loaded, loaded.line(*path, "steps", i, "uses"))
            found.append(
                Upload(i, PUBLISH_ACTION, _index_of(url) if url else Index.PYPI, bool(with_.get("password")), ref, _version_of(ref, comment), line)
            )
        elif action.startswith("./"):
            composite = ctx.load(action.removeprefix("./").rstrip("/") + "/action.yml") or ctx.load(action.removeprefix("./").rstrip("/") + "/action.yaml")
            if composite is not None:
                runs = composite.data.get("runs") if isinstance(composite.data.get("runs"), Mapping) else {}
                for upload in uploads(composite, ("runs",), runs, ctx):
                    upload.step, upload.line, upload.via = i, line, composite.file
                    found.append(upload)
        text = _run(step)
        for tool, pattern in _COMMANDS:
            m = pattern.search(text)
            if m:
                env = " ".join(f"{k}={v}" for k, v in (step.get("env") or {}).items()) if isinstance(step.get("env"), Mapping) else ""
                command = text[text.rfind("\n", 0, m.start()) + 1 : (text.find("\n", m.end()) + 1 or len(text) + 1) - 1]
                token = bool(_TOKEN.search(command) or _TOKEN.search(env))
                found.append(Upload(i, tool, _index_of(command + " " + env), token, line=_command_line(loaded, path, i, text, m.start()), text=f"{command} {env}"))
    return found


def _command_line(loaded: Loaded, path: tuple[str | int, ...], step: int, text: str, at: int) -> int:
    """The file line of a command inside a step's `run:` (a block scalar starts on the next line)."""
    run = loaded.line(*path, "steps", step, "run")
    lines = loaded.text.splitlines()
    block = 0 < run <= len(lines) and re.search(r"run:\s*[|>][-+]?\s*(?:#.*)?$", lines[run - 1]) is not None
    return run + text.count("\n", 0, at) + (1 if block else 0)


def _triggers(data: Mapping[str, Any]) -> dict[str, Any]:
    on = data.get("on")
    if isinstance(on, str):
        return {on: None}
    if isinstance(on, list):
        return {str(e): None for e in on}
    if isinstance(on, Mapping):
        return dict(on)
    return {}


def _grants(permissions: Any, scope: str, level: str = "write") -> bool:
    if permissions == f"{level}-all" or (level == "read" and permissions == "write-all"):
        return True
    return isinstance(permissions, Mapping) and permissions.get(scope) in ((level,) if level == "write" else ("read", "write"))


def _job_grants_id_token(data: Mapping[str, Any], job: Mapping[str, Any]) -> bool:
    return workflow.grants_id_token(data, job)


def _condition(job: Mapping[str, Any]) -> str:
    return str(job.get("if") or "")


def _reaches(event: str, job: Mapping[str, Any]) -> bool:
    """Can `event` run the job? A job condition naming events, refs or tags is taken to exclude the others."""
    cond = _condition(job)
    if not cond:
        return True
    if event in cond:
        return True
    return not re.search(r"event_name|github\.ref|refs/tags|startsWith|github\.event\.release|github\.event\.action", cond)


def _environment(job: Mapping[str, Any]) -> tuple[str | None, str]:
    env = job.get("environment")
    url = ""
    if isinstance(env, Mapping):
        url = str(env.get("url") or "")
        env = env.get("name")
    return (str(env) if env not in (None, "") else None), url


def check_workflow(loaded: Loaded, ctx: Context) -> list[JobReport]:
    """The report of every publishing job of a workflow; findings go to `ctx.findings`."""
    data = loaded.data
    if "jobs" not in data or not isinstance(data.get("jobs"), Mapping):
        return []
    file = loaded.file
    triggers = _triggers(data)
    events = [e for e in triggers if e in _REFS]
    add = lambda id_, line, message: ctx.findings.append(Finding(id_, file, line, message))  # noqa: E731
    reports: list[JobReport] = []
    jobs = data["jobs"]

    if _grants(data.get("permissions"), "id-token"):
        add("id-token-at-workflow-level", loaded.line("permissions"), "`id-token: write` at the workflow level reaches every job that declares no permissions of its own; grant it in the publishing job only.")

    uploaded_artifacts = {
        str((s.get("with") or {}).get("name"))
        for j in jobs.values() if isinstance(j, Mapping)
        for s in _steps(j)
        if _uses(s)[0] == "actions/upload-artifact" and isinstance(s.get("with"), Mapping) and s["with"].get("name")
    }  # fmt: skip

    for job_id, job in jobs.items():
        if not isinstance(job, Mapping):
            continue
        path = ("jobs", job_id)
        job_line = loaded.line(*path)
        found = uploads(loaded, path, job, ctx)
        called: CalledWorkflow | None = None
        called_file = None
        call = str(job.get("uses") or "")
        if call.startswith(("./", "$/")):
            called_file = ctx.load("." + call[1:].removeprefix(".") if call.startswith("$/") else call.removeprefix("./"))
            if called_file is not None:
                for cid, cjob in (called_file.data.get("jobs") or {}).items():
                    if isinstance(cjob, Mapping):
                        inner = uploads(called_file, ("jobs", cid), cjob, ctx)
                        if inner:
                            called = CalledWorkflow(called_file.data, cid)
                            for u in inner:
                                u.step, u.line, u.via = None, job_line, called_file.file
                            found.extend(inner)
                            add("reusable-workflow-publishing", job_line, f"The upload runs in the reusable workflow {called_file.file} (job {cid}): PyPI matches the called file, and with attestations the signing identity names the caller, so neither file name works for both.")
                            break
        _check_steps(loaded, path, job, ctx, add, uploaded_artifacts)
        grants = _job_grants_id_token(data, job) if called is None else _job_grants_id_token(data, job)
        builds = any(_BUILD.search(_run(s)) for s in _steps(job))
        other_oidc = any(_uses(s)[0].startswith(_OTHER_OIDC) for s in _steps(job)) or "uses" in job
        if grants and (builds or (not found and not other_oidc)):
            line = loaded.line(*path, "permissions", "id-token") if "permissions" in job else loaded.line("permissions", "id-token")
            why = "runs the build (and the build backend's code)" if builds else "does not publish"
            add("id-token-in-build-job", line, f"Job {job_id} {why} and can mint a PyPI upload token: keep `id-token: write` to the job that only downloads and uploads.")
        if not found:
            continue
        env_name, env_url = _environment(job)
        if env_name and env_name != env_name.lower() and not _EXPRESSION.search(env_name):
            add("environment-case", loaded.line(*path, "environment"), f"Environment `{env_name}`: PyPI stores a GitHub publisher's environment lower-cased and compares ignoring case, so this works; type it the same way in both places to avoid confusion.")
        if env_name is None and any(not u.token and u.tool not in _WITHOUT_OIDC for u in found):
            add("no-environment", job_line, f"Job {job_id} publishes without an `environment:`: no reviewer or tag rule guards the upload, and the publisher cannot be narrowed to it.")
        if env_url and ctx.project:
            m = re.search(r"https://(?:test\.)?pypi\.org/p(?:roject)?/([^/\s]+)", env_url)
            if m and canonicalize_name(m[1]) != canonicalize_name(ctx.project):
                add("dist-name-vs-project-name", loaded.line(*path, "environment"), f"The environment's URL names the project `{m[1]}`, pyproject.toml names `{ctx.project}`: the publisher must be for the project in pyproject.toml.")
        runs_on = str(job.get("runs-on") or "")
        matrix = (job.get("strategy") or {}).get("matrix") if isinstance(job.get("strategy"), Mapping) else None
        if any(u.tool == PUBLISH_ACTION for u in found):
            if _NON_LINUX.search(runs_on) or (isinstance(matrix, Mapping) and _NON_LINUX.search(str(matrix)) and "matrix" in runs_on):
                add("non-linux-runner-for-action", loaded.line(*path, "runs-on"), f"Job {job_id} runs on `{runs_on}`: gh-action-pypi-publish runs only on Linux runners; upload from one ubuntu job that downloads every build.")
        if matrix and not re.search(r"matrix\.", _condition(job)):
            add("publish-per-matrix-leg", loaded.line(*path, "strategy"), f"Job {job_id} has a matrix, so every leg uploads: the second leg fails with File already exists. Build in the matrix, upload once from a job that needs it.")
        if len([u for u in found if u.index is not None]) > 1:
            add("publish-twice-in-one-job", job_line, f"Job {job_id} uploads {len(found)} times: a second upload in the same job meets the first one's files and attestations; use one job per index.")
        for event in events:
            if event in ("pull_request", "pull_request_target") and _reaches(event, job):
                if event == "pull_request_target":
                    add("pull-request-target", loaded.line("on"), f"Job {job_id} runs on pull_request_target: PyPI refuses tokens from it (since 2026-03-02), and it runs with the base repository's permissions.")
                else:
                    add("publish-on-pull-request", loaded.line("on"), f"Job {job_id} publishes on pull_request: fork pull requests get no token, and the others would upload unreviewed builds. Publish on a tag or a release.")
        if "push" in triggers and any(u.index is Index.TESTPYPI for u in found):
            push = triggers.get("push")
            branches = isinstance(push, Mapping) and ("branches" in push or "tags" not in push) or push is None
            if branches and _reaches("push", job):
                skip = any(str(((_steps(job)[u.step] if u.step is not None else {}).get("with") or {}).get("skip-existing", "false")).lower() == "true" for u in found if u.tool == PUBLISH_ACTION)
                if not skip:
                    add("testpypi-without-skip-existing-on-every-push", job_line, f"Job {job_id} uploads to TestPyPI on pushes to branches: from the second push of a version on, TestPyPI answers File already exists. Set `skip-existing: true`.")
                if not ctx.dynamic_version:
                    add("static-testpypi-version", job_line, "The version in pyproject.toml is static, so every push uploads the same version to TestPyPI; only the first succeeds (or is skipped).")
        reports.extend(_reports(loaded, data, job_id, job, found, called, events, ctx, add))
    return reports


def _check_steps(loaded: Loaded, path: tuple, job: Mapping[str, Any], ctx: Context, add: Callable, uploaded: set[str]) -> None:
    steps = _steps(job)
    grants = _job_grants_id_token(loaded.data, job)
    publish_at = next((i for i, s in enumerate(steps) if _uses(s)[0] == PUBLISH_ACTION), None)
    for i, step in enumerate(steps):
        action, ref, _ = _uses(step)
        uses_line = loaded.line(*path, "steps", i, "uses")
        comment = _comment_after(loaded, uses_line)
        if action in ("actions/upload-artifact", "actions/download-artifact"):
            version = _version_of(ref, comment)
            if version is not None and version.major <= 3:
                add("deprecated-artifact-action-v3", uses_line, f"{action}@{ref}: GitHub fails every job that uses artifact actions v3 or older since 2025-01-30; use v4 or later.")
        if action == "actions/download-artifact":
            with_ = step.get("with") if isinstance(step.get("with"), Mapping) else {}
            name = str(with_.get("name") or "")
            if name and not _EXPRESSION.search(name) and uploaded and name not in uploaded:
                add("artifact-name-mismatch", uses_line, f"This step downloads the artifact `{name}`, and no job of this workflow uploads one of that name ({', '.join(sorted(uploaded))}).")
            if with_.get("pattern") and str(with_.get("merge-multiple", "false")).lower() != "true" and publish_at is not None:
                add("merge-multiple-misuse", uses_line, "A `pattern:` download puts each artifact in a subfolder of its own unless `merge-multiple: true`; the upload reads only the files directly in dist/.")
        if action == PUBLISH_ACTION:
            if ref in _ABSENT_ACTION_REFS:
                add("unresolvable-or-removed-action-ref", uses_line, f"{action}@{ref} does not exist (no `v1` tag; `master` was removed): the job fails at setup. Pin a release's full commit SHA.")
            version = _version_of(ref, comment)
            if version is not None:
                if _VULNERABLE[0] <= version <= _VULNERABLE[1]:
                    add("vulnerable-action-version", uses_line, f"{action} v{version} is affected by GHSA-vxmw-7h4f-hqxh (fixed in v1.13.0), and its nested setup-python is not SHA-pinned: organisations that require SHA pins refuse it.")
                twine = next(t for v, t in _BUNDLED_TWINE if version >= v)
                if twine != "7.0.0" and ctx.metadata_version in ("2.5",):
                    add("action-bundled-twine-too-old", uses_line, f"{action} v{version} bundles twine {twine}, which cannot upload the Metadata-Version {ctx.metadata_version} your build backend writes; use v1.14.2 or later.")
                elif twine == "older than 6.1.0":
                    add("action-bundled-twine-too-old", uses_line, f"{action} v{version} bundles a twine older than 6.1.0, which may refuse the Metadata-Version 2.4 that current build backends write; use v1.14.2 or later.")
            with_ = step.get("with") if isinstance(step.get("with"), Mapping) else {}
            if with_.get("password"):
                if grants:
                    add("token-with-oidc", loaded.line(*path, "steps", i, "with", "password"), "The job has `id-token: write` but passes a `password:`: the token is used and Trusted Publishing is not. Remove the password (and the secret).")
                else:
                    add("api-token-instead-of-oidc", loaded.line(*path, "steps", i, "with", "password"), "The upload uses an API token from a secret; Trusted Publishing needs no stored secret.")
        if publish_at is not None and i < publish_at:
            text = _run(step)
            if action.startswith("sigstore/gh-action-sigstore-python") or re.search(r"(?:>|\bcp\b|\bmv\b|--output-dir|-o)\s*\.?/?dist/", text):
                add("non-distribution-file-in-packages-dir", loaded.line(*path, "steps", i), "This step writes into dist/ before the upload: anything there that is not a wheel or an sdist makes the upload fail.")
        text = _run(step)
        if re.search(r"\bgh\s+release\s+(?:create|upload)\b", text) or action in _RELEASE_ACTIONS:
            perms = job.get("permissions", loaded.data.get("permissions"))
            if perms is not None and not _grants(perms, "contents"):
                add("missing-contents-write-for-release", loaded.line(*path, "steps", i), "Creating or uploading to a GitHub Release needs `contents: write` in this job's permissions; without it: Resource not accessible by integration.")
        if action == "actions/checkout":
            with_ = step.get("with") if isinstance(step.get("with"), Mapping) else {}
            ref_ = str(with_.get("ref") or "")
            if "pull_request_target" in _triggers(loaded.data) and re.search(r"github\.event\.pull_request\.head\.(?:sha|ref)|github\.head_ref", ref_) and grants:
                add("untrusted-checkout-in-privileged-job", loaded.line(*path, "steps", i, "with", "ref"), "This job checks out the pull request's code on pull_request_target and can mint an upload token: the pull request's code runs with that permission.")
            if "workflow_dispatch" in _triggers(loaded.data) and re.search(r"inputs\.", ref_) and uploads(loaded, path, job, ctx):
                add("closed-release-upload", loaded.line(*path, "steps", i, "with", "ref"), "This job can rebuild and upload an older tag: PyPI refuses new files for releases older than 14 days.")
    for u in uploads(loaded, path, job, ctx):
        if u.tool == "uv publish":
            always = "--trusted-publishing always" in u.text or "--trusted-publishing=always" in u.text or "UV_PUBLISH_TRUSTED_PUBLISHING=always" in u.text.replace('"', "")
            if not u.token and not always:
                add("uv-publish-automatic-mode", u.line, "`uv publish` without `--trusted-publishing always` falls back to uploading without credentials when the token exchange fails, and then reports Missing credentials instead of PyPI's reason.")
        if u.tool in _WITHOUT_OIDC:
            add("publisher-tool-without-oidc", u.line, f"`{u.tool}` cannot use Trusted Publishing: it needs a token or a password. Upload with gh-action-pypi-publish, twine or uv publish.")
        if u.tool != PUBLISH_ACTION and u.token and u.tool not in _WITHOUT_OIDC:
            add("api-token-instead-of-oidc" if not grants else "token-with-oidc", u.line, f"`{u.tool}` is given an API token" + (" although the job can use Trusted Publishing." if grants else "; Trusted Publishing needs no stored secret."))
        if not u.token and u.tool not in _WITHOUT_OIDC and not grants and u.index is not None:
            perms = "permissions" in job or "permissions" in loaded.data
            line = loaded.line(*path, "permissions") if "permissions" in job else loaded.line(*path)
            add("missing-id-token-permission", line, f"`{u.tool}` expects Trusted Publishing, but the job {'lists permissions without' if perms else 'has no'} `id-token: write`: the token request fails.")


def _form_values(form: Any) -> dict[str, str]:
    return {"owner": form.owner, "repository": form.repository, "workflow_filename": form.workflow, "environment": form.environment}


def _reports(loaded: Loaded, data: Mapping[str, Any], job_id: str, job: Mapping[str, Any], found: list[Upload], called: CalledWorkflow | None, events: list[str], ctx: Context, add: Callable) -> Iterator[JobReport]:
    seen: set[tuple[str, str]] = set()
    for upload in found:
        if upload.index is None:
            continue
        index = upload.index
        if (upload.tool, index.value) in seen:
            continue
        seen.add((upload.tool, index.value))
        env_name, _ = _environment(job if called is None else called.workflow["jobs"][called.job_id])
        claims: dict[str, dict[str, str]] = {}
        why: str | None = None
        publisher = None
        reachable = [e for e in events if _reaches(e, job)] or events
        if ctx.repository is None:
            why = "Give the repository (owner/name) to compute the claims and the form."
        elif upload.token:
            why = "This job uploads with an API token, not Trusted Publishing."
        else:
            for event in reachable:
                try:
                    got = github_claims(
                        data, workflow_path=loaded.file, job_id=job_id, repository=ctx.repository,
                        trigger=Trigger(event_name=event, ref=_REFS[event]), audience=index.audience, called=called,
                    )  # fmt: skip
                except ValueError as exc:
                    why = str(exc)
                    continue
                if isinstance(got, ClientError):
                    why = f"No OIDC token: {got.slug}"
                    continue
                keep = ("repository", "repository_owner", "job_workflow_ref", "workflow_ref", "environment", "ref", "event_name")
                claims[event] = {k: got[k] for k in keep if k in got}
            if claims:
                event = next(iter(claims))
                try:
                    form = pending_publisher_form(
                        data, workflow_path=loaded.file, job_id=job_id, index=index, repository=ctx.repository,
                        project_name=ctx.project or "your-project", called=called,
                        trigger=Trigger(event_name=event, ref=_REFS[event]),
                    )  # fmt: skip
                    publisher = _form_values(form)
                    why = None
                except RefusedJob as exc:
                    why = str(exc).split("\n")[0]
        yield JobReport(loaded.file, job_id, upload.tool, index.value, env_name, claims, publisher, why)
