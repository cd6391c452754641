"""Scope-matrix registrations for the budgets pages and API (tests/scope/registry.py)."""

from __future__ import annotations

from typing import Any

from monev.budgets.services import BudgetRow, budget_lines_save, rates_seed_load, regulation_create
from monev.core.scope import SYSTEM
from monev.regions.models import Pemda
from tests.scope.registry import RouteCase, exempt, register

WRITERS = frozenset({"national", "sumbagsel", "palembang"})
PDF = b"%PDF-1.4\n%%EOF\n"


def with_budget(pemda: str) -> dict[str, Any]:
    rates_seed_load(by=SYSTEM)
    budget_lines_save(rows=[BudgetRow(pemda, 2024, "RENTAN", "APBD_MURNI", 201_600)], by=SYSTEM)
    return {}


def with_regulation(pemda: str) -> dict[str, Any]:
    regulation = regulation_create(
        pemda=Pemda.objects.get(code=pemda), kind="PERKADA", number=f"REG-{pemda}",
        issued_on=__import__("datetime").date(2023, 1, 2), title="Perkada Jamsostek",
        covers=["RENTAN"], document=PDF, by=SYSTEM,
    )  # fmt: skip
    return {"regulation": regulation.pk}


def with_rates(pemda: str) -> dict[str, Any]:
    rates_seed_load(by=SYSTEM)
    return {}


register(
    RouteCase("budgets:budget_index", "/anggaran/?tahun=2024", setup=with_budget,
              marker=lambda p: f"<code>{p}</code>"),
    RouteCase("budgets:budget_detail", "/anggaran/pemda/{pemda}/2024/", setup=with_budget),
    RouteCase("budgets:budget_line_add", "/anggaran/pemda/{pemda}/2024/baris/", method="POST",
              data={"category": "RENTAN", "source": "DBHCHT", "amount": "5", "planned_headcount": "1"},
              allowed=WRITERS, ok_status=(302,)),
    RouteCase("budgets:contribution", "/anggaran/iuran/?segment=BPU&wage=1000000&risk=very_low",
              level="none", setup=with_rates),
    RouteCase("budgets:rate_list", "/anggaran/tarif/", level="none", setup=with_rates),
    RouteCase("budgets:rate_edit", "/anggaran/tarif/pu-jkm-2015/", level="none", setup=with_rates,
              allowed=frozenset({"national"})),
    RouteCase("budgets:rate_add", "/anggaran/tarif/baru/", level="none",
              allowed=frozenset({"national"})),
    RouteCase("budgets:regulation_list", "/anggaran/regulasi/", setup=with_regulation,
              marker=lambda p: f"REG-{p}"),
    RouteCase("budgets:regulation_add", "/anggaran/pemda/{pemda}/regulasi/baru/", allowed=WRITERS),
    RouteCase("budgets:regulation_document", "/anggaran/regulasi/{regulation}/dokumen/",
              setup=with_regulation),
    RouteCase("GET /api/v1/budgets", "/api/v1/budgets", api=True, setup=with_budget,
              marker=lambda p: f'"pemda": "{p}"'),
    RouteCase("GET /api/v1/budgets/overview", "/api/v1/budgets/overview?year=2024", api=True,
              marker=lambda p: f'"pemda": "{p}"'),
    RouteCase("GET /api/v1/budgets/{pemda}/{year}", "/api/v1/budgets/{pemda}/2024", api=True,
              setup=with_budget),
    RouteCase("GET /api/v1/regulations", "/api/v1/regulations", api=True, setup=with_regulation,
              marker=lambda p: f"REG-{p}"),
    RouteCase("GET /api/v1/contribution", "/api/v1/contribution?segment=BPU&wage=1000000",
              api=True, level="none", setup=with_rates),
    RouteCase("GET /api/v1/rates", "/api/v1/rates", api=True, level="none", setup=with_rates),
)  # fmt: skip
exempt(
    "budgets:budget_import",
    "the Pemda is in each file row; row scope: tests/budgets/test_pages.py::test_budget_upload_page",
)
exempt(
    "POST /api/v1/budgets",
    "JSON body names the Pemda; scope: tests/budgets/test_api.py::test_budget_post",
)
