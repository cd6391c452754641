"""Report subscriptions: rendered as the subscriber, e-mailed as an attachment through a
real SMTP server, once per data period, never with another region's data or a NIK."""

from __future__ import annotations

import datetime as dt
import io
import re
from io import StringIO
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.core.management import call_command

from monev.accounts.models import User, UserScope
from monev.core.models import AuditEvent
from monev.regions.models import Pemda
from monev.reports.models import ReportSubscription
from monev.reports.subscriptions import report_subscription_create
from tests.conftest import bearer
from tests.mailserver import MailServer, smtp_server
from tests.meetings.factories import item_for
from tests.pdf import pdf_text
from tests.reports.factories import coverage_load, sumbagsel_fixture

pytestmark = pytest.mark.django_db
__all__ = ["smtp_server"]

NIK = re.compile(r"(?<![0-9])[0-9]{16}(?![0-9])")


def deliver(today: str = "2022-10-05") -> str:
    out = StringIO()
    call_command("deliver", today=today, stdout=out)
    return out.getvalue()


def subscribe(username: str, **kwargs: Any) -> ReportSubscription:
    user = User.objects.get(username=username)
    return report_subscription_create(user=user, by=user, **kwargs)


def test_scorecard_reaches_its_pemda_only_once_per_period(
    smtp_server: MailServer, tmp_path: Path
) -> None:
    sumbagsel_fixture()
    item_for("16.04", due_on=dt.date(2023, 1, 31))  # Lahat's own item
    subscribe("palembang", kind="scorecard", format="pdf", pemda="16.71")
    smtp_server.messages.clear()

    out = deliver()
    deliver()  # the timer again: same period, nothing new

    [mail] = smtp_server.to("palembang@monev.test")
    assert mail.subject == "[Monev] Rapor Pemda Pemerintah Kota Palembang"
    assert "sesuai langganan Anda" in mail.text
    [(name, content)] = mail.attachments
    assert name == "scorecard-16.71-2022-09.pdf"
    text = pdf_text(content, tmp_path)
    assert "Kota Palembang" in text and "Lahat" not in text
    assert not NIK.search(text) and not NIK.search(mail.text)
    assert "1 laporan berlangganan" in out


def test_kanwil_pack_as_xlsx_for_the_kanwil_officer(smtp_server: MailServer) -> None:
    codes = list(Pemda.objects.filter(kanwil__code="SUMBAGSEL").values_list("code", flat=True))
    coverage_load("2022-09", codes=[*codes, "32.73"])  # and Bandung, in another Kanwil
    subscribe("sumbagsel", kind="kanwil-pack", format="xlsx", kanwil="SUMBAGSEL")

    deliver()

    [mail] = smtp_server.to("sumbagsel@monev.test")
    [(name, content)] = mail.attachments
    assert name == "kanwil-pack-SUMBAGSEL-2022-09.xlsx"
    book = openpyxl.load_workbook(io.BytesIO(content))
    values = [v for ws in book.worksheets for row in ws.iter_rows(values_only=True) for v in row]
    cells = " ".join(v for v in values if isinstance(v, str))  # numbers are shares and counts
    assert "Kota Palembang" in cells and "Bandung" not in cells
    assert not NIK.search(cells)


def test_a_new_period_sends_again(smtp_server: MailServer) -> None:
    sumbagsel_fixture()
    subscribe("palembang", kind="scorecard", format="pdf", pemda="16.71")
    deliver()
    coverage_load("2022-10", codes=["16.71"])

    deliver(today="2022-11-02")

    names = [a[0] for m in smtp_server.to("palembang@monev.test") for a in m.attachments]
    assert names == ["scorecard-16.71-2022-09.pdf", "scorecard-16.71-2022-10.pdf"]


def test_semester_report_for_the_national_coordinator(smtp_server: MailServer) -> None:
    sumbagsel_fixture("2022-12")
    subscribe("national", kind="semester", format="pdf")

    deliver(today="2023-01-10")

    [mail] = smtp_server.to("national@monev.test")
    assert mail.attachments[0][0] == "semester-nasional-2022-H2.pdf"
    assert "Laporan Semester 2022-H2" in mail.subject


def test_cannot_subscribe_outside_the_region() -> None:
    with pytest.raises(PermissionError):
        subscribe("palembang", kind="scorecard", format="pdf", pemda="16.04")
    with pytest.raises(PermissionError):
        subscribe("sumbagsel", kind="semester", format="pdf")
    with pytest.raises(PermissionError):
        subscribe("palembang", kind="kanwil-pack", format="pdf", kanwil="SUMBAGSEL")


def test_subscriber_who_lost_the_region_gets_nothing(smtp_server: MailServer) -> None:
    sumbagsel_fixture()
    subscription = subscribe("palembang", kind="scorecard", format="pdf", pemda="16.71")
    UserScope.objects.filter(user__username="palembang").update(
        pemda=Pemda.objects.get(code="16.04")
    )

    deliver()

    assert smtp_server.to("palembang@monev.test") == []
    subscription.refresh_from_db()
    assert not subscription.active
    assert AuditEvent.objects.filter(action="report.subscription_stopped").exists()


def test_subscription_page(client_for: Any) -> None:
    client = client_for("palembang")
    ok = client.post(
        "/laporan/langganan/", {"kind": "scorecard", "format": "pdf", "pemda": "16.71"}
    )
    refused = client.post(
        "/laporan/langganan/", {"kind": "scorecard", "format": "pdf", "pemda": "16.04"}
    )
    bad = client.post("/laporan/langganan/", {"kind": "majalah", "format": "pdf"})

    assert ok.status_code == 302
    assert "di luar wilayah Anda" in refused.content.decode()
    assert "tidak dikenal" in bad.content.decode()
    page = client.get("/laporan/langganan/").content.decode()
    assert page.count("<tr><td>Rapor Pemda") == 1
    subscription = ReportSubscription.objects.get()
    other = client_for("lahat").post(f"/laporan/langganan/{subscription.pk}/hapus/")
    assert other.status_code == 404
    assert client.post(f"/laporan/langganan/{subscription.pk}/hapus/").status_code == 302
    assert not ReportSubscription.objects.exists()


def test_subscription_api(client_for: Any, token_for: Any) -> None:
    headers = bearer(token_for("sumbagsel"))
    client = client_for("sumbagsel")
    created = client.post(
        "/api/v1/report-subscriptions",
        {"kind": "kanwil-pack", "format": "pdf", "kanwil": "SUMBAGSEL"},
        content_type="application/json",
        **headers,
    )
    again = client.post(
        "/api/v1/report-subscriptions",
        {"kind": "kanwil-pack", "format": "pdf", "kanwil": "SUMBAGSEL"},
        content_type="application/json",
        **headers,
    )
    outside = client.post(
        "/api/v1/report-subscriptions",
        {"kind": "kanwil-pack", "format": "pdf", "kanwil": "JABAR"},
        content_type="application/json",
        **headers,
    )

    assert created.status_code == 201 and created.json()["kanwil"] == "SUMBAGSEL"
    assert again.status_code == 400 and "sudah berlangganan" in again.json()["error"]["message"]
    assert outside.status_code == 403
    listed = client.get("/api/v1/report-subscriptions", **headers).json()
    assert [s["id"] for s in listed] == [created.json()["id"]]
    lahat = bearer(token_for("lahat"))
    sub_id = created.json()["id"]
    assert client.delete(f"/api/v1/report-subscriptions/{sub_id}", **lahat).status_code == 404
    assert client.delete(f"/api/v1/report-subscriptions/{sub_id}", **headers).status_code == 204


def test_a_report_that_cannot_be_built_does_not_stop_the_others(
    smtp_server: MailServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    from monev.reports import subscriptions

    sumbagsel_fixture()
    subscribe("palembang", kind="scorecard", format="pdf", pemda="16.71")
    subscribe("sumbagsel", kind="scorecard", format="xlsx", pemda="16.04")
    real = subscriptions.build

    def build(user: Any, request: Any) -> Any:
        if request.pemda_code == "16.71":
            raise RuntimeError("renderer broke")
        return real(user, request)

    monkeypatch.setattr(subscriptions, "build", build)
    out = deliver()

    assert "(1 gagal disusun)" in out
    assert [a[0] for m in smtp_server.messages for a in m.attachments] == [
        "scorecard-16.04-2022-09.xlsx"
    ]
