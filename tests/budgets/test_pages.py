"""Budget, regulation, calculator and rate pages: allowed / other region / anonymous, bad input."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from monev.budgets.models import BudgetLine, ContributionRate, Regulation
from monev.budgets.services import SEED_FILE, BudgetRow, budget_lines_save
from monev.core.scope import SYSTEM

from .factories import roster

pytestmark = pytest.mark.usefixtures("rates")
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture
def data(db: Any) -> None:
    roster("16.71", "2024-06", [(20, "RENTAN", None, "DANA_DESA")])
    budget_lines_save(rows=[BudgetRow("16.71", 2024, "RENTAN", "APBD_MURNI", 3_000_000)], by=SYSTEM)


@pytest.mark.parametrize("url", ["/anggaran/", "/anggaran/pemda/16.71/2024/", "/anggaran/iuran/",
                                 "/anggaran/tarif/", "/anggaran/regulasi/", "/anggaran/pemda/16.71/regulasi/baru/",
                                 "/angkatan-kerja/"])  # fmt: skip
def test_anonymous_goes_to_login(db: Any, url: str) -> None:
    response = Client().get(url)
    assert response.status_code == 302 and "/akun/" in response["Location"]


def test_budget_pages_scope(data: None, client_for: Any) -> None:
    page = client_for("palembang").get("/anggaran/pemda/16.71/2024/")
    assert page.status_code == 200
    assert "1.032.000" in page.content.decode() or "1,032,000" in page.content.decode()
    assert client_for("lahat").get("/anggaran/pemda/16.71/2024/").status_code == 404
    own = client_for("palembang").get("/anggaran/?tahun=2024").content.decode()
    assert "<code>16.71</code>" in own and "Belum dianggarkan" not in own
    other = client_for("lahat").get("/anggaran/?tahun=2024").content.decode()
    assert "<code>16.71</code>" not in other and "Belum dianggarkan" in other
    assert client_for("palembang").get("/anggaran/pemda/16.71/1900/").status_code == 404


def test_budget_line_form(data: None, client_for: Any) -> None:
    body = {
        "category": "NON_ASN",
        "source": "APBD_MURNI",
        "amount": "100",
        "planned_headcount": "1",
    }
    client_for("palembang").post("/anggaran/pemda/16.71/2024/baris/", body)
    assert BudgetLine.objects.filter(category="NON_ASN").exists()
    assert client_for("lahat").post("/anggaran/pemda/16.71/2024/baris/", body).status_code == 404
    client_for("palembang").post(
        "/anggaran/pemda/16.71/2024/baris/", {**body, "amount": "-3", "category": "RT_RW"}
    )
    assert not BudgetLine.objects.filter(category="RT_RW").exists()
    client_for("auditor").post("/anggaran/pemda/16.71/2024/baris/", {**body, "category": "RT_RW"})
    assert not BudgetLine.objects.filter(category="RT_RW").exists()


def test_budget_upload_page(db: Any, client_for: Any) -> None:
    good = b"kode_pemda,tahun_anggaran,kategori,sumber_dana,pagu\n16.04,2024,RENTAN,DBHCHT,5\n"
    bad = b"kode_pemda,tahun_anggaran,kategori,sumber_dana,pagu\n16.04,2024,RENTAN,DBHCHT,5\n99.99,2024,RENTAN,DBHCHT,5\n"
    response = client_for("lahat").post(
        "/anggaran/impor/", {"file": SimpleUploadedFile("a.csv", bad)}
    )
    assert response.status_code == 400 and "99.99" in response.content.decode()
    other = client_for("palembang").post(
        "/anggaran/impor/", {"file": SimpleUploadedFile("a.csv", good)}
    )
    assert other.status_code == 400
    assert BudgetLine.objects.count() == 0
    assert (
        client_for("lahat")
        .post("/anggaran/impor/", {"file": SimpleUploadedFile("a.csv", good)})
        .status_code
        == 302
    )
    assert BudgetLine.objects.count() == 1


def test_calculator_page(db: Any, client_for: Any) -> None:
    client = client_for("lahat")
    page = client.get(
        "/anggaran/iuran/",
        {"segment": "BPU", "wage": "1000000", "risk": "very_low", "date": "2024-06-01"},
    )
    assert page.status_code == 200 and "16.800" in page.content.decode().replace(",", ".")
    assert (
        client.get(
            "/anggaran/iuran/", {"segment": "PU", "wage": "-5", "risk": "very_low"}
        ).status_code
        == 400
    )
    assert (
        client.get(
            "/anggaran/iuran/", {"segment": "ZZ", "wage": "5", "risk": "very_low"}
        ).status_code
        == 400
    )
    assert client.get("/anggaran/iuran/").status_code == 200


def test_rate_page_and_correction(db: Any, client_for: Any) -> None:
    assert "pu-jp-cap-2024" in client_for("lahat").get("/anggaran/tarif/").content.decode()
    header = SEED_FILE.read_text(encoding="utf-8").splitlines()[0] + "\n"
    fix = header + "pu-jkm-2015,JKM,PU,rate,,,0.31,0,0,0,0,0,0,false,,2015-07-01,,PP uji,H,uji,\n"
    upload = lambda user, text: client_for(user).post(  # noqa: E731
        "/anggaran/tarif/", {"file": SimpleUploadedFile("t.csv", text.encode())}
    )
    assert upload("lahat", fix).status_code == 403
    assert upload("national", fix.replace("0.31", "abc")).status_code == 400
    assert str(ContributionRate.objects.get(key="pu-jkm-2015").employer_percent) == "0.3000"
    assert upload("national", fix).status_code == 302
    assert str(ContributionRate.objects.get(key="pu-jkm-2015").employer_percent) == "0.3100"


def test_regulation_upload_and_download(db: Any, client_for: Any) -> None:
    form = {"kind": "PERKADA", "number": "12/2023", "issued_on": "2023-03-01", "title": "Perwali Jamsostek",
            "covers": ["NON_ASN", "RENTAN"]}  # fmt: skip
    url = "/anggaran/pemda/16.71/regulasi/baru/"
    not_pdf = client_for("palembang").post(
        url, {**form, "document": SimpleUploadedFile("x.pdf", b"MZ\x90\x00evil")}
    )
    assert not_pdf.status_code == 400 and Regulation.objects.count() == 0
    assert (
        client_for("lahat")
        .post(url, {**form, "document": SimpleUploadedFile("x.pdf", PDF)})
        .status_code
        == 404
    )
    assert client_for("auditor").get(url).status_code == 404
    response = client_for("palembang").post(
        url, {**form, "document": SimpleUploadedFile("x.pdf", PDF)}
    )
    assert response.status_code == 302
    regulation = Regulation.objects.get()
    assert regulation.covers == ["NON_ASN", "RENTAN"] and regulation.document_size == len(PDF)
    doc = f"/anggaran/regulasi/{regulation.pk}/dokumen/"
    assert b"".join(client_for("palembang").get(doc).streaming_content) == PDF
    assert client_for("lahat").get(doc).status_code == 404
    assert "12/2023" not in client_for("lahat").get("/anggaran/regulasi/").content.decode()
    assert "12/2023" in client_for("sumbagsel").get("/anggaran/regulasi/").content.decode()


def test_regulation_too_large(db: Any, client_for: Any, monkeypatch: Any) -> None:
    monkeypatch.setattr("monev.budgets.services.MAX_DOCUMENT_BYTES", 10)
    form = {"kind": "SE", "number": "1", "issued_on": "2023-03-01", "title": "SE",
            "document": SimpleUploadedFile("x.pdf", PDF)}  # fmt: skip
    response = client_for("palembang").post("/anggaran/pemda/16.71/regulasi/baru/", form)
    assert response.status_code == 400 and Regulation.objects.count() == 0


def test_rate_row_form(db: Any, client_for: Any) -> None:
    page = client_for("national").get("/anggaran/tarif/pu-jkm-2015/")
    assert page.status_code == 200 and 'value="0.3000"' in page.content.decode()
    assert client_for("palembang").get("/anggaran/tarif/pu-jkm-2015/").status_code == 403
    assert client_for("national").get("/anggaran/tarif/tidak-ada/").status_code == 404
    values = {
        "key": "pu-jkm-2015", "programme": "JKM", "segment": "PU", "kind": "rate",
        "employer_percent": "0.31", "valid_from": "2015-07-01", "legal_basis": "PP uji",
        "confidence": "H", "optional": "False",
    }  # fmt: skip
    bad = client_for("national").post("/anggaran/tarif/pu-jkm-2015/", {**values, "confidence": "X"})
    assert bad.status_code == 400
    assert client_for("national").post("/anggaran/tarif/pu-jkm-2015/", values).status_code == 302
    assert str(ContributionRate.objects.get(key="pu-jkm-2015").employer_percent) == "0.3100"
    new = {**values, "key": "pu-jkm-2030", "valid_from": "2030-01-01", "employer_percent": "0.4"}
    assert client_for("national").post("/anggaran/tarif/baru/", new).status_code == 302
    from monev.budgets.rates import contribution_calculate

    result = contribution_calculate(
        segment="PU", wage=1_000_000, day="2030-02-01", programmes="JKM"
    )
    assert result.total() == 4_000  # the newest row in force wins
