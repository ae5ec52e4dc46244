"""Every sentence the checker writes, once, for the command and the browser (exported in check.json):
the message of each finding (by id, and by variant where a rule says one of several things), why a
job gets no publisher, and why a file was not read.

Templates take `{name}` fields (str.format in Python, the same substitution in check-text.js); no
template holds a literal brace.
"""

from __future__ import annotations

from typing import Any

MESSAGES: dict[str, dict[str, str]] = {
    "missing-id-token-permission": {
        "": "`{tool}` expects Trusted Publishing, but the job {grant} `id-token: write`: the token request fails.",
        "gitlab": "Job {job} asks for no `{variable}` token (`id_tokens:` with `{variable}` and `aud: {audience}`): twine and uv look for that variable and find no token to exchange.",
    },
    "id-token-in-build-job": {
        "builds": "Job {job} runs the build (and the build backend's code) and can mint a PyPI upload token: keep `id-token: write` to the job that only downloads and uploads.",
        "idle": "Job {job} does not publish and can mint a PyPI upload token: keep `id-token: write` to the job that only downloads and uploads.",
    },
    "id-token-at-workflow-level": {"": "`id-token: write` at the workflow level reaches every job that declares no permissions of its own; grant it in the publishing job only."},
    "publish-on-pull-request": {"": "Job {job} publishes on pull_request: fork pull requests get no token, and the others would upload unreviewed builds. Publish on a tag or a release."},
    "pull-request-target": {"": "Job {job} runs on pull_request_target: PyPI refuses tokens from it (since 2026-03-02), and it runs with the base repository's permissions."},
    "non-linux-runner-for-action": {"": "Job {job} runs on `{runner}`: gh-action-pypi-publish runs only on Linux runners; upload from one ubuntu job that downloads every build."},
    "publish-twice-in-one-job": {"": "Job {job} uploads to {index} again (first at line {first}): the second upload meets the first one's files and attestations, and a failure between them leaves the release half published. Upload every file in one step."},
    "publish-per-matrix-leg": {"": "Job {job} has a matrix, so every leg uploads: the second leg fails with File already exists. Build in the matrix, upload once from a job that needs it."},
    "artifact-name-mismatch": {"": "This step downloads the artifact `{name}`, and no job of this workflow uploads one of that name ({names})."},
    "artifact-name-reused": {
        "matrix": "Every leg of job {job}'s matrix uploads the artifact `{name}`: from the second leg on, upload-artifact v4 and later refuse it ((409) Conflict). Put the matrix values in the name and download with a pattern and `merge-multiple: true`.",
        "jobs": "Job {other} already uploads the artifact `{name}`: upload-artifact v4 and later refuse a second one of that name ((409) Conflict).",
    },
    "merge-multiple-misuse": {"": "A `pattern:` download puts each artifact in a subfolder of its own unless `merge-multiple: true`; the upload reads only the files directly in dist/."},
    "non-distribution-file-in-packages-dir": {"": "This step writes into dist/ before the upload: anything there that is not a wheel or an sdist makes the upload fail."},
    "deprecated-artifact-action-v3": {"": "{action}@{ref}: GitHub fails every job that uses artifact actions v3 or older since 2025-01-30; use v4 or later."},
    "unresolvable-or-removed-action-ref": {"": "{action}@{ref} does not exist (no `v1` tag; `master` was removed): the job fails at setup. Pin a release's full commit SHA."},
    "action-bundled-twine-too-old": {"": "{action} v{version} bundles {twine}, which cannot read the Metadata-Version {metadata} current build backends write: the upload fails at `twine check`. Use v1.14.2 or later."},
    "publisher-tool-without-oidc": {
        "": "`{tool}` cannot use Trusted Publishing: it needs a token or a password. Upload with gh-action-pypi-publish, twine or uv publish.",
        "gitlab": "`{tool}` cannot use Trusted Publishing: it needs a token or a password. Upload with twine or uv publish.",
    },
    "uv-publish-automatic-mode": {
        "": "`uv publish` without `--trusted-publishing always` falls back to uploading without credentials when the token exchange fails, and then reports Missing credentials instead of PyPI's reason.",
        "gitlab": "`uv publish` without `--trusted-publishing always` reports Missing credentials instead of PyPI's reason when the exchange fails.",
    },
    "token-with-oidc": {
        "password": "The job has `id-token: write` but passes a `password:`: the token is used and Trusted Publishing is not. Remove the password (and the secret).",
        "": "`{tool}` is given an API token although the job can use Trusted Publishing.",
    },
    "api-token-instead-of-oidc": {
        "password": "The upload uses an API token from a secret; Trusted Publishing needs no stored secret.",
        "": "`{tool}` is given an API token; Trusted Publishing needs no stored secret.",
    },
    "reusable-workflow-publishing": {
        "": "The upload runs in the reusable workflow {called} (job {job}): PyPI matches the called file, and with attestations the signing identity names the caller, so neither file name works for both.",
        "remote": "Job {job} calls {call}, a workflow in another repository that this check cannot read. If it uploads to PyPI, no Trusted Publisher can match it: the token names that repository's file.",
        "offered": "Job {job} uploads in a workflow that runs only when called (on: workflow_call), and no workflow here calls it: called from another repository, no Trusted Publisher can match its token (PyPI takes the repository from the caller and the workflow from this file).",
    },
    "environment-case": {
        "": "Environment `{environment}`: PyPI stores a GitHub publisher's environment lower-cased and compares ignoring case, so this works; type it the same way in both places to avoid confusion.",
        "gitlab": "Environment `{environment}`: PyPI compares a GitLab publisher's environment exactly, with its case; type it the same way on PyPI.",
    },
    "dist-name-vs-project-name": {"": "The environment's URL names the project `{url_project}`, pyproject.toml names `{project}`: the publisher must be for the project in pyproject.toml."},
    "testpypi-without-skip-existing-on-every-push": {"": "Job {job} uploads to TestPyPI on pushes to branches without `skip-existing`: re-running a run whose files are already there fails with File already exists."},
    "static-testpypi-version": {"": "The version does not change between releases (it is not derived from git) and job {job} uploads to TestPyPI on every {events}: from the second run on, TestPyPI answers File already exists. Set `skip-existing: true` (or derive a version per commit)."},
    "skip-existing-on-pypi": {"": "`skip-existing` on the PyPI upload turns a version that was already released into a green run: a release whose files are not the ones just built looks successful."},
    "local-version": {"": "The version `{version}` has a local part (after `+`): PyPI and TestPyPI refuse local versions. Release a version without it."},
    "password-credentials": {"": "The upload gives the username `{username}`: PyPI accepts only `__token__` with an API token, never an account's password."},
    "release-created-trigger": {"": "`types: [created]` does not run for a release saved as a draft and published later (GitHub starts no workflow for drafts' created event); `published` covers both."},
    "release-all-activity-types": {"": "`on: release` without `types:` starts a run for every activity of a release (created, published, released, edited, …): one release runs the upload two or three times, and all but the first fail with File already exists. Use `types: [published]`."},
    "invalid-trigger-type": {"": "`{types}` is not an activity type of the release event ({known}): no release starts the workflow for it."},
    "release-by-github-token": {"": "This step creates the release with the GITHUB_TOKEN, and GitHub starts no workflow for events that token causes: {workflows} (on: release) will not run for it. Publish on the tag push, or create the release with another token."},
    "publish-on-branch-push": {"": "Job {job} uploads to PyPI on every push to a branch, with no tag condition and no environment: each push is a release."},
    "outdated-action-version": {"": "{action} v{version} predates Trusted Publishing (v{since}) and builds its image with whatever twine is current; use a current release, pinned by commit."},
    "deprecated-action-input": {"": "`{input}` is a deprecated alias in {action}; GitHub prints a warning for it. Write `{dashed}`."},
    "cache-in-publish-job": {"": "Job {job} publishes and restores a cache ({action}): a cache written by another run, such as a pull request's, can put files into the release."},
    "concurrency-cancels-publish": {
        "shared": "`cancel-in-progress: true` and every run of the workflow shares the group: a newer run cancels one that is uploading, and the release can end half published. Queue runs instead (`cancel-in-progress: false`).",
        "tag-and-release": "`cancel-in-progress: true` and a tag push and the release made from it run in the same group: a newer run cancels one that is uploading, and the release can end half published. Queue runs instead (`cancel-in-progress: false`).",
    },
    "manual-token-exchange-hides-errors": {
        "": "The job exchanges its OIDC token for an upload token by hand: when PyPI refuses, its reason (the JSON body of the answer) is not printed. gh-action-pypi-publish, twine and uv publish do the exchange and print it.",
        "gitlab": "The job exchanges its OIDC token for an upload token by hand: when PyPI refuses, its reason (the JSON body of the answer) is not printed. twine and uv publish do the exchange and print it.",
    },
    "missing-id-tokens": {"": "Job {job} asks for no `id_tokens:`, so it can only upload with a token from the project's CI/CD variables; for Trusted Publishing add `id_tokens:` with `{variable}` and `aud: {audience}`."},
    "environment-on-build-job": {"": "Job {job} has the environment `{environment}` but does not upload, and the job that uploads has none: move `environment:` to the publishing job, where the token is minted."},
    "untrusted-checkout-in-privileged-job": {"": "This job checks out the pull request's code on pull_request_target and can mint an upload token: the pull request's code runs with that permission."},
    "closed-release-upload": {"": "This job can rebuild and upload an older tag: PyPI refuses new files for releases older than 14 days."},
    "missing-contents-write-for-release": {"": "Creating or uploading to a GitHub Release needs `contents: write` in this job's permissions; without it: Resource not accessible by integration."},
    "no-environment": {
        "": "Job {job} publishes without an `environment:`: no reviewer or tag rule guards the upload, and the publisher cannot be narrowed to it.",
        "gitlab": "Job {job} publishes without an `environment:`: nothing guards the upload, and the publisher cannot be narrowed to it.",
    },
    "vulnerable-action-version": {"": "{action} v{version} is affected by GHSA-vxmw-7h4f-hqxh (fixed in v1.13.0), and its nested setup-python is not SHA-pinned: organisations that require SHA pins refuse it."},
}

# Why a job gets no publisher (JobReport.why_no_publisher).
WHY: dict[str, str] = {
    "no-repository": "Give the repository (owner/name) to compute the claims and the form.",
    "no-project-path": "Give the project path (namespace/project) to compute the claims and the form.",
    "token": "This job uploads with an API token, not Trusted Publishing.",
    "tool": "{tool} cannot use Trusted Publishing.",
    "no-trigger": "No trigger of this workflow starts a run that can publish.",
    "no-token": "No OIDC token: {slug}",
    "pull-request-target": "PyPI refuses tokens of pull_request_target runs.",
    "environment-expression": "The environment `{environment}` is an expression; the publisher needs the name it evaluates to.",
    "project-name": "pyproject.toml's name `{project}` is not a valid project name (PEP 508).",
    "pending": "PyPI refuses a pending publisher with these values ({slug}): {description}",
    "gitlab-no-id-token": "Job {job} asks for no `{variable}` token; twine and uv look for that variable.",
    "gitlab-audience": "Job {job}'s `{variable}` has aud `{audience}`; {site} expects `{expected}`.",
}

# Why a file was not read (Report.refused: "<file>: <text>").
REFUSED: dict[str, str] = {
    "too-large": "{size} characters is more than a workflow has; not read (limit {limit} bytes)",
    "not-yaml": "not valid YAML at line {line}, column {column}: {problem}",
    "not-yaml-nowhere": "not valid YAML: {problem}",
    "aliases": "{count} aliases (*name): more than a workflow uses; not expanded (limit {limit})",
    "values": "more than {limit} values once its aliases (*name) are expanded; not read",
    "empty": "empty",
    "not-mapping": "the top level is a {kind}, not a mapping: not a workflow or pipeline",
    "not-workflow": "no `jobs:` mapping: not a GitHub Actions workflow",
    "not-toml": "not valid TOML: {problem}",
}


def message(kind: str, variant: str = "", **fields: Any) -> str:
    return MESSAGES[kind][variant].format(**fields)


def why(key: str, **fields: Any) -> str:
    return WHY[key].format(**fields)


def refused(file: str, key: str, **fields: Any) -> str:
    return f"{file}: {REFUSED[key].format(**fields)}"


def data() -> dict[str, Any]:
    return {"messages": MESSAGES, "why": WHY, "refused": REFUSED}
