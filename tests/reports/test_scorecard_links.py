"""The scorecard page and its shareable links: scoped, expiring, revocable, audited."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from monev.accounts.models import User, UserScope
from monev.core.models import AuditEvent
from monev.regions.models import Pemda
from monev.reports.models import ScorecardLink
from tests.conftest import bearer
from tests.reports.factories import sumbagsel_fixture

pytestmark = pytest.mark.django_db


def share(client: Client, code: str = "16.71", days: str = "30") -> tuple[int, str]:
    response = client.post(f"/laporan/rapor/{code}/bagikan/", {"days": days, "period": "2022-09"})
    found = re.search(
        r'id="tautan-baru" readonly value="http://testserver(/rapor/[^"]+/)"',
        response.content.decode(),
    )
    return response.status_code, found[1] if found else ""


def test_scorecard_page_shows_the_selector_figures(client_for: Any) -> None:
    sumbagsel_fixture()
    page = client_for("palembang").get("/laporan/rapor/16.71/").content.decode()

    assert "Rapor Pemerintah Kota Palembang" in page and "September 2022" in page
    assert "Rp1.500.000.000" in page  # the budget the fixture gave
    assert 'id="rapor-kelompok"' in page and 'id="bagikan"' in page


def test_scorecard_page_is_scoped(client_for: Any) -> None:
    sumbagsel_fixture()
    assert client_for("lahat").get("/laporan/rapor/16.71/").status_code == 404
    assert client_for("sumbagsel").get("/laporan/rapor/16.71/").status_code == 200
    auditor = client_for("auditor").get("/laporan/rapor/16.71/").content.decode()
    assert 'id="bagikan"' not in auditor  # read-only: may look, may not share
    assert client_for("auditor").post("/laporan/rapor/16.71/bagikan/").status_code == 403
    assert client_for("palembang").get("/laporan/rapor/16.71/?periode=2022-13").status_code == 400


def test_shared_link_opens_without_login_and_is_audited(client_for: Any) -> None:
    sumbagsel_fixture()
    status, path = share(client_for("palembang"))
    assert status == 200 and path

    page = Client().get(path)

    assert page.status_code == 200
    text = page.content.decode()
    assert "Rapor Pemda Pemerintah Kota Palembang" in text and "Rp1.500.000.000" in text
    assert "Lahat" not in text and not re.search(r"(?<!\d)\d{16}(?!\d)", text)
    assert 'class="mainnav"' not in text  # no way into the rest of monev
    opened = AuditEvent.objects.get(action="scorecard_link.open")
    assert opened.pemda_code == "16.71" and opened.actor is None
    assert ScorecardLink.objects.get().opened == 1
    assert ScorecardLink.objects.get().digest not in path  # only the digest is stored


def test_revoked_and_expired_links_stop_working(client_for: Any) -> None:
    sumbagsel_fixture()
    client = client_for("palembang")
    _status, first = share(client)
    _status, second = share(client)
    revoked, expiring = ScorecardLink.objects.order_by("id")

    assert client_for("lahat").post(f"/laporan/tautan/{revoked.pk}/cabut/").status_code == 404
    assert client.post(f"/laporan/tautan/{revoked.pk}/cabut/").status_code == 302
    ScorecardLink.objects.filter(pk=expiring.pk).update(expires_at=timezone.now())

    assert Client().get(first).status_code == 410
    assert Client().get(second).status_code == 410
    assert Client().get("/rapor/tidak-ada-tautan-seperti-ini/").status_code == 404


def test_link_dies_with_its_creators_scope(client_for: Any) -> None:
    sumbagsel_fixture()
    _status, path = share(client_for("palembang"))
    UserScope.objects.filter(user__username="palembang").update(
        pemda=Pemda.objects.get(code="16.04")
    )

    assert Client().get(path).status_code == 410


def test_bad_duration_is_refused(client_for: Any) -> None:
    sumbagsel_fixture()
    status, path = share(client_for("palembang"), days="365")
    assert status == 400 and not path
    status, path = share(client_for("palembang"), days="tiga")
    assert status == 400 and not path


def test_links_api(token_for: Any) -> None:
    sumbagsel_fixture()
    client, headers = Client(), bearer(token_for("palembang"))
    made = client.post(
        "/api/v1/scorecard-links",
        {"pemda": "16.71", "period": "2022-09", "days": 7},
        content_type="application/json",
        **headers,
    )
    outside = client.post(
        "/api/v1/scorecard-links",
        {"pemda": "16.04", "days": 7},
        content_type="application/json",
        **headers,
    )
    bad = client.post(
        "/api/v1/scorecard-links",
        {"pemda": "16.71", "days": 0},
        content_type="application/json",
        **headers,
    )

    assert made.status_code == 201 and made.json()["url"].startswith("http://testserver/rapor/")
    assert outside.status_code == 403 and bad.status_code == 400
    assert Client().get(made.json()["url"].removeprefix("http://testserver")).status_code == 200
    listed = client.get("/api/v1/scorecard-links", **headers).json()
    assert [link["url"] for link in listed] == [None]  # the secret is never shown again
    other = bearer(token_for("lahat"))
    link_id = made.json()["id"]
    assert client.delete(f"/api/v1/scorecard-links/{link_id}", **other).status_code == 404
    assert client.delete(f"/api/v1/scorecard-links/{link_id}", **headers).status_code == 204
    assert ScorecardLink.objects.get().revoked_at is not None


@settings(max_examples=30, deadline=None)
@given(st.text(max_size=120))
def test_any_token_answers_404_or_410(token: str) -> None:
    from django.urls import NoReverseMatch, reverse

    try:
        path = reverse("scorecard_shared", args=[token])
    except NoReverseMatch:
        return  # "/" or empty: not a link at all
    assert Client().get(path).status_code in (404, 410)


def test_link_expiry_is_within_the_days_asked(client_for: Any) -> None:
    sumbagsel_fixture()
    share(client_for("palembang"), days="7")
    link = ScorecardLink.objects.get()
    left = link.expires_at - timezone.now()
    assert dt.timedelta(days=6, hours=23) < left <= dt.timedelta(days=7)
    assert link.created_by == User.objects.get(username="palembang")
