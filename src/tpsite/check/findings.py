"""Every finding the checker can report: its severity, what it means, and the page that explains it.

One table for the command and the browser's Check page (exported in assets/data/check.json).
Severity: error = the publish will fail or leaves a real hole; warning = works, but fails in a common
situation or weakens security; note = worth knowing.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True)
class Kind:
    severity: str
    title: str
    page: str  # site path (and anchor) of the page that explains it
    source: str = "checker"  # "zizmor" when zizmor's own audit decides it


KINDS: dict[str, Kind] = {
    "missing-id-token-permission": Kind("error", "The publishing job cannot get an OIDC token", "errors/id-token-permission-missing/"),
    "id-token-in-build-job": Kind("warning", "A job that builds or runs other code can mint an upload token", "pitfalls/#id-token-missing"),
    "id-token-at-workflow-level": Kind("warning", "id-token: write for every job of the workflow", "pitfalls/#id-token-missing"),
    "publish-on-pull-request": Kind("warning", "The publishing job runs on pull requests", "errors/fork-pull-request/"),
    "pull-request-target": Kind("error", "PyPI refuses tokens of pull_request_target runs", "errors/pull-request-target-not-supported/"),
    "non-linux-runner-for-action": Kind("error", "The PyPA action runs only on Linux runners", "errors/linux-only/"),
    "publish-twice-in-one-job": Kind("warning", "Two uploads from one job", "errors/attestations-already-exist/"),
    "publish-per-matrix-leg": Kind("error", "Every leg of a matrix uploads", "errors/file-already-exists/"),
    "artifact-name-mismatch": Kind("error", "The publishing job downloads an artifact no job uploads", "errors/artifact-not-found/"),
    "artifact-name-reused": Kind("error", "One artifact name uploaded twice in a run", "errors/artifact-already-exists/"),
    "environment-on-build-job": Kind("warning", "The environment is on a job that does not publish", "guide/#environments"),
    "merge-multiple-misuse": Kind("error", "Downloaded files land in subfolders the upload does not read", "errors/missing-dists/"),
    "non-distribution-file-in-packages-dir": Kind("warning", "Other files in the folder the upload reads", "errors/missing-dists/"),
    "deprecated-artifact-action-v3": Kind("error", "Artifact actions v3 (or older) fail since 2025-01-30", "errors/artifact-actions-v3-deprecated/"),
    "unresolvable-or-removed-action-ref": Kind("error", "An action reference that does not resolve", "errors/unable-to-resolve-action/"),
    "action-bundled-twine-too-old": Kind("warning", "The action's bundled twine cannot upload newer metadata", "errors/metadata-version-not-valid/"),
    "publisher-tool-without-oidc": Kind("warning", "This upload tool cannot use Trusted Publishing", "publish/build-tools/"),
    "uv-publish-automatic-mode": Kind("note", "uv publish may fall back to missing credentials", "errors/uv-missing-credentials/"),
    "token-with-oidc": Kind("warning", "An API token is passed although the job can use Trusted Publishing", "errors/password-secret-empty/"),
    "reusable-workflow-publishing": Kind("warning", "The upload runs in a reusable workflow", "errors/reusable-workflow-warning/"),
    "environment-case": Kind("note", "The environment name has capitals", "errors/invalid-publisher/#cause-environment"),
    "dist-name-vs-project-name": Kind("error", "The environment's project URL names another project than pyproject.toml", "errors/oidc-token-not-valid-for-project/"),
    "testpypi-without-skip-existing-on-every-push": Kind("note", "TestPyPI on every push without skip-existing: a re-run fails", "pitfalls/#file-already-exists"),
    "static-testpypi-version": Kind("warning", "Every push uploads the same version to TestPyPI", "pitfalls/#file-already-exists"),
    "skip-existing-on-pypi": Kind("note", "skip-existing on the PyPI upload hides a version already released", "errors/file-already-exists/"),
    "local-version": Kind("error", "A local version (+…) in pyproject.toml", "errors/local-versions-not-allowed/"),
    "password-credentials": Kind("warning", "A username other than __token__", "errors/password-based-uploads-disabled/"),
    "release-created-trigger": Kind("warning", "on: release with types: [created] misses drafted releases", "publish/release-trigger/#activity-types"),
    "release-all-activity-types": Kind("warning", "on: release without types runs once per release activity", "publish/release-trigger/#activity-types"),
    "invalid-trigger-type": Kind("warning", "A release activity type that does not exist", "publish/release-trigger/#activity-types"),
    "release-by-github-token": Kind("warning", "A release created with the GITHUB_TOKEN starts no workflow", "publish/release-trigger/#choose"),
    "publish-on-branch-push": Kind("note", "Every push to a branch uploads to PyPI", "publish/release-trigger/"),
    "outdated-action-version": Kind("note", "gh-action-pypi-publish older than v1.8.0: no Trusted Publishing", "publish/from-api-token/"),
    "deprecated-action-input": Kind("note", "A deprecated input of gh-action-pypi-publish", "errors/unexpected-action-input/#cause-snake-case"),
    "cache-in-publish-job": Kind("note", "A cache restored in the job that publishes", "workflow/"),
    "concurrency-cancels-publish": Kind("warning", "A newer run can cancel an upload in progress", "workflow/"),
    "manual-token-exchange-hides-errors": Kind("note", "A hand-made token exchange hides PyPI's reason", "errors/invalid-publisher/"),
    "missing-id-tokens": Kind("note", "A GitLab job that uploads without id_tokens", "errors/gitlab-id-token-missing/"),
    "missing-contents-write-for-release": Kind("error", "Creating a GitHub Release needs contents: write", "errors/resource-not-accessible-by-integration/#cause-release-contents-write"),
    "closed-release-upload": Kind("warning", "Rebuilding an old tag adds files to a closed release", "errors/release-older-than-14-days/#cause-rerun-old-tag"),
    "untrusted-checkout-in-privileged-job": Kind("error", "Code from a pull request runs with the upload permission", "errors/pull-request-target-not-supported/"),
    "no-environment": Kind("warning", "The publishing job has no environment", "guide/#environments"),
    "vulnerable-action-version": Kind("warning", "gh-action-pypi-publish v1.12.0 to v1.12.4 (GHSA-vxmw-7h4f-hqxh)", "workflow/#ghsa-vxmw-7h4f-hqxh"),
    "api-token-instead-of-oidc": Kind("note", "The upload uses an API token", "publish/from-api-token/"),
    "template-injection": Kind("error", "An expression an attacker can set is expanded into a shell", "workflow/", "zizmor"),
    "unpinned-action": Kind("warning", "An action not pinned to a full commit SHA", "workflow/#pinning", "zizmor"),
    "persist-credentials": Kind("note", "actions/checkout leaves the token in .git/config", "workflow/", "zizmor"),
}


def kinds_data() -> dict[str, Any]:
    return {name: asdict(kind) for name, kind in KINDS.items()}


@dataclass(frozen=True)
class Finding:
    id: str
    file: str
    line: int
    message: str

    @property
    def severity(self) -> str:
        return KINDS[self.id].severity

    @property
    def page(self) -> str:
        return KINDS[self.id].page

    def as_json(self) -> dict[str, Any]:
        return {"id": self.id, "severity": self.severity, "file": self.file, "line": self.line, "message": self.message, "page": self.page}
