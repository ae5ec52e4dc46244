"""Which steps of a job upload, with what, to which index, and how they authenticate.

An upload is the PyPA action, PyO3/maturin-action with `command: upload`, an upload command in a
`run:` or `script:` line (uv publish, twine upload, pdm/hatch/poetry/flit publish, maturin upload),
or either inside a local composite action. A command with `--dry-run` uploads nothing. Shared by
check.github and check.gitlab; the browser's port is docs/assets/javascripts/tp/check.js.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from tpsite.check import actions
from tpsite.check.load import Loaded
from tpsite.model import Index

PUBLISH_ACTION = "pypa/gh-action-pypi-publish"
MATURIN_ACTION = "PyO3/maturin-action"
# Upload commands in a `run:` line, with the tool they belong to.
COMMANDS = (
    ("uv publish", re.compile(r"\buv\s+publish\b")),
    ("twine", re.compile(r"\btwine\s+upload\b")),
    ("pdm publish", re.compile(r"\bpdm\s+publish\b")),
    ("hatch publish", re.compile(r"\bhatch\s+publish\b")),
    ("poetry publish", re.compile(r"\bpoetry\s+publish\b")),
    ("flit publish", re.compile(r"\bflit\s+publish\b")),
    ("maturin upload", re.compile(r"\bmaturin\s+(?:upload|publish)\b")),
)
# Tools that cannot do Trusted Publishing themselves (they need a token or a password).
WITHOUT_OIDC = ("poetry publish", "flit publish")
BUILD = re.compile(r"\b(?:uv\s+build|python3?\s+-m\s+build|pipx\s+run\s+build|pyproject-build|hatch\s+build|pdm\s+build|poetry\s+build|flit\s+build|maturin\s+build|cibuildwheel)\b")
# Actions that build distributions (their own steps are not in the checkout).
BUILD_ACTIONS = ("hynek/build-and-inspect-python-package", "pypa/cibuildwheel")
TESTPYPI = re.compile(r"test\.pypi\.org|\btestpypi\b", re.IGNORECASE)
TOKEN = re.compile(r"secrets\.\w*(?:TOKEN|PASSWORD|PYPI)\w*|UV_PUBLISH_TOKEN|TWINE_PASSWORD|UV_PUBLISH_PASSWORD|POETRY_PYPI_TOKEN|PDM_PUBLISH_PASSWORD|HATCH_INDEX_AUTH|FLIT_PASSWORD|MATURIN_PYPI_TOKEN|MATURIN_PASSWORD|--token\b|--password\b|(?:^|\s)-p\s", re.IGNORECASE)
# Where each tool reads a username from: command options, then environment variables.
USERNAME_OPTION = re.compile(r"(?:--username|--user|-u)[=\s]+(\"[^\"]*\"|'[^']*'|\S+)")
USERNAME_VARIABLES = ("TWINE_USERNAME", "UV_PUBLISH_USERNAME", "PDM_PUBLISH_USERNAME", "HATCH_INDEX_USER", "FLIT_USERNAME", "MATURIN_USERNAME", "POETRY_HTTP_BASIC_PYPI_USERNAME")
TRUSTED_ALWAYS = re.compile(r"--trusted-publishing[=\s]+always\b|UV_PUBLISH_TRUSTED_PUBLISHING=[\"']?always\b", re.IGNORECASE)
# A hand-made exchange of the OIDC token for an upload token at PyPI's mint-token endpoint.
MINT = re.compile(r"/_/oidc/(?:github/|gitlab/)?mint-token")
# `--index NAME` (uv), `--repository NAME` / `-r NAME` (twine): an index by name.
INDEX_NAME = re.compile(r"(?:--index|--repository|(?:^|\s)-r)[=\s]+[\"']?([\w.-]+)")
# Any option that sends the upload elsewhere than PyPI's default URL.
OTHER_INDEX = re.compile(r"--(?:publish|repository)-url[=\s]+\S+|--repository[=\s]+\S+|(?:^|\s)-r\s+\S+|--index[=\s]+\S+|repository-url")
VERSION_COMMENT = re.compile(r"#\s*(v?\d+(?:\.\d+){0,2})\b")
BLOCK_SCALAR = re.compile(r":\s*[|>][-+0-9]*\s*(?:#.*)?$")
SHELL_VARIABLE = re.compile(r"^\$\{?(\w+)\}?$")
SKIP_EXISTING = re.compile(r"--skip-existing\b")
MAX_DEPTH = 3  # composite actions inside composite actions, followed this deep


class Reader(Protocol):
    """What the upload rules read beyond a file: other files of the checkout, and the package
    indexes pyproject.toml names for uv (`[[tool.uv.index]]`: name -> publish-url)."""

    indexes: Mapping[str, str]

    def load(self, relative: str) -> Loaded | None: ...


@dataclass
class Upload:
    """One upload a job makes."""

    step: int | None  # index in the job's steps (None: in a called workflow)
    tool: str
    index: Index | None  # None: another index than PyPI and TestPyPI
    token: bool  # an API token or a password is passed
    file: str  # the file that holds the upload (the workflow, a composite action, a called workflow)
    line: int
    version: str | None = None  # the action's release, where known
    skip_existing: int = 0  # the line that asks to skip existing files (0: none)
    username: str | None = None  # as written, where one is given
    username_line: int = 0
    trusted_always: bool = False  # uv publish --trusted-publishing always
    manual: tuple[str, int] | None = None  # (file, line) of a hand-made token exchange whose token it uploads with
    condition: str = ""  # the step's `if:`
    text: str = ""  # the command line with the step's environment

    @property
    def oidc(self) -> bool:
        """Whether this upload expects Trusted Publishing (the tool's own exchange or a hand-made one)."""
        return (not self.token or self.manual is not None) and self.tool not in WITHOUT_OIDC


def steps(job: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    found = job.get("steps")
    return [s for s in found if isinstance(s, Mapping)] if isinstance(found, list) else []


def step_items(job: Mapping[str, Any]) -> list[tuple[int, Mapping[str, Any]]]:
    """(index, step) for every mapping step, with its index in the list (the path to its line)."""
    found = job.get("steps")
    return [(i, s) for i, s in enumerate(found) if isinstance(s, Mapping)] if isinstance(found, list) else []


def run(step: Mapping[str, Any]) -> str:
    value = step.get("run")
    return value if isinstance(value, str) else ""


def uses(step: Mapping[str, Any]) -> tuple[str, str]:
    """(action, ref) of a `uses:` step."""
    value = step.get("uses")
    action, _, ref = (value if isinstance(value, str) else "").partition("@")
    return action, ref


def with_(step: Mapping[str, Any]) -> Mapping[str, Any]:
    value = step.get("with")
    return value if isinstance(value, Mapping) else {}


def env_text(*envs: Any) -> str:
    return " ".join(f"{k}={v}" for env in envs if isinstance(env, Mapping) for k, v in env.items())


def truthy(value: Any) -> bool:
    return str(value).strip().lower() == "true"


def index_of(text: str, indexes: Mapping[str, str] | None = None) -> Index | None:
    """The index a command or URL names: TestPyPI, another index (None) or PyPI (the default).
    `uv publish --index NAME` names the publish-url of the index NAME in pyproject.toml."""
    m = INDEX_NAME.search(text)
    if m and indexes and m[1] in indexes:
        return index_of(indexes[m[1]])
    if m and m[1].lower() == "pypi":  # uv's and twine's name for PyPI
        return Index.PYPI
    if TESTPYPI.search(text):
        return Index.TESTPYPI
    if OTHER_INDEX.search(text) and "pypi.org" not in text:
        return None
    return Index.PYPI


def comment_after(loaded: Loaded, line: int) -> str:
    """The `# vX.Y.Z` comment that follows a pinned SHA on a line of the file."""
    lines = loaded.text.split("\n")
    if 0 < line <= len(lines):
        m = VERSION_COMMENT.search(lines[line - 1])
        if m:
            return m[1]
    return ""


def action_version(loaded: Loaded, path: tuple[str | int, ...], step: Mapping[str, Any]) -> str | None:
    _, ref = uses(step)
    return actions.version_of(ref, comment_after(loaded, loaded.line(*path, "uses")))


def command_line(loaded: Loaded, path: tuple[str | int, ...], text: str, at: int) -> int:
    """The file line of a position inside a `run:` value (a block scalar starts on the next line)."""
    line = loaded.line(*path)
    lines = loaded.text.split("\n")
    block = 0 < line <= len(lines) and BLOCK_SCALAR.search(lines[line - 1]) is not None
    return line + text.count("\n", 0, at) + (1 if block else 0)


def local_action(load: Callable[[str], Loaded | None], action: str) -> Loaded | None:
    """The composite action a `uses: ./path` names, read from the checkout."""
    folder = action.removeprefix("./").rstrip("/")
    return load(f"{folder}/action.yml") or load(f"{folder}/action.yaml")


def _username(command: str, env: Mapping[str, Any]) -> str | None:
    m = USERNAME_OPTION.search(command)
    if m:
        value = m[1].strip("\"'")
        var = SHELL_VARIABLE.search(value)
        return str(env[var[1]]) if var and var[1] in env else value
    for name in USERNAME_VARIABLES:
        if name in env:
            return str(env[name])
    return None


def _username_line(loaded: Loaded, path: tuple[str | int, ...], command: str, env: Mapping[str, Any], line: int) -> int:
    """Where the username is written: the step's env key it comes from, else the command line."""
    m = USERNAME_OPTION.search(command)
    var = SHELL_VARIABLE.search(m[1].strip("\"'")) if m else None
    name = var[1] if var and var[1] in env else None if m else next((n for n in USERNAME_VARIABLES if n in env), None)
    return loaded.line(*path, "env", name) if name else line


def command_uploads(loaded: Loaded, path: tuple[str | int, ...], text: str, env: Mapping[str, Any], outer_env: str, step: int | None, indexes: Mapping[str, str], condition: str = "") -> list[Upload]:
    """The uploads in a shell text at `path` (a `run:` or a `script:` item), one per command line."""
    found: list[Upload] = []
    for tool, pattern in COMMANDS:
        for m in pattern.finditer(text):
            start = text.rfind("\n", 0, m.start()) + 1
            end = text.find("\n", m.end())
            command = text[start : len(text) if end < 0 else end]
            while command.rstrip().endswith("\\") and end >= 0:  # continued lines
                nxt = text.find("\n", end + 1)
                command += "\n" + text[end + 1 : len(text) if nxt < 0 else nxt]
                end = nxt
            if "--dry-run" in command:
                continue
            environment = env_text(env) + " " + outer_env
            token = bool(TOKEN.search(command) or TOKEN.search(environment))
            line = command_line(loaded, path, text, m.start())
            username = _username(command, env)
            found.append(
                Upload(
                    step, tool, index_of(command + " " + environment, indexes), token, loaded.file, line,
                    skip_existing=line if SKIP_EXISTING.search(command) else 0,
                    username=username,
                    username_line=_username_line(loaded, path[:-1], command, env, line) if username is not None else 0,
                    trusted_always=bool(TRUSTED_ALWAYS.search(command + " " + environment)),
                    condition=condition, text=f"{command} {environment}",
                )
            )  # fmt: skip
    return found


def step_uploads(loaded: Loaded, path: tuple[str | int, ...], job: Mapping[str, Any], reader: Reader, outer_env: str = "", depth: int = 0) -> list[Upload]:
    """The uploads a job's (or a composite action's) steps make, in order."""
    found: list[Upload] = []
    outer = env_text(job.get("env")) + " " + outer_env
    for i, step in step_items(job):
        action, _ = uses(step)
        at = (*path, "steps", i)
        condition = str(step.get("if") or "")
        if action == PUBLISH_ACTION:
            w = with_(step)
            url = str(w.get("repository-url") or w.get("repository_url") or "")
            skip = "skip-existing" if "skip-existing" in w else "skip_existing"
            user = w.get("user")
            found.append(
                Upload(
                    i, PUBLISH_ACTION, index_of(url) if url else Index.PYPI, bool(w.get("password")), loaded.file, loaded.line(*at, "uses"),
                    version=action_version(loaded, at, step),
                    skip_existing=loaded.line(*at, "with", skip) if truthy(w.get(skip)) else 0,
                    username=str(user) if user is not None else None,
                    username_line=loaded.line(*at, "with", "user") if user is not None else 0,
                    condition=condition,
                )
            )  # fmt: skip
        elif action == MATURIN_ACTION and str(with_(step).get("command") or "") in ("upload", "publish"):
            args = str(with_(step).get("args") or "")
            environment = env_text(step.get("env")) + " " + outer
            found.append(Upload(i, "maturin upload", index_of(args, reader.indexes), bool(TOKEN.search(args + " " + environment)), loaded.file, loaded.line(*at, "uses"), condition=condition, text=args))
        elif action.startswith("./") and depth < MAX_DEPTH:
            composite = local_action(reader.load, action)
            runs = composite.data.get("runs") if composite is not None else None
            if composite is not None and isinstance(runs, Mapping):
                for upload in step_uploads(composite, ("runs",), runs, reader, env_text(step.get("env")) + " " + outer, depth + 1):
                    upload.step = i
                    upload.condition = upload.condition or condition
                    found.append(upload)
        text = run(step)
        if text:
            env = step.get("env") if isinstance(step.get("env"), Mapping) else {}
            found.extend(command_uploads(loaded, (*at, "run"), text, env, outer, i, reader.indexes, condition))
    return found


def builds(loaded: Loaded, path: tuple[str | int, ...], job: Mapping[str, Any], load: Callable[[str], Loaded | None], depth: int = 0) -> tuple[str, int] | None:
    """(file, line) of the first step that builds distributions in a job or its composite actions."""
    for i, step in step_items(job):
        action, _ = uses(step)
        at = (*path, "steps", i)
        m = BUILD.search(run(step))
        if m:
            return loaded.file, command_line(loaded, (*at, "run"), run(step), m.start())
        if action in BUILD_ACTIONS or (action == MATURIN_ACTION and str(with_(step).get("command") or "build") == "build"):
            return loaded.file, loaded.line(*at, "uses")
        if action.startswith("./") and depth < MAX_DEPTH:
            composite = local_action(load, action)
            runs = composite.data.get("runs") if composite is not None else None
            if composite is not None and isinstance(runs, Mapping):
                inner = builds(composite, ("runs",), runs, load, depth + 1)
                if inner:
                    return inner
    return None


def manual_exchange(texts: list[tuple[Loaded, tuple[str | int, ...], str]], found: list[Upload]) -> None:
    """Uploads with a token minted by hand from the job's OIDC token (a POST to PyPI's mint-token
    endpoint in one of the job's shell texts) are Trusted Publishing too: mark them."""
    for loaded, path, text in texts:
        m = MINT.search(text)
        if m:
            where = (loaded.file, command_line(loaded, path, text, m.start()))
            for u in found:
                if u.token:
                    u.manual = where
            return
