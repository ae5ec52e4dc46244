"""The facts a log shows, and each cause of the message ranked by the signals its page declares.

A cause's signals are data in its error page's front matter (`causes.<id>.signals`): a regular
expression searched in the log, or a fact by name, each with a weight (positive: more likely;
negative: ruled out or less likely). A cause's score is the sum of the weights of the signals the
log shows; causes with the same score keep the order the thread tally gives them (most often
established first: the page's own order). The browser ranks with the same data and the same rule.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from tpsite.diagnosis.facts import LOG_PATTERNS
from tpsite.diagnosis.read import Claims, Cleaned, Found, js, line_of


def derive_facts(cleaned: Cleaned, claims: Claims | None, index: Found, tool: Found, platform: Found) -> dict[str, int]:
    """Fact name -> the index of the cleaned line that shows it."""
    facts: dict[str, int] = {}
    if platform.value:
        facts[f"platform-{platform.value}"] = platform.line
    if tool.value:
        facts[{"gh-action-pypi-publish": "tool-action", "uv": "tool-uv", "twine": "tool-twine"}.get(tool.value, "tool-other")] = tool.line
    if index.value:
        facts[f"index-{index.value}"] = index.line
    text = cleaned.text
    for name, pattern in LOG_PATTERNS.items():
        m = js(pattern, re.M).search(text)
        if m:
            facts[name] = line_of(cleaned, m.start())
    if claims is not None:
        c, at = claims.claims, claims.line
        facts["claims-shown"] = at
        if "environment" in claims.missing:
            facts["environment-missing"] = _line_with(cleaned, claims, "environment")
        elif c.get("environment"):
            facts["environment-present"] = _line_with(cleaned, claims, "environment")
            if c["environment"] != c["environment"].lower():
                facts["environment-not-lowercase"] = facts["environment-present"]
        jwr, wr = c.get("job_workflow_ref", ""), c.get("workflow_ref", "")
        if jwr and wr and jwr != wr:
            facts["reusable-workflow"] = _line_with(cleaned, claims, "job_workflow_ref")
        repo = c.get("repository", "")
        if jwr and repo and "/.github/workflows/" in jwr and jwr.split("/.github/workflows/")[0].lower() != repo.lower():
            facts["reusable-other-repository"] = _line_with(cleaned, claims, "job_workflow_ref")
        sub = c.get("sub", "")
        if sub and repo and not c.get("project_path") and not sub.startswith(f"repo:{repo}:"):
            facts["custom-sub"] = _line_with(cleaned, claims, "sub")
        ref = c.get("ref", "")
        if ref.startswith("refs/tags/"):
            facts["ref-tag"] = _line_with(cleaned, claims, "ref")
        elif ref.startswith("refs/heads/"):
            facts["ref-branch"] = _line_with(cleaned, claims, "ref")
        elif ref.startswith("refs/pull/"):
            facts["ref-pull-request"] = _line_with(cleaned, claims, "ref")
        if c.get("event_name") == "pull_request_target":
            facts["event-pull-request-target"] = _line_with(cleaned, claims, "event_name")
    return facts


def _line_with(cleaned: Cleaned, claims: Claims, name: str) -> int:
    """The line of the dump that shows a claim (the dump's first line if none does)."""
    if claims.line < 0:
        return claims.line
    for i in range(claims.line, min(len(cleaned.lines), claims.line + 60)):
        if js(rf"\b{name}\b").search(cleaned.lines[i]):
            return i
    return claims.line


@dataclass
class Evidence:
    kind: str  # "log" or "fact"
    what: str  # the expression or the fact's name
    weight: int
    line: int  # index of the cleaned line
    says: str


@dataclass
class RankedCause:
    id: str
    title: str
    score: int
    prior: int  # threads in the tally that established it
    verdict: str  # likely | unlikely | check
    evidence: list[Evidence] = field(default_factory=list)


def rank(
    causes: list[dict],
    cleaned: Cleaned,
    facts: dict[str, int],
    fact_names: dict[str, str],
    compared: frozenset[str] = frozenset(),
) -> list[RankedCause]:
    """The entry's causes (page order, each with `signals` and `prior`), best first.

    `compared`: what comparing the reader's publisher with the log's claims found, as the model's
    codes (`workflow-mismatch`, `environment-missing`, ..., and `compared` itself); a cause's
    `compare` signals apply to them."""
    text = cleaned.text
    ranked = []
    for order, cause in enumerate(causes):
        evidence = []
        for signal in cause.get("signals", []):
            if "compare" in signal:
                if signal["compare"] in compared:
                    evidence.append(Evidence("compare", signal["compare"], signal["weight"], -1, signal.get("says", "")))
            elif "log" in signal:
                m = js(signal["log"], re.I | re.M).search(text)
                if m:
                    evidence.append(Evidence("log", signal["log"], signal["weight"], line_of(cleaned, m.start()), signal.get("says", "")))
            elif signal.get("fact") in facts:
                name = signal["fact"]
                evidence.append(Evidence("fact", name, signal["weight"], facts[name], signal.get("says") or fact_names[name]))
        score = sum(e.weight for e in evidence)
        verdict = "likely" if score > 0 else "unlikely" if score < 0 else "check"
        ranked.append((order, RankedCause(cause["id"], cause["title"], score, cause.get("prior", 0), verdict, evidence)))
    ranked.sort(key=lambda pair: (-pair[1].score, pair[0]))
    return [r for _, r in ranked]
