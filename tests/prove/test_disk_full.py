"""Disk full while writing a Parquet file (simulated: the write puts half a file on disk and
raises ENOSPC). Nothing half-written may stay registered: the previous registry snapshot and
the previous match run stay current, and no partial file is left under the data directory."""

from __future__ import annotations

import errno
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from monev.core.scope import SYSTEM
from monev.coverage.models import MatchRun
from monev.coverage.services import match_run
from monev.registry.models import RegistrySnapshot
from monev.registry.services import registry_import
from tests.coverage.factories import import_registry, nik, registry_csv, roster_version

pytestmark = pytest.mark.django_db
ROWS = [{"nik": nik(i)} for i in range(1, 30)]


@pytest.fixture(autouse=True)
def private_data(settings: Any, tmp_path: Path) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.MONEV_HOME = tmp_path
    settings.DATA_DIR = tmp_path / "data"


def _disk_full(monkeypatch: pytest.MonkeyPatch) -> None:
    def write(self: pl.DataFrame, file: Any, *args: Any, **kwargs: Any) -> None:
        Path(file).write_bytes(b"PAR1" + b"\0" * 1000)  # half a file, then the disk is full
        raise OSError(errno.ENOSPC, "No space left on device")

    def sink(self: pl.LazyFrame, path: Any, *args: Any, **kwargs: Any) -> None:
        write(pl.DataFrame(), path)  # a streamed write runs out of space the same way

    monkeypatch.setattr(pl.DataFrame, "write_parquet", write)
    monkeypatch.setattr(pl.LazyFrame, "sink_parquet", sink)


def _parquet_files(root: Path) -> set[str]:
    return {str(p.relative_to(root)) for p in root.rglob("*.parquet*")}


def test_registry_import_disk_full(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = import_registry(tmp_path, "2024-06", ROWS)
    files = _parquet_files(tmp_path / "data")
    _disk_full(monkeypatch)
    with pytest.raises(OSError):
        registry_import(
            period="2024-06", path=registry_csv(tmp_path / "again.csv", ROWS[:10]), by=SYSTEM
        )
    current = RegistrySnapshot.objects.filter(period="2024-06", is_current=True)
    assert list(current.values_list("pk", flat=True)) == [before.pk]
    assert RegistrySnapshot.objects.count() == 1
    leftovers = _parquet_files(tmp_path / "data") - files
    assert all(p.endswith(".partial") for p in leftovers), leftovers  # never a final name


def test_match_disk_full(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    roster_version("16.71", "2024-06", [(nik(i), f"P {i}", "PPU") for i in range(1, 40)])
    import_registry(tmp_path, "2024-06", ROWS)
    first = match_run(period="2024-06", by=SYSTEM)
    files = _parquet_files(tmp_path / "data")
    _disk_full(monkeypatch)
    with pytest.raises(OSError):
        match_run(period="2024-06", by=SYSTEM)
    current = MatchRun.objects.filter(period="2024-06", is_current=True)
    assert list(current.values_list("pk", flat=True)) == [first.pk]
    leftovers = _parquet_files(tmp_path / "data") - files
    assert all(p.endswith(".partial") for p in leftovers), leftovers  # never a final name


def test_no_partial_file_left_after_disk_full(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import_registry(tmp_path, "2024-06", ROWS)
    files = _parquet_files(tmp_path / "data")
    _disk_full(monkeypatch)
    with pytest.raises(OSError):
        registry_import(
            period="2024-06", path=registry_csv(tmp_path / "again.csv", ROWS[:10]), by=SYSTEM
        )
    assert _parquet_files(tmp_path / "data") == files
