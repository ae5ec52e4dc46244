"""Build the site, serve it gzip-compressed on 127.0.0.1, and run Lighthouse on each page class (not a test).

    uv run python scripts/benchmark.py [--runs 3] [--site DIR] [--skip-lighthouse] [--growth]

Prints the `mkdocs build` time and, per page (home, /workflow/, the gallery, an error page and the
three tools), the median over the runs of Lighthouse's mobile scores (performance, accessibility,
best practices, SEO) and of the bytes transferred, as a Markdown table. Lighthouse 12 (13 needs
Node >= 22.19) is installed with npm into .cache/lighthouse from scripts/lighthouse/package-lock.json,
and drives Debian's Chromium. With --growth: a scratch copy of the project with every gallery page
doubled is built, to show how build time and the search index grow with the gallery.
Targets: performance >= 95, the other three 100, under 100 KB per page, build under 5 s.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from browser import CHROMIUM_ARGS, chromium_path, serve

LOCK = ROOT / "scripts" / "lighthouse"
PREFIX = ROOT / ".cache" / "lighthouse"
CLI = PREFIX / "node_modules" / "lighthouse" / "cli" / "index.js"
PAGES = [
    "",
    "workflow/",
    "errors/",
    "errors/invalid-publisher/",
    "diagnose/",
    "configure/",
    "check/",
]
CATEGORIES = {
    "performance": "Performance",
    "accessibility": "Accessibility",
    "best-practices": "Best practices",
    "seo": "SEO",
}


def install_lighthouse() -> None:
    """npm ci into .cache/lighthouse from the committed lock file (once; again if the lock changes)."""
    lock = (LOCK / "package-lock.json").read_bytes()
    if (
        CLI.is_file()
        and (PREFIX / "package-lock.json").is_file()
        and (PREFIX / "package-lock.json").read_bytes() == lock
    ):
        return
    PREFIX.mkdir(parents=True, exist_ok=True)
    for name in ("package.json", "package-lock.json"):
        shutil.copyfile(LOCK / name, PREFIX / name)
    npm = shutil.which("npm")
    if npm is None:
        sys.exit("npm is needed to install Lighthouse")
    subprocess.run(
        [
            npm,
            "ci",
            "--prefix",
            str(PREFIX),
            "--no-audit",
            "--no-fund",
            "--ignore-scripts",
        ],
        check=True,
    )


def build(out: Path, project: Path = ROOT) -> float:
    start = time.perf_counter()
    # The copy's own package first: tpsite reads the gallery from the tree it is imported from.
    path = {"PYTHONPATH": str(project / "src")} if project != ROOT else {}
    subprocess.run(
        [
            sys.executable,
            "-m",
            "mkdocs",
            "build",
            "--strict",
            "--quiet",
            "--site-dir",
            str(out),
        ],
        cwd=project,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", **path},
        check=True,
    )
    return time.perf_counter() - start


def lighthouse(url: str, chrome: str, report: Path) -> dict[str, object]:
    node = shutil.which("node")
    if node is None:
        sys.exit("Node.js is needed to run Lighthouse")
    flags = " ".join(["--headless=new", *CHROMIUM_ARGS])
    subprocess.run(
        [
            node,
            str(CLI),
            url,
            "--quiet",
            "--output=json",
            f"--output-path={report}",
            f"--chrome-flags={flags}",  # one argument: only its value is a space-separated list
            "--only-categories=" + ",".join(CATEGORIES),
        ],
        env={**os.environ, "CHROME_PATH": chrome},
        check=True,
    )
    return report_figures(json.loads(report.read_text(encoding="utf-8")))


def growth(tmp: Path) -> None:
    """Build a scratch copy of the project whose gallery holds every page twice; print both builds."""
    copy = tmp / "doubled"
    shutil.copytree(
        ROOT,
        copy,
        ignore=shutil.ignore_patterns(
            ".git", ".venv", ".cache", "node_modules", "site", "__pycache__"
        ),
    )
    pages = sorted((copy / "docs" / "errors").glob("*.md"))
    for page in pages:
        if page.name == "index.md":
            continue
        # The copy keeps its front matter (messages, causes) so it is indexed and rendered alike;
        # it has no thread tally of its own (a tally names one page).
        (page.parent / f"{page.stem}-again.md").write_text(
            page.read_text(encoding="utf-8"), encoding="utf-8"
        )
    rows = []
    for label, project in (("as is", ROOT), ("gallery doubled", copy)):
        site = tmp / f"site-{label.replace(' ', '-')}"
        seconds = min(
            build(site, project) for _ in range(2)
        )  # the first run also compiles the copy's modules
        errors = len(list((site / "errors").glob("*/index.html")))
        index = (site / "search" / "search_index.json").stat().st_size
        rows.append((label, errors, seconds, index))
    print("\n| Gallery | Error pages | Strict build | Search index (raw) |")
    print("|---|---:|---:|---:|")
    for label, errors, seconds, index in rows:
        print(f"| {label} | {errors} | {seconds:.1f} s | {index / 1024:.0f} KB |")


def report_figures(report: dict) -> dict[str, object]:
    """Scores (0-100), bytes and the audits below full marks, from one Lighthouse JSON report."""
    assert report["configSettings"]["formFactor"] == "mobile", (
        "Lighthouse's default (mobile) preset is expected"
    )
    figures: dict[str, object] = {
        key: round(report["categories"][key]["score"] * 100) for key in CATEGORIES
    }
    figures["bytes"] = report["audits"]["total-byte-weight"]["numericValue"]
    figures["failed"] = [
        ref["id"]
        for key in CATEGORIES
        for ref in report["categories"][key]["auditRefs"]
        if ref["weight"]
        and report["audits"][ref["id"]]["score"] is not None
        and report["audits"][ref["id"]]["score"] < 1
    ]
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--site", type=Path, help="a built site to measure instead of building one"
    )
    parser.add_argument(
        "--skip-lighthouse",
        action="store_true",
        help="only the build and the pages' presence",
    )
    parser.add_argument(
        "--growth", action="store_true", help="also build with the gallery doubled"
    )
    args = parser.parse_args()
    chrome = chromium_path()
    if chrome is None and not args.skip_lighthouse:
        sys.exit("Chromium is not installed (apt-get install chromium)")
    if not args.skip_lighthouse:
        install_lighthouse()
    with tempfile.TemporaryDirectory() as tmp:
        site = args.site or Path(tmp) / "site"
        if args.site is None:
            print(f"`mkdocs build --strict`: {build(site):.1f} s\n")
        pages = [page for page in PAGES if (site / page / "index.html").is_file()]
        missing = [page for page in PAGES if page not in pages]
        if missing:
            print(f"not in this site: {', '.join('/' + p for p in missing)}")
        if args.skip_lighthouse:
            print(
                f"pages found: {', '.join('/' + p for p in pages)} (Lighthouse skipped)"
            )
        else:
            rows = []
            with serve(site, compress=True) as base:
                for page in pages:
                    runs = [
                        lighthouse(base + page, chrome, Path(tmp) / f"report-{n}.json")
                        for n in range(args.runs)
                    ]
                    median = {
                        key: statistics.median(run[key] for run in runs)
                        for key in [*CATEGORIES, "bytes"]
                    }
                    failed = sorted({audit for run in runs for audit in run["failed"]})  # type: ignore[attr-defined]
                    rows.append((page, median, failed))
            print("| Page | " + " | ".join(CATEGORIES.values()) + " | Transferred |")
            print("|---|" + "---:|" * (len(CATEGORIES) + 1))
            for page, median, _ in rows:
                scores = " | ".join(f"{median[key]:.0f}" for key in CATEGORIES)
                print(f"| `/{page}` | {scores} | {median['bytes'] / 1024:.0f} KB |")
            print(
                f"\nLighthouse 12, mobile preset, median of {args.runs} runs; gzip as on GitHub Pages."
            )
            for page, _, failed in rows:
                if failed:
                    print(
                        f"/{page}: audits below full marks in some run: {', '.join(failed)}",
                        file=sys.stderr,
                    )
        if args.growth:
            growth(Path(tmp))


if __name__ == "__main__":
    main()
