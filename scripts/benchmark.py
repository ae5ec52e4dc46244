"""Build the site, serve it gzip-compressed on 127.0.0.1, and run Lighthouse on four pages (not a test).

    uv run python scripts/benchmark.py [--runs 3]

Prints the `mkdocs build` time and, per page, the median over the runs of Lighthouse's mobile
scores (performance, accessibility, best practices, SEO) and of the bytes transferred, as a
Markdown table. Lighthouse 12 (13 needs Node >= 22.19) is installed with npm into
.cache/lighthouse from scripts/lighthouse/package-lock.json, and drives Debian's Chromium.
Targets: performance >= 95, the other three 100, under 200 KB per page, build under 5 s.
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

from browser import CHROMIUM_ARGS, chromium_path, serve  # noqa: E402

LOCK = ROOT / "scripts" / "lighthouse"
PREFIX = ROOT / ".cache" / "lighthouse"
CLI = PREFIX / "node_modules" / "lighthouse" / "cli" / "index.js"
PAGES = ["", "workflow/", "errors/", "errors/invalid-publisher/"]
CATEGORIES = {"performance": "Performance", "accessibility": "Accessibility", "best-practices": "Best practices", "seo": "SEO"}


def install_lighthouse() -> None:
    """npm ci into .cache/lighthouse from the committed lock file (once; again if the lock changes)."""
    lock = (LOCK / "package-lock.json").read_bytes()
    if CLI.is_file() and (PREFIX / "package-lock.json").is_file() and (PREFIX / "package-lock.json").read_bytes() == lock:
        return
    PREFIX.mkdir(parents=True, exist_ok=True)
    for name in ("package.json", "package-lock.json"):
        shutil.copyfile(LOCK / name, PREFIX / name)
    npm = shutil.which("npm")
    if npm is None:
        sys.exit("npm is needed to install Lighthouse")
    subprocess.run([npm, "ci", "--prefix", str(PREFIX), "--no-audit", "--no-fund", "--ignore-scripts"], check=True)


def build(out: Path) -> float:
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "--site-dir", str(out)],
        cwd=ROOT,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        check=True,
    )
    return time.perf_counter() - start


def lighthouse(url: str, chrome: str, report: Path) -> dict[str, float]:
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
    result = json.loads(report.read_text(encoding="utf-8"))
    assert result["configSettings"]["formFactor"] == "mobile", "Lighthouse's default (mobile) preset is expected"
    figures = {key: round(result["categories"][key]["score"] * 100) for key in CATEGORIES}
    figures["bytes"] = result["audits"]["total-byte-weight"]["numericValue"]
    failed = [
        audit["id"]
        for key in CATEGORIES
        for ref in result["categories"][key]["auditRefs"]
        if ref["weight"] and (audit := result["audits"][ref["id"]])["score"] is not None and audit["score"] < 1
    ]
    figures["failed"] = failed  # type: ignore[assignment]
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    chrome = chromium_path()
    if chrome is None:
        sys.exit("Chromium is not installed (apt-get install chromium)")
    install_lighthouse()
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        seconds = build(site)
        rows = []
        with serve(site, compress=True) as base:
            for page in PAGES:
                runs = [lighthouse(base + page, chrome, Path(tmp) / f"report-{n}.json") for n in range(args.runs)]
                median = {key: statistics.median(run[key] for run in runs) for key in [*CATEGORIES, "bytes"]}
                failed = sorted({audit for run in runs for audit in run["failed"]})  # type: ignore[attr-defined]
                rows.append((page, median, failed))
    print(f"`mkdocs build --strict`: {seconds:.1f} s\n")
    print("| Page | " + " | ".join(CATEGORIES.values()) + " | Transferred |")
    print("|---|" + "---:|" * (len(CATEGORIES) + 1))
    for page, median, _ in rows:
        scores = " | ".join(f"{median[key]:.0f}" for key in CATEGORIES)
        print(f"| `/{page}` | {scores} | {median['bytes'] / 1024:.0f} KB |")
    print(f"\nLighthouse 12, mobile preset, median of {args.runs} runs; gzip as on GitHub Pages.")
    for page, _, failed in rows:
        if failed:
            print(f"/{page}: audits below full marks in some run: {', '.join(failed)}", file=sys.stderr)


if __name__ == "__main__":
    main()
