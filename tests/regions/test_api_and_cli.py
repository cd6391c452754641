"""Region API and `monev regions`: scoped answers, clear 4xx on bad input."""

from __future__ import annotations

import json
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from tests.conftest import bearer

pytestmark = pytest.mark.django_db


def test_sumbagsel_officer_sees_exactly_its_65_pemda(token_for: Any) -> None:
    response = Client().get("/api/v1/pemda", **bearer(token_for("sumbagsel")))
    assert response.status_code == 200
    codes = {row["code"] for row in response.json()}
    assert len(codes) == 65
    assert {"15", "16", "17", "18", "19", "16.71", "16.04"} <= codes
    assert "32.73" not in codes


def test_sumbagsel_officer_page_lists_only_its_kanwil(client_for: Any) -> None:
    page = client_for("sumbagsel").get("/").content.decode()
    assert "Kanwil Sumatera Bagian Selatan" in page
    assert "Kanwil Jawa Barat" not in page


def test_palembang_operator_browses_province_but_sees_only_itself(client_for: Any) -> None:
    page = client_for("palembang").get("/wilayah/16/").content.decode()
    assert "Kota Palembang" in page
    assert "Kab. Lahat" not in page


@pytest.mark.parametrize(
    ("path", "status", "code"),
    [
        ("/api/v1/regions/16.7x", 400, "invalid_code"),
        ("/api/v1/regions/99.99", 404, "not_found"),
        ("/api/v1/regions?kanwil=NOWHERE", 404, "unknown_kanwil"),
        ("/api/v1/regions?level=planet", 422, "invalid_input"),
        ("/api/v1/pemda?province=abc", 400, "invalid_code"),
    ],
)
def test_bad_input_gets_clear_4xx(token_for: Any, path: str, status: int, code: str) -> None:
    response = Client().get(path, **bearer(token_for("national")))
    assert response.status_code == status
    body = response.json()["error"]
    assert body["code"] == code
    assert body["message"]


@pytest.mark.parametrize(
    "header", ["Bearer nonsense", "Bearer mnv_" + "x" * 40, "Token abc", "Bearer " + "a" * 5000]
)
def test_malformed_or_unknown_token_is_401(header: str) -> None:
    response = Client().get("/api/v1/regions", HTTP_AUTHORIZATION=header)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthenticated"


def test_error_message_in_english_when_asked(token_for: Any) -> None:
    response = Client().get(
        "/api/v1/regions/99.99", HTTP_ACCEPT_LANGUAGE="en", **bearer(token_for("national"))
    )
    assert response.json()["error"]["message"] == "Data not found."


def test_openapi_document_is_served() -> None:
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert "/api/v1/regions" in response.json()["paths"]


def test_cli_lists_38_provinces_as_json() -> None:
    out = StringIO()
    call_command("regions", "--level", "province", "--format", "json", stdout=out)
    rows = json.loads(out.getvalue())
    assert len(rows) == 38
    assert {"code": "16", "name": "Sumatera Selatan"}.items() <= rows[
        [r["code"] for r in rows].index("16")
    ].items()


def test_cli_regencies_of_a_kanwil_as_csv() -> None:
    out = StringIO()
    call_command(
        "regions", "--level", "regency", "--kanwil", "sumbagsel", "--format", "csv", stdout=out
    )
    lines = out.getvalue().strip().splitlines()
    assert lines[0] == "code,name,level,kind,parent,valid_to"
    assert len(lines) == 61


def test_cli_unknown_kanwil_is_usage_error() -> None:
    with pytest.raises(CommandError) as error:
        call_command("regions", "--kanwil", "NOWHERE")
    assert error.value.returncode == 2


def test_cli_bad_province_code_is_usage_error() -> None:
    with pytest.raises(CommandError) as error:
        call_command("regions", "--level", "regency", "--province", "1x")
    assert error.value.returncode == 2
