"""Fixtures for roster intake tests: immediate tasks and a small roster builder."""

from __future__ import annotations

from typing import Any

import pytest

from monev.regions.models import Pemda


@pytest.fixture(autouse=True)
def immediate_tasks(settings: Any, tmp_path: Any) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.MONEV_HOME = tmp_path  # private upload files per test


@pytest.fixture
def palembang(db: Any) -> Pemda:
    return Pemda.objects.get(code="16.71")


@pytest.fixture
def lahat(db: Any) -> Pemda:
    return Pemda.objects.get(code="16.04")


def roster_csv(rows: list[tuple[str, ...]], header: str = "nik,nama,kategori,upah") -> bytes:
    lines = [header, *(",".join(row) for row in rows)]
    return ("\n".join(lines) + "\n").encode()


def nik(serial: int, *, kecamatan: str = "167101", born: str = "170885") -> str:
    return f"{kecamatan}{born}{serial:04d}"
