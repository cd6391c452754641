"""Contribution calculator, rate table, budgets, cost to close the gap and regulations."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema

from monev.api.errors import ApiError, ErrorOut
from monev.budgets import selectors
from monev.budgets.rates import ContributionInputError, contribution_calculate, parse_wage
from monev.budgets.services import BudgetRow, InputRejected, budget_lines_save
from monev.core.scope import scope_for
from monev.regions.codes import parse_period

router = Router(tags=["anggaran"])
ERRORS: dict[int, Any] = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


class BudgetLineIn(Schema):
    pemda: str
    fiscal_year: int
    category: str
    source: str
    amount: int
    planned_headcount: int = 0
    realised_amount: int | None = None
    note: str = ""


class SavedOut(Schema):
    saved: int


@router.get("/contribution", response={200: dict[str, Any], **ERRORS})
def contribution(
    request: HttpRequest,
    segment: str,
    wage: str,
    date: str | None = None,
    risk: str = "very_low",
    programs: str | None = None,
    sector: str = "",
) -> dict[str, Any]:
    """Monthly contribution per programme (integer Rupiah) with the rate rows and legal basis."""
    try:
        result = contribution_calculate(
            segment=segment, wage=parse_wage(wage), day=date, risk=risk,
            programmes=programs, sector=sector,
        )  # fmt: skip
    except ContributionInputError as exc:
        raise ApiError(400, "invalid_input", str(exc)) from None
    return result.as_dict()


@router.get("/rates", response={200: list[dict[str, Any]]})
def rates(request: HttpRequest) -> list[dict[str, Any]]:
    """The contribution-rate table: every dated row with its legal basis and confidence."""
    return selectors.rate_rows()


@router.get("/budgets", response={200: list[dict[str, Any]], **ERRORS})
def budget_list(
    request: HttpRequest, pemda: str | None = None, year: int | None = None
) -> list[dict[str, Any]]:
    lines = selectors.budget_lines(user=request.user, pemda=pemda, year=year)
    return [selectors.budget_line_dict(line) for line in lines]


@router.get("/budgets/overview", response={200: list[dict[str, Any]], **ERRORS})
def budget_overview(
    request: HttpRequest, year: int, kanwil: str | None = None
) -> list[dict[str, Any]]:
    """Every Pemda in scope with its allocation for the year; `budgeted: false` = not budgeted."""
    if not 2015 <= year <= 2100:
        raise ApiError(400, "invalid_year", _("Tahun anggaran tidak wajar."))
    return selectors.budget_overview(
        user=request.user, year=year, kanwil=kanwil.upper() if kanwil else None
    )


@router.post("/budgets", response={200: SavedOut, **ERRORS})
def budget_save(request: HttpRequest, lines: list[BudgetLineIn]) -> SavedOut:
    """Create or replace budget lines; all or none."""
    scope = scope_for(request.user, "change")
    if any(not scope.allows(line.pemda, "change") for line in lines):
        raise ApiError(403, "forbidden", _("Anda tidak berwenang mengubah anggaran Pemda ini."))
    try:
        saved = budget_lines_save(
            rows=[BudgetRow(**line.dict()) for line in lines], by=request.user, source="api"
        )
    except InputRejected as exc:
        raise ApiError(422, "input_rejected", _("Data anggaran ditolak."), exc.errors) from None
    return SavedOut(saved=saved)


def _period(raw: str | None) -> str | None:
    if not raw:
        return None
    try:
        return parse_period(raw)
    except ValueError as exc:
        raise ApiError(400, "invalid_period", str(exc)) from None


@router.get("/budgets/{pemda}/{year}", response={200: dict[str, Any], **ERRORS})
def budget_summary(
    request: HttpRequest, pemda: str, year: int, period: str | None = None
) -> dict[str, Any]:
    """Budget lines, the cost to close the gap and the verdict: not budgeted / short / enough."""
    if not 2015 <= year <= 2100:
        raise ApiError(400, "invalid_year", _("Tahun anggaran tidak wajar."))
    summary = selectors.budget_summary(
        user=request.user, pemda_code=pemda, fiscal_year=year, period=_period(period)
    )
    return summary.as_dict()


@router.get("/regulations", response={200: list[dict[str, Any]], **ERRORS})
def regulation_list(request: HttpRequest, pemda: str | None = None) -> list[dict[str, Any]]:
    return [
        {
            "id": r.pk,
            "pemda": r.pemda.code,
            "kind": r.kind,
            "number": r.number,
            "issued_on": r.issued_on.isoformat(),
            "title": r.title,
            "covers": r.covers,
            "has_document": bool(r.document),
            "document_sha256": r.document_sha256,
        }
        for r in selectors.regulation_list(user=request.user, pemda=pemda)
    ]
