"""The pitfalls page's examples: for each pitfall, its bad and fixed configurations as scenarios.

Each pitfall's files are under snippets/pitfalls/<name>/; tests/test_snippets_pitfalls.py states
the outcome the model must give for each variant, and the page shows it (macros.pitfall_outcome).
"""

from __future__ import annotations

from dataclasses import replace

from tpsite.model import GitHubRepository, Index, Trigger
from tpsite.publish import GitLabScenario, Scenario
from tpsite.sample import SAMPLE

# The same repository after its transfer to an organisation (a new owner, with a new id).
TRANSFERRED = GitHubRepository(owner="example-org", name=SAMPLE.repository.name, owner_id=789012)

# The preview workflow's TestPyPI job, started by a pull request, with a pending publisher.
PREVIEW_ON_PULL_REQUEST_TARGET = Scenario(
    publisher="pitfalls/pull-request-target/publisher-bad-pending.toml",
    workflow="pitfalls/pull-request-target/preview-bad.yml",
    workflow_file="preview.yml",
    job=SAMPLE.jobs[Index.TESTPYPI],
    index=Index.TESTPYPI,
    trigger=Trigger(event_name="pull_request_target", ref="refs/heads/main"),
)

# The annotated workflow's TestPyPI job on a push to main, after an earlier push uploaded this version.
SECOND_PUSH_TO_TESTPYPI = Scenario(
    publisher="pitfalls/file-already-exists/publisher.toml",
    job=SAMPLE.jobs[Index.TESTPYPI],
    index=Index.TESTPYPI,
    trigger=Trigger(event_name="push", ref="refs/heads/main"),
    existing_projects=(SAMPLE.project,),
    uploaded_before=True,
)

# The pitfalls page: each pitfall's examples, as the model must judge them.
PITFALLS: dict[str, dict[str, Scenario | GitLabScenario]] = {
    "form-typo": {
        "bad": Scenario(publisher="pitfalls/form-typo/publisher-bad.toml"),
        "fixed": Scenario(publisher="pitfalls/form-typo/publisher-fixed.toml"),
    },
    "project-name-mismatch": {
        # Someone else's project of that name exists: the token is not valid for it.
        "bad": Scenario(
            publisher="pitfalls/project-name-mismatch/publisher.toml",
            pyproject="pitfalls/project-name-mismatch/pyproject-bad.toml",
            existing_projects=("poetry-to-uv",),
        ),
        # No such project: PyPI won't let a CI identity create it.
        "bad-new-name": Scenario(
            publisher="pitfalls/project-name-mismatch/publisher.toml",
            pyproject="pitfalls/project-name-mismatch/pyproject-bad.toml",
        ),
        "fixed": Scenario(publisher="pitfalls/project-name-mismatch/publisher.toml"),
    },
    "dash-underscore": {
        "bad": Scenario(publisher="pitfalls/dash-underscore/publisher-bad.toml"),
        "fixed": Scenario(publisher="pitfalls/dash-underscore/publisher-fixed.toml"),
    },
    "repository-name-differs": {
        "fixed": Scenario(
            publisher="pitfalls/repository-name-differs/publisher-fixed.toml",
            repository=replace(SAMPLE.repository, name="uv-migration-tools"),
        ),
    },
    "environment-missing": {
        "bad": Scenario(
            publisher="pitfalls/environment-missing/publisher.toml",
            workflow="pitfalls/environment-missing/publish-bad.yml",
        ),
        "fixed": Scenario(publisher="pitfalls/environment-missing/publisher.toml"),
    },
    "id-token-missing": {
        "bad": Scenario(
            publisher="pitfalls/id-token-missing/publisher.toml",
            workflow="pitfalls/id-token-missing/publish-bad.yml",
        ),
        "fixed": Scenario(publisher="pitfalls/id-token-missing/publisher.toml"),
    },
    "other-index": {
        "bad": Scenario(publisher="pitfalls/other-index/publisher-bad.toml", job=SAMPLE.jobs[Index.TESTPYPI], index=Index.TESTPYPI),
        "fixed": Scenario(
            publisher="pitfalls/other-index/publisher-fixed.toml", job=SAMPLE.jobs[Index.TESTPYPI], index=Index.TESTPYPI
        ),
    },
    "pending-for-existing-project": {
        "bad": Scenario(
            publisher="pitfalls/pending-for-existing-project/publisher-bad.toml",
            existing_projects=(SAMPLE.project,),
        ),
        "fixed": Scenario(
            publisher="pitfalls/pending-for-existing-project/publisher-fixed.toml",
            existing_projects=(SAMPLE.project,),
        ),
    },
    "local-version": {
        "bad": Scenario(
            publisher="pitfalls/local-version/publisher.toml", pyproject="pitfalls/local-version/pyproject-bad.toml"
        ),
        "fixed": Scenario(publisher="pitfalls/local-version/publisher.toml"),
    },
    "repository-transferred": {
        "bad": Scenario(
            publisher="pitfalls/repository-transferred/publisher-bad.toml",
            repository=TRANSFERRED,
            registered_owner_id=SAMPLE.repository.owner_id,
        ),
        "fixed": Scenario(publisher="pitfalls/repository-transferred/publisher-fixed.toml", repository=TRANSFERRED),
    },
    "pull-request-target": {
        "bad": replace(
            PREVIEW_ON_PULL_REQUEST_TARGET,
            publisher="pitfalls/pull-request-target/publisher-bad.toml",
            existing_projects=(SAMPLE.project,),
        ),
        # The same with a pending publisher: PyPI drops the pending lookup's reason
        # (oidc/views.py:273-276) and reports the lookup of normal publishers, which finds none.
        "bad-pending": PREVIEW_ON_PULL_REQUEST_TARGET,
        # The release workflow's TestPyPI job, run by the push that merges the pull request.
        "fixed": Scenario(
            publisher="pitfalls/pull-request-target/publisher-fixed.toml",
            job=SAMPLE.jobs[Index.TESTPYPI],
            index=Index.TESTPYPI,
            trigger=Trigger(event_name="push", ref="refs/heads/main"),
        ),
    },
    "file-already-exists": {
        # Every push uploads to TestPyPI; this version's files are there from an earlier push.
        "bad": replace(SECOND_PUSH_TO_TESTPYPI, workflow="pitfalls/file-already-exists/publish-bad.yml"),
        # The annotated workflow's TestPyPI step sets skip-existing: twine skips those files.
        "fixed": SECOND_PUSH_TO_TESTPYPI,
    },
    "gitlab-case": {
        # PyPI finds the publisher ignoring case, then compares ci_config_ref_uri exactly.
        "bad": GitLabScenario(
            publisher="pitfalls/gitlab-case/publisher-bad.toml", existing_projects=(SAMPLE.project,)
        ),
        "fixed": GitLabScenario(
            publisher="pitfalls/gitlab-case/publisher-fixed.toml", existing_projects=(SAMPLE.project,)
        ),
    },
    "reusable-workflow": {
        "bad": Scenario(
            publisher="pitfalls/reusable-workflow/publisher.toml",
            workflow="pitfalls/reusable-workflow/.github/workflows/publish.yml",
            called="pitfalls/reusable-workflow/.github/workflows/pypi-upload.yml",
            called_job="upload",
        ),
        "fixed": Scenario(publisher="pitfalls/reusable-workflow/publisher.toml"),
    },
}
