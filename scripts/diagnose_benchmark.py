"""How long the diagnose page takes for a 10 MB paste, in Chromium (prints figures; not a test).

    uv run python scripts/diagnose_benchmark.py [--size-mb 10] [--runs 3] [--site DIR]

Builds the site (or takes a built one), serves it on 127.0.0.1, and in Debian's Chromium measures
(1) `diagnose()` from diagnose.js alone on a log of the given size ending in a real failure, and
(2) the whole page: a paste event carrying that log, until the answer is on screen.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from browser import CHROMIUM_ARGS, chromium_path, serve

TAIL = ROOT / "tests" / "data" / "logs" / "invalid-publisher-8.txt"

MEASURE = """async ([size, tail]) => {
  const line = 'Collecting dependency-' + 'x'.repeat(60) + '\\n';
  const text = line.repeat(Math.ceil((size - tail.length) / line.length)) + tail;
  const { diagnose } = await import(new URL('../assets/javascripts/tp/diagnose.js', location.href));
  const json = async (name) => (await fetch(new URL(`../assets/data/${name}.json`, location.href))).json();
  const [model, gallery] = await Promise.all([json('model'), json('gallery')]);
  const t0 = performance.now();
  const result = diagnose(text, model, gallery);
  const alone = performance.now() - t0;
  const before = Number(document.getElementById('tp-result').dataset.runs || 0);
  const t1 = performance.now();
  const clip = new DataTransfer();
  clip.setData('text/plain', text);
  document.getElementById('tp-log').dispatchEvent(new ClipboardEvent('paste', { clipboardData: clip, bubbles: true, cancelable: true }));
  while (Number(document.getElementById('tp-result').dataset.runs || 0) === before) await new Promise((r) => setTimeout(r, 5));
  await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
  const page = performance.now() - t1;
  return { chars: text.length, alone, page, first: result.ended };
}"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-mb", type=float, default=10.0)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--site", type=Path, help="a built site to serve instead of building one"
    )
    args = parser.parse_args()
    executable = chromium_path()
    if executable is None:
        sys.exit("Chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    tail = "\n".join(TAIL.read_text(encoding="utf-8").split("\n")[2:])
    with tempfile.TemporaryDirectory() as tmp:
        out = args.site or Path(tmp)
        if args.site is None:
            started = time.perf_counter()
            subprocess.run(
                [sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(out)],
                cwd=ROOT,
                check=True,
                env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
            )
            print(f"site built in {time.perf_counter() - started:.1f} s")
        with serve(out) as url, sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=executable, headless=True, args=CHROMIUM_ARGS
            )
            alone, whole = [], []
            for run in range(args.runs):
                page = browser.new_page()
                page.goto(url + "diagnose/", wait_until="load")
                page.wait_for_selector("#tp-diagnose[data-ready]")
                result = page.evaluate(MEASURE, [int(args.size_mb * 1024 * 1024), tail])
                page.close()
                alone.append(result["alone"])
                whole.append(result["page"])
                print(
                    f"run {run + 1}: {result['chars']:,} characters, diagnose() {result['alone'] / 1000:.2f} s, "
                    f"paste to answer on screen {result['page'] / 1000:.2f} s (first entry: {result['first']})"
                )
            browser.close()
    print(
        f"median: diagnose() {statistics.median(alone) / 1000:.2f} s, page {statistics.median(whole) / 1000:.2f} s"
    )


if __name__ == "__main__":
    main()
