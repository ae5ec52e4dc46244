"""Read what matters for OIDC out of a parsed GitHub Actions workflow.

Input is the mapping a YAML loader returns for a workflow file. ruamel.yaml (YAML 1.2)
keeps `on:` a string key; PyYAML (YAML 1.1) turns it into `True`, which is accepted too.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

WORKFLOWS_DIR = ".github/workflows/"


def triggers(workflow: Mapping[Any, Any]) -> frozenset[str]:
    """Event names in `on:` (string, list or mapping form)."""
    on = workflow["on"] if "on" in workflow else workflow.get(True)
    if on is None:
        raise ValueError("workflow has no `on:` key")
    if isinstance(on, str):
        return frozenset({on})
    if isinstance(on, list):
        return frozenset(str(event) for event in on)
    if isinstance(on, Mapping):
        return frozenset(str(event) for event in on)
    raise ValueError(f"unsupported `on:` value: {on!r}")


def job(workflow: Mapping[Any, Any], job_id: str) -> Mapping[str, Any]:
    jobs = workflow.get("jobs") or {}
    if job_id not in jobs:
        raise KeyError(f"no job {job_id!r} in workflow (jobs: {', '.join(jobs) or 'none'})")
    found = jobs[job_id]
    if not isinstance(found, Mapping):
        raise TypeError(f"job {job_id!r} is not a mapping")
    return found


def environment(job_: Mapping[str, Any]) -> str | None:
    """The job's deployment environment name (`environment: x` or `environment: {name: x}`)."""
    env = job_.get("environment")
    if isinstance(env, Mapping):
        env = env.get("name")
    if env is None or env == "":
        return None
    env = str(env)
    if "${{" in env:
        raise ValueError(f"environment {env!r} is an expression; give the evaluated name instead")
    return env


def _grants_id_token(permissions: Any) -> bool:
    if permissions == "write-all":
        return True
    if isinstance(permissions, Mapping):
        # Listing any permission sets every unlisted one to `none`.
        return permissions.get("id-token") == "write"
    return False  # read-all, {} or anything else


def grants_id_token(workflow: Mapping[Any, Any], job_: Mapping[str, Any]) -> bool:
    """Whether the job may request an OIDC token (`id-token: write`).

    Job-level `permissions:` replaces the workflow-level block; with neither, the
    default GITHUB_TOKEN permissions apply, and those never include `id-token`.
    """
    if "permissions" in job_:
        return _grants_id_token(job_["permissions"])
    if "permissions" in workflow:
        return _grants_id_token(workflow["permissions"])
    return False


def declares_permissions(workflow: Mapping[Any, Any], job_: Mapping[str, Any]) -> bool:
    return "permissions" in job_ or "permissions" in workflow


def check_path(path: str) -> str:
    """A workflow file path as GitHub requires it: directly in .github/workflows/."""
    path = path.removeprefix("./")
    name = path.removeprefix(WORKFLOWS_DIR)
    if not path.startswith(WORKFLOWS_DIR) or "/" in name or not name.endswith((".yml", ".yaml")):
        raise ValueError(f"{path!r} is not a workflow file directly in {WORKFLOWS_DIR}")
    return path


@dataclass(frozen=True)
class Uses:
    """The `uses:` of a job that calls a reusable workflow."""

    path: str  # .github/workflows/x.yml
    repository: str | None  # owner/name; None for a local `./.github/workflows/x.yml`
    ref: str | None  # the `@ref` of a remote call

    @property
    def filename(self) -> str:
        return self.path.removeprefix(WORKFLOWS_DIR)


def uses(job_: Mapping[str, Any]) -> Uses | None:
    value = job_.get("uses")
    if value is None:
        return None
    value = str(value)
    # A workflow in the same repository: `./.github/...`, or GitHub's newer `$/.github/...`
    # "self-repository" form (the one zizmor's `self-repository` audit asks for).
    if value.startswith(("./", "$/")):
        return Uses(check_path("./" + value[2:]), None, None)
    target, _, ref = value.partition("@")
    owner, _, rest = target.partition("/")
    name, _, path = rest.partition("/")
    if not (owner and name and path and ref):
        raise ValueError(f"unsupported reusable workflow reference: {value!r}")
    return Uses(check_path(path), f"{owner}/{name}", ref)
