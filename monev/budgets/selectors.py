"""Reads of the budgets app: rate rows, budget lines, regulations, budget vs cost."""

from __future__ import annotations

from typing import Any

from django.forms.models import model_to_dict

from monev.budgets.models import BudgetLine, ContributionRate, Regulation


def rate_rows() -> list[dict[str, Any]]:
    """The whole rate table (public reference data), ordered for reading."""
    rows = []
    for rate in ContributionRate.objects.all():
        data = model_to_dict(rate)
        data.pop("id", None)
        for name in ("employer_percent", "worker_percent", "government_percent", "percent"):
            data[name] = str(data[name])
        data["valid_from"] = rate.valid_from.isoformat()
        data["valid_to"] = rate.valid_to.isoformat() if rate.valid_to else None
        data["key"] = rate.key
        rows.append(data)
    return rows


def budget_lines(*, user: Any, pemda: str | None = None, year: int | None = None) -> Any:
    lines = BudgetLine.objects.for_user(user).select_related("pemda")
    if pemda:
        lines = lines.filter(pemda__code=pemda)
    if year:
        lines = lines.filter(fiscal_year=year)
    return lines


def regulation_list(*, user: Any, pemda: str | None = None) -> Any:
    rows = Regulation.objects.for_user(user).select_related("pemda")
    return rows.filter(pemda__code=pemda) if pemda else rows
