"""Synthetic aggregate facts for tests, the benchmark and screenshots (never production).

Writes what the other apps' imports and match would have stored — match runs with
coverage aggregates, roster versions (for timeliness), budget lines, regulations and
workforce figures — straight through their models in bulk, so 552 Pemda × 24 periods
take seconds instead of generating and matching millions of NIK rows. Seeded: the same
arguments give the same data. Kab. Lahat (16.04) has not budgeted for non-ASN, so the
findings have something to say about it.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import transaction
from django.utils import timezone

CATEGORIES = ("NON_ASN", "PERANGKAT_DESA", "RT_RW", "RENTAN")


def periods_until(last: str, count: int) -> list[str]:
    year, month = int(last[:4]), int(last[5:])
    out: list[str] = []
    for _ in range(count):
        out.insert(0, f"{year:04d}-{month:02d}")
        month -= 1
        if month == 0:
            year, month = year - 1, 12
    return out


@contextmanager
def _explicit_created_at(model: Any) -> Iterator[None]:
    field = model._meta.get_field("created_at")
    field.auto_now_add = False
    try:
        yield
    finally:
        field.auto_now_add = True


WAGE_EARNERS = ("NON_ASN", "PERANGKAT_DESA")


def _gap_groups(pemda: Any, category: str, unprotected: int) -> list[dict[str, Any]]:
    """The unprotected workers as the match would group them for the cost to close the gap:
    wage earners at two wages (so the cost is the calculator's), the others without one."""
    funding = "APBD_PROV" if pemda.level == "province" else "APBD_KABKOTA"
    if category not in WAGE_EARNERS:
        return [_gap(pemda.code, category, funding, None, unprotected)]
    lower = unprotected // 2
    return [
        _gap(pemda.code, category, funding, 2_500_000, lower),
        _gap(pemda.code, category, funding, 3_500_000, unprotected - lower),
    ]


def _gap(code: str, category: str, funding: str, wage: int | None, n: int) -> dict[str, Any]:
    return {"pemda_code": code, "category": category, "funding_source": funding, "wage": wage,
            "n": n}  # fmt: skip


def _gap_write(run: Any, rows: list[dict[str, Any]]) -> None:
    import polars as pl

    from monev.core import storage
    from monev.coverage.services import GAP_SCHEMA

    frame = pl.DataFrame([r for r in rows if r["n"] > 0], schema=GAP_SCHEMA)
    storage.write_parquet(frame, run.gap_key)


def _headcounts(level: str, kind: str, rng: random.Random) -> dict[str, int]:
    if level == "province":
        return {"NON_ASN": rng.randint(800, 6000)}
    out = {
        "NON_ASN": rng.randint(400, 5000),
        "RT_RW": rng.randint(300, 4000),
        "RENTAN": rng.randint(500, 9000),
    }
    if kind != "kota":
        out["PERANGKAT_DESA"] = rng.randint(600, 4000)
    return out


@transaction.atomic
def sample_generate(
    *, pemda_codes: list[str] | None = None, last: str = "2024-06", count: int = 6, seed: int = 7
) -> dict[str, int]:
    from monev.budgets.models import BudgetLine, Regulation
    from monev.coverage.models import CoverageStat, MatchRun, RunState
    from monev.regions.models import Pemda
    from monev.rosters.models import RosterVersion
    from monev.workforce.models import ParticipantCount, WorkforceFigure, WorkforceImport

    rng = random.Random(seed)
    pemdas = list(Pemda.objects.filter(active=True).select_related("region", "kanwil"))
    if pemda_codes is not None:
        pemdas = [p for p in pemdas if p.code in set(pemda_codes)]
    periods = periods_until(last, count)
    base = {
        p.code: (
            _headcounts(p.level, p.region.kind, rng),
            rng.uniform(0.1, 0.6),
            rng.uniform(0.002, 0.02),
        )
        for p in pemdas
    }
    stats, versions = [], []
    for index, period in enumerate(periods):
        run = MatchRun.objects.create(
            period=period, state=RunState.DONE, is_current=True, finished_at=timezone.now()
        )
        run.results_path = f"coverage/{period}/hasil-{run.pk}.parquet"
        run.roster_versions = {p.code: [] for p in pemdas}
        MatchRun.objects.filter(pk=run.pk).update(
            results_path=run.results_path, roster_versions=run.roster_versions
        )
        gaps: list[dict[str, Any]] = []
        end = dt.date(int(period[:4]), int(period[5:]), 28)
        for p in pemdas:
            heads, start, slope = base[p.code]
            for category, headcount in heads.items():
                share = min(0.98, start + slope * index + rng.uniform(-0.03, 0.03))
                if p.code == "16.04" and category == "PERANGKAT_DESA" and index == len(periods) - 1:
                    share = max(share - 0.12, 0.0)  # a visible drop for the findings
                protected = int(headcount * share)
                gaps += _gap_groups(p, category, headcount - protected)
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
                        not_found=headcount - protected,
                        coverage=protected / headcount,
                    )
                )
            late = rng.random() < 0.15
            missing = rng.random() < 0.05 and p.code not in ("16.71", "16.04")
            if not missing:
                day = end + dt.timedelta(days=rng.randint(14, 40) if late else rng.randint(3, 12))
                versions.append(
                    RosterVersion(
                        pemda=p,
                        period=period,
                        number=1,
                        categories=list(heads),
                        is_current=True,
                        rows_total=sum(heads.values()),
                        rows_accepted=sum(heads.values()),
                        created_at=dt.datetime.combine(day, dt.time(9), tzinfo=dt.UTC),
                    )
                )
        _gap_write(run, gaps)
    CoverageStat.objects.bulk_create(stats, batch_size=2000)
    with _explicit_created_at(RosterVersion):
        RosterVersion.objects.bulk_create(versions, batch_size=2000)
    years = sorted({int(p[:4]) for p in periods})
    lines, regulations = [], []
    for p in pemdas:
        heads = base[p.code][0]
        for year in years:
            for category, headcount in heads.items():
                skip = rng.random() < 0.25
                if (category == "NON_ASN") if p.code == "16.04" else skip:
                    continue
                monthly = 16_800 if category in ("RT_RW", "RENTAN") else 15_000
                amount = int(headcount * monthly * 12 * rng.uniform(0.1, 0.9)) // 1000 * 1000
                lines.append(
                    BudgetLine(
                        pemda=p,
                        fiscal_year=year,
                        category=category,
                        source="APBD_MURNI",
                        amount=amount,
                        planned_headcount=int(headcount * 0.5),
                    )
                )
        if rng.random() < 0.6 and p.code != "16.04":
            regulations.append(
                Regulation(
                    pemda=p,
                    kind=rng.choice(["PERKADA", "PERDA", "SE"]),
                    number=f"{rng.randint(1, 60)}/2023",
                    issued_on=dt.date(2023, rng.randint(1, 12), 1),
                    title="Pelaksanaan jaminan sosial ketenagakerjaan",
                    covers=list(heads),
                )
            )
    BudgetLine.objects.bulk_create(lines, batch_size=2000)
    Regulation.objects.bulk_create(regulations, batch_size=2000)
    _workforce(pemdas, periods, rng, WorkforceImport, WorkforceFigure, ParticipantCount)
    return {
        "pemda": len(pemdas),
        "periods": len(periods),
        "coverage_rows": len(stats),
        "rosters": len(versions),
        "budget_lines": len(lines),
        "regulations": len(regulations),
    }


def _workforce(
    pemdas: list[Any],
    periods: list[str],
    rng: random.Random,
    batch_model: Any,
    figure_model: Any,
    count_model: Any,
) -> None:
    batch = batch_model.objects.create(kind="workforce", filename="sample", sha256="0" * 64)
    wf_periods = [p for p in periods if p[5:] in ("02", "08")] or periods[:1]
    figures, counts = [], []
    for period in wf_periods:
        for p in pemdas:
            employed = rng.randint(80_000, 700_000) * (8 if p.level == "province" else 1)
            active = int(employed * rng.uniform(0.15, 0.55))
            common = {
                "region_code": p.code,
                "level": p.level,
                "province_code": p.province_code,
                "pemda_code": p.code,
                "period": period,
                "source": "sampel",
                "batch": batch,
            }
            figures.append(figure_model(measure="penduduk_bekerja", value=employed, **common))
            counts.append(count_model(segment="", active=active, **common))
    figure_model.objects.bulk_create(figures, batch_size=2000)
    count_model.objects.bulk_create(counts, batch_size=2000)
