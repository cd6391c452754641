"""Workforce API: scoped rows, definition with every answer, bad input → 4xx."""

from __future__ import annotations

from typing import Any

from django.test import Client

from tests.conftest import bearer

from .test_coverage import loaded  # noqa: F401  (fixture)


def test_coverage_rows_by_scope(loaded: None, client_for: Any, token_for: Any) -> None:  # noqa: F811
    url = "/api/v1/workforce/coverage?period=2022-08&kanwil=sumbagsel"
    body = Client(**bearer(token_for("national"))).get(url).json()
    assert body["definition"]["code"] == "bps"
    assert {r["region_code"]: r["coverage_percent"] for r in body["rows"]}["17"] == "23.60"
    assert client_for("palembang").get(url).json()["rows"] == []
    regency = client_for("palembang").get(url + "&level=regency").json()["rows"]
    assert [r["region_code"] for r in regency] == ["16.71"]
    assert Client().get(url).status_code == 401


def test_bad_parameters(db: Any, client_for: Any) -> None:
    client = client_for("national")
    base = "/api/v1/workforce/coverage?period="
    assert client.get(base + "2022-8").status_code == 400
    assert client.get(base + "2022-08&definition=xyz").status_code == 404
    assert client.get(base + "2022-08&kanwil=ATLANTIS").status_code == 404
    assert client.get(base + "2022-08&level=district").status_code == 422


def test_definitions(db: Any, client_for: Any) -> None:
    codes = [d["code"] for d in client_for("lahat").get("/api/v1/workforce/definitions").json()]
    assert codes == ["bps", "potensi", "ucj"]
