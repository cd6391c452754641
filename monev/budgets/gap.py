"""The cost to close each Pemda's gap, and its budget against that cost.

Rules (docs/rates.md, "Cost to close the gap"):
- Workers and "unprotected" come from one function, `_unprotected`, for all Pemda at once:
  the period's current match run where it matched the Pemda (the same workers every
  coverage page counts), else every worker of the lists in force for the period.
- Non-ASN and perangkat desa are PU: the PU rates on their monthly wage, JKK at the Pemda's
  risk class. RT/RW and pekerja rentan are BPU: the package at the minimum declared income
  (Rp16,800 in 2024 for JKK + JKM). PU workers without a wage are counted, not costed.
- The cost to a Pemda is the employer share for PU (the worker share is cut from the wage)
  and the whole package for BPU (the Pemda pays it on the worker's behalf). Programmes are
  JKK + JKM by default, the minimum that counts as protected.
- Groups of workers with the same (category, funding source, wage) are costed once and
  multiplied, so a roster of a million rows costs a few hundred calculator calls.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import polars as pl
from django.db.models import Sum

from monev.budgets.models import BudgetLine, BudgetSource
from monev.budgets.rates import DEFAULT_RISK, RateTable, contribution_calculate
from monev.coverage import selectors as coverage
from monev.rosters import store
from monev.rosters.models import WAGE_EARNER_CATEGORIES, RosterVersion
from monev.rosters.selectors import applicable_versions, rows_in_force

DEFAULT_PROGRAMMES = ["JKK", "JKM"]
GROUP_KEYS = ["category", "funding_source", "wage"]
GROUP_SCHEMA = {"category": pl.String, "funding_source": pl.String, "wage": pl.Int64, "n": pl.Int64}
FRAME_SCHEMA = {"pemda_code": pl.String, **GROUP_SCHEMA}
MONTHS = 12


@dataclass
class GapGroup:
    category: str
    funding_source: str
    segment: str
    workers: int = 0
    wage_unknown: int = 0
    monthly_cost: int = 0

    @property
    def yearly_cost(self) -> int:
        return self.monthly_cost * MONTHS


@dataclass
class Gap:
    pemda: str
    period: str
    roster_period: str | None
    protection_source: str
    match_period: str | None = None  # the period of the match run the workers come from
    groups: list[GapGroup] = field(default_factory=list)
    financed_twice: int = 0
    financed_twice_with: dict[str, int] = field(default_factory=dict)

    @property
    def monthly_cost(self) -> int:
        return sum(g.monthly_cost for g in self.groups)

    @property
    def workers(self) -> int:
        return sum(g.workers for g in self.groups)

    def by_category(self) -> dict[str, int]:
        out: dict[str, int] = defaultdict(int)
        for group in self.groups:
            out[group.category] += group.monthly_cost
        return dict(out)

    def as_dict(self) -> dict[str, Any]:
        return {
            "pemda": self.pemda,
            "period": self.period,
            "roster_period": self.roster_period,
            "protection_source": self.protection_source,
            "match_period": self.match_period,
            "unprotected_workers": self.workers,
            "monthly_cost": self.monthly_cost,
            "yearly_cost": self.monthly_cost * MONTHS,
            "groups": [
                {
                    "category": g.category,
                    "funding_source": g.funding_source,
                    "segment": g.segment,
                    "workers": g.workers,
                    "wage_unknown": g.wage_unknown,
                    "monthly_cost": g.monthly_cost,
                    "yearly_cost": g.yearly_cost,
                }
                for g in self.groups
            ],
            "financed_twice": self.financed_twice,
            "financed_twice_with": self.financed_twice_with,
        }


def roster_for(*, pemda_code: str, period: str) -> RosterVersion | None:
    """The current roster version for the period, else the latest one before it."""
    return (
        RosterVersion.objects.current()
        .filter(pemda__code=pemda_code, period__lte=period)
        .order_by("-period", "-number")
        .first()
    )


@dataclass
class _Unprotected:
    frame: pl.DataFrame  # pemda_code, category, funding_source, wage, n
    sources: dict[str, str]  # pemda -> "coverage" | "roster"
    roster_periods: dict[str, str]  # pemda -> period of the (newest) list costed
    match_period: str | None  # the period of the match run read, if any


def _unprotected(period: str, pemda_codes: list[str] | None) -> _Unprotected:
    """Unprotected workers per (Pemda, category, funding source, wage), all Pemda at once.

    The one switch for the protection source: where the period's current match run matched a
    Pemda, its unprotected workers are that run's (the figures every coverage page shows,
    even when a newer list waits for the next match); elsewhere every worker of the lists
    in force counts as unprotected ("roster").
    """
    run = coverage.current_run(period)
    matched: dict[str, list[int]] = {}
    if run is not None and (run.has_gap_groups or run.has_results):
        matched = {c: v if isinstance(v, list) else [v] for c, v in run.roster_versions.items()}
    applicable = applicable_versions(period)
    wanted = set(pemda_codes) if pemda_codes is not None else set(matched) | set(applicable)
    by_pemda = {c: matched.get(c) or applicable.get(c, []) for c in wanted}
    ids = [i for version_ids in by_pemda.values() for i in version_ids]
    versions = list(RosterVersion.objects.filter(pk__in=ids).select_related("pemda"))
    from_run = sorted(c for c in wanted if c in matched)
    roster_only = {c: ids for c, ids in by_pemda.items() if c not in matched}
    parts = [
        rows_in_force(roster_only, ["funding_source", "wage"])
        .group_by("pemda_code", *GROUP_KEYS)
        .agg(pl.len().cast(pl.Int64).alias("n"))
        .collect()
        .select([pl.col(c).cast(t) for c, t in FRAME_SCHEMA.items()])
    ]
    if from_run and run is not None:
        groups = coverage.unprotected_groups(run=run, pemda_codes=from_run)
        parts.append(groups.select([pl.col(c).cast(t) for c, t in FRAME_SCHEMA.items()]))
    frame = pl.concat(parts)
    newest: dict[str, str] = {}
    for version in versions:
        newest[version.pemda.code] = max(newest.get(version.pemda.code, ""), version.period)
    sources = {
        c: ("coverage" if c in matched else "roster") for c in wanted if c in matched or by_pemda[c]
    }
    return _Unprotected(frame, sources, newest, run.period if matched and run is not None else None)


def _group_cost(
    table: RateTable, category: str, wage: int | None, programmes: list[str], risk: str
) -> tuple[str, int | None]:
    if category in WAGE_EARNER_CATEGORIES:
        if not wage or wage <= 0:
            return "PU", None
        result = contribution_calculate(
            segment="PU", wage=wage, day=table.day, risk=risk, programmes=programmes, table=table
        )
        return "PU", result.total("employer")
    result = contribution_calculate(
        segment="BPU", wage=1, day=table.day, programmes=programmes, table=table
    )
    return "BPU", result.total("employer") + result.total("worker")


def period_day(period: str) -> dt.date:
    return dt.date(int(period[:4]), int(period[5:7]), 1)


def gaps_compute(
    *,
    period: str,
    pemda_codes: list[str] | None = None,
    programmes: list[str] | None = None,
    risk: str = DEFAULT_RISK,
) -> dict[str, Gap]:
    """The cost to protect every unprotected worker, for every Pemda with a list (or the
    given ones), in one pass: the one computation the budget pages, the dashboards, the
    findings and the reports all read."""
    found = _unprotected(period, pemda_codes)
    table = RateTable.on(period_day(period))
    wanted = programmes or DEFAULT_PROGRAMMES
    units: dict[tuple[bool, int | None], tuple[str, int | None]] = {}
    gaps = {
        code: Gap(
            pemda=code,
            period=period,
            roster_period=found.roster_periods.get(code),
            protection_source=source,
            match_period=found.match_period if source == "coverage" else None,
        )
        for code, source in found.sources.items()
    }
    groups: dict[tuple[str, str, str], GapGroup] = {}
    ordered = found.frame.sort("pemda_code", *GROUP_KEYS, nulls_last=True)
    for row in ordered.iter_rows(named=True):
        wage_earner = row["category"] in WAGE_EARNER_CATEGORIES
        unit_key = (wage_earner, row["wage"] if wage_earner else None)
        if unit_key not in units:  # one calculator call per distinct wage, not per group
            units[unit_key] = _group_cost(table, row["category"], row["wage"], wanted, risk)
        segment, unit = units[unit_key]
        key = (row["pemda_code"], row["category"], row["funding_source"])
        group = groups.get(key)
        if group is None:
            group = groups[key] = GapGroup(row["category"], row["funding_source"], segment)
            gaps[row["pemda_code"]].groups.append(group)
        group.workers += row["n"]
        if unit is None:
            group.wage_unknown += row["n"]
        else:
            group.monthly_cost += unit * row["n"]
    return gaps


def gap_compute(
    *,
    pemda_code: str,
    period: str,
    programmes: list[str] | None = None,
    risk: str = DEFAULT_RISK,
) -> Gap:
    """Monthly and yearly cost to protect every unprotected worker on the Pemda's lists."""
    gap = gaps_compute(
        period=period, pemda_codes=[pemda_code], programmes=programmes, risk=risk
    ).get(pemda_code)
    if gap is None:
        return Gap(pemda=pemda_code, period=period, roster_period=None, protection_source="none")
    version = roster_for(pemda_code=pemda_code, period=period)
    if version is not None:
        _financed_twice(gap, version)
    return gap


def _financed_twice(gap: Gap, version: RosterVersion) -> None:
    """Workers whose NIK is also on another Pemda's current roster for the same period."""
    others = (
        RosterVersion.objects.current()
        .filter(period=version.period)
        .exclude(pemda=version.pemda)
        .select_related("pemda")
    )
    mine = store.version_rows(version, ["nik_key"])
    pairs = (
        store.versions_rows(others, ["nik_key"])
        .join(mine, on="nik_key", how="semi")
        .select("nik_key", pl.col("pemda_code").alias("pemda"))
        .unique()
        .collect()
    )
    gap.financed_twice = pairs["nik_key"].n_unique()
    per_pemda = pairs.group_by("pemda").agg(pl.col("nik_key").n_unique()).sort("pemda")
    gap.financed_twice_with = dict(per_pemda.iter_rows())


# --- budget against cost ----------------------------------------------------------------


@dataclass
class Comparison:
    pemda: str
    fiscal_year: int
    category: str  # "" = all categories
    budget: int
    monthly_cost: int
    status: str  # not_budgeted | short | enough | no_gap
    short_by: int
    months_covered: int
    enough_until: str | None  # YYYY-MM of the last month the budget pays for

    def as_dict(self) -> dict[str, Any]:
        return self.__dict__.copy()


def budget_by_category(*, pemda_code: str, fiscal_year: int) -> dict[str, int]:
    """Allocation per category; APBD perubahan replaces APBD murni where both exist."""
    lines = (
        BudgetLine.objects.filter(pemda__code=pemda_code, fiscal_year=fiscal_year)
        .values("category", "source")
        .annotate(total=Sum("amount"))
    )
    by_source: dict[str, dict[str, int]] = defaultdict(dict)
    for line in lines:
        by_source[line["category"]][line["source"]] = line["total"]
    out = {}
    for category, sources in by_source.items():
        if BudgetSource.APBD_PERUBAHAN in sources:
            sources.pop(BudgetSource.APBD_MURNI, None)
        out[category] = sum(sources.values())
    return out


def compare(pemda: str, year: int, category: str, budget: int, monthly: int) -> Comparison:
    """Not budgeted / short by Rp X / enough until month M, for one year of 12 months."""
    if monthly <= 0:
        status = "no_gap" if budget == 0 else "enough"
        return Comparison(pemda, year, category, budget, 0, status, 0, MONTHS, f"{year}-12")
    months = min(budget // monthly, MONTHS)
    short_by = max(monthly * MONTHS - budget, 0)
    status = "not_budgeted" if budget == 0 else ("enough" if short_by == 0 else "short")
    until = f"{year}-{months:02d}" if months else None
    return Comparison(pemda, year, category, budget, monthly, status, short_by, months, until)


def budget_compare(*, pemda_code: str, fiscal_year: int, gap: Gap) -> list[Comparison]:
    """Overall (category "") first, then one row per category with a budget or a cost."""
    budgets = budget_by_category(pemda_code=pemda_code, fiscal_year=fiscal_year)
    costs = gap.by_category()
    rows = [compare(pemda_code, fiscal_year, "", sum(budgets.values()), gap.monthly_cost)]
    for category in sorted(set(budgets) | set(costs)):
        budget, cost = budgets.get(category, 0), costs.get(category, 0)
        rows.append(compare(pemda_code, fiscal_year, category, budget, cost))
    if gap.roster_period is None:  # no roster: the cost is unknown, not zero
        for row in rows:
            row.status = "not_budgeted" if row.budget == 0 else "no_roster"
            row.months_covered, row.enough_until = 0, None
    return rows
