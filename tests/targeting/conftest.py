"""Targeting tests: immediate tasks, a private data directory per test, the rate table."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture(autouse=True)
def private_data(settings: Any, tmp_path: Any) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.MONEV_HOME = tmp_path
    settings.DATA_DIR = tmp_path / "data"


@pytest.fixture
def rates(db: Any) -> None:
    from monev.budgets.services import rates_seed_load
    from monev.core.scope import SYSTEM

    rates_seed_load(by=SYSTEM)
