"""Smoke tests for the measuring scripts under scripts/: each runs on the built site with a tiny
input and prints its figures, so none can rot unnoticed. The figures themselves are not judged
here (timings belong to the scripts, not to tests)."""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path

from browser import require_chromium
from conftest import run

from tpsite.paths import ROOT

SCRIPTS = ROOT / "scripts"


def script(name: str, *args: str) -> str:
    result = run(
        sys.executable, str(SCRIPTS / name), *args, env={"NO_MKDOCS_2_WARNING": "1"}
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def test_page_weight_weighs_pages_by_class(site: Path) -> None:
    require_chromium()
    out = script("page_weight.py", "--site", str(site), "--pages", "2")
    assert re.search(
        r"^2 pages, cold, gzip: median \d+ KB, heaviest /\S* \d+ KB$", out, re.MULTILINE
    ), out
    assert re.search(r"^\| html \| \d+\.\d KB \| \d+\.\d KB \|$", out, re.MULTILINE), (
        out
    )
    assert "Over 100 KB:" in out


def test_diagnose_benchmark_names_the_tail_of_a_long_paste(site: Path) -> None:
    require_chromium()
    out = script(
        "diagnose_benchmark.py", "--site", str(site), "--size-mb", "0.05", "--runs", "1"
    )
    # The log ends in a real invalid-publisher failure: both paths must find it.
    assert re.search(
        r"^run 1: [\d,]+ characters, diagnose\(\) \d+\.\d\d s, .*\(first entry: invalid-publisher\)$",
        out,
        re.MULTILINE,
    ), out
    assert out.strip().splitlines()[-1].startswith("median: diagnose()")


def test_benchmark_finds_every_page_it_measures(site: Path) -> None:
    out = script("benchmark.py", "--site", str(site), "--skip-lighthouse")
    assert "not in this site" not in out, out
    assert "/errors/invalid-publisher/" in out


def test_benchmark_reads_a_lighthouse_report() -> None:
    spec = importlib.util.spec_from_file_location("benchmark", SCRIPTS / "benchmark.py")
    assert spec and spec.loader
    benchmark = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(benchmark)
    audits = {
        "total-byte-weight": {"numericValue": 51234, "score": 1},
        "color-contrast": {"score": 0},
        "meta-description": {"score": 1},
    }
    categories = {
        key: {
            "score": 1.0 if key != "accessibility" else 0.93,
            "auditRefs": [
                {
                    "id": "color-contrast"
                    if key == "accessibility"
                    else "meta-description",
                    "weight": 1,
                }
            ],
        }
        for key in benchmark.CATEGORIES
    }
    figures = benchmark.report_figures(
        {
            "configSettings": {"formFactor": "mobile"},
            "categories": categories,
            "audits": audits,
        }
    )
    assert figures == {
        "performance": 100,
        "accessibility": 93,
        "best-practices": 100,
        "seo": 100,
        "bytes": 51234,
        "failed": ["color-contrast"],
    }
