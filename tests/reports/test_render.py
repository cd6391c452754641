"""The reports in PDF and XLSX hold the same figures as their selector."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from monev.core.scope import SYSTEM
from monev.regions.models import Kanwil
from monev.reports.build import ReportRequest, build, render, report_data
from monev.reports.templatetags.report_format import num, pct
from tests.pdf import pdf_text
from tests.reports.factories import sumbagsel_fixture

pytestmark = pytest.mark.django_db

SUMBAGSEL_PROVINCES = [
    "Sumatera Selatan",
    "Jambi",
    "Bengkulu",
    "Lampung",
    "Kepulauan Bangka Belitung",
]


def pack_request(fmt: str) -> ReportRequest:
    return ReportRequest(
        "kanwil-pack", fmt, {"kanwil": "SUMBAGSEL", "period": "2022-09"}, kanwil_code="SUMBAGSEL"
    )


def test_kanwil_pack_pdf_holds_every_province_and_the_selector_figures(tmp_path: Path) -> None:
    sumbagsel_fixture()
    request = pack_request("pdf")
    data = report_data(SYSTEM, request)
    text = pdf_text(render(request, data), tmp_path)
    for name in SUMBAGSEL_PROVINCES:
        assert name in text, name
    assert [p["name"].upper() for p in data["provinces"]] == [
        p.upper() for p in data["provinces"] and [p["name"] for p in data["provinces"]]
    ]
    assert num(data["totals"]["headcount"]) in text
    assert num(data["totals"]["protected"]) in text
    assert pct(data["totals"]["coverage"]) in text
    for province in data["provinces"]:
        for row in province["pemdas"]:
            assert num(row["headcount"]) in text
    assert "Rp4.750.000.000" in text  # Sumatera Selatan: 1.5 + 3.25 miliar
    assert "Rp1,5 M" in text
    assert data["totals"]["pemda"] == 65


def test_kanwil_pack_xlsx_holds_the_same_numbers() -> None:
    sumbagsel_fixture()
    request = pack_request("xlsx")
    data = report_data(SYSTEM, request)
    book = openpyxl.load_workbook(io.BytesIO(render(request, data)))
    assert book.sheetnames[0] == "Ringkasan"
    values = [c for ws in book.worksheets for row in ws.iter_rows(values_only=True) for c in row]
    assert data["totals"]["headcount"] in values
    assert data["totals"]["protected"] in values
    for province in data["provinces"]:
        ws = book[province["name"][:31]]
        sheet = [row for row in ws.iter_rows(values_only=True)]
        by_code = {row[0]: row for row in sheet if row and row[0]}
        for pemda in province["pemdas"]:
            assert by_code[pemda["code"]][2] == pemda["headcount"]
            assert by_code[pemda["code"]][3] == pemda["protected"]
    assert 1_500_000_000 in values


def test_scorecard_and_semester_render(tmp_path: Path) -> None:
    sumbagsel_fixture()
    card = ReportRequest(
        "scorecard", "pdf", {"pemda": "16.71", "period": "2022-09"}, pemda_code="16.71"
    )
    data: dict[str, Any] = report_data(SYSTEM, card)
    text = pdf_text(render(card, data), tmp_path)
    assert "Kota Palembang".upper() in text.upper()
    assert num(data["pemda"]["headcount"]) in text
    semester = ReportRequest("semester", "pdf", {"semester": "2022-H2"})
    sdata = report_data(SYSTEM, semester)
    stext = pdf_text(render(semester, sdata), tmp_path)
    assert Kanwil.objects.get(code="SUMBAGSEL").name.removeprefix("Kanwil ") in stext
    assert num(sdata["totals"]["protected"]) in stext
    bytes_, _data = build(SYSTEM, ReportRequest("semester", "xlsx", {"semester": "2022-H2"}))
    assert openpyxl.load_workbook(io.BytesIO(bytes_)).sheetnames == [
        "Ringkasan",
        "Provinsi",
        "Temuan utama",
    ]


def test_kanwil_pack_lists_open_items_of_the_previous_meeting(tmp_path: Path) -> None:
    import datetime as dt

    from monev.meetings import services

    sumbagsel_fixture()
    previous = services.meeting_create(
        title="Rapat Monev Palembang",
        starts_on=dt.date(2022, 9, 15),
        ends_on=dt.date(2022, 9, 16),
        place="Palembang",
        period="2022-08",
        kanwil="SUMBAGSEL",
        by=SYSTEM,
    )
    services.action_item_create(
        meeting=previous,
        pemda_code="16.04",
        what="Terbitkan Perbup perlindungan pekerja rentan",
        due_on=dt.date(2022, 12, 31),
        by=SYSTEM,
    )
    done = services.action_item_create(
        meeting=previous, pemda_code="16.71", what="Sudah selesai", due_on=dt.date(2022, 10, 1),
        by=SYSTEM,
    )  # fmt: skip
    services.action_item_set_status(item=done, status="done", by=SYSTEM)
    request = ReportRequest(
        "kanwil-pack", "pdf", {"kanwil": "SUMBAGSEL", "period": "2022-12"}, kanwil_code="SUMBAGSEL"
    )
    text = pdf_text(render(request, report_data(SYSTEM, request)), tmp_path)
    assert "Rapat Monev Palembang" in text
    assert "Terbitkan Perbup perlindungan pekerja rentan" in text
    assert "Sudah selesai" not in text
