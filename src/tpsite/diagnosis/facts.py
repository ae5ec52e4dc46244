"""The facts a pasted log can show, by name: what causes' signals refer to (`fact: <name>`).

A log reader derives each fact from the paste together with the line that shows it; the same
names are read by the Python diagnosis and the browser's, so a cause's signals are declared once,
in the error page's front matter, and evaluated the same way on both sides.
"""

from __future__ import annotations

FACTS: dict[str, str] = {
    # Where the job ran, what published, where to.
    "platform-github": "The log comes from GitHub Actions.",
    "platform-gitlab": "The log comes from GitLab CI/CD.",
    "tool-action": "pypa/gh-action-pypi-publish ran the upload.",
    "tool-uv": "uv publish ran the upload.",
    "tool-twine": "twine ran the upload.",
    "index-pypi": "The job talked to PyPI (upload URL or token audience).",
    "index-testpypi": "The job talked to TestPyPI (upload URL or token audience).",
    "runner-windows": "The job ran on a Windows runner.",
    "runner-macos": "The job ran on a macOS runner.",
    "runner-linux": "The job ran on a Linux runner.",
    # What the token said (claims dumps of the action and uv, a decoded token).
    "claims-shown": "The log shows the token's claims.",
    "environment-missing": "The token has no environment claim: the job declares no environment.",
    "environment-present": "The token names an environment.",
    "environment-not-lowercase": "The token's environment has upper-case letters.",
    "reusable-workflow": "workflow_ref and job_workflow_ref differ: the publishing job is in a called workflow.",
    "reusable-other-repository": "job_workflow_ref names a workflow in another repository.",
    "custom-sub": "The sub claim is not GitHub's default format (a customised subject).",
    "ref-tag": "The run was for a tag.",
    "ref-branch": "The run was for a branch.",
    "ref-pull-request": "The run was for a pull request (refs/pull/…).",
    "event-pull-request-target": "The token's event_name is pull_request_target.",
    "rerun": "The run was a re-run (attempt 2 or later).",
    # What else the log shows.
    "reusable-workflow-warning": "The action warned that the calling workflow is a reusable workflow.",
    "password-given": "A password or API token was passed as well.",
    "dist-empty": "No distribution files were found to upload.",
}


def describe(name: str) -> str:
    return FACTS[name]


# Facts read from the log's text: the first line matching one of these patterns shows the fact.
LOG_PATTERNS: dict[str, str] = {
    "runner-windows": r"^\s*(?:Image|Operating System):?\s*(?:windows|Microsoft Windows)|\bwindows-(?:latest|20\d\d)\b",
    "runner-macos": r"^\s*(?:Image|Operating System):?\s*(?:macos|macOS)|\bmacos-(?:latest|1\d|2\d)\b",
    "runner-linux": r"^\s*(?:Image|Operating System):?\s*(?:ubuntu|Ubuntu)|\bubuntu-(?:latest|2\d\.04)\b",
    "reusable-workflow-warning": r"The claims in this token suggest that the calling workflow is a reusable workflow|Whereas its parent workflow is",
    "password-given": r"\bpassword:\s*\*\*\*|TWINE_PASSWORD|UV_PUBLISH_TOKEN|--password\b|\bpassword\s+is\s+set\b",
    "dist-empty": r"No files found to publish|Path patterns didn't match any files|MISSING DISTS|InvalidDistribution: Cannot find file|No such file or directory: '?dist",
}
