"""Reading a pasted CI log: cleaning it, the OIDC claims the clients print, the index, the tool.

The browser runs the same steps (docs/assets/javascripts/tp/parse.js); tests/data/vectors/
diagnosis.json, computed here, keeps the two equal. Every result carries the line of the paste it
was read from (1-based, as the reader's editor numbers the paste), so the page can quote it.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

# Above this many characters only the end of the paste is read (errors come last in a log).
MAX_CHARS = 32 * 1024 * 1024
# A claim value longer than this is not a claim (and would make the matching slow).
MAX_VALUE = 4096

CLAIM_NAMES = (
    "sub", "repository", "repository_owner", "repository_owner_id", "repository_id",
    "workflow_ref", "job_workflow_ref", "ref", "ref_type", "sha", "environment",
    "event_name", "workflow", "job_workflow_sha", "workflow_sha", "runner_environment",
    "iss", "aud", "jti", "actor",
    # GitLab
    "project_path", "namespace_path", "ci_config_ref_uri", "ci_config_sha", "ref_path",
    "pipeline_source", "project_id", "namespace_id",
)  # fmt: skip
_CLAIMS = set(CLAIM_NAMES)

# What JavaScript's \s and \S match (Python's differ on a few characters): the patterns below use
# these, and re.ASCII, so that \w, \d and \b mean what they mean in JavaScript.
_SPACE = "\\t\\n\\x0b\\x0c\\r \\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff"
_S = f"[{_SPACE}]"
_NS = f"[^{_SPACE}]"


def js(pattern: str, flags: int = 0) -> re.Pattern[str]:
    r"""A pattern written with JavaScript's meaning of \s, \S, \w, \d and \b."""
    # `[\s\S]` (any character, the JavaScript idiom) has no Python spelling inside a class.
    pattern = pattern.replace("[\\s\\S]", "(?s:.)").replace("[\\S\\s]", "(?s:.)")
    out, i, in_class = [], 0, False
    while i < len(pattern):
        c = pattern[i]
        if c == "\\" and i + 1 < len(pattern):
            pair = pattern[i : i + 2]
            if pair == "\\s":
                out.append(_SPACE if in_class else _S)
            elif pair == "\\S":
                if in_class:
                    raise ValueError(f"\\S inside a character class: {pattern!r}")
                out.append(_NS)
            else:
                out.append(pair)
            i += 2
            continue
        if c == "[" and not in_class:
            in_class = True
            out.append(c)
            # A `]` right after `[` or `[^` is a literal in Python; JavaScript reads it as the end.
            i += 1
            continue
        if c == "]" and in_class:
            in_class = False
        out.append(c)
        i += 1
    return re.compile("".join(out), flags | re.A)


def trim(text: str) -> str:
    """JavaScript's String.prototype.trim()."""
    return re.sub(f"^{_S}+|{_S}+$", "", text)
_ANSI = js(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]")
# GitHub's raw log and web UI: `2025-01-01T00:00:00.0000000Z `; GitLab's raw log adds a stream id.
_TIMESTAMP = js(r"^\ufeff?\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z(?: \d\d[OE]\+?)? ?")
# GitLab's collapsible sections: `section_start:1700000000:step_script[collapsed=true]`.
_GITLAB_SECTION = js(r"section_(?:start|end):\d+:[\w.-]+(?:\[[^\]\n]*\])?")
# Line numbers GitHub turns into links when a log copied from the web UI is pasted into an issue.
_LINE_LINK = js(r"\[(\d+)\]\(https://github\.com/[^)\s]*?#step:\d+:\d+\)")
_COMMAND = js(
    r"^(?:##\[(?:error|warning|notice|debug|group|endgroup|command|section)\]"
    r"|::(?:error|warning|notice|debug)(?: [^:]*)?::|::(?:group|endgroup)::)"
)
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffd]")
_QUOTE = js(r"^(?:\s*>\s?)+")


@dataclass
class Cleaned:
    """The paste as plain lines, each with the number of the pasted line it came from."""

    lines: list[str]
    numbers: list[int]
    notes: list[dict[str, str]] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


def _controls(text: str) -> tuple[int, int]:
    end = min(len(text), 65536)
    n = sum(1 for c in text[:end] if (ord(c) < 32 and c not in "\t\n\r\x1b") or c in "\ufffd\x7f")
    return n, end


def clean(raw: object) -> Cleaned:
    """ANSI colours, timestamps, workflow-command prefixes, GitLab section markers, web-UI line
    links, quoting and CRLF removed; `%0A` in `::error::` lines decoded into lines of their own."""
    notes: list[dict[str, str]] = []
    text = raw if isinstance(raw, str) else ""
    skipped_lines = 0
    if len(text) > MAX_CHARS:
        notes.append({"code": "truncated", "detail": f"The paste has {len(text):,} characters; only the last {MAX_CHARS:,} were read."})
        skipped_lines = text.count("\n", 0, len(text) - MAX_CHARS)
        text = text[len(text) - MAX_CHARS :]
    n, of = _controls(text)
    if of > 0 and n / of > 0.05:
        notes.append({"code": "binary", "detail": "Part of the paste is not text (control characters or invalid bytes); they were ignored."})
    if "\x1b" in text:
        text = _ANSI.sub("", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "section_" in text:
        text = _GITLAB_SECTION.sub("", text)
    text = _CONTROL.sub("", text)
    if "#step:" in text:
        text = _LINE_LINK.sub(r"\1", text)
    lines: list[str] = []
    numbers: list[int] = []
    for number, line in enumerate(text.split("\n"), skipped_lines + 1):
        if line[:1] in "0123456789\ufeff" and line:
            line = _TIMESTAMP.sub("", line, count=1)
        if line.startswith(">") or line.startswith(" >"):
            line = _QUOTE.sub("", line, count=1)
        command = _COMMAND.match(line) if line[:1] in "#:" else None
        if command:
            kind = command.group(0)
            line = line[len(kind) :]
            if "error" in kind:
                line = "Error: " + line
            elif "warning" in kind:
                line = "Warning: " + line
            if "%0A" in line or "%0D" in line:
                line = line.replace("%0D", "").replace("%0A", "\n").replace("%25", "%")
        for part in line.split("\n"):
            lines.append(part)
            numbers.append(number)
    return Cleaned(lines, numbers, notes)


_RUNS = re.compile(f"{_S}+")


def flatten(text: str) -> str:
    """Whitespace folded to single spaces: line breaks from a console's width no longer matter."""
    return _RUNS.sub(" ", text)


_QUOTED = js(r'"(?:[^"\\]|\\.)*"', re.S)


def _unquote(value: str) -> str | None:
    value = value.strip(" \t\n\r\x0b\x0c\xa0\ufeff")  # as the port's explicit set
    if len(value) > MAX_VALUE:
        return None
    if _QUOTED.fullmatch(value):
        try:
            decoded = json.loads(value)
            return decoded if isinstance(decoded, str) else value[1:-1]
        except ValueError:
            return value[1:-1]
    return value


@dataclass
class Dump:
    format: str
    claims: dict[str, str]
    missing: list[str]
    line: int  # index into the cleaned lines; -1 for a JSON dump found in the text
    struct: str = ""


_ACTION_CLAIM = js(r"^\s*(?:[*\-•]\s+)?`([a-z_]+)`\s*:\s*`([^`]*)`\s*$")
_PLAIN_CLAIM = js(r"^\s*[*\-•]\s+([a-z_]+):\s+(\S+)\s*$")


def _action_dumps(lines: list[str]) -> list[Dump]:
    """`* \\`sub\\`: \\`repo:...\\`` lines of gh-action-pypi-publish (6, 7 or 8 claims; `MISSING` = absent)."""
    dumps: list[Dump] = []
    current: Dump | None = None
    last = -2
    for i, line in enumerate(lines):
        if len(line) > MAX_VALUE or ":" not in line:
            continue
        m = _ACTION_CLAIM.match(line) or _PLAIN_CLAIM.match(line)
        if not m or m[1] not in _CLAIMS:
            continue
        if current is None or i - last > 2:  # a blank line may separate copied Markdown items
            current = Dump("gh-action", {}, [], i)
            dumps.append(current)
        last = i
        if m[2] == "MISSING":
            current.missing.append(m[1])
        else:
            current.claims[m[1]] = m[2]
    return dumps


_UV_START = js(r"\b(OidcTokenClaims|GitHubTokenClaims|GitLabTokenClaims)\s*\{(.*)$")
_UV_FIELD = js(r"^\s*([a-z_]+):\s*(.*?),?\s*\}?\s*\)?,?\s*$")


_ONE_LINE = js(r",\s+(?=[a-z_]+:)")
_CLOSE = js(r"^\s*\}")
_SOME = js(r"Some\((.*?)\)?", re.S)
_COMMA_END = js(r",\s*$")


def _uv_dumps(lines: list[str]) -> list[Dump]:
    """uv's `{:#?}` dumps: `OidcTokenClaims {`, `GitHub(\\n GitHubTokenClaims {`, `GitLab(GitLabTokenClaims {`."""
    dumps: list[Dump] = []
    i = 0
    while i < len(lines):
        start = _UV_START.search(lines[i])
        if not start:
            i += 1
            continue
        dump = Dump("uv", {}, [], i, struct=start[1])
        body: list[str] = []
        if trim(start[2]):  # a one-line `{:?}` dump
            body.extend(_ONE_LINE.split(start[2]))
        j = i + 1
        while j < len(lines) and j < i + 40 and len(body) < 60:
            if _CLOSE.match(lines[j]):
                break
            body.append(lines[j])
            j += 1
        k = 0
        while k < len(body):
            m = _UV_FIELD.match(body[k])
            if not m or m[1] not in _CLAIMS:
                k += 1
                continue
            value: str | None = m[2]
            if value == "None":
                dump.missing.append(m[1])
                k += 1
                continue
            some = _SOME.fullmatch(value or "")
            if some:
                value = some[1]
                if not trim(value) and k + 1 < len(body):
                    k += 1
                    value = _COMMA_END.sub("", body[k])
            value = _unquote(_COMMA_END.sub("", value or ""))
            if value is not None:
                dump.claims[m[1]] = value
            k += 1
        dumps.append(dump)
        i = j + 1
    return dumps


_JSON_CLAIM = js(r'"([a-z_]+)"\s*:\s*("(?:[^"\\\n]|\\.){0,4096}"|null)')


def _json_dumps(text: str) -> list[Dump]:
    """A decoded token pasted as JSON (`"sub": "repo:..."`), e.g. from a debugging step."""
    if '"sub"' not in text and '"job_workflow_ref"' not in text and '"project_path"' not in text:
        return []
    claims: dict[str, str] = {}
    for count, m in enumerate(_JSON_CLAIM.finditer(text)):
        if count >= 500:
            break
        if m[1] not in _CLAIMS or m[2] == "null":
            continue
        try:
            value = json.loads(m[2])
        except ValueError:
            continue
        if isinstance(value, str):
            claims[m[1]] = value
    n = len([k for k in claims if k not in ("aud", "iss")])
    return [Dump("json", claims, [], -1)] if n >= 2 else []


@dataclass
class Claims:
    format: str
    claims: dict[str, str]
    missing: list[str]
    inferred: dict[str, str]
    line: int  # index of the dump's first line in the cleaned lines (-1: a JSON token)


_SUB_ENV = js(r"repo:[^:]+:environment:(.+)", re.S)
_SUB_NO_ENV = js(r"repo:[^:]+:(?:ref:|pull_request$)")


def _telling(claims: dict[str, str]) -> bool:
    """A dump cut to one line still counts when that line is unmistakably a token's subject or workflow."""
    sub, ref = claims.get("sub", ""), claims.get("job_workflow_ref", "")
    return sub.startswith(("repo:", "project_path:")) or "/.github/workflows/" in ref


def parse_claims(cleaned: Cleaned) -> Claims | None:
    """The claims the log shows, from its last dump (a re-run appends a new one)."""
    dumps = [
        d
        for d in (*_action_dumps(cleaned.lines), *_uv_dumps(cleaned.lines), *_json_dumps(cleaned.text))
        if len(d.claims) + len(d.missing) >= 2 or _telling(d.claims)
    ]
    if not dumps:
        return None
    dump = sorted(dumps, key=lambda d: d.line)[-1]
    if dump.format == "gh-action":
        fmt = "gh-action-8" if "workflow_ref" in dump.claims or "workflow_ref" in dump.missing else "gh-action-6"
    elif dump.format == "uv":
        fmt = f"uv-{dump.struct}"
    else:
        fmt = dump.format
    result = Claims(fmt, dict(dump.claims), list(dump.missing), {}, dump.line)
    c = result.claims
    shown = "environment" in c or "environment" in result.missing
    if not shown and isinstance(c.get("sub"), str) and not c.get("project_path"):
        # GitHub's default subject: repo:<owner>/<name>:environment:<env> | :ref:<ref> | :pull_request.
        env = _SUB_ENV.fullmatch(c["sub"])
        if env:
            c["environment"] = env[1]
            result.inferred["environment"] = "read from the end of `sub` (this dump has no environment line)"
        elif _SUB_NO_ENV.match(c["sub"]):
            result.missing.append("environment")
            result.inferred["environment"] = "`sub` names no environment (this dump has no environment line)"
    if not c.get("repository_owner") and "/" in c.get("repository", ""):
        c["repository_owner"] = c["repository"].split("/")[0]
        result.inferred["repository_owner"] = "the part of `repository` before the slash"
    return result


_INDEX = js(
    r"(?:https?://)?(upload\.pypi\.org|test\.pypi\.org|pypi\.org)/legacy/?"
    r"|audience[ :\"`']+(testpypi|pypi)\b|\baud(?:ience)?[\"`']?\s*[:=]\s*[\"`']?(testpypi|pypi)\b"
    r"|TESTPYPI_ID_TOKEN|PYPI_ID_TOKEN"
)


def line_of(cleaned: Cleaned, offset: int) -> int:
    """The index of the cleaned line holding a character offset of `cleaned.text`."""
    return cleaned.text.count("\n", 0, offset)


@dataclass
class Found:
    value: str | None
    line: int = -1  # index into the cleaned lines; -1: not found or read from the claims


def detect_index(cleaned: Cleaned, claims: Claims | None) -> Found:
    """Which index the job talked to: the token's audience, else the last upload URL or audience named."""
    if claims and claims.claims.get("aud") in ("pypi", "testpypi"):
        return Found(claims.claims["aud"], claims.line)
    found = Found(None)
    text = cleaned.text
    for count, m in enumerate(_INDEX.finditer(text)):
        if count >= 100000:
            break
        if m[1]:
            index = "testpypi" if m[1] == "test.pypi.org" else "pypi"
        elif m[2] or m[3]:
            index = m[2] or m[3]
        else:
            index = "testpypi" if m[0] == "TESTPYPI_ID_TOKEN" else "pypi"
        found = Found(index, m.start())
    if found.value is not None:
        found = Found(found.value, line_of(cleaned, found.line))
    return found


_ACTION_TOOL = ("Trusted publishing exchange failure", "gh-action-pypi-publish", "OIDC exchange failure")
_UV_TOOL = js(r"\buv publish\b|OidcTokenClaims|GitHubTokenClaims|GitLabTokenClaims|^Publishing \d+ files? to ", re.M)
_TWINE_TOOL = js(r"\btwine\b|TrustedPublishingFailure|Uploading distributions to|WARNING {2}Error during upload|HTTPError: \d{3} ")
_OTHER_TOOL = js(r"\bflit publish\b|\bpoetry publish\b|\bhatch publish\b|\bpdm publish\b")
_GITLAB = js(r"Running with gitlab-runner|\bCI_JOB_\w+|GitLab(?:TokenClaims|: )|gitlab\.com/[^\s]*//|project_path")
_GITHUB = js(
    r"##\[|::error::|github\.com/[^\s]+/actions/runs/|GITHUB_|GitHubTokenClaims|job_workflow_ref"
    r"|\bgh-action-pypi-publish\b|Run pypa/|ACTIONS_ID_TOKEN"
)


def _first(cleaned: Cleaned, pattern: re.Pattern[str] | str) -> int:
    text = cleaned.text
    if isinstance(pattern, str):
        at = text.find(pattern)
        return -1 if at == -1 else line_of(cleaned, at)
    m = pattern.search(text)
    return -1 if m is None else line_of(cleaned, m.start())


def detect_tool(cleaned: Cleaned, claims: Claims | None) -> tuple[Found, Found]:
    """The publishing tool and the CI platform the log comes from, with the line that tells."""
    tool = Found(None)
    at = min((x for x in (_first(cleaned, s) for s in _ACTION_TOOL) if x >= 0), default=-1)
    if at >= 0 or (claims and claims.format.startswith("gh-action")):
        tool = Found("gh-action-pypi-publish", at if at >= 0 else claims.line if claims else -1)
    else:
        for name, pattern in (("uv", _UV_TOOL), ("twine", _TWINE_TOOL), ("other", _OTHER_TOOL)):
            at = _first(cleaned, pattern)
            if at >= 0:
                tool = Found(name, at)
                break
    platform = Found(None)
    for name, pattern in (("gitlab", _GITLAB), ("github", _GITHUB)):
        at = _first(cleaned, pattern)
        if at >= 0:
            platform = Found(name, at)
            break
    if claims:
        sub = claims.claims.get("sub", "")
        if claims.claims.get("project_path") or claims.claims.get("ci_config_ref_uri") or sub.startswith("project_path:"):
            platform = Found("gitlab", claims.line)
        elif claims.claims.get("job_workflow_ref") or claims.claims.get("repository") or sub.startswith("repo:"):
            platform = Found("github", claims.line)
    return tool, platform
