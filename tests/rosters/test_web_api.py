"""Roster pages and API: the upload flow, background validation, language, bad input, scope."""

from __future__ import annotations

import io
from typing import Any

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from monev.core.models import AuditEvent, Job
from monev.core.scope import SYSTEM
from monev.rosters import services
from monev.rosters.models import RosterUpload, RosterVersion, UploadState
from tests.conftest import bearer
from tests.rosters.conftest import nik, roster_csv
from tests.rosters.stored import stored_count

pytestmark = pytest.mark.django_db
GOOD = roster_csv([(nik(1), "Ani", "NON_ASN", "2.500.000"), (nik(2), "Budi", "RT/RW", "")])
BAD = roster_csv([(nik(1), "Ani", "NON_ASN", ""), ("1.67101E+15", "Budi", "RT/RW", "")])


def post_upload(client: Any, data: bytes, pemda: str = "16.71", mode: str = "strict") -> Any:
    return client.post(
        "/daftar-pekerja/unggah/",
        {
            "pemda": pemda,
            "period": "2024-06",
            "mode": mode,
            "file": SimpleUploadedFile("daftar.csv", data),
        },
    )


def test_upload_validate_confirm_commit(client_for: Any) -> None:
    client = client_for("palembang")
    assert client.get("/daftar-pekerja/unggah/").status_code == 200
    response = post_upload(client, GOOD)
    assert response.status_code == 302
    upload = RosterUpload.objects.get()
    assert upload.state == UploadState.VALID and RosterVersion.objects.count() == 0
    page = client.get(response["Location"])
    assert "Konfirmasi dan simpan" in page.content.decode()
    done = client.post(f"/daftar-pekerja/unggah/{upload.pk}/simpan/")
    version = RosterVersion.objects.get()
    assert done["Location"] == f"/daftar-pekerja/versi/{version.pk}/"
    detail = client.get(done["Location"]).content.decode()
    assert "Ani" in detail and nik(1) not in detail and "1671********0001" in detail
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"roster.upload", "roster.commit", "roster.read"} <= actions


def test_strict_upload_with_errors_is_rejected_and_shows_the_error_table(client_for: Any) -> None:
    client = client_for("palembang")
    response = post_upload(client, BAD)
    upload = RosterUpload.objects.get()
    assert upload.state == UploadState.REJECTED
    body = client.get(response["Location"]).content.decode()
    assert "Format kolom NIK sebagai Teks" in body
    assert "nik_excel_number" not in body  # the message, never the internal code
    assert "Konfirmasi dan simpan" not in body
    assert AuditEvent.objects.filter(action="roster.reject").exists()
    book = client.get(f"/daftar-pekerja/unggah/{upload.pk}/kesalahan.xlsx")
    assert book.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(book.content)).active
    assert sheet["I1"].value == "kesalahan" and "Upah wajib" in sheet["I2"].value
    assert AuditEvent.objects.filter(action="roster.errors_download").exists()


def test_error_messages_in_english_when_chosen(client_for: Any) -> None:
    client = client_for("palembang")
    client.cookies["django_language"] = "en"
    response = post_upload(client, BAD)
    body = client.get(response["Location"]).content.decode()
    assert "Format the NIK column as Text" in body


def test_accept_valid_commits_only_valid_rows(client_for: Any) -> None:
    client = client_for("palembang")
    post_upload(client, BAD + f"{nik(3)},Citra,RENTAN,\n".encode(), mode="accept_valid")
    upload = RosterUpload.objects.get()
    assert upload.state == UploadState.INVALID and upload.can_commit
    client.post(f"/daftar-pekerja/unggah/{upload.pk}/simpan/")
    assert stored_count() == 1


def test_large_upload_validates_in_a_background_job_with_progress(
    client_for: Any, monkeypatch: Any, django_capture_on_commit_callbacks: Any
) -> None:
    monkeypatch.setattr(services, "INLINE_LIMIT_BYTES", 10)
    client = client_for("palembang")
    with django_capture_on_commit_callbacks(execute=True):
        response = post_upload(client, GOOD)
    upload = RosterUpload.objects.get()
    job = Job.objects.get(pk=upload.job_id)
    assert (job.state, job.progress, job.total) == ("done", 4, 4)
    assert upload.state == UploadState.VALID
    partial = client.get(response["Location"], HTTP_HX_REQUEST="true").content.decode()
    assert 'id="upload-status"' in partial and "every 1s" not in partial


def test_polling_partial_while_validating(client_for: Any, cast: Any) -> None:
    from monev.regions.models import Pemda

    upload = services.roster_upload_create(
        pemda=Pemda.objects.get(code="16.71"),
        period="2024-06",
        data=GOOD,
        filename="a.csv",
        mode="strict",
        by=cast["palembang"],
    )
    partial = client_for("palembang").get(
        f"/daftar-pekerja/unggah/{upload.pk}/", HTTP_HX_REQUEST="true"
    )
    assert "every 1s" in partial.content.decode()


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"period": "2024-13"}, "periode"),
        ({"pemda": "16.04"}, "pilihan"),  # Lahat is not among Palembang's choices
        ({"file": SimpleUploadedFile("a.pdf", b"%PDF")}, "csv atau xlsx"),
    ],
)
def test_bad_form_input_is_a_clear_400_page(client_for: Any, fields: dict, message: str) -> None:
    data = {
        "pemda": "16.71",
        "period": "2024-06",
        "mode": "strict",
        "file": SimpleUploadedFile("a.csv", GOOD),
        **fields,
    }
    response = client_for("palembang").post("/daftar-pekerja/unggah/", data)
    assert response.status_code == 400 and message in response.content.decode().lower()
    assert not RosterUpload.objects.exists()


def test_palembang_cannot_read_lahat_roster_page_or_api(
    client_for: Any, token_for: Any, lahat: Any
) -> None:
    upload = services.roster_import(
        pemda=lahat, period="2024-06", data=GOOD, filename="lahat.csv", by=SYSTEM
    )
    version = upload.version
    client = client_for("palembang")
    assert client.get(f"/daftar-pekerja/versi/{version.pk}/").status_code == 404
    assert client.get(f"/daftar-pekerja/unggah/{upload.pk}/").status_code == 404
    assert "lahat.csv" not in client.get("/daftar-pekerja/").content.decode()
    auth = bearer(token_for("palembang"))
    assert client.get(f"/api/v1/rosters/versions/{version.pk}/workers", **auth).status_code == 404
    assert client.get("/api/v1/rosters/versions?pemda=16.04", **auth).json() == []
    assert not AuditEvent.objects.filter(action="roster.read").exists()


def test_palembang_cannot_upload_to_lahat_page_or_api(client_for: Any, token_for: Any) -> None:
    client = client_for("palembang")
    post_upload(client, GOOD, pemda="16.04")
    response = client.post(
        "/api/v1/rosters/uploads?pemda=16.04&period=2024-06",
        {"file": SimpleUploadedFile("a.csv", GOOD)},
        **bearer(token_for("palembang")),
    )
    assert response.status_code == 403 and response.json()["error"]["code"] == "forbidden"
    assert not RosterUpload.objects.exists()


def test_auditor_reads_but_cannot_upload(client_for: Any, token_for: Any, palembang: Any) -> None:
    services.roster_import(
        pemda=palembang, period="2024-06", data=GOOD, filename="a.csv", by=SYSTEM
    )
    client = client_for("auditor")
    assert client.get("/daftar-pekerja/unggah/").status_code == 403
    response = client.post(
        "/api/v1/rosters/uploads?pemda=16.71&period=2024-06",
        {"file": SimpleUploadedFile("a.csv", GOOD)},
        **bearer(token_for("auditor")),
    )
    assert response.status_code == 403


def test_api_one_shot_and_staged_flows(token_for: Any) -> None:
    from django.test import Client

    client, auth = Client(), bearer(token_for("palembang"))
    one = client.post(
        "/api/v1/rosters/uploads?pemda=16.71&period=2024-06&commit=true",
        {"file": SimpleUploadedFile("a.csv", GOOD)},
        **auth,
    )
    assert one.status_code == 201 and one.json()["state"] == "committed"
    mixed = BAD + f"{nik(3)},Citra,RENTAN,\n".encode()
    staged = client.post(
        "/api/v1/rosters/uploads?pemda=16.71&period=2024-07&mode=accept_valid",
        {"file": SimpleUploadedFile("b.csv", mixed)},
        **auth,
    ).json()
    assert staged["state"] == "invalid" and staged["can_commit"]
    assert staged["error_counts"] == {"nik_excel_number": 1, "wage_missing": 1}
    errors = client.get(
        f"/api/v1/rosters/uploads/{staged['id']}/errors", **auth, HTTP_ACCEPT_LANGUAGE="en"
    ).json()
    assert [e["code"] for e in errors["errors"]] == ["wage_missing", "nik_excel_number"]
    assert "Format the NIK column as Text" in errors["errors"][1]["message"]
    done = client.post(f"/api/v1/rosters/uploads/{staged['id']}/commit", **auth).json()
    assert done["state"] == "committed" and done["version"] is not None
    again = client.post(f"/api/v1/rosters/uploads/{staged['id']}/commit", **auth)
    assert again.status_code == 409
    versions = client.get("/api/v1/rosters/versions?pemda=16.71&period=2024-06", **auth).json()
    assert [v["number"] for v in versions] == [1]
    workers = client.get(f"/api/v1/rosters/versions/{versions[0]['id']}/workers", **auth).json()
    assert workers["total"] == 2 and workers["workers"][0]["nik_masked"] == "1671********0001"


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("pemda=16.71&period=2024-13", "invalid_period"),
        ("pemda=zz&period=2024-06", "invalid_code"),
        ("pemda=99.99&period=2024-06", "unknown_pemda"),
        ("pemda=16.71&period=2024-06&mode=lenient", "invalid_input"),
    ],
)
def test_api_bad_input_is_a_clear_4xx(token_for: Any, query: str, code: str) -> None:
    from django.test import Client

    response = Client().post(
        f"/api/v1/rosters/uploads?{query}",
        {"file": SimpleUploadedFile("a.csv", GOOD)},
        **bearer(token_for("palembang")),
    )
    assert 400 <= response.status_code < 500
    assert response.json()["error"]["code"] == code


def test_api_missing_file_is_422(token_for: Any) -> None:
    from django.test import Client

    response = Client().post(
        "/api/v1/rosters/uploads?pemda=16.71&period=2024-06", **bearer(token_for("palembang"))
    )
    assert response.status_code == 422


def test_template_download(client_for: Any) -> None:
    response = client_for("auditor").get("/daftar-pekerja/templat.xlsx")
    assert response.status_code == 200 and response.content[:2] == b"PK"


def test_file_level_error_is_shown_on_the_page(client_for: Any) -> None:
    client = client_for("palembang")
    response = post_upload(client, b"nik;nama;upah\n1671011708850001;A;1\n")
    body = client.get(response["Location"]).content.decode()
    assert "Kolom wajib" in body and "kategori" in body and "column_missing" not in body
    assert RosterUpload.objects.get().state == UploadState.REJECTED


def test_error_table_pages(client_for: Any) -> None:
    rows = [(f"16710117088{i:05d}", "", "RENTAN", "") for i in range(1, 260)]
    client = client_for("palembang")
    response = post_upload(client, roster_csv(rows))
    page3 = client.get(response["Location"] + "?hal=3").content.decode()
    assert "halaman 3 dari 3" in page3
    assert client.get(response["Location"] + "?hal=zzz").status_code == 200
