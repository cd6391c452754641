"""Coverage tests: immediate tasks and a private data directory per test."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture(autouse=True)
def private_data(settings: Any, tmp_path: Any) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.MONEV_HOME = tmp_path
    settings.DATA_DIR = tmp_path / "data"
