"""mkdocs-macros entry point: the functions pages call inside HTML-comment markers."""

from __future__ import annotations

import re
import tomllib
from html import escape
from pathlib import Path
from typing import Any

from packaging.utils import canonicalize_name

from tpsite import configure_data, gallery, scenarios, workflows
from tpsite.model import Index, pending_publisher_form
from tpsite.paths import SNIPPETS


def publisher_form_html(*, job: str, index: str, workflow: str = scenarios.WORKFLOW) -> str:
    """PyPI's form values as an accessible card, computed by the model from the workflow shown."""
    project = tomllib.loads((SNIPPETS / scenarios.PYPROJECT).read_text(encoding="utf-8"))["project"]["name"]
    form = pending_publisher_form(
        workflows.load(SNIPPETS / workflow),
        workflow_path=f".github/workflows/{Path(workflow).name}",
        job_id=job,
        index=Index(index),
        repository=scenarios.SAMPLE_REPOSITORY,
        project_name=project,
    )
    items = "\n".join(
        f"<div><dt>{escape(label)}</dt><dd><code>{escape(value or '(leave empty)')}</code></dd></div>"
        for label, value in form.fields
    )
    site = form.index.site_name
    return (
        f'<figure class="tp-form" aria-label="{escape(site)} publisher form values for job {escape(job)}">\n'
        f"<figcaption>{escape(site)}: Add a new pending publisher (GitHub), for job "
        f'<code>{escape(job)}</code> · <a href="{escape(form.url)}">{escape(form.url)}</a></figcaption>\n'
        f"<dl>\n{items}\n</dl>\n</figure>"
    )


def pitfall_outcome(pitfall: str, variant: str) -> str:
    """What the model of PyPI answers for a pitfall's example, as the log shows it."""
    text = scenarios.message(scenarios.run(scenarios.PITFALLS[pitfall][variant]))
    # Some messages hold a Markdown fence of their own (the action's id-token hint): fence longer.
    fence = "`" * max(3, max((len(run) for run in re.findall(r"`+", text)), default=0) + 1)
    return f"{fence}text\n{text}\n{fence}"


def pitfall_form_html(pitfall: str) -> str:
    """The form values for a pitfall's fixed example, computed by the model from the workflow shown.

    On a project that already exists the publisher is added on the project's own Publishing page,
    whose form has no project name field.
    """
    scenario = scenarios.PITFALLS[pitfall]["fixed"]
    form = scenarios.form(scenario)
    provider = "GitLab" if isinstance(scenario, scenarios.GitLabScenario) else "GitHub"
    existing = canonicalize_name(form.project_name) in {canonicalize_name(p) for p in scenario.existing_projects}
    return _card_for(form, provider=provider, job=scenario.job, existing=existing)


def error_index_markdown() -> str:
    """The gallery index: every entry under its phase, with its headline verbatim for find-in-page."""
    parts = []
    entries = gallery.entries()
    for phase, heading in gallery.PHASES.items():
        rows = [e for e in entries if e.phase == phase]
        if not rows:
            continue
        parts.append(f"## {heading} {{ #{phase} }}\n")
        parts.extend(f"- [{_inline_code(e.headline)}]({e.slug}.md)  \n  {e.description}" for e in rows)
        parts.append("")
    return "\n".join(parts)


def _inline_code(text: str) -> str:
    """Markdown inline code that survives backticks inside the message."""
    return f"`` {text} ``" if "`" in text else f"`{text}`"


def headline_box(meta: dict[str, Any]) -> str:
    """An error page's headline, verbatim, at the top of the page (and of its search entry)."""
    text = "\n".join(f"    {line}" for line in str(meta["headline"]).splitlines())
    return f'!!! failure "The message"\n\n    ```text\n{text}\n    ```'


def _form_card(
    *, site: str, provider: str, job: str, url: str, fields: tuple[tuple[str, str], ...], heading: str = "Add a new pending publisher"
) -> str:
    """The same card as `publisher_form_html`, on one line so it can sit inside a content tab."""
    items = "".join(
        f"<div><dt>{escape(label)}</dt><dd><code>{escape(value or '(leave empty)')}</code></dd></div>"
        for label, value in fields
    )
    return (
        f'<figure class="tp-form" aria-label="{escape(site)} publisher form values for job {escape(job)}">'
        f"<figcaption>{escape(site)}: {escape(heading)} ({escape(provider)}), for job "
        f'<code>{escape(job)}</code> · <a href="{escape(url)}">{escape(url)}</a></figcaption>'
        f"<dl>{items}</dl></figure>"
    )


def _card_for(form: Any, *, provider: str, job: str, existing: bool = False) -> str:
    """A form's card: the pending-publisher form, or for a project that exists already the form on
    the project's own Publishing page, which has no project name field."""
    if not existing:
        return _form_card(site=form.index.site_name, provider=provider, job=job, url=form.url, fields=form.fields)
    url = f"https://{form.index.host}/manage/project/{form.project_name}/settings/publishing/"
    heading = f"Add a new publisher to {form.project_name}"
    return _form_card(
        site=form.index.site_name, provider=provider, job=job, url=url, fields=form.fields[1:], heading=heading
    )


def variant_form_html(
    *,
    job: str,
    index: str,
    workflow: str,
    project: str | None = None,
    monorepo: bool = False,
    saved_as: str | None = None,
    existing: bool = False,
) -> str:
    """A "Ways to publish" workflow's GitHub form values (another project, repository or file name).

    `existing=True`: the project already exists, so the publisher is added on the project's own
    Publishing page, whose form has no project name field.
    """
    from tpsite import variants

    repository = variants.MONOREPO_REPOSITORY if monorepo else scenarios.SAMPLE_REPOSITORY
    form = variants.github_form(workflow, job, Index(index), project=project, repository=repository, saved_as=saved_as)
    return _card_for(form, provider="GitHub", job=job, existing=existing)


def gitlab_form_html(*, job: str, index: str, pipeline: str = "gitlab/gitlab-ci.yml") -> str:
    """The GitLab form values for a job of the GitLab pipeline a page shows."""
    from tpsite import variants

    form = variants.gitlab_pending_form(workflows.load(SNIPPETS / pipeline), job, Index(index))
    return _card_for(form, provider="GitLab", job=job)


def variant_outcome(name: str) -> str:
    """What the model of PyPI answers in a "Ways to publish" example, as the log shows it."""
    from tpsite import variants

    return f"```text\n{scenarios.message(variants.OUTCOMES[name]())}\n```"


def define_env(env: Any) -> None:
    """Register the site's macros (called by mkdocs-macros)."""
    env.macro(lambda: headline_box(env.page.meta), "error_headline")
    env.macro(publisher_form_html, "publisher_form")
    env.macro(pitfall_outcome)
    env.macro(pitfall_form_html, "pitfall_form")
    env.macro(error_index_markdown, "error_index")
    env.macro(variant_form_html, "variant_form")
    env.macro(gitlab_form_html, "gitlab_form")
    env.macro(variant_outcome)
    env.macro(configure_data.tools_data_html, "tp_tools_data")
