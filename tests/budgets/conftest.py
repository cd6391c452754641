from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture
def rates(db: Any) -> None:
    """The shipped rate table, as `monev init` loads it."""
    from monev.budgets.services import rates_seed_load
    from monev.core.scope import SYSTEM

    rates_seed_load(by=SYSTEM)
