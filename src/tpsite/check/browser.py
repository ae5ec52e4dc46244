"""What the browser's Check page reads from the Python checker (docs/assets/data/check.json): the
findings table, every text, the action's releases, the limits, and every pattern and list the
rules match with. The JavaScript keeps only the code; check.js compiles these patterns (each is
written to mean the same in Python's `re` and JavaScript's RegExp, and the vectors hold both to it).
"""

from __future__ import annotations

import re
from typing import Any

from tpsite.check import actions, github, gitlab, load, project, steps, texts, triggers, uploads
from tpsite.check.findings import kinds_data


def _pattern(compiled: re.Pattern[str]) -> list[str]:
    flags = ("i" if compiled.flags & re.IGNORECASE else "") + ("m" if compiled.flags & re.MULTILINE else "")
    return [compiled.pattern, flags]


PATTERNS: dict[str, re.Pattern[str]] = {
    "build": uploads.BUILD,
    "testpypi": uploads.TESTPYPI,
    "token": uploads.TOKEN,
    "usernameOption": uploads.USERNAME_OPTION,
    "trustedAlways": uploads.TRUSTED_ALWAYS,
    "mint": uploads.MINT,
    "indexName": uploads.INDEX_NAME,
    "otherIndex": uploads.OTHER_INDEX,
    "versionComment": uploads.VERSION_COMMENT,
    "blockScalar": uploads.BLOCK_SCALAR,
    "shellVariable": uploads.SHELL_VARIABLE,
    "skipExisting": uploads.SKIP_EXISTING,
    "version": actions.VERSION,
    "nonLinux": github._NON_LINUX,
    "publishingName": github._PUBLISHING_NAME,
    "perRef": github._PER_REF,
    "projectUrl": github.PROJECT_URL,
    "callerInput": github._INPUT,
    "expression": steps._EXPRESSION,
    "ghRelease": steps._GH_RELEASE,
    "ghReleaseCreate": steps._GH_RELEASE_CREATE,
    "prHead": steps._PR_HEAD,
    "githubToken": steps._GITHUB_TOKEN,
    "intoDist": steps._INTO_DIST,
    "narrowing": triggers._NARROWING,
    "tagRef": triggers._TAG_REF,
    "releaseOnly": triggers._RELEASE_ONLY,
    "tagGuard": triggers.TAG_GUARD,
    "vcsPlugins": project._VCS_PLUGINS,
    "tableHeader": project.TABLE_HEADER,
    "hatchling": project.HATCHLING,
    "gitlabInput": gitlab._INPUT,
    "gitlabVariable": gitlab._VARIABLE,
    "specHeader": gitlab.SPEC_HEADER,
}


def data() -> dict[str, Any]:
    return {
        "kinds": kinds_data(),
        "texts": texts.data(),
        "actions": actions.data(),
        "patterns": {name: _pattern(p) for name, p in PATTERNS.items()},
        "commands": [[tool, p.pattern] for tool, p in uploads.COMMANDS],
        "lists": {
            "withoutOidc": list(uploads.WITHOUT_OIDC),
            "buildActions": list(uploads.BUILD_ACTIONS),
            "usernameVariables": list(uploads.USERNAME_VARIABLES),
            "otherOidc": list(github._OTHER_OIDC),
            "caches": github._CACHES,
            "releaseActions": list(steps._RELEASE_ACTIONS),
            "releaseTypes": list(triggers.RELEASE_TYPES),
            "reserved": list(gitlab.RESERVED),
        },
        "refs": triggers.REFS,
        "limits": {"bytes": load.MAX_BYTES, "aliases": load.MAX_ALIASES, "values": load.MAX_VALUES, "depth": uploads.MAX_DEPTH, "includes": gitlab.MAX_INCLUDES},
        "publishAction": uploads.PUBLISH_ACTION,
        "maturinAction": uploads.MATURIN_ACTION,
    }
