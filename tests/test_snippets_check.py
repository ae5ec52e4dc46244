"""The pre-commit hook: its manifest and the config the Check page shows are valid for pre-commit
itself, the config names the hook the repository ships, and the command takes its arguments."""

from __future__ import annotations

from pathlib import Path

from ruamel.yaml import YAML

from conftest import run, tool
from tpsite.paths import ROOT, SNIPPETS

MANIFEST = ROOT / ".pre-commit-hooks.yaml"
CONFIG = SNIPPETS / "check" / "pre-commit-config.yaml"


def _yaml(path: Path) -> object:
    return YAML(typ="safe", pure=True).load(path.read_text(encoding="utf-8"))


def test_the_hook_manifest_is_valid_for_pre_commit() -> None:
    result = run(tool("pre-commit"), "validate-manifest", str(MANIFEST))
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_config_on_the_page_is_valid_for_pre_commit() -> None:
    result = run(tool("pre-commit"), "validate-config", str(CONFIG))
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_validation_can_fail(tmp_path: Path) -> None:
    broken = tmp_path / ".pre-commit-config.yaml"
    broken.write_text("repos:\n  - repo: https://github.com/tpsite/tpsite\n    hooks: [{id: tpsite-check}]\n", encoding="utf-8")  # no rev
    assert run(tool("pre-commit"), "validate-config", str(broken)).returncode != 0


def test_the_config_names_the_hook_the_repository_ships(tmp_path: Path) -> None:
    hooks = {hook["id"]: hook for hook in _yaml(MANIFEST)}  # type: ignore[union-attr]
    config = _yaml(CONFIG)
    used = [hook for repo in config["repos"] for hook in repo["hooks"]]  # type: ignore[index]
    assert [hook["id"] for hook in used] == ["tpsite-check"] and "tpsite-check" in hooks
    # The hook's entry with the config's arguments, as pre-commit runs it (no file names passed).
    entry = hooks["tpsite-check"]["entry"].split()
    assert entry[0] == "tpsite" and hooks["tpsite-check"]["pass_filenames"] is False
    (tmp_path / ".github" / "workflows").mkdir(parents=True)
    (tmp_path / ".github" / "workflows" / "publish.yml").write_text((SNIPPETS / "workflows" / "publish.yml").read_text(encoding="utf-8"), encoding="utf-8")
    result = run(tool(entry[0]), *entry[1:], *used[0]["args"], cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "workflow_filename=publish.yml" in result.stdout
