"""mkdocs-macros entry point: the functions pages call inside HTML-comment markers."""

from __future__ import annotations

import tomllib
from html import escape
from pathlib import Path
from typing import Any

from tpsite import gallery, scenarios, workflows
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
    outcome = scenarios.run(scenarios.PITFALLS[pitfall][variant])
    return f"```text\n{scenarios.message(outcome)}\n```"


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


def define_env(env: Any) -> None:
    """Register the site's macros (called by mkdocs-macros)."""
    env.macro(lambda: headline_box(env.page.meta), "error_headline")
    env.macro(publisher_form_html, "publisher_form")
    env.macro(pitfall_outcome)
    env.macro(error_index_markdown, "error_index")
