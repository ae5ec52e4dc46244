"""The data the browser tools read (docs/assets/data/) is what the Python side exports now."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tpsite import export, gallery
from tpsite.model import messages


def test_the_committed_data_is_what_the_python_side_exports_now() -> None:
    assert export.stale() == [], "stale: run `uv run python -m tpsite.export --write`"


def test_the_staleness_check_can_fail(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name, text in export.render().items():
        (tmp_path / name).write_text(text.replace("Publisher with matching claims", "Publisher with claims", 1), encoding="utf-8")
    monkeypatch.setattr(export, "OUT", tmp_path)
    assert "model.json" in export.stale()
    assert export.main(["--check"]) == 1


def test_every_model_text_and_every_gallery_entry_is_exported() -> None:
    model = json.loads(export.render()["model.json"])
    assert model["texts"] == {name: text.template for name, text in messages.TEXTS.items()}
    exported = json.loads(export.render()["gallery.json"])["entries"]
    assert [e["slug"] for e in exported] == [e.slug for e in gallery.entries()]
    assert all(m["weight"] in gallery.WEIGHTS for e in exported for m in e["match"])
