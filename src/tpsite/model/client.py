"""What the uploading client does with a refused file: twine's --skip-existing, which the publish
action turns on with its `skip-existing` input."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from tpsite.model.jobs import action_steps
from tpsite.model.outcomes import UploadError


@dataclass(frozen=True)
class UploadSkipped:
    """twine went on without uploading the file (twine/commands/upload.py:186-214, f536ac5)."""

    filename: str

    @property
    def message(self) -> str:
        return f"Skipping {self.filename} because it appears to already exist"


def action_skips_existing(job: Mapping[str, Any]) -> bool:
    """Does the job's publish action run twine with --skip-existing? Any `skip-existing` other than
    "false" (any case) does; the input defaults to false (twine-upload.sh:123-126, 81e9d93)."""
    for step in action_steps(job):
        return str((step.get("with") or {}).get("skip-existing", "false")).lower() != "false"
    return False


def twine_skips(refusal: UploadError, skip_existing: bool) -> bool:
    """twine's skip_upload (twine/commands/upload.py:32-64, f536ac5): with --skip-existing, a 409,
    or a 400 whose reason or text says "already exist", is not an error."""
    if not skip_existing:
        return False
    return refusal.status == 409 or (refusal.status == 400 and "already exist" in refusal.message.lower())
