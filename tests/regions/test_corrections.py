"""Correcting the region list from a file: all or nothing, rows reported by number."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from hypothesis import given
from hypothesis import strategies as st

from monev.core.models import AuditEvent
from monev.regions.codes import parse_period, parse_region_code
from monev.regions.models import Pemda, Region

pytestmark = pytest.mark.django_db


def _write(tmp_path: Path, text: str) -> str:
    path = tmp_path / "koreksi.csv"
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_rename_and_new_district(tmp_path: Path) -> None:
    file = _write(
        tmp_path,
        "code,name,level,kind\n"
        "16.71,Kota Palembang Darussalam,regency,kota\n"
        "16.71.99,Kecamatan Uji,district,\n",
    )
    call_command("regions", "load", file)
    assert Region.objects.current().get(code="16.71").name == "Kota Palembang Darussalam"
    assert Region.objects.current().get(code="16.71.99").parent.code == "16.71"
    assert Pemda.objects.get(code="16.71").name == "Pemerintah Kota Palembang Darussalam"
    assert AuditEvent.objects.filter(action="regions.correct").exists()


def test_bad_file_changes_nothing_and_reports_each_row(tmp_path: Path) -> None:
    file = _write(
        tmp_path,
        "code,name,level\n"
        "16.71,Nama Baru,regency\n"
        "16.7x,Salah,regency\n"
        "16.71.01,,district\n"
        "16,Provinsi,district\n",
    )
    with pytest.raises(CommandError) as error:
        call_command("regions", "load", file)
    assert error.value.returncode == 3
    assert Region.objects.current().get(code="16.71").name == "Kota Palembang"


def test_missing_columns_rejected(tmp_path: Path) -> None:
    with pytest.raises(CommandError) as error:
        call_command("regions", "load", _write(tmp_path, "kode,nama\n16,X\n"))
    assert error.value.returncode == 3


def test_missing_file_is_usage_error() -> None:
    with pytest.raises(CommandError) as error:
        call_command("regions", "load", "/nonexistent/file.csv")
    assert error.value.returncode == 2


@given(st.text(max_size=20))
def test_region_code_parser_accepts_only_kemendagri_codes(raw: str) -> None:
    try:
        code = parse_region_code(raw)
    except ValueError as exc:
        assert "tidak sah" in str(exc)
    else:
        parts = code.split(".")
        assert 1 <= len(parts) <= 4 and all(p.isascii() and p.isdigit() for p in parts)
        assert len(parts[0]) == 2


@given(st.integers(min_value=0, max_value=99), st.integers(min_value=0, max_value=99))
def test_region_code_without_dots(province: int, regency: int) -> None:
    assert parse_region_code(f"{province:02d}{regency:02d}") == f"{province:02d}.{regency:02d}"


@given(st.integers(1900, 2100), st.integers(-1, 14))
def test_period_parser(year: int, month: int) -> None:
    raw = f"{year}-{month:02d}"
    if 1 <= month <= 12:
        assert parse_period(raw) == raw
    else:
        with pytest.raises(ValueError, match="YYYY-MM"):
            parse_period(raw)
