"""The indicators API: same figures and scope as the pages; clear 4xx on bad input."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from tests.conftest import bearer

pytestmark = pytest.mark.django_db


def test_values_ranking_and_findings_for_a_pemda(sample: Any, token_for: Any) -> None:
    headers = bearer(token_for("lahat"))
    client = Client()
    values = client.get("/api/v1/indicators/values?level=pemda&code=16.04", **headers).json()
    assert values["period"] == "2024-06" and values["compare"] == "2024-05"
    figures = {f["indicator"]: f for f in values["figures"]}
    total = figures["cakupan-total"]
    assert total["value"] == pytest.approx(total["numerator"] * 100 / total["denominator"])
    assert total["target"]["kind"] == "INPRES"
    assert total["distance"] == pytest.approx(total["value"] - 100)
    ranking = client.get("/api/v1/indicators/ranking?level=pemda&code=16.04", **headers).json()
    assert [r["code"] for r in ranking["rows"]] == ["16.04"] and ranking["hidden_peers"] == 16
    assert ranking["rows"][0]["of"] == 17
    findings = client.get("/api/v1/indicators/findings?level=pemda&code=16.04", **headers).json()
    texts = [f["text"] for f in findings]
    assert "Kab. Lahat belum menganggarkan perlindungan non-ASN TA 2024" in texts
    assert all(
        f["pemda"] == "16.04" and f["href"].startswith("/dasbor/pemda/16.04/") for f in findings
    )


def test_scope_and_bad_input(sample: Any, token_for: Any) -> None:
    headers = bearer(token_for("lahat"))
    client = Client()
    other = client.get("/api/v1/indicators/values?level=pemda&code=16.71", **headers)
    assert other.status_code == 404 and other.json()["error"]["code"] == "not_found"
    kanwil = client.get("/api/v1/indicators/ranking?level=kanwil&code=SUMBAGSEL", **headers)
    assert kanwil.status_code == 404
    bad = client.get("/api/v1/indicators/values?level=pemda&code=16.04&period=2024-13", **headers)
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "invalid_period"
    level = client.get("/api/v1/indicators/values?level=desa&code=16.04", **headers)
    assert level.status_code == 422
    national = bearer(token_for("national"))
    sort = client.get("/api/v1/indicators/ranking?level=nasional&sort=drop+table", **national)
    assert sort.status_code == 400 and sort.json()["error"]["code"] == "invalid_sort"
    ranked = client.get("/api/v1/indicators/ranking?level=nasional&sort=skor&desc=true", **national)
    scores = [r["score"] for r in ranked.json()["rows"]]
    present = [s for s in scores if s is not None]
    assert scores == sorted(present, reverse=True) + [None] * (len(scores) - len(present))


def test_no_data_yet_is_a_clear_404(token_for: Any) -> None:
    response = Client().get(
        "/api/v1/indicators/values?level=nasional", **bearer(token_for("national"))
    )
    assert response.status_code == 404 and response.json()["error"]["code"] == "no_data"


def test_open_coverage_needs_no_login(sample: Any) -> None:
    response = Client().get("/api/v1/open/coverage?level=kanwil&period=2024-06")
    assert response.status_code == 200
    rows = response.json()
    sumbagsel = [r for r in rows if r["kode"] == "SUMBAGSEL" and r["kelompok"] == "TOTAL"]
    assert sumbagsel and sumbagsel[0]["jumlah_pekerja"] > 0
    assert Client().get("/api/v1/open/coverage?level=desa").status_code == 422
    assert Client().get("/api/v1/open/coverage?period=24-06").status_code == 400
    definitions = Client().get("/api/v1/indicators")
    assert definitions.status_code == 401
