"""Golden files: each kind of bad input gives exactly the expected (row, column, code) list."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from monev.core.scope import SYSTEM
from monev.rosters import selectors, services
from monev.rosters.models import RosterVersion, UploadMode, UploadState
from tests.rosters.stored import stored_count, stored_rows

DATA = Path(__file__).resolve().parent.parent / "data" / "rosters"
GOLDEN = sorted(p for p in DATA.iterdir() if p.suffix in {".csv", ".xlsx", ".pdf"})


@pytest.mark.django_db
@pytest.mark.parametrize("path", GOLDEN, ids=lambda p: p.name)
def test_golden_file(path: Path, palembang: Any) -> None:
    expected = json.loads((DATA / f"{path.stem}.expected.json").read_text())
    upload = services.roster_import(
        pemda=palembang,
        period="2024-06",
        data=path.read_bytes(),
        filename=path.name,
        mode=UploadMode.ACCEPT_VALID,
        by=SYSTEM,
    )
    errors = selectors.upload_errors(upload=upload, limit=None).rows
    got = [[e["row"], e["column"], e["code"]] for e in errors if e["severity"] == "error"]
    assert got == expected["errors"]
    assert upload.rows_valid == expected["valid"]
    committed = upload.state == UploadState.COMMITTED
    assert committed == (expected["valid"] > 0)
    assert stored_count() == expected["valid"]
    assert all(e["message"] and e["message"] != e["code"] for e in errors)


def test_every_golden_file_has_expectations() -> None:
    for path in GOLDEN:
        assert (DATA / f"{path.stem}.expected.json").exists(), path


@pytest.mark.django_db
def test_strict_mode_rejects_file_with_any_error(palembang: Any) -> None:
    path = DATA / "fields.csv"
    upload = services.roster_import(
        pemda=palembang, period="2024-06", data=path.read_bytes(), filename=path.name, by=SYSTEM
    )
    assert upload.state == UploadState.REJECTED
    assert not RosterVersion.objects.exists() and stored_count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["duplicates.csv", "nik_errors.csv", "fields.csv"])
def test_chunked_processing_gives_the_same_result(
    name: str, palembang: Any, monkeypatch: Any
) -> None:
    from monev.rosters import engine

    monkeypatch.setattr(engine, "VALIDATE_CHUNK", 2)
    test_golden_file(DATA / name, palembang)


@pytest.mark.django_db
def test_windows_1252_names_survive(palembang: Any) -> None:
    path = DATA / "windows1252.csv"
    services.roster_import(
        pemda=palembang, period="2024-06", data=path, filename=path.name, by=SYSTEM
    )
    assert sorted(stored_rows()["name"].to_list()) == ["André", "José Ramírez"]
