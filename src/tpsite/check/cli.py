"""`tpsite check [PATH]`: the checker as a command (and a pre-commit hook).

Exit status: 1 when there is an error-level finding, 0 otherwise, 2 on bad input: a path that is
not a directory, a malformed --repository, a checkout with no workflow and no .gitlab-ci.yml, or a
file that cannot be read (not YAML, too large, an alias bomb, not a workflow). The files that can
be read are still checked and reported; the reasons go to stderr.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from tpsite.check import Report, check, parse_repository

SITE = "https://tpsite.github.io/tpsite/"  # where each finding's page lives


def text(report: Report, root: Path) -> str:
    lines: list[str] = []
    for job in report.jobs:
        lines.append(f"{job.file}: job {job.job} publishes to {job.index} with {job.publishes_with}")
        if job.publisher:
            values = ", ".join(f"{k}={v or '(empty)'}" for k, v in job.publisher.items())
            lines.append(f"  PyPI publisher: {values}")
        elif job.why_no_publisher:
            lines.append(f"  no publisher can work: {job.why_no_publisher}")
    if report.jobs:
        lines.append("")
    for finding in report.findings:
        lines.append(f"{finding.file}:{finding.line}: {finding.severity}: [{finding.id}] {finding.message}")
        lines.append(f"  see {SITE}{finding.page}")
    counts = {s: sum(f.severity == s for f in report.findings) for s in ("error", "warning", "note")}
    lines.append(f"{len(report.jobs)} publishing job(s); {counts['error']} error(s), {counts['warning']} warning(s), {counts['note']} note(s)")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="tpsite")
    commands = parser.add_subparsers(dest="command", required=True)
    cmd = commands.add_parser("check", help="check a repository's publishing workflows")
    cmd.add_argument("path", nargs="?", default=".", help="the repository checkout (default: .)")
    cmd.add_argument("--repository", help="OWNER/NAME where no git remote says it (GitLab: NAMESPACE/PROJECT)")
    cmd.add_argument("--format", choices=("text", "json"), default="text")
    args, _ = parser.parse_known_args(argv)  # pre-commit passes file names: ignored, the checkout is read whole
    root = Path(args.path)
    if not root.is_dir():
        print(f"tpsite check: {root} is not a directory", file=sys.stderr)
        return 2
    try:
        repository = parse_repository(args.repository) if args.repository else None
    except ValueError as exc:
        print(f"tpsite check: {exc}", file=sys.stderr)
        return 2
    report = check(root, repository)
    print(json.dumps(report.as_json(), indent=1) if args.format == "json" else text(report, root))
    if not report.files:
        print(f"tpsite check: no workflow in {root / '.github' / 'workflows'} and no .gitlab-ci.yml: nothing to check", file=sys.stderr)
        return 2
    for refused in report.refused:
        print(f"tpsite check: not read: {refused}", file=sys.stderr)
    if report.refused:
        return 2
    return 1 if report.has_errors else 0


if __name__ == "__main__":
    sys.exit(main())
