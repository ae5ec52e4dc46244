"""The GitLab pipeline is valid GitLab CI, asks for the tokens the tools read, and PyPI accepts them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import run, tool
from linters import yamllint
from tpsite import from_snippets, workflows
from tpsite.model.jobs import gitlab_publishing_jobs
from tpsite.model.pipeline import id_token_variable
from tpsite.sample import SAMPLE
from tpsite.model import (
    ExchangeError,
    Index,
    RefusedJob,
    Registration,
    Registry,
    exchange,
    gitlab_job_claims,
    gitlab_pending_publisher_form,
)
from tpsite.paths import SNIPPETS

PIPELINES = sorted((SNIPPETS / "gitlab").glob("*.yml"))
PIPELINE = SNIPPETS / SAMPLE.gitlab_pipeline


def test_there_is_a_pipeline_with_jobs_for_both_indexes() -> None:
    assert PIPELINE in PIPELINES
    assert set(gitlab_publishing_jobs(workflows.load(PIPELINE)).values()) == {Index.PYPI, Index.TESTPYPI}


@pytest.mark.parametrize("path", PIPELINES, ids=lambda p: p.name)
def test_schema(path: Path) -> None:
    result = run(tool("check-jsonschema"), "--builtin-schema", "vendor.gitlab-ci", str(path))
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_schema_check_can_fail(tmp_path: Path) -> None:
    bad = tmp_path / "gitlab-ci.yml"
    bad.write_text(PIPELINE.read_text().replace("aud: pypi", "audience: pypi"))
    result = run(tool("check-jsonschema"), "--builtin-schema", "vendor.gitlab-ci", str(bad))
    assert result.returncode == 1 and "'aud' is a required property" in result.stdout


@pytest.mark.parametrize("path", PIPELINES, ids=lambda p: p.name)
def test_yamllint(path: Path) -> None:
    assert yamllint(path) == []


@pytest.mark.parametrize(
    ("audience", "variable"),
    [("pypi", "PYPI_ID_TOKEN"), ("testpypi", "TESTPYPI_ID_TOKEN"),
     # the examples in di/id's and ambient-id's docstrings
     ("sigstore", "SIGSTORE_ID_TOKEN"), ("http://test.audience", "HTTP___TEST_AUDIENCE_ID_TOKEN")],
)  # fmt: skip
def test_token_variable_follows_the_tools_rule(audience: str, variable: str) -> None:
    assert id_token_variable(audience) == variable


@pytest.mark.parametrize("path", PIPELINES, ids=lambda p: p.name)
def test_each_uploading_job_asks_for_exactly_its_indexs_token(path: Path) -> None:
    pipeline = workflows.load(path)
    jobs = gitlab_publishing_jobs(pipeline)
    assert jobs
    for job_id, index in jobs.items():
        tokens = pipeline[job_id].get("id_tokens") or {}
        assert tokens == {id_token_variable(index.audience): {"aud": index.audience}}, job_id


@pytest.mark.parametrize("path", PIPELINES, ids=lambda p: p.name)
def test_only_uploading_jobs_can_mint(path: Path) -> None:
    """Any job with `id_tokens:` can get a token; only the publishing jobs ask for one."""
    pipeline = workflows.load(path)
    minting = {name for name, job in pipeline.items() if isinstance(job, dict) and job.get("id_tokens")}
    assert minting == set(gitlab_publishing_jobs(pipeline))


def test_uploads_name_the_index_they_go_to() -> None:
    pipeline = workflows.load(PIPELINE)
    for job_id, index in gitlab_publishing_jobs(pipeline).items():
        script = " ".join(pipeline[job_id]["script"])
        assert ("https://test.pypi.org/legacy/" in script) == (index is Index.TESTPYPI), job_id
        assert "--trusted-publishing always" in script


def test_pipeline_pins_the_same_uv_as_the_workflows() -> None:
    pinned = set(re.findall(r"uv==([\d.]+)", PIPELINE.read_text()))
    workflow = workflows.load(SNIPPETS / "workflows" / "publish.yml")
    setup_uv = [s for s in workflow["jobs"]["build"]["steps"] if str(s.get("uses", "")).startswith("astral-sh/setup-uv@")]
    assert pinned == {setup_uv[0]["with"]["version"]}


@pytest.mark.parametrize("job", ["publish-to-testpypi", "publish-to-pypi"])
def test_the_form_values_match_the_pipeline(job: str) -> None:
    """The page's GitLab card: computed from the job, and accepted by the modelled exchange."""
    pipeline = workflows.load(PIPELINE)
    index = gitlab_publishing_jobs(pipeline)[job]
    form = from_snippets.gitlab_form(SAMPLE.gitlab_pipeline, job, index)
    assert (form.provider, f"{form.owner}/{form.repository}") == ("gitlab", SAMPLE.gitlab_project_path)
    assert form.workflow == ".gitlab-ci.yml"
    assert form.environment == pipeline[job]["environment"]["name"] == index.value
    assert pipeline[job]["environment"]["url"].endswith(f"/p/{form.project_name}")


def test_a_token_for_one_index_is_refused_by_the_other() -> None:
    pipeline = workflows.load(PIPELINE)
    claims = gitlab_job_claims(
        pipeline, job_id="publish-to-testpypi", project_path=SAMPLE.gitlab_project_path, index=Index.TESTPYPI
    )
    form = from_snippets.gitlab_form(SAMPLE.gitlab_pipeline, "publish-to-pypi", Index.PYPI)
    registry = Registry.of(Registration(form.publisher(), form.project_name, Index.PYPI, pending=True))
    outcome = exchange(claims, registry, Index.PYPI)
    assert isinstance(outcome, ExchangeError) and outcome.code == "invalid-token"


def test_a_job_without_the_right_variable_gets_no_form() -> None:
    pipeline = workflows.load(PIPELINE)
    pipeline["publish-to-pypi"]["id_tokens"] = {"ID_TOKEN": {"aud": "pypi"}}
    with pytest.raises(RefusedJob, match="PYPI_ID_TOKEN"):
        gitlab_pending_publisher_form(
            pipeline, job_id="publish-to-pypi", index=Index.PYPI, project_path=SAMPLE.gitlab_project_path, project_name=SAMPLE.project
        )
