"""API routes of the budgets app: allowed / other region / anonymous, and bad input → 4xx."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from monev.budgets.models import BudgetLine, Regulation
from monev.budgets.services import BudgetRow, budget_lines_save
from monev.core.scope import SYSTEM
from monev.regions.models import Pemda
from tests.conftest import bearer

from .factories import roster

pytestmark = pytest.mark.usefixtures("rates")


@pytest.fixture
def data(db: Any) -> None:
    roster("16.71", "2024-06", [(20, "RENTAN", None, "DANA_DESA")])
    budget_lines_save(rows=[BudgetRow("16.71", 2024, "RENTAN", "APBD_MURNI", 3_000_000)], by=SYSTEM)
    budget_lines_save(rows=[BudgetRow("16.04", 2024, "RENTAN", "APBD_MURNI", 1)], by=SYSTEM)
    for code in ("16.71", "16.04"):
        Regulation.objects.create(
            pemda=Pemda.objects.get(code=code), kind="PERKADA", number=f"{code}/1",
            issued_on="2023-01-02", title="Perwali", covers=["RENTAN"],
        )  # fmt: skip


def test_contribution_route(token_for: Any) -> None:
    client = Client(**bearer(token_for("lahat")))
    body = client.get(
        "/api/v1/contribution", {"segment": "BPU", "wage": "1000000", "date": "2024-06-01"}
    ).json()
    assert body["totals"]["total"] == 16_800
    for params in (
        {"segment": "PU", "wage": "-1"},
        {"segment": "XX", "wage": "1000000"},
        {"segment": "PU", "wage": "1000000", "date": "2014-01-01"},
    ):
        response = client.get("/api/v1/contribution", params)
        assert response.status_code == 400
        assert response.json()["error"]["code"] == "invalid_input"
    assert client.get("/api/v1/contribution", {"segment": "PU"}).status_code == 422


@pytest.mark.parametrize("path", ["/api/v1/contribution?segment=PU&wage=1", "/api/v1/rates",
                                  "/api/v1/budgets", "/api/v1/budgets/16.71/2024", "/api/v1/regulations",
                                  "/api/v1/workforce/coverage?period=2022-08"])  # fmt: skip
def test_anonymous_is_401(db: Any, path: str) -> None:
    assert Client().get(path).status_code == 401


def test_rates_route(client_for: Any) -> None:
    rows = client_for("palembang").get("/api/v1/rates").json()
    assert any(r["key"] == "pu-jp-cap-2024" and r["amount"] == 10_042_300 for r in rows)


def test_budget_list_is_scoped(data: None, client_for: Any) -> None:
    assert {r["pemda"] for r in client_for("palembang").get("/api/v1/budgets").json()} == {"16.71"}
    assert {r["pemda"] for r in client_for("sumbagsel").get("/api/v1/budgets").json()} == {
        "16.71",
        "16.04",
    }
    assert client_for("lahat").get("/api/v1/budgets?pemda=16.71").json() == []


def test_budget_summary(data: None, client_for: Any) -> None:
    body = client_for("palembang").get("/api/v1/budgets/16.71/2024").json()
    assert body["gap"]["monthly_cost"] == 336_000
    overall = body["comparison"][0]
    assert (overall["status"], overall["short_by"], overall["enough_until"]) == (
        "short",
        1_032_000,
        "2024-08",
    )
    assert client_for("lahat").get("/api/v1/budgets/16.71/2024").status_code == 404
    assert client_for("palembang").get("/api/v1/budgets/16.71/1900").status_code == 400
    assert (
        client_for("palembang").get("/api/v1/budgets/16.71/2024?period=2024-13").status_code == 400
    )


def test_budget_post(data: None, client_for: Any) -> None:
    line = {
        "pemda": "16.71",
        "fiscal_year": 2025,
        "category": "RENTAN",
        "source": "DBHCHT",
        "amount": 5,
    }
    post = lambda user, body: client_for(user).post(  # noqa: E731
        "/api/v1/budgets", json.dumps(body), content_type="application/json"
    )
    assert post("palembang", [line]).json() == {"saved": 1}
    assert post("lahat", [line]).status_code == 403
    assert post("auditor", [line]).status_code == 403
    bad = post("palembang", [{**line, "amount": -1}, {**line, "category": "X"}])
    assert bad.status_code == 422
    assert len(bad.json()["error"]["details"]) == 2
    assert BudgetLine.objects.filter(fiscal_year=2025).count() == 1


def test_regulations_scoped(data: None, client_for: Any) -> None:
    assert [r["pemda"] for r in client_for("palembang").get("/api/v1/regulations").json()] == [
        "16.71"
    ]
    assert client_for("lahat").get("/api/v1/regulations?pemda=16.71").json() == []


def test_budget_overview_lists_unbudgeted_pemda(data: None, client_for: Any) -> None:
    rows = client_for("sumbagsel").get("/api/v1/budgets/overview?year=2024").json()
    by_code = {r["pemda"]: r for r in rows}
    assert by_code["16.71"]["budgeted"] and by_code["16.71"]["total"] == 3_000_000
    assert not by_code["16.72"]["budgeted"]  # Prabumulih: nothing for 2024
    assert len(rows) == 65  # Sumbagsel: 60 kab/kota + 5 provinces
    own = client_for("palembang").get("/api/v1/budgets/overview?year=2024").json()
    assert [r["pemda"] for r in own] == ["16.71"]
    assert (
        client_for("national").get("/api/v1/budgets/overview?year=2024&kanwil=sumbagsel").json()
        == rows
    )
    assert client_for("national").get("/api/v1/budgets/overview?year=1800").status_code == 400
