"""Indicator values, composite scores and ranks for every Pemda in a period.

Computed on read from the facts (facts.py) in a few GROUP BY queries, then kept in a
small in-process cache keyed on `facts.facts_version()`: the first request after an
import, a match or an edited target recomputes (tens of milliseconds at national scale),
every other request reuses the table. There is no nightly rebuild and no stored value
that can go stale. Region figures are sums of numerators over sums of denominators,
never averages of percentages.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import OrderedDict, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, TypeVar

from django.db import connection

from monev.indicators import facts
from monev.indicators.facts import PemdaMeta

T = TypeVar("T")
_LOCK = threading.Lock()


class _Lru:
    """Values by key, the least recently used evicted once their total weight passes
    `limit` (weight 1 each for tables; characters for rendered pages)."""

    def __init__(self, limit: int, weigh: Callable[[Any], int]) -> None:
        self.limit, self.weigh = limit, weigh
        self.items: OrderedDict[tuple[Any, ...], Any] = OrderedDict()
        self.weight = 0

    def get(self, key: tuple[Any, ...], build: Callable[[], T]) -> T:
        full = (connection.settings_dict.get("NAME"), *key)  # one cache, several databases
        with _LOCK:
            if full in self.items:
                self.items.move_to_end(full)
                value: T = self.items[full]
                return value
        value = build()
        with _LOCK:
            if full not in self.items:
                self.items[full] = value
                self.weight += self.weigh(value)
            while self.weight > self.limit and self.items:
                self.weight -= self.weigh(self.items.popitem(last=False)[1])
        return value

    def clear(self) -> None:
        with _LOCK:
            self.items.clear()
            self.weight = 0


_TABLES = _Lru(256, lambda value: 1)
# Whole rendered pages are kept apart (a flood of pages cannot evict the tables they are
# made from) and bounded by their size: 32 M characters per process.
_PAGES = _Lru(32 * 1024 * 1024, len)


def cached(key: tuple[Any, ...], build: Callable[[], T]) -> T:
    """Memoise `build()` under `key` + the database, evicting the oldest entries."""
    return _TABLES.get(key, build)


def cached_page(key: tuple[Any, ...], build: Callable[[], str]) -> str:
    """Like `cached`, for whole rendered pages."""
    return _PAGES.get(key, build)


def cache_clear() -> None:
    _TABLES.clear()
    _PAGES.clear()


@dataclass(frozen=True)
class Spec:
    """An indicator definition, detached from the ORM so it can be cached and shared."""

    code: str
    name_id: str
    name_en: str
    short_id: str
    kind: str
    params: dict[str, Any]
    numerator: str
    denominator: str
    definition_id: str
    definition_en: str
    source: str
    unit: str
    direction: str
    green_at: float
    amber_at: float
    headline: bool

    def status(self, value: float | None) -> str:
        if value is None:
            return "none"
        if self.direction == "down":
            return (
                "green" if value <= self.green_at else "amber" if value <= self.amber_at else "red"
            )
        return "green" if value >= self.green_at else "amber" if value >= self.amber_at else "red"

    @property
    def value_definition(self) -> str:
        """What the values are measured against: `roster`, or a workforce definition code."""
        if self.kind == "roster_coverage":
            return "roster"
        if self.kind == "workforce_coverage":
            return str(self.params.get("definition", "bps"))
        return ""

    @property
    def name(self) -> str:
        from django.utils.translation import get_language

        return self.name_en if (get_language() or "id").startswith("en") else self.name_id

    @property
    def definition(self) -> str:
        from django.utils.translation import get_language

        english = (get_language() or "id").startswith("en") and self.definition_en
        return self.definition_en if english else self.definition_id


@dataclass(frozen=True)
class Scheme:
    code: str
    name: str
    weights: dict[str, float]
    green_at: float
    amber_at: float
    basis: str

    def status(self, score: float | None) -> str:
        if score is None:
            return "none"
        return "green" if score >= self.green_at else "amber" if score >= self.amber_at else "red"


@dataclass(frozen=True)
class TargetSpec:
    indicator: str
    region_code: str
    year: int | None
    value: float
    kind: str
    document: str
    document_date: dt.date | None
    note: str
    definition: str = ""
    applies_from: int | None = None


@dataclass
class Cell:
    num: float
    den: float

    @property
    def value(self) -> float | None:
        return None if not self.den else self.num * 100.0 / self.den


@dataclass
class Component:
    code: str
    weight: float
    value: float | None  # capped at 100
    points: float  # weight × value / Σ weights


@dataclass
class PemdaRow:
    meta: PemdaMeta
    cells: dict[str, Cell | None]
    score: float | None = None
    components: list[Component] = field(default_factory=list)
    ranks: dict[str, tuple[int, int]] = field(default_factory=dict)
    detail: dict[str, Any] = field(default_factory=dict)

    def value(self, code: str) -> float | None:
        cell = self.cells.get(code)
        return None if cell is None else cell.value


@dataclass
class PeriodTable:
    period: str
    version: str
    specs: list[Spec]
    scheme: Scheme
    rows: dict[str, PemdaRow]
    workforce_period: str | None
    unit_costs: tuple[int, float]

    def spec(self, code: str) -> Spec:
        for spec in self.specs:
            if spec.code == code:
                return spec
        raise KeyError(code)

    def aggregate(self, codes: Iterable[str]) -> dict[str, Cell | None]:
        """Σ numerators / Σ denominators over Pemda `codes`, per indicator."""
        chosen = [self.rows[c] for c in codes if c in self.rows]
        out: dict[str, Cell | None] = {}
        for spec in self.specs:
            if spec.kind == "workforce_coverage":
                out[spec.code] = _workforce_total(chosen, spec.code, self.rows)
                continue
            cells = [r.cells.get(spec.code) for r in chosen]
            present = [c for c in cells if c is not None]
            out[spec.code] = (
                Cell(sum(c.num for c in present), sum(c.den for c in present)) if present else None
            )
        return out

    def mean_score(self, codes: Iterable[str]) -> float | None:
        """The mean over Pemda that have a score; None when none has (absent is not 0)."""
        scores = [self.rows[c].score for c in codes if c in self.rows]
        present = [s for s in scores if s is not None]
        return sum(present) / len(present) if present else None

    def score_count(self, codes: Iterable[str]) -> int:
        return sum(1 for c in codes if c in self.rows and self.rows[c].score is not None)


def _workforce_total(chosen: list[PemdaRow], code: str, rows: dict[str, PemdaRow]) -> Cell | None:
    """Workforce figures exist per province and per kab/kota: never add both levels."""
    if len(chosen) == 1:
        return chosen[0].cells.get(code)
    provinces = {r.meta.province_code for r in chosen}
    total, found = Cell(0, 0), False
    for province in provinces:
        own = rows.get(province)
        cell = own.cells.get(code) if own is not None else None
        if cell is None:
            parts = [
                r.cells.get(code)
                for r in chosen
                if r.meta.province_code == province and r.meta.level == "regency"
            ]
            present = [c for c in parts if c is not None]
            if present:
                cell = Cell(sum(c.num for c in present), sum(c.den for c in present))
        if cell is not None:
            total.num += cell.num
            total.den += cell.den
            found = True
    return total if found else None


# --- definitions ------------------------------------------------------------------


def load_specs() -> tuple[list[Spec], Scheme, list[TargetSpec]]:
    from monev.indicators.models import Indicator, ScoreScheme, Target

    specs = [
        Spec(
            i.code,
            i.name_id,
            i.name_en,
            i.short_id,
            i.kind,
            dict(i.params or {}),
            i.numerator,
            i.denominator,
            i.definition_id,
            i.definition_en,
            i.source,
            i.unit,
            i.direction,
            float(i.green_at),
            float(i.amber_at),
            i.headline,
        )
        for i in Indicator.objects.filter(active=True)
    ]
    row = ScoreScheme.objects.filter(is_default=True).first() or ScoreScheme.objects.first()
    scheme = (
        Scheme(
            row.code,
            row.name,
            {k: float(v) for k, v in (row.weights or {}).items()},
            float(row.green_at),
            float(row.amber_at),
            row.basis,
        )
        if row
        else Scheme("none", "-", {}, 70.0, 45.0, "")
    )
    targets = [
        TargetSpec(
            t.indicator.code,
            t.region_code,
            t.year,
            float(t.value),
            t.kind,
            t.document,
            t.document_date,
            t.note,
            t.definition,
            t.applies_from,
        )
        for t in Target.objects.select_related("indicator")
    ]
    return specs, scheme, targets


def definitions() -> tuple[list[Spec], Scheme, list[TargetSpec]]:
    return cached(("defs", facts.facts_version()), load_specs)


# --- the table ----------------------------------------------------------------------


def period_table(period: str, version: str | None = None) -> PeriodTable:
    version = version or facts.facts_version()
    return cached(("table", version, period), lambda: compute(period, version))


def compute(period: str, version: str = "") -> PeriodTable:
    specs, scheme, _targets = load_specs()
    meta = facts.pemda_meta()
    cov = facts.coverage_counts(period)
    year = int(period[:4])
    budgets = facts.budgets_by_pemda(year)
    regs = facts.regulations_by_pemda(facts.period_end(period))
    in_force = facts.roster_in_force(period)
    wf_specs = [s for s in specs if s.kind == "workforce_coverage"]
    wf_period, wf = (
        facts.workforce_counts(period, wf_specs[0].params.get("definition", "bps"))
        if wf_specs
        else (None, {})
    )
    gaps = facts.gap_costs(period) if cov else {}
    units = facts.unit_costs(period)
    rows: dict[str, PemdaRow] = {}
    for code, m in meta.items():
        row = PemdaRow(meta=m, cells={})
        counts = cov.get(code, {})
        gap = gaps.get(code)
        row.detail = {
            "counts": counts,
            "budget": budgets.get(code, {}),
            "cost": {c: monthly * 12 for c, monthly in gap.by_category().items()} if gap else {},
            "gap": gap,
            "regulation": regs.get(code),
            "roster": in_force.get(code),
            "workforce": wf.get(code),
        }
        row.detail["reporting"] = _reporting(row.detail)
        for spec in specs:
            row.cells[spec.code] = _cell(spec, row.detail, period)
        rows[code] = row
    _score(rows, scheme)
    _rank(rows)
    return PeriodTable(period, version, specs, scheme, rows, wf_period, units)


def _cell(spec: Spec, d: dict[str, Any], period: str) -> Cell | None:
    counts: dict[str, tuple[int, int]] = d["counts"]
    if spec.kind == "roster_coverage":
        category = spec.params.get("category")
        chosen = [v for k, v in counts.items() if category in (None, k)]
        headcount = sum(h for h, _p in chosen)
        return Cell(sum(p for _h, p in chosen), headcount) if headcount else None
    if spec.kind == "workforce_coverage":
        figure = d["workforce"]
        return Cell(*figure) if figure and figure[1] else None
    if spec.kind == "budget_adequacy":
        if not counts:
            return None
        cost, budget = sum(d["cost"].values()), sum(d["budget"].values())
        return Cell(budget, cost) if cost else Cell(1, 1)
    if spec.kind == "regulation":
        if d["regulation"]:
            return Cell(1, 1)
        return Cell(0, 1) if d["reporting"] else None
    if spec.kind == "timeliness":
        verdict = timeliness(d["roster"], period, spec.params)
        return None if verdict is None else Cell(1 if verdict.on_time else 0, 1)
    return None


def _reporting(d: dict[str, Any]) -> bool:
    """Whether the Pemda has sent monev anything for the period: a list in force, match
    results, a budget line for the year or a regulation. A Pemda that has sent nothing has
    no value at all (not 0): it is left out of scores, averages and ranks."""
    return bool(d["counts"] or d["roster"] or d["budget"] or d["regulation"])


@dataclass(frozen=True)
class Timeliness:
    """docs/indicators.md, "Timeliness": the list in force for the period was sent by the
    deadline of its own period and is not older than `max_age_months`."""

    on_time: bool
    list_period: str
    committed: dt.date
    deadline: dt.date
    stale: bool


def timeliness(
    roster: facts.RosterFact | None, period: str, params: dict[str, Any]
) -> Timeliness | None:
    if roster is None:
        return None
    deadline = facts.period_end(roster.period) + dt.timedelta(
        days=int(params.get("deadline_days", 10))
    )
    committed = roster.first_commit.date()
    stale = facts.months_between(roster.period, period) > int(params.get("max_age_months", 6))
    on_time = committed <= deadline and not stale
    return Timeliness(on_time, roster.period, committed, deadline, stale)


def _score(rows: dict[str, PemdaRow], scheme: Scheme) -> None:
    """Σ weight × min(value, 100) / Σ weights, only when every weighted indicator has a
    value: a score made of the components that happen to have data would rank a Pemda that
    sent nothing on its regulation alone. Without one, the score is absent (not 0)."""
    total = sum(scheme.weights.values())
    if not total:
        return
    for row in rows.values():
        components, score = [], 0.0
        for code, weight in scheme.weights.items():
            value = row.value(code)
            capped = None if value is None else max(0.0, min(value, 100.0))
            points = weight * (capped or 0.0) / total
            score += points
            components.append(Component(code, weight, capped, points))
        complete = all(c.value is not None for c in components)
        row.score, row.components = (score if complete else None), components


def _rank(rows: dict[str, PemdaRow]) -> None:
    """Competition ranks ("1224") among Pemda of the same level that have a score: nation,
    Kanwil, province. A Pemda without a score has no rank and is not counted in "of"."""
    groups: dict[tuple[str, str, str], list[PemdaRow]] = defaultdict(list)
    for row in rows.values():
        if row.score is None:
            continue
        level = row.meta.level
        groups[("nasional", "", level)].append(row)
        if row.meta.kanwil_code:
            groups[("kanwil", row.meta.kanwil_code, level)].append(row)
        if level == "regency":
            groups[("provinsi", row.meta.province_code, level)].append(row)
    for (scope, _key, _level), members in groups.items():
        ordered = sorted(members, key=lambda r: (-(r.score or 0.0), r.meta.code))
        previous, rank = None, 0
        for index, row in enumerate(ordered, start=1):
            if row.score != previous:
                rank, previous = index, row.score
            row.ranks[scope] = (rank, len(ordered))


# --- targets ------------------------------------------------------------------------


def target_for(
    targets: list[TargetSpec],
    indicator: str,
    region_codes: list[str],
    year: int,
    definition: str = "",
) -> TargetSpec | None:
    """The most specific target in force in `year` for values of `definition`: own region,
    then its parents (province, Kanwil, nation).

    Only targets set for the same definition (a UCJ target is never held against
    active / BPS-employed) and in force that year (`applies_from` ≤ year ≤ `year`). Within a
    region, the target for the year itself, else the nearest later year of a plan already
    in force (shown with its year), else a standing target (year blank).
    """
    mine = [
        t
        for t in targets
        if t.indicator == indicator
        and (not definition or not t.definition or t.definition == definition)
        and (t.applies_from is None or t.applies_from <= year)
    ]
    for region in region_codes:
        here = [t for t in mine if t.region_code == region]
        exact = [t for t in here if t.year == year]
        later_years = sorted({t.year for t in here if t.year and t.year > year})
        later = [t for t in here if later_years and t.year == later_years[0]]
        standing = [t for t in here if t.year is None]
        order = _NATIONAL_ORDER if region == "" else _REGIONAL_ORDER
        for pool in (exact, later, standing):
            if pool:
                return sorted(pool, key=lambda t: order.get(t.kind, 9))[0]
    return None


# The national plan (RPJMN/RKP) is the nation's target; a region's own UCJ or Kanwil
# target comes before any national figure.
_NATIONAL_ORDER = {"RPJMN": 0, "UCJ": 1, "INPRES": 2, "OTHER": 3}
_REGIONAL_ORDER = {"UCJ": 0, "KANWIL": 1, "RPJMN": 2, "INPRES": 3, "OTHER": 4}


def decimal(value: float | None, places: int = 1) -> Decimal | None:
    return None if value is None else round(Decimal(str(value)), places)
