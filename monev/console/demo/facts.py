"""Demo facts beyond rosters and registry: APBD lines, regulations and workforce figures.

So that a newcomer's dashboard shows the differences a monev meeting argues about: some
Pemda have not budgeted, some budgeted too little, some enough; some issued a regulation.
Budgets are sized from each Pemda's own demo roster; the workforce figures are published
Sumbagsel numbers with their sources.
"""

from __future__ import annotations

import datetime as dt
import random

import polars as pl

from monev.budgets.models import BudgetSource, RegulationKind
from monev.budgets.services import BudgetRow, budget_lines_save, regulation_create
from monev.core.scope import SYSTEM
from monev.regions.models import Pemda
from monev.rosters import store
from monev.rosters.models import RosterVersion, WorkerCategory
from monev.workforce.services import participants_import, workforce_import

BPU_PACKAGE = 16_800  # JKK 1% of Rp1,000,000 + JKM Rp6,800 (domain.md §3.3)
PU_EMPLOYER_JKK_JKM_PERMILLE = 54  # 0.24% + 0.30% (very low risk), in tenths of a percent

# BPS Sakernas August (employed 15+) and Kemnaker Satu Data (active participants), Sumbagsel.
# Only 2023 has both: the shares the Palembang meeting quoted in 2022 have no published base,
# so they are reference data kept as reported (workforce.ReportedFigure), never turned into
# participants here (issue 18: that invented a fall from 35% to 20.8%).
EMPLOYED = {
    "2022-08": {"16": 4_290_000, "15": 1_795_000, "17": 1_037_496, "18": 4_380_000, "19": 730_972},
    "2023-08": {"16": 4_400_000, "15": 1_800_000, "17": 1_069_615, "18": 4_690_000, "19": 749_815},
}
ACTIVE = {
    # Dec 2023 active participants, counted against August 2023 employed (nearest survey)
    "2023-08": {"15": 658_038, "16": 915_142, "17": 212_266, "18": 578_889, "19": 216_685},
}
SOURCES = {
    "2022-08": ("BPS Sakernas Agustus 2022", ""),
    "2023-08": (
        "BPS Sakernas Agustus 2023",
        "Kemnaker Satu Data, peserta aktif Desember 2023",
    ),
}


def demo_facts_load(*, pemdas: list[Pemda], fiscal_year: int) -> dict[str, int]:
    """Budgets and regulations for `pemdas`, workforce figures for their provinces."""
    budget_rows = _budget_rows(pemdas, fiscal_year)
    budget_lines_save(rows=budget_rows, by=SYSTEM, source="demo")
    regulations = sum(_regulations(pemda) for pemda in pemdas)
    _workforce({p.province_code for p in pemdas})
    return {"budget_lines": len(budget_rows), "regulations": regulations}


def _yearly_cost(pemda: Pemda) -> dict[str, int]:
    versions = RosterVersion.objects.current().filter(pemda=pemda).select_related("pemda")
    rows = (
        store.versions_rows(versions, ["category", "wage"])
        .group_by("category")
        .agg(pl.len().alias("n"), pl.col("wage").mean())
        .collect()
        .iter_rows(named=True)
    )
    cost: dict[str, int] = {}
    for row in rows:
        if row["category"] in (WorkerCategory.NON_ASN, WorkerCategory.PERANGKAT_DESA):
            monthly = int(row["wage"] or 0) * PU_EMPLOYER_JKK_JKM_PERMILLE // 10_000
        else:
            monthly = BPU_PACKAGE
        cost[row["category"]] = row["n"] * monthly * 12
    return cost


def _budget_rows(pemdas: list[Pemda], year: int) -> list[BudgetRow]:
    rows: list[BudgetRow] = []
    for pemda in pemdas:
        rng = random.Random(f"budget-{pemda.code}")
        scenario = rng.random()
        if scenario < 0.2:
            continue  # not budgeted at all: the first question of the meeting
        for category, cost in _yearly_cost(pemda).items():
            if rng.random() < 0.25:
                continue  # budgeted for some groups only
            factor = rng.uniform(0.4, 0.9) if scenario < 0.6 else rng.uniform(1.0, 1.3)
            source = (
                BudgetSource.APBDES_ADD
                if category == WorkerCategory.PERANGKAT_DESA
                else BudgetSource.APBD_MURNI
            )
            amount = int(cost * factor) // 1000 * 1000
            rows.append(
                BudgetRow(
                    pemda=pemda.code,
                    fiscal_year=year,
                    category=category,
                    source=source,
                    amount=amount,
                    planned_headcount=0,
                    realised_amount=int(amount * rng.uniform(0.3, 0.8)) // 1000 * 1000,
                    note="data demo",
                )
            )
    return rows


def _regulations(pemda: Pemda) -> int:
    rng = random.Random(f"regulation-{pemda.code}")
    if rng.random() > 0.6:
        return 0
    head = "Gubernur" if pemda.level == "province" else "Bupati/Wali Kota"
    covers = sorted(
        rng.sample([c.value for c in WorkerCategory], k=rng.randint(1, len(WorkerCategory)))
    )
    regulation_create(
        pemda=pemda, kind=RegulationKind.PERKADA, number=f"{rng.randint(1, 60)} Tahun 2022",
        issued_on=dt.date(2022, rng.randint(1, 12), rng.randint(1, 28)),
        title=f"Peraturan {head} tentang Perlindungan Jaminan Sosial Ketenagakerjaan",
        covers=covers, document=None, by=SYSTEM,
    )  # fmt: skip
    return 1


def _workforce(provinces: set[str]) -> None:
    employed = ["kode_wilayah,periode,penduduk_bekerja,sumber"]
    active = ["kode_wilayah,periode,peserta_aktif,sumber"]
    for period, figures in EMPLOYED.items():
        for code, value in sorted(figures.items()):
            if code in provinces:
                employed.append(f'{code},{period},{value},"{SOURCES[period][0]}"')
    for period, figures in ACTIVE.items():
        for code, value in sorted(figures.items()):
            if code in provinces:
                active.append(f'{code},{period},{value},"{SOURCES[period][1]}"')
    if len(employed) > 1:
        workforce_import(data=_csv(employed), filename="demo-bekerja.csv", by=SYSTEM)
        participants_import(data=_csv(active), filename="demo-peserta.csv", by=SYSTEM)


def _csv(lines: list[str]) -> bytes:
    return ("\n".join(lines) + "\n").encode("utf-8")
