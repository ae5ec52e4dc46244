"""Checking a GitLab CI/CD pipeline: the jobs that publish, their token, PyPI's form, the pitfalls.

The top-level `.gitlab-ci.yml` with the local files its `include:` names, followed into nested
includes, with `spec: inputs` put in (`$[[ inputs.name ]]`: the include's value or the default); a
job's `extends:` and the pipeline's `default:` merged in as GitLab does. A finding's line is in the
file that defines the key. The token's claims and the form come from the model (gitlab_job_claims,
gitlab_pending_publisher_form), as for GitHub.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from tpsite.check import texts
from tpsite.check.findings import Finding
from tpsite.check.github import Context, JobReport, pending_refusal, valid_project
from tpsite.check.load import Loaded, Refused, load
from tpsite.check.uploads import (
    WITHOUT_OIDC,
    Upload,
    command_uploads,
    env_text,
    manual_exchange,
)
from tpsite.model import (
    Index,
    RefusedJob,
    gitlab_job_claims,
    gitlab_pending_publisher_form,
)
from tpsite.model.pipeline import id_token_audience, id_token_variable

# Top-level keys of a pipeline that are not jobs.
RESERVED = ("stages", "variables", "default", "include", "workflow", "image", "services", "before_script", "after_script", "cache", "spec")
MAX_INCLUDES = 50  # GitLab allows 150 nested includes; a checkout with more is not a pipeline we read
_INPUT = re.compile(r"\$\[\[\s*inputs\.([\w-]+)[^\]]*\]\]")
_VARIABLE = re.compile(r"\$\{?(\w+)\}?")
# The `spec:` document before the first `---` line of an included file.
SPEC_HEADER = re.compile(r"^([\s\S]*?)^---\s*$", re.MULTILINE)


@dataclass
class Defined:
    """A job as GitLab sees it once merged: each top-level key with the file and path it comes from."""

    name: str
    data: dict[str, Any] = field(default_factory=dict)
    origin: dict[str, tuple[Loaded, tuple[str | int, ...]]] = field(default_factory=dict)

    def line(self, key: str = "@") -> tuple[str, int]:
        """(file, line) of a key of the job, or of the job itself ("@" or a key it lacks)."""
        loaded, path = self.origin.get(key, self.origin["@"])
        return loaded.file, loaded.line(*path, key) if key in self.origin and key != "@" else loaded.line(*path)


def _inputs_of(loaded: Loaded, given: Mapping[str, Any]) -> dict[str, Any]:
    """The values of a file's `spec: inputs`: as the include gives them, else their defaults."""
    header = SPEC_HEADER.search(loaded.text)
    values: dict[str, Any] = {}
    if header:
        try:
            spec = load(loaded.file, header[1]).data.get("spec")
        except Refused:
            spec = None
        inputs = spec.get("inputs") if isinstance(spec, Mapping) else None
        if isinstance(inputs, Mapping):
            values = {str(k): v.get("default") for k, v in inputs.items() if isinstance(v, Mapping) and "default" in v}
    values.update({str(k): v for k, v in given.items()})
    return values


def interpolate(text: str, values: Mapping[str, Any]) -> str:
    """`$[[ inputs.name ]]` replaced by its value (lists and mappings as one-line YAML flow)."""

    def value(m: re.Match[str]) -> str:
        if m[1] not in values:
            return m[0]
        v = values[m[1]]
        return v if isinstance(v, str) else json.dumps(v)

    return _INPUT.sub(value, text)


def files(top: Loaded, ctx: Context, refused: list[str]) -> list[Loaded]:
    """The top-level file and every local file it includes (nested), each with its inputs put in;
    included files first, as GitLab merges them under the including file."""
    found: list[Loaded] = []

    def visit(loaded: Loaded, depth: int) -> None:
        include = loaded.data.get("include")
        items = include if isinstance(include, list) else [include] if include else []
        for item in items:
            local = item if isinstance(item, str) else item.get("local") if isinstance(item, Mapping) else None
            if not isinstance(local, str) or re.match(r"https?://", local) or len(found) >= MAX_INCLUDES or depth > 10:
                continue
            base = ctx.load(local.lstrip("/"))
            if base is None:
                continue
            given = item.get("inputs") if isinstance(item, Mapping) and isinstance(item.get("inputs"), Mapping) else {}
            values = _inputs_of(base, given)
            included = base
            if _INPUT.search(base.text):
                try:
                    included = load(base.file, interpolate(base.text, values))
                except Refused as exc:
                    refused.append(str(exc))
                    continue
            visit(included, depth + 1)
        found.append(loaded)

    visit(top, 0)
    return found


def _definitions(loaded_files: list[Loaded]) -> dict[str, Defined]:
    """Every job and hidden job by name, the later file's definition over the earlier's."""
    found: dict[str, Defined] = {}
    for loaded in loaded_files:
        for name, job in loaded.data.items():
            if name in RESERVED or not isinstance(job, Mapping):
                continue
            found[name] = Defined(name, dict(job), {"@": (loaded, (name,)), **{k: (loaded, (name,)) for k in job}})
    return found


def _merge(base: Mapping[str, Any], over: Mapping[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for k, v in over.items():
        out[k] = _merge(out[k], v) if isinstance(v, Mapping) and isinstance(out.get(k), Mapping) else v
    return out


def resolve(name: str, defined: Mapping[str, Defined], default: Mapping[str, Any] | None, depth: int = 0) -> Defined:
    """A job with its `extends:` (deep-merged, the job's own keys last) and the `default:` keys it lacks."""
    job = defined[name]
    extends = job.data.get("extends")
    bases = [extends] if isinstance(extends, str) else [str(e) for e in extends] if isinstance(extends, list) else []
    data: dict[str, Any] = {}
    origin: dict[str, tuple[Loaded, tuple[str | int, ...]]] = {}
    for base in bases:
        if base in defined and base != name and depth < 11:
            parent = resolve(base, defined, None, depth + 1)
            data = _merge(data, parent.data)
            origin.update({k: v for k, v in parent.origin.items() if k != "@"})
    data = _merge(data, {k: v for k, v in job.data.items() if k != "extends"})
    origin.update(job.origin)
    if default:
        for key in ("before_script", "id_tokens", "image"):
            if key not in data and key in default:
                data[key] = default[key]
    return Defined(name, data, origin)


def _expand(value: Any, variables: Mapping[str, Any]) -> str:
    """A value with `$NAME` / `${NAME}` put in from the pipeline's and the job's variables."""
    return _VARIABLE.sub(lambda m: str(variables[m[1]]) if m[1] in variables and not isinstance(variables[m[1]], Mapping) else m[0], str(value))


def _script_uploads(job: Defined, ctx: Context, outer_env: str) -> list[Upload]:
    """The uploads in a job's before_script and script, each at the line of its item."""
    found: list[Upload] = []
    texts: list[tuple[Loaded, tuple[str | int, ...], str]] = []
    variables = job.data.get("variables") if isinstance(job.data.get("variables"), Mapping) else {}
    for key in ("before_script", "script"):
        value = job.data.get(key)
        if key not in job.origin:
            continue
        loaded, path = job.origin[key]
        items = value if isinstance(value, list) else [value]
        for i, item in enumerate(items):
            flat = item if isinstance(item, list) else [item]
            for text in flat:
                if isinstance(text, str):
                    at = (*path, key, i) if isinstance(value, list) else (*path, key)
                    texts.append((loaded, at, text))
                    found.extend(command_uploads(loaded, at, text, variables, outer_env, None, ctx.indexes))
    manual_exchange(texts, found)
    return found


def check_pipeline(top: Loaded, ctx: Context, findings: list[Finding], refused: list[str]) -> list[JobReport]:
    reports: list[JobReport] = []
    loaded_files = files(top, ctx, refused)
    defined = _definitions(loaded_files)
    default = next((f.data["default"] for f in reversed(loaded_files) if isinstance(f.data.get("default"), Mapping)), None)
    global_vars = {}
    for f in loaded_files:
        if isinstance(f.data.get("variables"), Mapping):
            global_vars.update({k: (v.get("value") if isinstance(v, Mapping) else v) for k, v in f.data["variables"].items()})
    for name in defined:
        if name.startswith("."):
            continue
        job = resolve(name, defined, default)
        job_vars = {**global_vars, **{k: v for k, v in (job.data.get("variables") or {}).items()}} if isinstance(job.data.get("variables") or {}, Mapping) else global_vars
        found = _script_uploads(job, ctx, env_text(global_vars))
        if not found:
            continue
        reports.extend(_check_job(job, found, job_vars, ctx, findings))
    return reports


def _check_job(job: Defined, found: list[Upload], variables: Mapping[str, Any], ctx: Context, findings: list[Finding]) -> list[JobReport]:
    def add(id_: str, where: tuple[str, int], variant: str = "", **fields: Any) -> None:
        findings.append(Finding(id_, where[0], where[1], texts.message(id_, variant, **fields)))

    name = job.name
    env = job.data.get("environment")
    env_raw = env.get("name") if isinstance(env, Mapping) else env
    env_name = _expand(env_raw, variables) if env_raw not in (None, "") else None
    tokens = job.data.get("id_tokens") if isinstance(job.data.get("id_tokens"), Mapping) else {}
    reports = []
    seen: set[tuple[str, Index | None]] = set()
    for upload in found:
        where = (upload.file, upload.line)
        index = upload.index or Index.PYPI
        variable = id_token_variable(index.audience)
        if upload.tool in WITHOUT_OIDC:
            add("publisher-tool-without-oidc", where, "gitlab", tool=upload.tool)
        elif upload.token and upload.username is not None and upload.username.strip() != "__token__":
            add("password-credentials", (upload.file, upload.username_line or upload.line), username=upload.username)
        elif upload.token and upload.manual is None:
            add("api-token-instead-of-oidc", where, tool=upload.tool)
        if upload.manual is not None:
            add("manual-token-exchange-hides-errors", upload.manual, "gitlab")
        oidc = upload.oidc and bool(tokens)
        if upload.oidc and not tokens:
            add("missing-id-tokens", job.line(), job=name, variable=variable, audience=index.audience)
        elif upload.oidc and variable not in tokens:
            add("missing-id-token-permission", job.line("id_tokens"), "gitlab", job=name, variable=variable, audience=index.audience)
        if oidc and upload.tool == "uv publish" and not upload.token and not upload.trusted_always:
            add("uv-publish-automatic-mode", where, "gitlab")
        if oidc and env_name is None:
            add("no-environment", job.line(), "gitlab", job=name)
        elif env_name is not None and env_name != env_name.lower() and oidc:
            add("environment-case", job.line("environment"), "gitlab", environment=env_name)
        if upload.index is None or (upload.tool, upload.index) in seen:
            continue
        seen.add((upload.tool, upload.index))
        reports.append(_report(job, upload, index, env_name, variables, ctx))
    return reports


def _report(job: Defined, upload: Upload, index: Index, env_name: str | None, variables: Mapping[str, Any], ctx: Context) -> JobReport:
    """The claims and the form for one upload of a job (the model reads the merged job)."""
    loaded, _ = job.origin["@"]
    claims: dict[str, dict[str, str]] = {}
    publisher = None
    why = None
    merged = dict(job.data)
    tokens = merged.get("id_tokens") if isinstance(merged.get("id_tokens"), Mapping) else {}
    merged["id_tokens"] = {k: ({**v, "aud": _expand(v["aud"], variables)} if isinstance(v, Mapping) and "aud" in v else v) for k, v in tokens.items()}
    if env_name is not None:
        merged["environment"] = env_name
    variable = id_token_variable(index.audience)
    audience = id_token_audience(merged, index.audience)
    if ctx.repository is None:
        why = texts.why("no-project-path")
    elif upload.tool in WITHOUT_OIDC:
        why = texts.why("tool", tool=upload.tool)
    elif not upload.oidc:
        why = texts.why("token")
    elif audience is None:
        why = texts.why("gitlab-no-id-token", job=job.name, variable=variable)
    elif audience != index.audience:
        why = texts.why("gitlab-audience", job=job.name, variable=variable, audience=audience, site=index.site_name, expected=index.audience)
    elif not valid_project(ctx.project):
        why = texts.why("project-name", project=ctx.project)
    else:
        path = f"{ctx.repository.owner}/{ctx.repository.name}"
        pipeline = {job.name: merged}
        got = gitlab_job_claims(pipeline, job_id=job.name, project_path=path, index=index)
        claims["push"] = {k: got[k] for k in ("project_path", "ci_config_ref_uri", "environment") if k in got}
        try:
            form = gitlab_pending_publisher_form(pipeline, job_id=job.name, index=index, project_path=path, project_name=ctx.project or "your-project")
            publisher = {"owner": form.owner, "repository": form.repository, "workflow_filename": form.workflow, "environment": form.environment}
        except RefusedJob as exc:
            why = pending_refusal(exc)
    return JobReport(loaded.file, job.name, upload.tool, index.value, env_name, claims, publisher, why)
