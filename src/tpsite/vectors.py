"""Test vectors for the in-browser tools, computed by the Python model of PyPI.

The diagnose and configure pages run JavaScript (docs/assets/javascripts/tp/); the tests load the
vectors written here and check that the JavaScript gives the model's answers in a real browser:

- exchange.json: claims + the publishers registered (as typed into PyPI's form) + the index the
  job talks to -> what PyPI answers (model: `exchange`) and why nothing matched (`diagnose`);
- names.json: names typed into the configurator -> normalised names, form errors and warnings
  (model: the publisher form's normalisation; packaging for project names).

    python -m tpsite.vectors --write   # regenerate tests/data/vectors/*.json
    python -m tpsite.vectors --check   # exit 1 if the committed files are stale
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterator, Mapping
from dataclasses import asdict
from itertools import product
from pathlib import Path
from typing import Any

from packaging.utils import InvalidName, canonicalize_name

from tpsite import configure_data, scenarios, workflows
from tpsite.model import (
    ExchangeError,
    GitHubPublisher,
    GitLabPublisher,
    Index,
    MintResult,
    Registration,
    Registry,
    exchange,
    github_claims,
    gitlab_claims,
)
from tpsite.paths import ROOT, SNIPPETS

OUT = ROOT / "tests" / "data" / "vectors"

# Not in the model (it takes owner and repository as GitHub returns them): what PyPI's GitHub
# form accepts, per warehouse/oidc/forms/github.py (_VALID_GITHUB_OWNER, _VALID_GITHUB_REPO).
GITHUB_OWNER = re.compile(r"^[a-zA-Z0-9][a-zA-Z0-9-]*$")
GITHUB_REPO = re.compile(r"^[a-zA-Z0-9-_.]+$")


# --- exchange ---------------------------------------------------------------------------------


def _typed(p: GitHubPublisher | GitLabPublisher) -> dict[str, Any]:
    return {"kind": "github" if isinstance(p, GitHubPublisher) else "gitlab", **asdict(p)}


def _github(
    owner: str = "example",
    repository: str = "convert-poetry2uv",
    owner_id: str = "123456",
    workflow: str = "publish.yml",
    environment: str = "pypi",
) -> dict[str, Any]:
    """A GitHub publisher as typed into the form (before PyPI normalises it)."""
    return {
        "kind": "github",
        "owner": owner,
        "repository": repository,
        "owner_id": owner_id,
        "workflow_filename": workflow,
        "environment": environment,
    }


def _gitlab(
    namespace: str = "example",
    project: str = "convert-poetry2uv",
    workflow: str = ".gitlab-ci.yml",
    environment: str = "pypi",
    issuer: str = "https://gitlab.com",
) -> dict[str, Any]:
    return {
        "kind": "gitlab",
        "namespace": namespace,
        "project": project,
        "workflow_filepath": workflow,
        "environment": environment,
        "issuer_url": issuer,
    }


def _stored(typed: Mapping[str, Any]) -> GitHubPublisher | GitLabPublisher:
    fields = {k: v for k, v in typed.items() if k != "kind"}
    return GitHubPublisher(**fields) if typed["kind"] == "github" else GitLabPublisher(**fields)


def _base_github_claims(audience: str = "pypi") -> dict[str, str]:
    claims = github_claims(
        workflows.load(SNIPPETS / scenarios.WORKFLOW),
        workflow_path=f".github/workflows/{Path(scenarios.WORKFLOW).name}",
        job_id="publish-to-pypi",
        repository=scenarios.SAMPLE_REPOSITORY,
        trigger=scenarios.TAG_PUSH,
        audience=audience,
    )
    assert isinstance(claims, dict)
    return claims


def _claim_variants() -> Iterator[tuple[str, dict[str, str | None]]]:
    """(name, changes to the sample job's claims); None removes a claim."""
    base = _base_github_claims()
    repo, ref = base["repository"], base["ref"]
    yield "sample job", {}
    yield "no environment", {"environment": None, "sub": f"repo:{repo}:ref:{ref}"}
    yield "environment Release", {"environment": "Release", "sub": f"repo:{repo}:environment:Release"}
    yield "environment PYPI", {"environment": "PYPI"}
    yield "renamed workflow", {
        "job_workflow_ref": f"{repo}/.github/workflows/release.yaml@{ref}",
        "workflow_ref": f"{repo}/.github/workflows/release.yaml@{ref}",
    }
    yield "renamed repository", {"repository": "example/poetry2uv", "sub": f"repo:example/poetry2uv:environment:pypi",
                                 "job_workflow_ref": f"example/poetry2uv/.github/workflows/publish.yml@{ref}"}  # fmt: skip
    yield "transferred to another owner", {
        "repository": "new-org/convert-poetry2uv",
        "repository_owner": "new-org",
        "repository_owner_id": "999",
        "job_workflow_ref": f"new-org/convert-poetry2uv/.github/workflows/publish.yml@{ref}",
    }
    yield "owner re-created (new id)", {"repository_owner_id": "7654321"}
    yield "owner spelled Example by GitHub", {
        "repository": "Example/convert-poetry2uv",
        "repository_owner": "Example",
        "job_workflow_ref": f"Example/convert-poetry2uv/.github/workflows/publish.yml@{ref}",
    }
    yield "reusable workflow, same repository", {
        "job_workflow_ref": f"{repo}/.github/workflows/reusable-publish.yml@{ref}",
        "workflow_ref": f"{repo}/.github/workflows/release.yml@{ref}",
    }
    yield "reusable workflow, another repository", {
        "job_workflow_ref": "example/shared-workflows/.github/workflows/publish.yml@refs/tags/v2",
    }
    yield "pull_request_target", {"event_name": "pull_request_target", "ref": "refs/heads/main",
                                  "job_workflow_ref": f"{repo}/.github/workflows/publish.yml@refs/heads/main"}  # fmt: skip
    yield "empty ref, job_workflow_ref at the sha", {
        "ref": "",
        "job_workflow_ref": f"{repo}/.github/workflows/publish.yml@{base['sha']}",
    }
    yield "empty ref and sha", {"ref": "", "sha": ""}
    yield "no jti", {"jti": None}
    yield "no repository_owner_id", {"repository_owner_id": None}
    yield "job_workflow_ref without a workflow file", {"job_workflow_ref": f"{repo}/.github/workflows/publish@{ref}"}
    yield "job_workflow_ref at another ref", {"job_workflow_ref": f"{repo}/.github/workflows/publish.yml@refs/heads/main"}
    yield "audience testpypi", {"aud": "testpypi"}
    yield "no issuer", {"iss": None}
    yield "unknown issuer", {"iss": "https://issuer.example.org"}
    yield "look-alike in the repository (Cyrillic a)", {
        "repository": "example/convert-poetry2uv\u0430",
        "job_workflow_ref": f"example/convert-poetry2uv\u0430/.github/workflows/publish.yml@{ref}",
    }
    yield "quote in the workflow name", {"job_workflow_ref": f"{repo}/.github/workflows/it's.yml@{ref}"}


def _publisher_variants() -> Iterator[tuple[str, list[tuple[dict[str, Any], str]]]]:
    """(name, [(publisher as typed, index)]) for GitHub."""
    yield "sample publisher", [(_github(), "pypi")]
    yield "no environment", [(_github(environment=""), "pypi")]
    yield "environment PyPI", [(_github(environment="PyPI"), "pypi")]
    yield "environment release", [(_github(environment="release"), "pypi")]
    yield "workflow release.yaml", [(_github(workflow="release.yaml"), "pypi")]
    yield "workflow Publish.yml", [(_github(workflow="Publish.yml"), "pypi")]
    yield "workflow with spaces", [(_github(workflow=" publish.yml\u00a0"), "pypi")]
    yield "workflow reusable-publish.yml", [(_github(workflow="reusable-publish.yml"), "pypi")]
    yield "workflow release.yml (the caller)", [(_github(workflow="release.yml"), "pypi")]
    yield "owner Example", [(_github(owner="Example"), "pypi")]
    yield "repository Convert-Poetry2uv", [(_github(repository="Convert-Poetry2uv"), "pypi")]
    yield "repository convert_poetry2uv", [(_github(repository="convert_poetry2uv"), "pypi")]
    yield "old owner id", [(_github(owner_id="42"), "pypi")]
    yield "only on TestPyPI", [(_github(environment="testpypi"), "testpypi")]
    yield "on both indexes", [(_github(environment="testpypi"), "testpypi"), (_github(), "pypi")]
    yield "two publishers, with and without environment", [(_github(environment="release"), "pypi"), (_github(environment=""), "pypi")]
    yield "repository with a look-alike", [(_github(repository="convert-poetry2uv\u0430"), "pypi")]
    yield "none", []


def _gitlab_cases() -> Iterator[tuple[str, dict[str, str | None], list[tuple[dict[str, Any], str]], str]]:
    base = dict(gitlab_claims(project_path="Example/convert-poetry2uv", environment="pypi"))
    exact = _gitlab(namespace="Example")
    yield "gitlab exact", {}, [(exact, "pypi")], "pypi"
    yield "gitlab namespace case", {}, [(_gitlab(namespace="example"), "pypi")], "pypi"
    yield "gitlab environment case", {"environment": "PyPI"}, [(exact, "pypi")], "pypi"
    yield "gitlab no environment", {"environment": None}, [(exact, "pypi")], "pypi"
    yield "gitlab any environment", {"environment": "Release"}, [(_gitlab(namespace="Example", environment=""), "pypi")], "pypi"
    yield "gitlab included pipeline", {}, [(_gitlab(namespace="Example", workflow="ci/publish.yml"), "pypi")], "pypi"
    yield "gitlab pipeline case", {}, [(_gitlab(namespace="Example", workflow=".GitLab-ci.yml"), "pypi")], "pypi"
    yield "gitlab other project", {}, [(_gitlab(namespace="Example", project="other"), "pypi")], "pypi"
    yield "gitlab other namespace", {}, [(_gitlab(namespace="someone"), "pypi")], "pypi"
    yield "gitlab sub of another project", {"sub": "project_path:Example/other:ref_type:tag:ref:v1.0.0"}, [(exact, "pypi")], "pypi"
    yield "gitlab empty sub part", {"sub": "project_path::x"}, [(exact, "pypi")], "pypi"
    yield "gitlab ci_config_ref_uri at another ref", {"ci_config_ref_uri": "gitlab.com/Example/convert-poetry2uv//.gitlab-ci.yml@refs/heads/main"}, [(exact, "pypi")], "pypi"  # fmt: skip
    yield "gitlab no ref_path", {"ref_path": None}, [(exact, "pypi")], "pypi"
    yield "gitlab empty sha", {"sha": ""}, [(exact, "pypi")], "pypi"
    yield "gitlab on TestPyPI only", {}, [(exact, "testpypi")], "pypi"
    yield "gitlab audience testpypi", {"aud": "testpypi"}, [(exact, "testpypi")], "testpypi"
    self_managed = "https://gitlab.example.org"
    sm = dict(base, iss=self_managed, ci_config_ref_uri=base["ci_config_ref_uri"].replace("gitlab.com", "gitlab.example.org"))
    yield "gitlab self-managed", {k: sm[k] for k in ("iss", "ci_config_ref_uri")}, [(_gitlab(namespace="Example", issuer=self_managed), "pypi")], "pypi"  # fmt: skip
    yield "gitlab.com token, self-managed publisher", {}, [(_gitlab(namespace="Example", issuer=self_managed), "pypi")], "pypi"  # fmt: skip
    yield "gitlab token, github publisher", {}, [(_github(), "pypi")], "pypi"


def _apply(base: Mapping[str, str], changes: Mapping[str, str | None]) -> dict[str, str]:
    claims = dict(base)
    for key, value in changes.items():
        if value is None:
            claims.pop(key, None)
        else:
            claims[key] = value
    return claims


def _outcome(claims: Mapping[str, str], registrations: list[tuple[dict[str, Any], str]], index: str) -> dict[str, Any]:
    registry = Registry.of(
        *(Registration(_stored(p), "convert-poetry2uv", Index(i)) for p, i in registrations)
    )
    result = exchange(claims, registry, Index(index))
    if isinstance(result, MintResult):
        return {"ok": True, "publisher": _typed(result.publisher)}
    assert isinstance(result, ExchangeError)
    return {
        "ok": False,
        "slug": str(result.slug),
        "code": result.code,
        "description": result.description,
        "causes": list(result.causes),
    }


def exchange_vectors() -> list[dict[str, Any]]:
    vectors = []
    base = _base_github_claims()
    for (cname, changes), (pname, registrations) in product(_claim_variants(), _publisher_variants()):
        claims = _apply(base, changes)
        for index in ["pypi", "testpypi"] if cname == "audience testpypi" else ["pypi"]:
            vectors.append(
                {
                    "name": f"{cname} / {pname} / {index}",
                    "claims": claims,
                    "registrations": [{"publisher": p, "index": i} for p, i in registrations],
                    "index": index,
                    "expect": _outcome(claims, registrations, index),
                }
            )
    gl_base = dict(gitlab_claims(project_path="Example/convert-poetry2uv", environment="pypi"))
    for name, changes, registrations, index in _gitlab_cases():
        claims = _apply(gl_base, changes)
        vectors.append(
            {
                "name": name,
                "claims": claims,
                "registrations": [{"publisher": p, "index": i} for p, i in registrations],
                "index": index,
                "expect": _outcome(claims, registrations, index),
            }
        )
    return vectors


# --- names ------------------------------------------------------------------------------------


def _strip(value: str) -> str:
    return value.strip()


def non_ascii(value: str) -> list[dict[str, Any]]:
    """Each non-ASCII character (by code point index), with the ASCII it imitates if known."""
    return [
        {"at": i, "char": f"U+{ord(c):04X}", "looks_like": configure_data.CONFUSABLES.get(c)}
        for i, c in enumerate(value)
        if ord(c) > 127
    ]


def _form_workflow(workflow: str) -> dict[str, str]:
    try:
        return {"stored": GitHubPublisher("o", "r", "1", workflow).workflow_filename}
    except ValueError as exc:
        return {"error": str(exc)}


def name_warnings(fields: Mapping[str, str]) -> list[str]:
    """What the configurator warns about, as codes (`code` or `code:field`), from the model's rules."""
    found: list[str] = []
    for field in ("owner", "repository", "project", "dist", "workflow", "environment", "testenvironment"):
        value = fields.get(field, "")
        if value != _strip(value):
            found.append(f"space:{field}")
        if any(ord(c) > 127 for c in value):
            found.append(f"non-ascii:{field}")
    project, dist = fields.get("project", ""), fields.get("dist", "")
    try:
        canonicalize_name(project, validate=True)
    except InvalidName:
        found.append("project-invalid")
    if dist:
        try:
            canonicalize_name(dist, validate=True)
        except InvalidName:
            found.append("dist-invalid")
        if canonicalize_name(dist) != canonicalize_name(project):
            found.append("dist-name-differs")
        elif dist != project:
            found.append("dist-name-spelling")
    if project and canonicalize_name(project) != project:
        found.append("project-not-normalized")
    workflow = _form_workflow(fields.get("workflow", ""))
    if "error" in workflow:
        found.append("workflow-form-error")
    elif workflow["stored"] != fields.get("workflow"):
        found.append("workflow-stripped")
    for field in ("environment", "testenvironment"):
        env = fields.get(field, "")
        if env and GitHubPublisher("o", "r", "1", "w.yml", env).environment != env:
            found.append(f"environment-lowercased:{field}")
    if fields.get("owner") and not GITHUB_OWNER.match(fields["owner"]):
        found.append("owner-invalid")
    if fields.get("repository") and not GITHUB_REPO.match(fields["repository"]):
        found.append("repository-invalid")
    return sorted(found)


_SAMPLE_FIELDS = {
    "owner": "example",
    "repository": "convert-poetry2uv",
    "project": "convert-poetry2uv",
    "dist": "convert-poetry2uv",
    "workflow": "publish.yml",
    "environment": "pypi",
    "testenvironment": "testpypi",
}


def _field_variants() -> Iterator[tuple[str, dict[str, str]]]:
    yield "sample", {}
    yield "project with underscore, dist with dash", {"project": "convert_poetry2uv"}
    yield "dist spelled differently", {"dist": "Convert.Poetry2UV"}
    yield "dist another name", {"dist": "poetry-to-uv"}
    yield "project with a space", {"project": "convert poetry2uv"}
    yield "project ending in a dash", {"project": "convert-"}
    yield "project with a trailing space", {"project": "convert-poetry2uv "}
    yield "project with Cyrillic o", {"project": "c\u043envert-poetry2uv"}
    yield "project with long s", {"project": "\u017fample"}
    yield "project with Kelvin sign", {"project": "\u212aelvin"}
    yield "project single character", {"project": "x"}
    yield "project empty", {"project": "", "dist": ""}
    yield "workflow path", {"workflow": ".github/workflows/publish.yml"}
    yield "workflow without extension", {"workflow": "publish"}
    yield "workflow .yaml", {"workflow": "publish.yaml"}
    yield "workflow .YML", {"workflow": "publish.YML"}
    yield "workflow with spaces", {"workflow": " publish.yml "}
    yield "workflow with NBSP", {"workflow": "publish.yml\u00a0"}
    yield "workflow with BOM", {"workflow": "\ufeffpublish.yml"}
    yield "workflow with zero-width space", {"workflow": "pub\u200blish.yml"}
    yield "workflow only extension", {"workflow": ".yml"}
    yield "environment PyPI", {"environment": "PyPI"}
    yield "environment with space", {"environment": "pypi "}
    yield "test environment TestPyPI", {"testenvironment": "TestPyPI"}
    yield "environment empty", {"environment": ""}
    yield "owner with a slash", {"owner": "example/convert-poetry2uv"}
    yield "owner starting with a dash", {"owner": "-example"}
    yield "owner Example", {"owner": "Example"}
    yield "owner with full-width letters", {"owner": "\uff45xample"}
    yield "repository URL", {"repository": "https://github.com/example/convert-poetry2uv"}
    yield "repository with .git", {"repository": "convert-poetry2uv.git"}
    yield "repository with en dash", {"repository": "convert\u2013poetry2uv"}
    yield "repository with underscore", {"repository": "convert_poetry2uv"}


def names_vectors() -> list[dict[str, Any]]:
    vectors = []
    for name, changes in _field_variants():
        fields = {**_SAMPLE_FIELDS, **changes}
        project = fields["project"]
        try:
            canonicalize_name(project, validate=True)
            valid = True
        except InvalidName:
            valid = False
        vectors.append(
            {
                "name": name,
                "fields": fields,
                "expect": {
                    "canonical": canonicalize_name(project),
                    "valid": valid,
                    "workflow": _form_workflow(fields["workflow"]),
                    "environment": GitHubPublisher("o", "r", "1", "w.yml", fields["environment"]).environment,
                    "non_ascii": {k: non_ascii(v) for k, v in fields.items() if non_ascii(v)},
                    "warnings": name_warnings(fields),
                },
            }
        )
    return vectors


# --- files ------------------------------------------------------------------------------------


def render() -> dict[str, str]:
    """File name -> contents, exactly as --write writes them."""
    dump = lambda data: json.dumps(data, indent=1, ensure_ascii=False, sort_keys=True) + "\n"  # noqa: E731
    return {"exchange.json": dump(exchange_vectors()), "names.json": dump(names_vectors())}


def stale() -> list[str]:
    """Vector files whose committed contents differ from what the model computes now."""
    return [
        name
        for name, text in render().items()
        if not (OUT / name).exists() or (OUT / name).read_text(encoding="utf-8") != text
    ]


def main(argv: list[str]) -> int:
    if argv == ["--write"]:
        OUT.mkdir(parents=True, exist_ok=True)
        for name, text in render().items():
            (OUT / name).write_text(text, encoding="utf-8")
        print(f"wrote {', '.join(render())} to {OUT.relative_to(ROOT)}")
        return 0
    if argv == ["--check"]:
        names = stale()
        if names:
            print(f"stale: {', '.join(names)}; run `uv run python -m tpsite.vectors --write`")
            return 1
        print("vectors are up to date")
        return 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
