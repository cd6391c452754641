"""Who may generate and download which report; background jobs; bad input; the CLI."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st

from monev.core.models import AuditEvent, JobState
from monev.reports.build import ReportInputError, report_params
from monev.reports.models import Report, ReportState
from tests.conftest import bearer
from tests.reports.factories import sumbagsel_fixture

pytestmark = pytest.mark.django_db

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def create(client: Client, **params: str) -> Any:
    return client.post("/laporan/buat/", params)


def test_pemda_operator_cannot_generate_another_pemdas_scorecard(client_for: Any) -> None:
    lahat = create(client_for("lahat"), kind="scorecard", pemda="16.71", period="2022-09")
    assert lahat.status_code == 403
    own = create(client_for("lahat"), kind="scorecard", pemda="16.04", period="2022-09")
    assert own.status_code == 302
    report = Report.objects.get()
    assert report.state == ReportState.DONE and report.created_by.username == "lahat"
    assert client_for("palembang").get(f"/laporan/{report.pk}/unduh/").status_code == 404
    assert client_for("palembang").get(f"/laporan/{report.pk}/").status_code == 404
    download = client_for("lahat").get(f"/laporan/{report.pk}/unduh/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    assert AuditEvent.objects.filter(action="report.download", actor_name="lahat").exists()


def test_kanwil_pack_needs_the_whole_kanwil_and_semester_everything(
    client_for: Any, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.TASKS = IMMEDIATE
    sumbagsel_fixture()
    pack = {"kind": "kanwil-pack", "kanwil": "SUMBAGSEL", "period": "2022-09", "format": "xlsx"}
    assert create(client_for("palembang"), **pack).status_code == 403
    assert create(client_for("sumbagsel"), **{**pack, "kanwil": "JABAR"}).status_code == 403
    assert create(client_for("sumbagsel"), kind="semester", semester="2022-H2").status_code == 403
    with django_capture_on_commit_callbacks(execute=True):
        made = create(client_for("sumbagsel"), **pack)
    assert made.status_code == 302
    report = Report.objects.get()
    assert report.job is not None and report.job.state == JobState.DONE
    assert report.job.progress == report.job.total == 3
    book = openpyxl.load_workbook(io.BytesIO(report.file.read()))
    assert "Sumatera Selatan" in book.sheetnames
    assert client_for("palembang").get(f"/laporan/{report.pk}/unduh/").status_code == 404
    assert client_for("auditor").get(f"/laporan/{report.pk}/unduh/").status_code == 200
    assert create(client_for("national"), kind="semester", semester="2022-H2").status_code == 302


def test_bad_report_requests_get_a_clear_400(client_for: Any) -> None:
    client = client_for("national")
    for params in (
        {"kind": "scorecard", "pemda": "16.71", "period": "2022-13"},
        {"kind": "scorecard", "pemda": "99.99", "period": "2022-09"},
        {"kind": "kanwil-pack", "kanwil": "NOWHERE", "period": "2022-09"},
        {"kind": "semester", "semester": "2022-H3"},
        {"kind": "nothing"},
        {"kind": "scorecard", "pemda": "16.71", "period": "2022-09", "format": "docx"},
    ):
        response = create(client, **params)
        assert response.status_code == 400, params
    assert not Report.objects.exists()


def test_report_api(token_for: Any, settings: Any, django_capture_on_commit_callbacks: Any) -> None:
    settings.TASKS = IMMEDIATE

    def post(user: str | None, body: dict[str, Any]) -> Any:
        headers = bearer(token_for(user)) if user else {}
        return Client().post(
            "/api/v1/reports", json.dumps(body), content_type="application/json", **headers
        )

    card = {"kind": "scorecard", "pemda": "16.71", "period": "2022-09", "format": "xlsx"}
    assert post(None, card).status_code == 401
    assert post("lahat", card).status_code == 403
    assert post("palembang", {**card, "period": "x"}).status_code == 400
    made = post("palembang", card)
    assert made.status_code == 201 and made.json()["state"] == "done"
    with django_capture_on_commit_callbacks(execute=True):
        queued = post("sumbagsel", {**card, "background": True})
    assert queued.status_code == 202 and queued.json()["job_id"]
    report_id = queued.json()["id"]
    detail = Client().get(f"/api/v1/reports/{report_id}", **bearer(token_for("sumbagsel")))
    assert detail.json()["state"] == "done" and detail.json()["progress"] == 100
    other = Client().get(f"/api/v1/reports/{report_id}/download", **bearer(token_for("lahat")))
    assert other.status_code == 404


@given(st.text(max_size=12))
def test_semester_parser_never_crashes(raw: str) -> None:
    try:
        request = report_params("semester", "pdf", {"semester": raw})
    except ReportInputError:
        return
    assert request.params["semester"][4:] in ("-H1", "-H2")


@given(st.text(max_size=10))
def test_period_parser_never_crashes(raw: str) -> None:
    try:
        report_params("kanwil-pack", "xlsx", {"kanwil": "SUMBAGSEL", "period": raw})
    except ReportInputError:
        return


def test_cli_writes_pdf_and_xlsx_with_exit_codes(tmp_path: Path) -> None:
    out = tmp_path / "pack.pdf"
    with pytest.raises(CommandError) as empty:
        call_command("report", "kanwil-pack", "--kanwil", "SUMBAGSEL", "--period", "2022-09",
                     "--out", str(out))  # fmt: skip
    assert empty.value.returncode == 3
    sumbagsel_fixture()
    call_command("report", "kanwil-pack", "--kanwil", "SUMBAGSEL", "--period", "2022-09",
                 "--format", "pdf", "--out", str(out), stdout=io.StringIO())  # fmt: skip
    assert out.read_bytes().startswith(b"%PDF")
    xlsx = tmp_path / "lahat.xlsx"
    call_command("report", "scorecard", "--pemda", "16.04", "--period", "2022-09",
                 "--format", "xlsx", "--out", str(xlsx), stdout=io.StringIO())  # fmt: skip
    assert openpyxl.load_workbook(xlsx).sheetnames[0] == "Ringkasan"
    for bad in (
        ["kanwil-pack", "--kanwil", "NOWHERE", "--period", "2022-09"],
        ["scorecard", "--pemda", "16.04", "--period", "2022-9"],
        ["semester", "--semester", "2024-H5"],
        ["scorecard", "--pemda", "16.04", "--period", "2022-09", "--out", "/nonexistent/x.pdf"],
    ):
        args = bad if "--out" in bad else [*bad, "--out", str(tmp_path / "x")]
        with pytest.raises(CommandError) as err:
            call_command("report", *args)
        assert err.value.returncode == 2, bad
