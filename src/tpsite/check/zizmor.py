"""The security findings zizmor already judges, taken from zizmor itself, run offline.

zizmor's audits `template-injection`, `unpinned-uses` and `artipacked` decide our findings
`template-injection`, `unpinned-action` and `persist-credentials`: the checker does not judge them
again. zizmor runs with --offline (no GitHub API calls) on the workflow files of the checkout.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from tpsite.check.findings import Finding

AUDITS = {"template-injection": "template-injection", "unpinned-uses": "unpinned-action", "artipacked": "persist-credentials"}


def executable() -> str | None:
    beside = Path(sys.executable).parent / "zizmor"
    return str(beside) if beside.exists() else shutil.which("zizmor")


def findings(root: Path, files: list[str], jobs: dict[str, set[str]]) -> list[Finding]:
    """Our findings from zizmor's, for workflow files relative to `root` (none if zizmor is absent),
    in the jobs that matter for publishing (`jobs`: file -> ids of the jobs that publish or can mint
    a token): elsewhere they are zizmor's to report, not ours."""
    zizmor = executable()
    if zizmor is None or not files:
        return []
    result = subprocess.run(
        [zizmor, "--offline", "--no-progress", "--format", "json", "--persona", "regular", *files],
        cwd=root, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    try:
        data = json.loads(result.stdout or "[]")
    except json.JSONDecodeError:
        return []
    found = []
    for item in data:
        ours = AUDITS.get(item.get("ident"))
        if ours is None:
            continue
        locations = item.get("locations") or []
        primary = next((loc for loc in locations if loc["symbolic"].get("kind") == "Primary"), locations[-1] if locations else None)
        if primary is None:
            continue
        key = primary["symbolic"]["key"]
        file = key.get("Local", {}).get("verbatim_path") if isinstance(key, dict) else None
        if not file:
            continue
        route = [step.get("Key") for step in (primary["symbolic"].get("route") or {}).get("route", [])]
        if len(route) >= 2 and route[0] == "jobs" and route[1] not in jobs.get(file, set()):
            continue
        line = primary["concrete"]["location"]["start_point"]["row"] + 1
        found.append(Finding(ours, file, line, f"zizmor ({item['ident']}): {item.get('desc', '')}".rstrip(": ")))
    return found
