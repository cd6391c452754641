"""Pages, exports, API and CLI of coverage: scope, the audited NIK export, bad input, jobs."""

from __future__ import annotations

import io
import json
import logging
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from monev.core.models import AuditEvent, Job
from monev.coverage.models import MatchRun
from tests.conftest import bearer
from tests.coverage.test_match import PEOPLE, build

pytestmark = pytest.mark.django_db

PALEMBANG_NIKS = [n for name, (n, _c) in PEOPLE.items() if name != "I"]
LAHAT_NIK = PEOPLE["I"][0]


@pytest.fixture
def runs(tmp_path: Path) -> dict[str, MatchRun]:
    return build(tmp_path)


def test_operator_sees_own_gap_list_only(runs: Any, client_for: Any) -> None:
    palembang = client_for("palembang")
    page = palembang.get("/cakupan/pemda/16.71/celah/?period=2024-06")
    assert page.status_code == 200
    body = page.content.decode()
    assert "Pekerja C" in body and "Pekerja F" in body and "Pekerja A" not in body
    assert "1671********0003" in body
    assert all(n not in body for n in PALEMBANG_NIKS)
    assert palembang.get("/cakupan/pemda/16.04/celah/?period=2024-06").status_code == 404
    assert client_for("lahat").get("/cakupan/pemda/16.71/celah/").status_code == 404


def test_gap_list_filters_and_exports(runs: Any, client_for: Any) -> None:
    client = client_for("palembang")
    lapsed = client.get("/cakupan/pemda/16.71/celah/?period=2024-06&status=LAPSED").content.decode()
    assert "Pekerja C" in lapsed and "Pekerja E" in lapsed and "Pekerja G" not in lapsed
    csv = client.get("/cakupan/pemda/16.71/celah/?period=2024-06&category=RENTAN&format=csv")
    assert csv.status_code == 200 and csv["Content-Type"].startswith("text/csv")
    text = csv.content.decode("utf-8-sig")
    assert "Pekerja E" in text and "Pekerja C" not in text
    xlsx = client.get("/cakupan/pemda/16.71/celah/?period=2024-06&format=xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet is not None
    names = {row[1] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert names == {"Pekerja C", "Pekerja E", "Pekerja F", "Pekerja G", "Pekerja J"}


@pytest.mark.parametrize(
    "query",
    ["period=2024-13", "period=x", "status=DEAD", "category=ASN", "format=pdf"],
)
def test_bad_input_is_a_clear_400(runs: Any, client_for: Any, query: str) -> None:
    response = client_for("palembang").get(f"/cakupan/pemda/16.71/celah/?{query}")
    assert response.status_code == 400
    assert response.content


def test_registration_export_has_nik_and_is_audited(runs: Any, client_for: Any) -> None:
    response = client_for("palembang").get(
        "/cakupan/pemda/16.71/registrasi/?period=2024-06&format=csv"
    )
    assert response.status_code == 200
    lines = response.content.decode("utf-8-sig").strip().splitlines()
    assert lines[0].startswith("NIK,NAMA,SEGMEN,PROGRAM")
    assert {line.split(",")[0] for line in lines[1:]} == {
        PEOPLE[n][0] for n in ("C", "E", "F", "G", "J")
    }
    event = AuditEvent.objects.get(action="coverage.registration_export")
    assert event.pemda_code == "16.71" and event.changes == {"period": "2024-06", "rows": 5}
    assert event.actor is not None and event.actor.username == "palembang"


def test_registration_export_refused_outside_role_or_region(runs: Any, client_for: Any) -> None:
    assert client_for("palembang").get("/cakupan/pemda/16.04/registrasi/").status_code == 404
    assert client_for("lahat").get("/cakupan/pemda/16.71/registrasi/").status_code == 404
    assert client_for("national").get("/cakupan/pemda/16.71/registrasi/").status_code == 403
    assert client_for("auditor").get("/cakupan/pemda/16.71/registrasi/").status_code == 403
    assert client_for("sumbagsel").get("/cakupan/pemda/16.71/registrasi/").status_code == 200
    assert AuditEvent.objects.filter(action="coverage.registration_export").count() == 1


def test_api_registration_scoped(runs: Any, token_for: Any, client: Any) -> None:
    own = client.get(
        "/api/v1/coverage/pemda/16.71/registration?format=json", **bearer(token_for("palembang"))
    )
    assert own.status_code == 200 and len(own.json()) == 5
    other = client.get(
        "/api/v1/coverage/pemda/16.04/registration", **bearer(token_for("palembang"))
    )
    assert other.status_code == 404 and other.json()["error"]["code"] == "not_found"
    national = client.get(
        "/api/v1/coverage/pemda/16.71/registration", **bearer(token_for("national"))
    )
    assert national.status_code == 403


def test_api_gaps_and_pemda(runs: Any, token_for: Any, client: Any) -> None:
    headers = bearer(token_for("palembang"))
    gaps = client.get("/api/v1/coverage/pemda/16.71/gaps?status=NOT_FOUND", **headers).json()
    assert [g["name"] for g in gaps] == ["Pekerja F"]
    assert gaps[0]["nik_masked"] == "1671********0006"
    pemda = client.get("/api/v1/coverage/pemda/16.71?period=2024-06", **headers).json()
    assert {c["category"]: c["protected"] for c in pemda["categories"]} == {
        "NON_ASN": 3,
        "RENTAN": 1,
    }
    assert [t["period"] for t in pemda["trend"]] == ["2024-05", "2024-06"]
    bad = client.get("/api/v1/coverage/pemda/16.71/gaps?period=2024-99", **headers)
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "invalid_period"
    assert client.get("/api/v1/coverage/pemda/xx/gaps", **headers).status_code == 400


def test_rollups(runs: Any, token_for: Any, client: Any) -> None:
    national = client.get(
        "/api/v1/coverage?period=2024-06&level=kanwil", **bearer(token_for("national"))
    ).json()
    assert [(r["code"], r["headcount"], r["protected"]) for r in national] == [("SUMBAGSEL", 10, 5)]
    provinces = client.get(
        "/api/v1/coverage?level=province&kanwil=SUMBAGSEL", **bearer(token_for("sumbagsel"))
    ).json()
    assert provinces[0]["code"] == "16" and provinces[0]["coverage"] == pytest.approx(0.5)
    mine = client.get("/api/v1/coverage?level=pemda", **bearer(token_for("lahat"))).json()
    assert [r["code"] for r in mine] == ["16.04"]


def test_pages_render_for_the_cast(runs: Any, client_for: Any) -> None:
    assert "SUMBAGSEL" in client_for("national").get("/cakupan/").content.decode()
    page = client_for("sumbagsel").get("/cakupan/kanwil/SUMBAGSEL/?period=2024-06")
    assert page.status_code == 200 and "16.71" in page.content.decode()
    pemda = client_for("palembang").get("/cakupan/pemda/16.71/").content.decode()
    assert "60,0%" in pemda and "2024-05" in pemda
    assert "registrasi" in pemda
    assert "registrasi" not in client_for("auditor").get("/cakupan/pemda/16.71/").content.decode()


def test_button_enqueues_one_job_that_runs(
    runs: Any, client_for: Any, caplog: Any, django_capture_on_commit_callbacks: Any
) -> None:
    caplog.set_level(logging.DEBUG)
    client = client_for("national")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/cakupan/jalankan/", {"period": "2024-06"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    job = Job.objects.get(kind="coverage.match")
    assert job.state == "done" and job.progress == job.total
    assert job.result["headcount"] == 10 and job.result["protected"] == 5
    poll = client.get(f"/cakupan/tugas/{job.pk}/")
    assert poll.status_code == 200 and "hx-trigger" not in poll.content.decode()
    dump = json.dumps([job.params, job.result, job.message, job.error]) + caplog.text
    for nik_value in [*PALEMBANG_NIKS, LAHAT_NIK]:
        assert nik_value not in dump
    assert (
        client_for("palembang").post("/cakupan/jalankan/", {"period": "2024-06"}).status_code == 403
    )
    assert client.post("/cakupan/jalankan/", {"period": "juni"}).status_code == 400


def test_job_failure_is_recorded(client_for: Any, django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        client_for("national").post("/cakupan/jalankan/", {"period": "2030-01"})
    job = Job.objects.get(kind="coverage.match")
    assert job.state == "failed" and "2030-01" in job.error


def test_stale_after_new_roster_version(runs: Any, client_for: Any) -> None:
    from tests.coverage.factories import roster_version
    from tests.coverage.test_match import _roster

    roster_version("16.71", "2024-06", _roster("AB"), number=2)
    page = client_for("palembang").get("/cakupan/pemda/16.71/?period=2024-06").content.decode()
    assert "usang" in page


def test_cli_match_and_coverage(runs: Any) -> None:
    out = io.StringIO()
    call_command("match", "--period", "2024-06", "--now", "--format", "json", stdout=out)
    assert json.loads(out.getvalue())["protected"] == 5
    out = io.StringIO()
    call_command(
        "coverage", "--period", "2024-06", "--level", "province", "--format", "json", stdout=out
    )
    rows = json.loads(out.getvalue())
    assert rows[0]["code"] == "16" and rows[0]["headcount"] == 10
    out = io.StringIO()
    call_command("coverage", "--period", "2024-06", "--kanwil", "sumbagsel", stdout=out)
    lines = out.getvalue().strip().splitlines()
    assert lines[0].startswith("code,name,headcount") and len(lines) == 3
    with pytest.raises(CommandError):
        call_command("coverage", "--period", "2024-06", "--kanwil", "NOPE")
    with pytest.raises(CommandError):
        call_command("match", "--period", "24-06")
    out = io.StringIO()
    call_command("match", "--period", "2024-06", stdout=out)
    assert "tugas #" in out.getvalue()
