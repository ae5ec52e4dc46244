"""Which warehouse behaviour to model: today's (the default) or an earlier one.

Only rules that changed what a user sees are switchable; dates are commit dates in
pypi/warehouse.
"""

from __future__ import annotations

from dataclasses import dataclass

from tpsite.model import messages
from tpsite.model.messages import Text


@dataclass(frozen=True)
class WarehouseRules:
    # The `({reason})` when no publisher matches the claims.
    lookup_failure: Text = messages.LOOKUP_FAILED
    # False before 2023-08-09 (1d5085abb): invalid-publisher had no `({reason})` at all.
    detailed_reasons: bool = True
    # True before 2026-01-29 (83af9ab27): GitHub `sub` had to start `repo:<owner>/<repo>`.
    verify_github_sub: bool = False
    # Since 2026-03-02 (5ff89bac2): `event_name == "pull_request_target"` is refused.
    reject_pull_request_target: bool = True
    # Since 2026-08-10 (f10462c23): the stored copy of each caveat is verified after the
    # embedded one, so every failing caveat reason appears twice in "Invalid API Token: ...".
    verify_stored_caveats: bool = True


CURRENT = WarehouseRules()
# 2025-06-30 .. 2026-01-29 differs from CURRENT in the sub check, pull_request_target and caveats.
BEFORE_SUB_REMOVAL = WarehouseRules(
    verify_github_sub=True, reject_pull_request_target=False, verify_stored_caveats=False
)
# 2023-08-09 .. 2025-06-30.
BEFORE_LOOKUP_REFACTOR = WarehouseRules(
    lookup_failure=messages.LOOKUP_FAILED_UNTIL_2025_06,
    verify_github_sub=True,
    reject_pull_request_target=False,
    verify_stored_caveats=False,
)
# 2022-11-15 .. 2023-08-09.
BEFORE_DETAILED_REASONS = WarehouseRules(
    detailed_reasons=False,
    verify_github_sub=True,
    reject_pull_request_target=False,
    verify_stored_caveats=False,
)
