"""mkdocs-macros entry point: the functions pages call with <!--[[ name(...) ]]-->."""

from __future__ import annotations

from html import escape
from typing import Any

from tpsite import gallery
from tpsite.form import INDEXES, github_form

# The sample project every page uses.
SAMPLE = {
    "owner": "example",
    "repository": "convert-poetry2uv",
    "pyproject": "sample-package/pyproject.toml",
}


def publisher_form_html(
    *, workflow: str = "workflows/publish.yml", job: str, index: str, **overrides: str
) -> str:
    """An accessible card with the form values, computed from the workflow the page shows."""
    form = github_form(workflow=workflow, job=job, index=index, **{**SAMPLE, **overrides})
    index_name, url = INDEXES[index]
    rows = [
        ("PyPI Project Name", form.project_name),
        ("Owner", form.owner),
        ("Repository name", form.repository),
        ("Workflow name", form.workflow_name),
        ("Environment name", form.environment or "(leave empty: any environment)"),
    ]
    items = "\n".join(
        f'<div><dt>{escape(label)}</dt><dd><code>{escape(value)}</code></dd></div>' for label, value in rows
    )
    title = f"{index_name} publisher form for job <code>{escape(job)}</code>"
    return (
        f'<figure class="tp-form" aria-label="{escape(index_name)} publisher form values">\n'
        f'<figcaption>{title} (<a href="{url}">{escape(url.split("//")[1])}</a>)</figcaption>\n'
        f'<dl>\n{items}\n</dl>\n</figure>'
    )


def error_index_markdown() -> str:
    """The gallery index: every entry under its phase, with its headline verbatim for find-in-page."""
    parts = []
    entries = gallery.entries()
    for phase, heading in gallery.PHASES.items():
        rows = [e for e in entries if e.phase == phase]
        if not rows:
            continue
        parts.append(f"## {heading} {{ #{phase} }}\n")
        for entry in rows:
            parts.append(f"- [{_inline_code(entry.headline)}]({entry.slug}.md)  \n  {entry.description}")
        parts.append("")
    return "\n".join(parts)


def _inline_code(text: str) -> str:
    """Markdown inline code that survives backticks inside the message."""
    fence = "``" if "`" in text else "`"
    return f"{fence} {text} {fence}" if fence == "``" else f"`{text}`"


def define_env(env: Any) -> None:
    """Register the site's macros (called by mkdocs-macros)."""
    env.macro(publisher_form_html, "publisher_form")
    env.macro(error_index_markdown, "error_index")
