"""Checking a GitLab CI/CD pipeline: the jobs that publish, their token, PyPI's form, the pitfalls.

The top-level `.gitlab-ci.yml` with the files its local `include:` names merged in (a job's line is
in the file that defines it). The token's claims and the form come from the model
(gitlab_job_claims, gitlab_pending_publisher_form), as for GitHub.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from tpsite.check.findings import Finding
from tpsite.check.github import _COMMANDS, _TOKEN, _WITHOUT_OIDC, Context, JobReport, _index_of
from tpsite.check.load import Loaded
from tpsite.model import Index, RefusedJob, gitlab_job_claims, gitlab_pending_publisher_form
from tpsite.model.pipeline import id_token_variable

# Top-level keys of a pipeline that are not jobs.
_RESERVED = {"stages", "variables", "default", "include", "workflow", "image", "services", "before_script", "after_script", "cache", "pages", "spec"}


def _includes(top: Loaded, load: Callable[[str], Loaded | None]) -> list[Loaded]:
    """The top-level file and the local files it includes (one level, as written)."""
    found = [top]
    include = top.data.get("include")
    items = include if isinstance(include, list) else [include] if include else []
    for item in items:
        local = item if isinstance(item, str) else item.get("local") if isinstance(item, Mapping) else None
        if isinstance(local, str) and not re.match(r"https?://", local):
            loaded = load(local.lstrip("/"))
            if loaded is not None:
                found.append(loaded)
    return found


def _script(job: Mapping[str, Any]) -> str:
    parts = []
    for key in ("before_script", "script"):
        value = job.get(key)
        parts.extend(str(v) for v in value) if isinstance(value, list) else parts.append(str(value or ""))
    return "\n".join(parts)


def check_pipeline(top: Loaded, ctx: Context, findings: list[Finding]) -> list[JobReport]:
    reports: list[JobReport] = []
    for loaded in _includes(top, ctx.load):
        for name, job in loaded.data.items():
            if name in _RESERVED or name.startswith(".") or not isinstance(job, Mapping):
                continue
            script = _script(job)
            tools = [tool for tool, pattern in _COMMANDS if pattern.search(script)]
            if not tools:
                continue
            line = loaded.line(name)
            variables = job.get("variables") if isinstance(job.get("variables"), Mapping) else {}
            token = bool(_TOKEN.search(script) or _TOKEN.search(" ".join(f"{k}={v}" for k, v in variables.items())))
            index = _index_of(script + " " + " ".join(str(v) for v in variables.values())) or Index.PYPI
            env = job.get("environment")
            env_name = str(env.get("name") if isinstance(env, Mapping) else env) if env else None
            for tool in tools:
                if tool in _WITHOUT_OIDC:
                    findings.append(Finding("publisher-tool-without-oidc", loaded.file, line, f"`{tool}` cannot use Trusted Publishing: it needs a token or a password."))
                elif token:
                    findings.append(Finding("api-token-instead-of-oidc", loaded.file, line, f"`{tool}` is given an API token; Trusted Publishing needs no stored secret."))
                if tool == "uv publish" and not token and "--trusted-publishing always" not in script and str(variables.get("UV_PUBLISH_TRUSTED_PUBLISHING", "")).lower() != "always":
                    findings.append(Finding("uv-publish-automatic-mode", loaded.file, line, "`uv publish` without `--trusted-publishing always` reports Missing credentials instead of PyPI's reason when the exchange fails."))
            if env_name is None:
                findings.append(Finding("no-environment", loaded.file, line, f"Job {name} publishes without an `environment:`: nothing guards the upload, and the publisher cannot be narrowed to it."))
            elif env_name != env_name.lower():
                findings.append(Finding("environment-case", loaded.file, loaded.line(name, "environment"), f"Environment `{env_name}`: PyPI compares a GitLab publisher's environment exactly, with its case; type it the same way on PyPI."))
            variable = id_token_variable(index.audience)
            tokens = job.get("id_tokens") if isinstance(job.get("id_tokens"), Mapping) else {}
            if not token and tools[0] not in _WITHOUT_OIDC and variable not in tokens:
                findings.append(Finding("missing-id-token-permission", loaded.file, line, f"Job {name} asks for no `id_tokens: {variable}: {{aud: {index.audience}}}`: twine and uv find no token to exchange."))
            claims: dict[str, dict[str, str]] = {}
            publisher = None
            why = None
            if ctx.repository is None:
                why = "Give the project path (namespace/project) to compute the claims and the form."
            elif token:
                why = "This job uploads with an API token, not Trusted Publishing."
            else:
                path = f"{ctx.repository.owner}/{ctx.repository.name}"
                try:
                    got = gitlab_job_claims(loaded.data, job_id=name, project_path=path, index=index)
                    claims["push"] = {k: got[k] for k in ("project_path", "ci_config_ref_uri", "environment") if k in got}
                    form = gitlab_pending_publisher_form(loaded.data, job_id=name, index=index, project_path=path, project_name=ctx.project or "your-project")
                    publisher = {"owner": form.owner, "repository": form.repository, "workflow_filename": form.workflow, "environment": form.environment}
                except RefusedJob as exc:
                    why = str(exc)
            reports.append(JobReport(loaded.file, name, tools[0], index.value, env_name, claims, publisher, why))
    return reports
