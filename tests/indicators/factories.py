"""Exact facts for arithmetic tests (the random sample is for pages and the benchmark)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone


def run_for(period: str) -> Any:
    from monev.coverage.models import MatchRun, RunState

    run = MatchRun.objects.filter(period=period, is_current=True).first()
    return run or MatchRun.objects.create(
        period=period,
        state=RunState.DONE,
        is_current=True,
        finished_at=timezone.now(),
        results_path=f"coverage/{period}/hasil-uji-{period}.parquet",
    )


def stat(
    pemda: str, period: str, category: str, headcount: int, protected: int, wage: int = 3_000_000
) -> Any:
    """A match result, with its unprotected workers in the run's gap file (as the match
    writes it) at `wage` for wage earners, so the cost to close the gap can be priced."""
    from monev.coverage.models import CoverageStat
    from monev.regions.models import Pemda

    p = Pemda.objects.select_related("kanwil").get(code=pemda)
    run = run_for(period)
    _gap_add(run, pemda, category, headcount - protected, wage)
    return CoverageStat.objects.create(
        run=run,
        period=period,
        pemda_code=pemda,
        province_code=p.province_code,
        kanwil_code=p.kanwil.code if p.kanwil else "",
        category=category,
        headcount=headcount,
        protected=protected,
        coverage=protected / headcount if headcount else 0,
    )


def _gap_add(run: Any, pemda: str, category: str, unprotected: int, wage: int) -> None:
    import polars as pl

    from monev.coverage.services import GAP_SCHEMA

    earner = category in ("NON_ASN", "PERANGKAT_DESA")
    row = {"pemda_code": pemda, "category": category, "funding_source": "APBD_KABKOTA",
           "wage": wage if earner else None, "n": unprotected}  # fmt: skip
    frame = pl.DataFrame([row], schema=GAP_SCHEMA)
    from monev.core import storage

    if storage.exists(run.gap_key):
        frame = pl.concat([storage.read_parquet(run.gap_key), frame])
    storage.write_parquet(frame, run.gap_key)
    run.roster_versions = {**run.roster_versions, pemda: []}
    run.save(update_fields=["roster_versions"])


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
