"""Small, fixed figures for report tests: coverage per Pemda and category, budgets, rules."""

from __future__ import annotations

import datetime as dt
from typing import Any

from monev.budgets.models import BudgetLine, BudgetSource, Regulation, RegulationKind
from monev.coverage.models import CoverageStat, MatchRun, RunState
from monev.regions.models import Pemda

CATEGORIES = ("NON_ASN", "PERANGKAT_DESA", "RT_RW", "RENTAN")


def headcount_for(code: str, category: str) -> tuple[int, int]:
    """A deterministic (headcount, protected) per Pemda and category."""
    seed = sum(ord(c) for c in code) * (CATEGORIES.index(category) + 3)
    headcount = 200 + seed % 1700
    return headcount, (headcount * (seed % 97)) // 100


def coverage_load(
    period: str, codes: list[str] | None = None, kanwil: str = "SUMBAGSEL"
) -> MatchRun:
    run = MatchRun.objects.create(period=period, state=RunState.DONE, is_current=True)
    pemdas = (
        Pemda.objects.filter(kanwil__code=kanwil)
        if codes is None
        else Pemda.objects.filter(code__in=codes)
    )
    stats = []
    for p in pemdas.select_related("kanwil"):
        for category in CATEGORIES:
            headcount, protected = headcount_for(p.code, category)
            stats.append(
                CoverageStat(
                    run=run,
                    period=period,
                    pemda_code=p.code,
                    province_code=p.province_code,
                    kanwil_code=p.kanwil.code if p.kanwil else "",
                    category=category,
                    headcount=headcount,
                    protected=protected,
                    basic_protected=protected,
                    coverage=protected / headcount,
                )
            )
    CoverageStat.objects.bulk_create(stats)
    return run


def budget_add(code: str, year: int, amount: int, category: str = "NON_ASN") -> BudgetLine:
    return BudgetLine.objects.create(
        pemda=Pemda.objects.get(code=code),
        fiscal_year=year,
        category=category,
        source=BudgetSource.APBD_MURNI,
        amount=amount,
    )


def regulation_add(
    code: str, number: str = "12 Tahun 2022", on: dt.date | None = None
) -> Regulation:
    return Regulation.objects.create(
        pemda=Pemda.objects.get(code=code),
        kind=RegulationKind.PERKADA,
        number=number,
        issued_on=on or dt.date(2022, 3, 1),
        title="Perlindungan jaminan sosial ketenagakerjaan",
    )


def sumbagsel_fixture(period: str = "2022-09") -> dict[str, Any]:
    run = coverage_load(period)
    budget_add("16.71", 2022, 1_500_000_000)
    budget_add("16", 2022, 3_250_000_000)
    regulation_add("16.71")
    return {"run": run}
