"""Read what matters for OIDC out of a parsed GitLab CI pipeline (the twin of `workflow`).

A job asks GitLab for an OIDC token with `id_tokens: {<NAME>: {aud: ...}}`; GitLab puts it in
the variable <NAME>. The publishing clients look for one name only, derived from the audience.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any


def job(pipeline: Mapping[str, Any], job_id: str) -> Mapping[str, Any]:
    found = pipeline.get(job_id)
    if not isinstance(found, Mapping):
        raise KeyError(f"no job {job_id!r} in the pipeline")
    return found


def environment(job_: Mapping[str, Any]) -> str | None:
    """The job's environment name (`environment: x` or `environment: {name: x}`)."""
    env = job_.get("environment")
    if isinstance(env, Mapping):
        env = env.get("name")
    return str(env) if env else None


def id_token_variable(audience: str) -> str:
    """The variable twine (through `id`) and uv read the token from on GitLab: `<AUD>_ID_TOKEN`.

    di/id `id/_internal/oidc/ambient.py` `detect_gitlab` and astral-sh/ambient-id
    `src/gitlab.rs`: the audience upper-cased, anything but ASCII letters and digits as `_`.
    """
    return re.sub(r"[^A-Z0-9]", "_", audience.upper()) + "_ID_TOKEN"


def id_token_audience(job_: Mapping[str, Any], audience: str) -> str | None:
    """The `aud` of the token the clients will read for `audience`, or None if the job asks for none."""
    token = (job_.get("id_tokens") or {}).get(id_token_variable(audience))
    return None if not isinstance(token, Mapping) or token.get("aud") is None else str(token["aud"])
