"""Exact facts for arithmetic tests (the random sample is for pages and the benchmark)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone


def run_for(period: str) -> Any:
    from monev.coverage.models import MatchRun, RunState

    run = MatchRun.objects.filter(period=period, is_current=True).first()
    return run or MatchRun.objects.create(
        period=period, state=RunState.DONE, is_current=True, finished_at=timezone.now()
    )


def stat(pemda: str, period: str, category: str, headcount: int, protected: int) -> Any:
    from monev.coverage.models import CoverageStat
    from monev.regions.models import Pemda

    p = Pemda.objects.select_related("kanwil").get(code=pemda)
    return CoverageStat.objects.create(
        run=run_for(period),
        period=period,
        pemda_code=pemda,
        province_code=p.province_code,
        kanwil_code=p.kanwil.code if p.kanwil else "",
        category=category,
        headcount=headcount,
        protected=protected,
        coverage=protected / headcount if headcount else 0,
    )


def budget(pemda: str, year: int, category: str, amount: int, source: str = "APBD_MURNI") -> Any:
    from monev.budgets.models import BudgetLine
    from monev.regions.models import Pemda

    return BudgetLine.objects.create(
        pemda=Pemda.objects.get(code=pemda),
        fiscal_year=year,
        category=category,
        source=source,
        amount=amount,
    )


def regulation(pemda: str, issued: dt.date) -> Any:
    from monev.budgets.models import Regulation
    from monev.regions.models import Pemda

    return Regulation.objects.create(
        pemda=Pemda.objects.get(code=pemda),
        kind="PERKADA",
        number="7/2023",
        issued_on=issued,
        title="Perbup jaminan sosial ketenagakerjaan",
    )


def roster(pemda: str, period: str, committed: dt.datetime) -> Any:
    from monev.regions.models import Pemda
    from monev.rosters.models import RosterVersion

    version = RosterVersion.objects.create(
        pemda=Pemda.objects.get(code=pemda), period=period, number=1, is_current=True
    )
    RosterVersion.objects.filter(pk=version.pk).update(created_at=committed)
    return version
