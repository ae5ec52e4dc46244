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
import sys
from collections.abc import Iterator, Mapping
from dataclasses import asdict
from itertools import product
from typing import Any

from packaging.utils import InvalidName, canonicalize_name

from tpsite import workflows
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
    messages,
    names,
)
from tpsite.paths import ROOT, SNIPPETS
from tpsite.sample import SAMPLE

OUT = ROOT / "tests" / "data" / "vectors"
# The sample's names as the vectors spell them (some vectors change their case or characters).
OWNER, REPO, PROJECT = SAMPLE.repository.owner, SAMPLE.repository.name, SAMPLE.project
OWNER_ID = str(SAMPLE.repository.owner_id)


# --- exchange ---------------------------------------------------------------------------------


def _typed(p: GitHubPublisher | GitLabPublisher) -> dict[str, Any]:
    return {"kind": "github" if isinstance(p, GitHubPublisher) else "gitlab", **asdict(p)}


def _github(
    owner: str = OWNER,
    repository: str = REPO,
    owner_id: str = OWNER_ID,
    workflow: str = SAMPLE.workflow_file,
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
    namespace: str = OWNER,
    project: str = REPO,
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
        workflows.load(SNIPPETS / SAMPLE.workflow),
        workflow_path=SAMPLE.workflow_path,
        job_id=SAMPLE.jobs[Index.PYPI],
        repository=SAMPLE.repository,
        trigger=SAMPLE.tag_push,
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
    yield "renamed repository", {"repository": f"{OWNER}/poetry2uv", "sub": f"repo:{OWNER}/poetry2uv:environment:pypi",
                                 "job_workflow_ref": f"{OWNER}/poetry2uv/.github/workflows/publish.yml@{ref}"}  # fmt: skip
    yield "transferred to another owner", {
        "repository": f"new-org/{REPO}",
        "repository_owner": "new-org",
        "repository_owner_id": "999",
        "job_workflow_ref": f"new-org/{REPO}/.github/workflows/publish.yml@{ref}",
    }
    yield "owner re-created (new id)", {"repository_owner_id": "7654321"}
    yield "owner spelled Example by GitHub", {
        "repository": f"{OWNER.capitalize()}/{REPO}",
        "repository_owner": OWNER.capitalize(),
        "job_workflow_ref": f"{OWNER.capitalize()}/{REPO}/.github/workflows/publish.yml@{ref}",
    }
    yield "reusable workflow, same repository", {
        "job_workflow_ref": f"{repo}/.github/workflows/reusable-publish.yml@{ref}",
        "workflow_ref": f"{repo}/.github/workflows/release.yml@{ref}",
    }
    yield "reusable workflow, another repository", {
        "job_workflow_ref": f"{OWNER}/shared-workflows/.github/workflows/publish.yml@refs/tags/v2",
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
        "repository": f"{OWNER}/{REPO}\u0430",
        "job_workflow_ref": f"{OWNER}/{REPO}\u0430/.github/workflows/publish.yml@{ref}",
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
    yield "owner Example", [(_github(owner=OWNER.capitalize()), "pypi")]
    yield "repository Convert-Poetry2uv", [(_github(repository="Convert-Poetry2uv"), "pypi")]
    yield "repository with underscores", [(_github(repository=REPO.replace("-", "_")), "pypi")]
    yield "old owner id", [(_github(owner_id="42"), "pypi")]
    yield "only on TestPyPI", [(_github(environment="testpypi"), "testpypi")]
    yield "on both indexes", [(_github(environment="testpypi"), "testpypi"), (_github(), "pypi")]
    yield "two publishers, with and without environment", [(_github(environment="release"), "pypi"), (_github(environment=""), "pypi")]
    yield "repository with a look-alike", [(_github(repository=REPO + "\u0430"), "pypi")]
    yield "none", []


def _gitlab_cases() -> Iterator[tuple[str, dict[str, str | None], list[tuple[dict[str, Any], str]], str]]:
    base = dict(gitlab_claims(project_path=f"{OWNER.capitalize()}/{REPO}", environment="pypi"))
    exact = _gitlab(namespace=OWNER.capitalize())
    yield "gitlab exact", {}, [(exact, "pypi")], "pypi"
    yield "gitlab namespace case", {}, [(_gitlab(namespace=OWNER), "pypi")], "pypi"
    yield "gitlab environment case", {"environment": "PyPI"}, [(exact, "pypi")], "pypi"
    yield "gitlab no environment", {"environment": None}, [(exact, "pypi")], "pypi"
    yield "gitlab any environment", {"environment": "Release"}, [(_gitlab(namespace=OWNER.capitalize(), environment=""), "pypi")], "pypi"
    yield "gitlab included pipeline", {}, [(_gitlab(namespace=OWNER.capitalize(), workflow="ci/publish.yml"), "pypi")], "pypi"
    yield "gitlab pipeline case", {}, [(_gitlab(namespace=OWNER.capitalize(), workflow=".GitLab-ci.yml"), "pypi")], "pypi"
    yield "gitlab other project", {}, [(_gitlab(namespace=OWNER.capitalize(), project="other"), "pypi")], "pypi"
    yield "gitlab other namespace", {}, [(_gitlab(namespace="someone"), "pypi")], "pypi"
    yield "gitlab sub of another project", {"sub": f"project_path:{OWNER.capitalize()}/other:ref_type:tag:ref:v1.0.0"}, [(exact, "pypi")], "pypi"
    yield "gitlab empty sub part", {"sub": "project_path::x"}, [(exact, "pypi")], "pypi"
    yield "gitlab ci_config_ref_uri at another ref", {"ci_config_ref_uri": f"gitlab.com/{OWNER.capitalize()}/{REPO}//.gitlab-ci.yml@refs/heads/main"}, [(exact, "pypi")], "pypi"  # fmt: skip
    yield "gitlab no ref_path", {"ref_path": None}, [(exact, "pypi")], "pypi"
    yield "gitlab empty sha", {"sha": ""}, [(exact, "pypi")], "pypi"
    yield "gitlab on TestPyPI only", {}, [(exact, "testpypi")], "pypi"
    yield "gitlab audience testpypi", {"aud": "testpypi"}, [(exact, "testpypi")], "testpypi"
    self_managed = "https://gitlab.example.org"
    sm = dict(base, iss=self_managed, ci_config_ref_uri=base["ci_config_ref_uri"].replace("gitlab.com", "gitlab.example.org"))
    yield "gitlab self-managed", {k: sm[k] for k in ("iss", "ci_config_ref_uri")}, [(_gitlab(namespace=OWNER.capitalize(), issuer=self_managed), "pypi")], "pypi"  # fmt: skip
    yield "gitlab.com token, self-managed publisher", {}, [(_gitlab(namespace=OWNER.capitalize(), issuer=self_managed), "pypi")], "pypi"  # fmt: skip
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
        *(Registration(_stored(p), PROJECT, Index(i)) for p, i in registrations)
    )
    result = exchange(claims, registry, Index(index))
    if isinstance(result, MintResult):
        return {"ok": True, "publisher": _typed(result.publisher)}
    assert isinstance(result, ExchangeError)
    # Structured, not the printed description: the reason's text by name and the values in it.
    reason = None
    if result.reason is not None:
        text, values = result.reason
        reason = {"text": messages.name_of(text), "fields": values}
    return {
        "ok": False,
        "slug": str(result.slug),
        "code": result.code,
        "text": messages.name_of(result.text) if result.text else None,
        "reason": reason,
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
    gl_base = dict(gitlab_claims(project_path=f"{OWNER.capitalize()}/{REPO}", environment="pypi"))
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


# --- names ---------------------------------------------------------------------------------


_SAMPLE_FIELDS = {
    "owner": OWNER,
    "repository": REPO,
    "project": PROJECT,
    "dist": PROJECT,
    "workflow": "publish.yml",
    "environment": "pypi",
    "testenvironment": "testpypi",
}


def _field_variants() -> Iterator[tuple[str, dict[str, str]]]:
    yield "sample", {}
    yield "project with underscore, dist with dash", {"project": PROJECT.replace("-", "_")}
    yield "dist spelled differently", {"dist": "Convert.Poetry2UV"}
    yield "dist another name", {"dist": "poetry-to-uv"}
    yield "project with a space", {"project": PROJECT.replace("-", " ", 1)}
    yield "project ending in a dash", {"project": PROJECT.split("-")[0] + "-"}
    yield "project with a trailing space", {"project": PROJECT + " "}
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
    yield "owner with a slash", {"owner": f"{OWNER}/{REPO}"}
    yield "owner starting with a dash", {"owner": "-" + OWNER}
    yield "owner Example", {"owner": OWNER.capitalize()}
    yield "owner with full-width letters", {"owner": chr(ord(OWNER[0]) + 0xFEE0) + OWNER[1:]}
    yield "repository URL", {"repository": f"https://github.com/{OWNER}/{REPO}"}
    yield "repository with .git", {"repository": REPO + ".git"}
    yield "repository with en dash", {"repository": REPO.replace("-", "\u2013", 1)}
    yield "repository with underscore", {"repository": REPO.replace("-", "_")}


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
                    "workflow": names.stored_workflow(fields["workflow"]),
                    "environment": GitHubPublisher("o", "r", "1", "w.yml", fields["environment"]).environment,
                    "non_ascii": {k: names.non_ascii(v) for k, v in fields.items() if names.non_ascii(v)},
                    "warnings": names.findings(fields),
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
