"""Bulk reads of the facts other apps store, shaped for the indicator engine.

These are this app's reads against the models of rosters, coverage, budgets and
workforce (never writes). Each returns plain dicts keyed by Pemda code, in a handful of
GROUP BY queries whatever the number of Pemda, and is called with the system's full view:
scope is applied to what the engine returns, not here, because a Pemda's rank needs its
peers' values even when the viewer may not see their names.
"""

from __future__ import annotations

import calendar
import datetime as dt
import logging
import time
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import Max, Min, Sum

log = logging.getLogger(__name__)

BPU_CATEGORIES = frozenset({"RT_RW", "RENTAN"})
# Used only when the rate table is empty (a fresh test database): JKK+JKM, domain §0 fact 3.
FALLBACK_BPU_MONTHLY = 16_800
FALLBACK_PU_EMPLOYER_RATE = 0.0054


@dataclass(frozen=True)
class PemdaMeta:
    code: str
    name: str  # the region's short name: "Kab. Lahat", "Sumatera Selatan"
    level: str  # province | regency
    province_code: str
    kanwil_code: str


def pemda_meta() -> dict[str, PemdaMeta]:
    from monev.regions.models import Pemda

    rows = Pemda.objects.filter(active=True).values_list(
        "code", "region__name", "level", "province_code", "kanwil__code"
    )
    return {c: PemdaMeta(c, n, lv, p, k or "") for c, n, lv, p, k in rows}


def kanwil_names() -> dict[str, str]:
    from monev.regions.models import Kanwil

    return dict(Kanwil.objects.values_list("code", "name"))


def period_end(period: str) -> dt.date:
    year, month = int(period[:4]), int(period[5:7])
    return dt.date(year, month, calendar.monthrange(year, month)[1])


# --- coverage results (issue 4) --------------------------------------------------------


def _coverage_model() -> Any:
    from monev.coverage.models import CoverageStat

    return CoverageStat


def coverage_periods() -> list[str]:
    """Periods with current match results or committed rosters, newest first."""
    from monev.rosters.models import RosterVersion

    periods = set(_coverage_model().objects.current().values_list("period", flat=True).distinct())
    periods |= set(RosterVersion.objects.current().values_list("period", flat=True).distinct())
    return sorted(periods, reverse=True)


Counts = dict[str, dict[str, tuple[int, int]]]  # pemda -> category -> (headcount, protected)


def coverage_counts(period: str) -> Counts:
    rows = (
        _coverage_model()
        .objects.current()
        .filter(period=period)
        .values_list("pemda_code", "category", "headcount", "protected")
    )
    out: Counts = defaultdict(dict)
    for pemda, category, headcount, protected in rows:
        out[pemda][category] = (headcount, protected)
    return dict(out)


def coverage_series(codes: frozenset[str] | None) -> dict[str, dict[str, tuple[int, int]]]:
    """period -> category -> (headcount, protected), summed over `codes` (None = all)."""
    rows = _coverage_model().objects.current()
    if codes is not None:
        rows = rows.filter(pemda_code__in=codes)
    grouped = (
        rows.values_list("period", "category")
        .annotate(h=Sum("headcount"), p=Sum("protected"))
        .order_by("period")
    )
    out: dict[str, dict[str, tuple[int, int]]] = defaultdict(dict)
    for period, category, headcount, protected in grouped:
        out[period][category] = (int(headcount or 0), int(protected or 0))
    return dict(out)


def coverage_by_pemda_series(period_from: str, period_to: str) -> dict[str, Counts]:
    """period -> Pemda -> category -> counts, for the findings' comparison periods."""
    rows = (
        _coverage_model()
        .objects.current()
        .filter(period__gte=period_from, period__lte=period_to)
        .values_list("period", "pemda_code", "category", "headcount", "protected")
    )
    out: dict[str, Counts] = defaultdict(lambda: defaultdict(dict))
    for period, pemda, category, headcount, protected in rows:
        out[period][pemda][category] = (headcount, protected)
    return out


# --- rosters (issue 3) -----------------------------------------------------------------


@dataclass(frozen=True)
class RosterFact:
    """The newest list in force for a period: its own period and when it was first sent."""

    period: str
    first_commit: dt.datetime


def roster_in_force(period: str) -> dict[str, RosterFact]:
    """Pemda -> the newest period ≤ `period` with a current roster version, and the first
    commit of any version for that period (a later correction does not make a list late)."""
    from monev.rosters.models import RosterVersion

    latest = dict(
        RosterVersion.objects.current()
        .filter(period__lte=period)
        .values_list("pemda__code")
        .annotate(latest=Max("period"))
        .order_by()
    )
    if not latest:
        return {}
    firsts = (
        RosterVersion.objects.filter(period__lte=period, period__in=set(latest.values()))
        .values_list("pemda__code", "period")
        .annotate(first=Min("created_at"))
        .order_by()
    )
    return {code: RosterFact(own, first) for code, own, first in firsts if latest.get(code) == own}


def months_between(earlier: str, later: str) -> int:
    return (int(later[:4]) - int(earlier[:4])) * 12 + int(later[5:7]) - int(earlier[5:7])


def gap_costs(period: str) -> dict[str, Any]:
    """Pemda -> `budgets.gap.Gap`: the exact cost to close the gap of every Pemda with a
    list, from the period's current match (the one computation the budget pages read)."""
    from monev.budgets.gap import gaps_compute
    from monev.budgets.rates import ContributionInputError

    try:
        return dict(gaps_compute(period=period))
    except ContributionInputError:
        log.warning("rate table incomplete for %s; no cost to close the gap", period)
        return {}


# --- budgets and regulations (issue 5) ----------------------------------------------------


def budgets_by_pemda(year: int) -> dict[str, dict[str, int]]:
    """Pemda -> category -> amount; APBD perubahan replaces APBD murni (as budgets.gap)."""
    from monev.budgets.models import BudgetLine, BudgetSource

    rows = (
        BudgetLine.objects.filter(fiscal_year=year)
        .values_list("pemda__code", "category", "source")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    by: dict[str, dict[str, dict[str, int]]] = defaultdict(lambda: defaultdict(dict))
    for pemda, category, source, total in rows:
        by[pemda][category][source] = int(total)
    out: dict[str, dict[str, int]] = {}
    for pemda, categories in by.items():
        out[pemda] = {}
        for category, sources in categories.items():
            if BudgetSource.APBD_PERUBAHAN in sources:
                sources.pop(BudgetSource.APBD_MURNI, None)
            out[pemda][category] = sum(sources.values())
    return out


@dataclass(frozen=True)
class RegulationFact:
    count: int
    latest_kind: str
    latest_number: str
    latest_date: dt.date


def regulations_by_pemda(until: dt.date) -> dict[str, RegulationFact]:
    from monev.budgets.models import Regulation

    rows = (
        Regulation.objects.filter(issued_on__lte=until)
        .order_by("pemda__code", "-issued_on")
        .values_list("pemda__code", "kind", "number", "issued_on")
    )
    out: dict[str, RegulationFact] = {}
    counts: dict[str, int] = defaultdict(int)
    for pemda, kind, number, issued in rows:
        counts[pemda] += 1
        out.setdefault(pemda, RegulationFact(0, kind, number, issued))
    return {
        p: RegulationFact(counts[p], f.latest_kind, f.latest_number, f.latest_date)
        for p, f in out.items()
    }


def unit_costs(period: str) -> tuple[int, float]:
    """(BPU monthly package, PU employer JKK+JKM rate as a fraction of wage) on the period."""
    from monev.budgets.rates import DEFAULT_RISK, RateTable, contribution_calculate

    day = dt.date(int(period[:4]), int(period[5:7]), 1)
    try:
        table = RateTable.on(day)
        bpu = contribution_calculate(
            segment="BPU", wage=1, day=day, programmes=["JKK", "JKM"], table=table
        )
        probe = 10_000_000
        pu = contribution_calculate(
            segment="PU",
            wage=probe,
            day=day,
            risk=DEFAULT_RISK,
            programmes=["JKK", "JKM"],
            table=table,
        )
        return bpu.total("employer") + bpu.total("worker"), pu.total("employer") / probe
    except Exception:
        log.warning("rate table incomplete for %s; using the fallback package", period)
        return FALLBACK_BPU_MONTHLY, FALLBACK_PU_EMPLOYER_RATE


# --- workforce (issue 5) -------------------------------------------------------------------


def workforce_counts(
    period: str, definition: str = "bps"
) -> tuple[str | None, dict[str, tuple[int, int]]]:
    """(workforce period used, region code -> (active participants, denominator)).

    Uses the latest period with a denominator on or before `period`; Sakernas is
    half-yearly, registry counts monthly. Kab/kota and province rows are kept apart.
    """
    from monev.workforce.models import CoverageDefinition, ParticipantCount, WorkforceFigure

    spec = CoverageDefinition.objects.filter(code=definition).first()
    measure = spec.denominator if spec else "penduduk_bekerja"
    segments = set(spec.numerator_segments or []) if spec else set()
    used = (
        WorkforceFigure.objects.filter(measure=measure, period__lte=period)
        .order_by("-period")
        .values_list("period", flat=True)
        .first()
    )
    if used is None:
        return None, {}
    denominators = dict(
        WorkforceFigure.objects.filter(measure=measure, period=used).values_list(
            "region_code", "value"
        )
    )
    numerators: dict[str, dict[str, int]] = defaultdict(dict)
    for code, segment, active in ParticipantCount.objects.filter(period=used).values_list(
        "region_code", "segment", "active"
    ):
        numerators[code][segment] = active
    out = {}
    for code, denominator in denominators.items():
        parts = numerators.get(code, {})
        chosen = [v for s, v in parts.items() if s and (not segments or s in segments)]
        active = parts[""] if "" in parts and (not segments or not chosen) else sum(chosen)
        if parts:
            out[code] = (int(active), int(denominator))
    return used, out


# --- the version of all facts ----------------------------------------------------------


def _part(table: str, what: str, where: str = "") -> str:
    clause = f" WHERE {where}" if where else ""
    # Only the constant table and column names below are ever interpolated.
    return f"(SELECT CAST({what} AS TEXT) FROM {table}{clause})"  # noqa: S608


_VERSION_PARTS = [
    _part("coverage_matchrun", "COUNT(*)", "is_current"),
    _part("coverage_matchrun", "MAX(id)", "is_current"),
    _part("coverage_matchrun", "MAX(finished_at)", "is_current"),
    _part("rosters_rosterversion", "COUNT(*)", "is_current"),
    _part("rosters_rosterversion", "MAX(id)"),
    _part("budgets_budgetline", "COUNT(*)"),
    _part("budgets_budgetline", "MAX(updated_at)"),
    _part("budgets_regulation", "COUNT(*)"),
    _part("budgets_regulation", "MAX(id)"),
    _part("budgets_contributionrate", "MAX(updated_at)"),
    _part("workforce_workforceimport", "MAX(id)"),
    _part("workforce_workforceimport", "COUNT(*)"),
    _part("indicators_indicator", "MAX(updated_at)"),
    _part("indicators_target", "COUNT(*)"),
    _part("indicators_target", "MAX(updated_at)"),
    _part("indicators_scorescheme", "MAX(updated_at)"),
    _part("indicators_findingrule", "MAX(updated_at)"),
    _part("indicators_boundaryset", "MAX(id)"),
    _part("regions_pemda", "COUNT(*)", "active"),
    # The overdue banner on every dashboard is cached under this version too.
    _part("meetings_actionitem", "COUNT(*)"),
    _part("meetings_actionitem", "MAX(updated_at)"),
]
_VERSION_SQL = "SELECT " + ", ".join(_VERSION_PARTS)


_MEMO: dict[Any, tuple[float, str]] = {}


def facts_version() -> str:
    """The facts version, re-read at most every `MONEV_INDICATORS_VERSION_TTL` seconds
    (default 1) per process, so a busy server asks once a second, not once a request.

    Inside a transaction (a write in progress, every test) it is always read afresh.
    """
    from django.conf import settings

    ttl = float(getattr(settings, "MONEV_INDICATORS_VERSION_TTL", 1.0))
    if ttl <= 0 or connection.in_atomic_block:
        return facts_version_read()
    key = connection.settings_dict.get("NAME")
    now = time.monotonic()
    memo = _MEMO.get(key)
    if memo is None or now - memo[0] > ttl:
        memo = (now, facts_version_read())
        _MEMO[key] = memo
    return memo[1]


def facts_version_read() -> str:
    """A short string that changes whenever any fact an indicator reads changes.

    One query of index-backed COUNT/MAX lookups; the cache key of every computed table, so
    a new import, match, budget line, regulation or target shows on the next request.
    (Deleting a row changes a count; editing one changes `updated_at` or its run/version.)
    """
    with connection.cursor() as cursor:
        cursor.execute(_VERSION_SQL)
        row = cursor.fetchone()
    return "|".join("" if v is None else str(v) for v in row)
