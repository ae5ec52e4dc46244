"""A workflow's triggers as the checker reads them: the events, which of them reach a job, the ref a
run of each event names, and the rules on `on:` itself (release activity types).

GitHub's release activity types and the events a GITHUB_TOKEN does not start are from GitHub's
documentation, as the site's "On a GitHub Release" page (publish/release-trigger.md) explains them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from tpsite.check.load import Loaded

# The events a trigger can start, and the ref the token names for each (a placeholder version).
REFS = {
    "push": "refs/tags/v1.0.0",
    "release": "refs/tags/v1.0.0",
    "workflow_dispatch": "refs/heads/main",
    "pull_request": "refs/pull/1/merge",
    "pull_request_target": "refs/heads/main",
    "schedule": "refs/heads/main",
    "workflow_run": "refs/heads/main",
    "merge_group": "refs/heads/gh-readonly-queue/main/pr-1",
}
# The activity types of the release event (GitHub: "Events that trigger workflows", release).
RELEASE_TYPES = ("published", "unpublished", "created", "edited", "deleted", "prereleased", "released")
# A condition that names the ref, the event or the release action keeps a job to some events.
_NARROWING = re.compile(r"event_name|github\.ref|refs/tags|startsWith|github\.event\.release|github\.event\.action|ref_type")
# Conditions that let tag refs through (a tag push, a release), and those only a release has.
_TAG_REF = re.compile(r"refs/tags|ref_type\s*==\s*'tag'")
_RELEASE_ONLY = re.compile(r"github\.event\.release|github\.event\.action\s*==\s*'(?:published|created|released|prereleased)'")
# A condition that lets only tags (or releases) through.
TAG_GUARD = re.compile(r"refs/tags|ref_type\s*==\s*'tag'|github\.event\.release|event_name\s*==\s*'release'|github\.event\.action\s*==\s*'published'")


def triggers(data: Mapping[str, Any]) -> dict[str, Any]:
    """Event -> its configuration (None when given without one)."""
    on = data.get("on")
    if isinstance(on, str):
        return {on: None}
    if isinstance(on, list):
        return {str(e): None for e in on}
    if isinstance(on, Mapping):
        return dict(on)
    return {}


def reaches(event: str, job: Mapping[str, Any]) -> bool:
    """Can `event` run the job? A job condition that names the event lets it through; one that
    asks for a tag ref lets tag pushes and releases through, one on the release's action only
    releases; any other condition on events, refs or tags is taken to exclude the others."""
    cond = str(job.get("if") or "")
    if re.search(rf"!=\s*'{event}'", cond):
        return False
    if not cond or re.search(rf"\b{event}\b", cond):
        return True
    if _RELEASE_ONLY.search(cond):
        return event == "release"
    if _TAG_REF.search(cond):
        return event in ("push", "release")
    return not _NARROWING.search(cond)


def ref_for(event: str, config: Any) -> str:
    """The ref a run of `event` names: a push that runs only for branches pushes a branch."""
    if event == "push" and isinstance(config, Mapping) and ("branches" in config or "branches-ignore" in config) and "tags" not in config and "tags-ignore" not in config:
        return "refs/heads/main"
    return REFS[event]


def pushes_branches(config: Any) -> bool:
    """Whether a `push:` trigger runs for branches (not only for tags)."""
    if not isinstance(config, Mapping):
        return True
    return "branches" in config or "branches-ignore" in config or ("tags" not in config and "tags-ignore" not in config)


def repeats(triggers_: Mapping[str, Any]) -> list[str]:
    """The events that run again and again without a new version: branch pushes and schedules."""
    found = [e for e in ("schedule",) if e in triggers_]
    if "push" in triggers_ and pushes_branches(triggers_["push"]):
        found.insert(0, "push")
    return found


def check_release_types(loaded: Loaded, add: Callable[..., None]) -> None:
    """The `release:` trigger of a publishing workflow: no types, `created`, or a type that does not exist."""
    on = triggers(loaded.data)
    if "release" not in on:
        return
    config = on["release"]
    types = config.get("types") if isinstance(config, Mapping) else None
    if types is None:
        add("release-all-activity-types", loaded.line("on", "release"))
        return
    listed = [str(t) for t in types] if isinstance(types, list) else [str(types)]
    unknown = [t for t in listed if t not in RELEASE_TYPES]
    if unknown:
        add("invalid-trigger-type", loaded.line("on", "release", "types"), types=", ".join(unknown), known=", ".join(RELEASE_TYPES))
    if "created" in listed and "published" not in listed:
        add("release-created-trigger", loaded.line("on", "release", "types"))
