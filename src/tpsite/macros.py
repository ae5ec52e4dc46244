"""mkdocs-macros entry point: the functions pages call inside HTML-comment markers.

Every value a macro prints comes from the model run on a tested snippet (forms, outcomes) or from
the gallery's front matter; the sample's names come from `tpsite.sample`.
"""

from __future__ import annotations

import re
import shutil
from html import escape
from pathlib import Path
from typing import Any

from packaging.utils import canonicalize_name

from tpsite import about_page, error_page, from_snippets, gallery, pitfalls, publish, variants
from tpsite.check.findings import KINDS
from tpsite.model import Index, PublisherForm
from tpsite.paths import ROOT
from tpsite.sample import SAMPLE

# The Check page's parsers, installed from package-lock.json (`npm ci`) and served from the site:
# node_modules/<package>/<folder> -> assets/javascripts/vendor/<name>/ (with the package's licence).
VENDOR = {"yaml": ("yaml", "browser/dist"), "smol-toml": ("smol-toml", "dist")}


def form_card(form: PublisherForm, job: str) -> str:
    """PyPI's form values as an accessible card, on one line so it can sit inside a content tab."""
    items = "".join(
        f"<div><dt>{escape(label)}</dt><dd><code>{escape(value or '(leave empty)')}</code></dd></div>"
        for label, value in form.fields
    )
    site = escape(form.index.site_name)
    return (
        f'<figure class="tp-form" aria-label="{site} publisher form values for job {escape(job)}">'
        f"<figcaption>{site}: {escape(form.heading)} ({escape(form.provider_name)}), for job "
        f'<code>{escape(job)}</code> · <a href="{escape(form.url)}">{escape(form.url)}</a></figcaption>'
        f"<dl>{items}</dl></figure>"
    )


def publisher_form_html(*, job: str, index: str, workflow: str = SAMPLE.workflow) -> str:
    """The form values for a job of a workflow a page shows, computed by the model."""
    return form_card(from_snippets.github_form(workflow, job, Index(index)), job)


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
    repository = variants.MONOREPO_REPOSITORY if monorepo else SAMPLE.repository
    form = from_snippets.github_form(workflow, job, Index(index), project=project, repository=repository, saved_as=saved_as)
    return form_card(form.for_existing_project() if existing else form, job)


def gitlab_form_html(*, job: str, index: str, pipeline: str = SAMPLE.gitlab_pipeline) -> str:
    """The GitLab form values for a job of the GitLab pipeline a page shows."""
    return form_card(from_snippets.gitlab_form(pipeline, job, Index(index)), job)


def pitfall_form_html(pitfall: str) -> str:
    """The form values for a pitfall's fixed example, computed by the model from the workflow shown;
    on a project that already exists, the form of the project's own Publishing page."""
    scenario = pitfalls.PITFALLS[pitfall]["fixed"]
    form = scenario.form()
    if canonicalize_name(form.project_name) in {canonicalize_name(p) for p in scenario.existing_projects}:
        form = form.for_existing_project()
    return form_card(form, scenario.job)


def _text_block(text: str) -> str:
    # Some messages hold a Markdown fence of their own (the action's id-token hint): fence longer.
    fence = "`" * max(3, max((len(run) for run in re.findall(r"`+", text)), default=0) + 1)
    return f"{fence}text\n{text}\n{fence}"


def pitfall_outcome(pitfall: str, variant: str) -> str:
    """What the model of PyPI answers for a pitfall's example, as the log shows it."""
    return _text_block(publish.message(publish.run(pitfalls.PITFALLS[pitfall][variant])))


def variant_outcome(name: str) -> str:
    """What the model of PyPI answers in a "Ways to publish" example, as the log shows it."""
    return _text_block(publish.message(variants.OUTCOMES[name]()))


def _inline_code(text: str) -> str:
    """Markdown inline code that survives backticks inside the message."""
    return f"`` {text} ``" if "`" in text else f"`{text}`"


def error_index_markdown() -> str:
    """The gallery index: every entry under its phase, with its headline verbatim for find-in-page."""
    parts = []
    entries = gallery.entries()
    for phase, heading in gallery.PHASES.items():
        rows = [e for e in entries if e.phase == phase]
        if not rows:
            continue
        # Kept out of the search index: these lists repeat every headline, and a pasted message must
        # find its own page, not this list.
        parts.append(f"## {heading} {{ #{phase} data-search-exclude }}\n")
        parts.extend(f"- [{_inline_code(e.headline)}]({e.slug}.md)  \n  {e.description}" for e in rows)
        parts.append("")
    return "\n".join(parts)


def check_findings_table() -> str:
    """The Check page's list of findings: id, severity, what it means, its page (findings.KINDS)."""
    rows = ["| Finding | Severity | What | Page |", "|---|---|---|---|"]
    for name, kind in KINDS.items():
        page = kind.page.split("#")[0].rstrip("/") + ".md"
        anchor = "#" + kind.page.split("#")[1] if "#" in kind.page else ""
        by = " (zizmor, command only)" if kind.source == "zizmor" else ""
        rows.append(f"| `{name}` | {kind.severity}{by} | {escape(kind.title)} | [{page.removesuffix('.md')}]({page}{anchor}) |")
    return "\n".join(rows)


def copy_vendor(site_dir: Path, node_modules: Path = ROOT / "node_modules") -> list[str]:
    """Copy the Check page's parsers into a built site; the names of those not installed."""
    missing = []
    for name, (package, folder) in VENDOR.items():
        source = node_modules / package / folder
        target = site_dir / "assets" / "javascripts" / "vendor" / name
        if not source.is_dir():
            missing.append(package)
            continue
        shutil.rmtree(target, ignore_errors=True)
        shutil.copytree(source, target, ignore=shutil.ignore_patterns("*.map", "*.d.ts", "*.cjs"))
        licence = node_modules / package / "LICENSE"
        if licence.is_file():
            shutil.copy(licence, target / "LICENSE")
    return missing


def on_post_build(env: Any) -> None:
    """After every build (also under `mkdocs serve`): the Check page's parsers into the site. Without
    node_modules the page says the YAML parser is not installed (run npm ci)."""
    copy_vendor(Path(env.conf["site_dir"]))


def define_env(env: Any) -> None:
    """Register the site's macros (called by mkdocs-macros as each build starts)."""
    gallery.forget()  # `mkdocs serve` rebuilds in this process: read the pages as they are now
    env.variables["sample"] = SAMPLE

    def slug() -> str:
        # The page's URL, which MkDocs and Zensical both give ("errors/<slug>/"); Zensical's page has no `file`.
        return str(env.page.url).strip("/").removeprefix("errors/").removesuffix(".html")

    env.macro(lambda: error_page.headline_box(env.page.meta, slug()), "error_headline")
    env.macro(lambda: error_page.wording_history(slug()), "wording_history")
    env.macro(lambda: error_page.page_sources(slug()), "page_sources")
    env.macro(publisher_form_html, "publisher_form")
    env.macro(pitfall_outcome)
    env.macro(pitfall_form_html, "pitfall_form")
    env.macro(error_index_markdown, "error_index")
    env.macro(variant_form_html, "variant_form")
    env.macro(gitlab_form_html, "gitlab_form")
    env.macro(variant_outcome)
    env.macro(about_page.sources_record, "sources_record")
    env.macro(about_page.counts, "gallery_counts")
    env.macro(check_findings_table)
