"""`monev privacy_scan`: finds NIKs of the inputs in clear, and finds none after imports."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from monev.core.audit import audit_record
from monev.regions.models import Pemda
from monev.rosters.services import roster_import

pytestmark = pytest.mark.django_db
ROSTER = Path(__file__).resolve().parents[1] / "data" / "rosters" / "indonesian_excel.csv"


def _scan(*inputs: Path) -> dict[str, Any]:
    out = StringIO()
    try:
        call_command("privacy_scan", *map(str, inputs), "--format", "json", stdout=out)
    except CommandError as exc:
        assert exc.returncode == 3
    return dict(json.loads(out.getvalue()))


def test_no_nik_in_clear_after_a_roster_import(
    cast: dict[str, Any], settings: Any, tmp_path: Path
) -> None:
    settings.MONEV_HOME = tmp_path
    roster_import(
        pemda=Pemda.objects.get(code="16.71"),
        period="2024-06",
        data=ROSTER.read_bytes(),
        filename=ROSTER.name,
        mode="accept_valid",
        by=cast["palembang"],
    )
    report = _scan(ROSTER)
    assert report["niks"] >= 3
    assert report["hits"] == []


def test_scan_finds_a_nik_that_leaked(settings: Any, tmp_path: Path) -> None:
    settings.MONEV_HOME = tmp_path
    (tmp_path / "leak.log").write_text("baris 2: NIK 1671011708850001 salah\n")
    audit_record(actor=None, action="uji.bocor", changes={"nik": "1671011708850003"})
    report = _scan(ROSTER)
    places = {hit["where"] for hit in report["hits"]}
    assert str(tmp_path / "leak.log") in places
    assert "db:core_auditevent.changes" in places


def test_missing_input_is_usage_error() -> None:
    with pytest.raises(CommandError) as error:
        call_command("privacy_scan", "/no/such/file.csv")
    assert error.value.returncode == 2
