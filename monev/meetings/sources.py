"""Findings from the data, as of a period: what a meeting starts from.

When the indicators app (issue 6) provides its findings selector, findings come from it;
until then (or when it answers nothing) a small built-in set of rules reads the budget,
regulation and coverage tables directly. Either way a finding is a plain dict:
{"pemda_code", "code", "severity", "text", "data"} so a meeting can snapshot it as JSON.
"""

from __future__ import annotations

import calendar
import datetime as dt
import importlib
from collections.abc import Iterable
from typing import Any

from django.db import connection
from django.utils.translation import gettext as _

from monev.core.scope import SYSTEM
from monev.regions.models import Pemda

COVERAGE_RED = 0.25
COVERAGE_AMBER = 0.5


def findings_for(*, pemda_codes: Iterable[str], period: str) -> list[dict[str, Any]]:
    codes = sorted(set(pemda_codes))
    found = _from_indicators(codes, period)
    if found is None:
        found = _builtin(codes, period)
    return sorted(found, key=lambda f: (f["pemda_code"], _rank(f["severity"]), f["code"]))


def _rank(severity: str) -> int:
    return {"red": 0, "amber": 1}.get(severity, 2)


def _from_indicators(codes: list[str], period: str) -> list[dict[str, Any]] | None:
    """Findings of the indicators app (issue 6) for `codes`, or None when it is absent."""
    try:
        ind = importlib.import_module("monev.indicators.selectors")
    except ImportError:
        return None
    table = ind.table(period)
    earlier = [p for p in ind.periods() if p < period]
    before = ind.table(earlier[0]) if earlier else None
    place = ind.Place("meeting", ",".join(codes), "", frozenset(codes))
    found = ind.findings(user=SYSTEM, place=place, t=table, before=before)
    return [_from_finding(f) for f in found]


_SEVERITY = {1: "red", 2: "amber", 3: "info"}


def _from_finding(f: Any) -> dict[str, Any]:
    return {
        "pemda_code": f.pemda_code,
        "code": f.rule,
        "severity": _SEVERITY.get(f.severity, "amber"),
        "text": f.text,
        "data": {"link": f.href, "weight": f.weight},
    }


def _has_table(name: str) -> bool:
    return name in connection.introspection.table_names()


def _builtin(codes: list[str], period: str) -> list[dict[str, Any]]:
    names = dict(Pemda.objects.filter(code__in=codes).values_list("code", "name"))
    year = int(period[:4])
    found = _budget_findings(codes, names, year) + _regulation_findings(codes, names, period)
    return found + _coverage_findings(codes, names, period)


def _budget_findings(codes: list[str], names: dict[str, str], year: int) -> list[dict[str, Any]]:
    from monev.budgets.models import BudgetLine

    funded = set(
        BudgetLine.objects.filter(pemda__code__in=codes, fiscal_year=year, amount__gt=0)
        .values_list("pemda__code", flat=True)
        .distinct()
    )
    text = _("%(pemda)s belum menganggarkan APBD %(year)s untuk jaminan sosial ketenagakerjaan.")
    return [
        _finding(code, "budget_missing", "red", text % {"pemda": names[code], "year": year})
        | {"data": {"fiscal_year": year, "link": f"/anggaran/?pemda={code}&tahun={year}"}}
        for code in codes
        if code not in funded and code in names
    ]


def _regulation_findings(
    codes: list[str], names: dict[str, str], period: str
) -> list[dict[str, Any]]:
    from monev.budgets.models import Regulation
    from monev.regions.codes import parse_period

    start = dt.date.fromisoformat(parse_period(period) + "-01")
    issued = set(
        Regulation.objects.filter(pemda__code__in=codes, issued_on__lte=_month_end(start))
        .values_list("pemda__code", flat=True)
        .distinct()
    )
    text = _("%(pemda)s belum menerbitkan regulasi pelaksanaan Inpres 2/2021.")
    return [
        _finding(code, "regulation_missing", "amber", text % {"pemda": names[code]})
        for code in codes
        if code not in issued and code in names
    ]


def _month_end(day: dt.date) -> dt.date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def _coverage_findings(
    codes: list[str], names: dict[str, str], period: str
) -> list[dict[str, Any]]:
    if not _has_table("coverage_coveragestat"):
        return []
    from django.apps import apps

    stat = apps.get_model("coverage", "CoverageStat")
    rows = stat.objects.filter(pemda_code__in=codes, period=period, run__is_current=True)
    text = _("Cakupan %(category)s %(pemda)s baru %(pct)s%% (%(protected)s dari %(headcount)s).")
    found = []
    for row in rows.values("pemda_code", "category", "coverage", "protected", "headcount"):
        if row["headcount"] == 0 or row["coverage"] >= COVERAGE_AMBER:
            continue
        severity = "red" if row["coverage"] < COVERAGE_RED else "amber"
        label = _category_label(row["category"])
        message = text % {
            "category": label,
            "pemda": names.get(row["pemda_code"], row["pemda_code"]),
            "pct": f"{100 * row['coverage']:.1f}".replace(".", ","),
            "protected": f"{row['protected']:,}".replace(",", "."),
            "headcount": f"{row['headcount']:,}".replace(",", "."),
        }
        data = {"category": row["category"], "coverage": row["coverage"], "period": period}
        found.append(
            _finding(row["pemda_code"], f"coverage_low:{row['category']}", severity, message)
            | {"data": data}
        )
    return found


def _category_label(category: str) -> str:
    from monev.rosters.models import WorkerCategory

    try:
        return str(WorkerCategory(category).label)
    except ValueError:
        return category


def _finding(pemda_code: str, code: str, severity: str, text: str) -> dict[str, Any]:
    return {"pemda_code": pemda_code, "code": code, "severity": severity, "text": text, "data": {}}
