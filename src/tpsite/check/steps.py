"""Rules on the steps of a GitHub job, whether or not it publishes: artifact actions, the PyPA
action's ref, release, inputs and credentials, GitHub Releases, checkouts of untrusted code.

Each rule cites its page through findings.KINDS; the facts about the action's releases are in
check.actions, the artifact names a workflow uploads are gathered by `artifacts`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from tpsite.check import actions
from tpsite.check.load import Loaded
from tpsite.check.triggers import triggers
from tpsite.check.uploads import (
    PUBLISH_ACTION,
    comment_after,
    local_action,
    run,
    step_items,
    steps,
    uses,
    with_,
)

_EXPRESSION = re.compile(r"\$\{\{")
_RELEASE_ACTIONS = ("softprops/action-gh-release", "ncipollo/release-action", "actions/create-release", "svenstaro/upload-release-action")
_GH_RELEASE = re.compile(r"\bgh\s+release\s+(?:create|upload)\b")
_GH_RELEASE_CREATE = re.compile(r"\bgh\s+release\s+create\b")
# The pull request's own code (its head), as a checkout's ref.
_PR_HEAD = re.compile(r"github\.event\.pull_request\.head\.(?:sha|ref)|github\.head_ref")
_GITHUB_TOKEN = re.compile(r"^\s*\$\{\{\s*(?:github\.token|secrets\.GITHUB_TOKEN)\s*\}\}\s*$")
# Writes into dist/ (the folder the upload reads) other than the build's own: a copy or a move of
# something that is not a distribution (its source names no dist/ folder, wheel or sdist), or a
# shell redirection, whose target is in dist/.
_INTO_DIST = re.compile(r"(?:>\s*|\b(?:cp|mv)\b(?:(?!dist/|\.whl|\.tar\.gz)[^\n;&|])*\s)\.?/?dist/")

Add = Callable[..., None]


def grants(permissions: Any, scope: str) -> bool:
    """Whether a `permissions:` value gives `scope: write`."""
    if permissions == "write-all":
        return True
    return isinstance(permissions, Mapping) and permissions.get(scope) == "write"


def artifacts(data: Mapping[str, Any], load: Callable[[str], Loaded | None]) -> tuple[set[str], bool]:
    """The artifact names a workflow's jobs upload with actions/upload-artifact, and whether that is
    all of them: a third-party action or a reusable workflow may upload others we cannot see."""
    names: set[str] = set()
    complete = True
    jobs = data.get("jobs") if isinstance(data.get("jobs"), Mapping) else {}
    for job in jobs.values():
        if not isinstance(job, Mapping):
            continue
        if "uses" in job:
            complete = False
        for step in steps(job):
            action, _ = uses(step)
            if action == "actions/upload-artifact":
                name = with_(step).get("name")
                if name is None or _EXPRESSION.search(str(name)):
                    complete = False  # the default name, or one computed at run time
                else:
                    names.add(str(name))
            elif action and not action.startswith(("actions/", "./", "docker://", PUBLISH_ACTION)):
                complete = False
            elif action.startswith("./"):
                composite = local_action(load, action)
                if composite is None or "upload-artifact" in composite.text:
                    complete = False
    return names, complete


def _token_is_github_token(step: Mapping[str, Any], action: str) -> bool:
    """Whether a release step authenticates with the job's GITHUB_TOKEN (its default)."""
    env = step.get("env") if isinstance(step.get("env"), Mapping) else {}
    if action:
        given = with_(step).get("token", with_(step).get("github_token", with_(step).get("repo_token")))
        given = given if given is not None else env.get("GITHUB_TOKEN")
    else:
        given = env.get("GH_TOKEN", env.get("GITHUB_TOKEN"))
    return given is None or bool(_GITHUB_TOKEN.match(str(given)))


def creates_release(step: Mapping[str, Any]) -> bool:
    """A step that creates or uploads to a GitHub Release with the GITHUB_TOKEN (not as a draft)."""
    action, _ = uses(step)
    if action in _RELEASE_ACTIONS:
        return _token_is_github_token(step, action) and str(with_(step).get("draft", "false")).lower() != "true"
    text = run(step)
    return bool(_GH_RELEASE_CREATE.search(text)) and "--draft" not in text and _token_is_github_token(step, "")


def check_steps(loaded: Loaded, path: tuple[str | int, ...], job: Mapping[str, Any], job_grants: bool, uploaded: tuple[set[str], bool], publishes: bool, metadata_version: str | None, add: Add) -> None:
    """The rules on each step of a job (findings through `add(id, line, message)`)."""
    items = step_items(job)
    publish_at = next((i for i, s in items if uses(s)[0] == PUBLISH_ACTION), None)
    on = triggers(loaded.data)
    names, complete = uploaded
    for i, step in items:
        action, ref = uses(step)
        at = (*path, "steps", i)
        uses_line = loaded.line(*at, "uses")
        w = with_(step)
        if action in ("actions/upload-artifact", "actions/download-artifact"):
            version = actions.version_of(ref, comment_after(loaded, uses_line))
            if version is not None and actions.key(version)[0] <= 3:
                add("deprecated-artifact-action-v3", uses_line, action=action, ref=ref)
        if action == "actions/download-artifact":
            name = str(w.get("name") or "")
            if name and not _EXPRESSION.search(name) and complete and names and name not in names:
                add("artifact-name-mismatch", uses_line, name=name, names=", ".join(sorted(names)))
            if w.get("pattern") and str(w.get("merge-multiple", "false")).lower() != "true" and publish_at is not None:
                add("merge-multiple-misuse", uses_line)
        if action == PUBLISH_ACTION:
            _check_action(loaded, at, step, ref, uses_line, job_grants, metadata_version, add)
        step_line = uses_line if action else loaded.line(*at, "run")
        if publish_at is not None and i < publish_at and (action.startswith("sigstore/gh-action-sigstore-python") or _INTO_DIST.search(run(step))):
            add("non-distribution-file-in-packages-dir", step_line)
        if (_GH_RELEASE.search(run(step)) or action in _RELEASE_ACTIONS) and _token_is_github_token(step, action if action in _RELEASE_ACTIONS else ""):
            perms = job.get("permissions", loaded.data.get("permissions"))
            if perms is not None and not grants(perms, "contents"):
                add("missing-contents-write-for-release", step_line)
        if action == "actions/checkout":
            ref_ = str(w.get("ref") or "")
            if "pull_request_target" in on and _PR_HEAD.search(ref_) and job_grants:
                add("untrusted-checkout-in-privileged-job", loaded.line(*at, "with", "ref"))
            if "workflow_dispatch" in on and re.search(r"inputs\.", ref_) and publishes:
                add("closed-release-upload", loaded.line(*at, "with", "ref"))


def _check_action(loaded: Loaded, at: tuple[str | int, ...], step: Mapping[str, Any], ref: str, uses_line: int, job_grants: bool, metadata_version: str | None, add: Add) -> None:
    """gh-action-pypi-publish's ref, release and inputs."""
    w = with_(step)
    table = actions.table()
    if ref in actions.ABSENT_REFS:
        add("unresolvable-or-removed-action-ref", uses_line, action=PUBLISH_ACTION, ref=ref)
    version = actions.version_of(ref, comment_after(loaded, uses_line))
    if version is not None:
        low, high = actions.VULNERABLE
        if actions.key(low) <= actions.key(version) <= actions.key(high):
            add("vulnerable-action-version", uses_line, action=PUBLISH_ACTION, version=version)
        if actions.key(version) < actions.key(table["trusted_publishing_since"]):
            add("outdated-action-version", uses_line, action=PUBLISH_ACTION, version=version, since=table["trusted_publishing_since"])
        twine = actions.bundled_twine(version)
        if twine:
            for metadata in dict.fromkeys(("2.4", metadata_version or "2.4")):
                if not actions.reads_metadata(twine, metadata):
                    shown = "a twine older than 6.1.0" if twine.startswith("<") else f"twine {twine}"
                    add("action-bundled-twine-too-old", uses_line, action=PUBLISH_ACTION, version=version, twine=shown, metadata=metadata)
                    break
    deprecated = [k for k in w if k in table["deprecated_inputs"]]
    if deprecated:
        add("deprecated-action-input", loaded.line(*at, "with", deprecated[0]), input=deprecated[0], action=PUBLISH_ACTION, dashed=deprecated[0].replace("_", "-"))
    if w.get("password"):
        where = loaded.line(*at, "with", "password")
        if job_grants:
            add("token-with-oidc", where, "password")
        else:
            add("api-token-instead-of-oidc", where, "password")


def matrix_legs(job: Mapping[str, Any]) -> int:
    """How many legs a job's matrix runs: the product of its lists' lengths, or the number of
    `include:` entries when it has nothing else (1: no matrix; 2 when computed at run time)."""
    strategy = job.get("strategy")
    matrix = strategy.get("matrix") if isinstance(strategy, Mapping) else None
    if matrix is None:
        return 1
    if not isinstance(matrix, Mapping):
        return 2
    axes = [v for k, v in matrix.items() if k not in ("include", "exclude")]
    if not axes:
        include = matrix.get("include")
        return len(include) if isinstance(include, list) else 2
    legs = 1
    for value in axes:
        legs *= len(value) if isinstance(value, list) else 2
    return legs


def check_artifact_names(loaded: Loaded, add: Add) -> None:
    """One artifact name uploaded twice in a run: by every leg of a matrix, or by two jobs.
    Artifacts are immutable since upload-artifact v4: the second upload gets (409) Conflict."""
    jobs = loaded.data.get("jobs") if isinstance(loaded.data.get("jobs"), Mapping) else {}
    first: dict[str, str] = {}
    for job_id, job in jobs.items():
        if not isinstance(job, Mapping):
            continue
        matrix = matrix_legs(job) > 1
        for i, step in step_items(job):
            if uses(step)[0] != "actions/upload-artifact" or str(with_(step).get("overwrite", "false")).lower() == "true":
                continue
            name = with_(step).get("name", "artifact")
            if _EXPRESSION.search(str(name)):
                continue
            where = loaded.line("jobs", job_id, "steps", i, "with", "name") if "name" in with_(step) else loaded.line("jobs", job_id, "steps", i, "uses")
            if matrix:
                add("artifact-name-reused", where, "matrix", job=job_id, name=name)
            elif str(name) in first and first[str(name)] != job_id:
                add("artifact-name-reused", where, "jobs", other=first[str(name)], name=name)
            first.setdefault(str(name), job_id)
