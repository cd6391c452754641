"""Assemble a dashboard: the figures, charts, map, table and findings of one place.

One function per page so that the HTML view, the HTMX partials, the exports and the
reports (issue 7) all show the same numbers from the same reads.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from monev.core.scope import scope_for
from monev.indicators import charts, engine, selectors
from monev.indicators.engine import PeriodTable
from monev.indicators.findings import CATEGORY_ORDER
from monev.indicators.selectors import BadInput, Place

CATEGORY_LABELS = {
    "NON_ASN": "Non-ASN",
    "PERANGKAT_DESA": "Perangkat desa",
    "RT_RW": "Ketua RT/RW",
    "RENTAN": "Pekerja rentan",
}


@dataclass
class Params:
    period: str | None = None
    compare: str | None = None
    map_indicator: str = ""
    query: str = ""
    sort: str = ""
    desc: bool = False

    @classmethod
    def from_get(cls, get: Any) -> Params:
        sort = (get.get("urut") or "").strip()
        if sort and sort not in selectors.SORTABLE and not sort.replace("-", "").isalnum():
            raise BadInput("kolom urut tidak dikenal")
        return cls(
            period=get.get("periode") or None,
            compare=get.get("banding") or None,
            map_indicator=(get.get("peta") or "").strip(),
            query=(get.get("q") or "").strip()[:100],
            sort=sort[:40],
            desc=get.get("arah") == "turun",
        )


@dataclass
class Dashboard:
    place: Place
    period: str | None
    periods: list[str]
    compare: str | None = None
    table: PeriodTable | None = None
    figures: list[selectors.Figure] = field(default_factory=list)
    coverage_chart: SafeString | None = None
    trend_chart: SafeString | None = None
    budget_chart: SafeString | None = None
    budget_rows: list[dict[str, Any]] = field(default_factory=list)
    map_svg: SafeString | None = None
    map_indicator: str = ""
    map_kind: str = ""
    ranking: selectors.TableData | None = None
    findings: list[Any] = field(default_factory=list)
    score: float | None = None
    score_count: int = 0  # Pemda with a score (the average's base)
    score_status: str = "none"
    components: list[dict[str, Any]] = field(default_factory=list)
    ranks: list[dict[str, Any]] = field(default_factory=list)
    peer_strip: SafeString | None = None
    can_see_peers: bool = True
    children: list[dict[str, Any]] = field(default_factory=list)
    finding_counts: list[tuple[str, int]] = field(default_factory=list)


RULE_LABELS = {
    "belum-menganggarkan": _("Belum menganggarkan"),
    "belum-regulasi": _("Belum ada regulasi"),
    "cakupan-turun": _("Cakupan turun"),
    "biaya-menutup": _("Anggaran kurang"),
    "belum-lapor": _("Belum/terlambat lapor"),
    "di-bawah-target": _("Di bawah target"),
}


def dashboard(*, user: Any, place: Place, params: Params) -> Dashboard:
    period = selectors.period_choose(params.period)
    page = Dashboard(place=place, period=period, periods=selectors.periods())
    if period is None:
        return page
    t = selectors.table(period)
    page.table = t
    page.compare = selectors.comparison_period(period, params.compare)
    before = selectors.table(page.compare) if page.compare else None
    page.figures = selectors.figures(place, t, before)
    page.coverage_chart = _coverage_chart(page)
    page.trend_chart = _trend_chart(page)
    _budget(page)
    _map(page, user, params.map_indicator)
    page.ranking = selectors.ranking_table(
        user=user, place=place, t=t, query=params.query, sort=params.sort, desc=params.desc
    )
    page.findings = selectors.findings(user=user, place=place, t=t, before=before)
    counts: dict[str, int] = {}
    for finding in page.findings:
        counts[finding.rule] = counts.get(finding.rule, 0) + 1
    page.finding_counts = [(str(RULE_LABELS.get(r, r)), n) for r, n in counts.items()]
    _score(page, user)
    page.children = _children(page, user)
    return page


def _coverage_chart(page: Dashboard) -> SafeString:
    bars = []
    for figure in page.figures:
        if figure.spec.kind not in ("roster_coverage", "workforce_coverage"):
            continue
        note = ""
        if figure.cell is not None and figure.spec.kind == "roster_coverage":
            note = f"{_n(figure.cell.num)} dari {_n(figure.cell.den)}"
        bars.append(
            charts.Bar(
                figure.spec.short_id,
                figure.value,
                figure.status,
                note,
                figure.target.value if figure.target else None,
            )
        )
    return charts.bar_chart(bars, "Cakupan per kelompok pekerja")


def _n(value: float) -> str:
    from monev.core.formatting import number

    return number(value)


def _trend_chart(page: Dashboard) -> SafeString:
    assert page.table is not None
    series = [
        charts.Series(label, points)
        for label, points in selectors.trend(page.place, page.table.specs)
    ]
    total = next((f for f in page.figures if f.spec.code == "cakupan-total"), None)
    target = (
        total.target.value if total and total.target and total.target.kind != "INPRES" else None
    )
    return charts.line_chart(series, "Tren cakupan daftar pekerja", target=target)


def _budget(page: Dashboard) -> None:
    assert page.table is not None
    t = page.table
    budget: dict[str, int] = {}
    cost: dict[str, int] = {}
    for code in page.place.pemda_codes:
        row = t.rows.get(code)
        if row is None:
            continue
        for k, v in row.detail["budget"].items():
            budget[k] = budget.get(k, 0) + v
        for k, v in row.detail["cost"].items():
            cost[k] = cost.get(k, 0) + v
    rows: list[dict[str, Any]] = []
    for category in CATEGORY_ORDER:
        if category in budget or category in cost:
            b, c = budget.get(category, 0), cost.get(category, 0)
            rows.append(
                {
                    "label": CATEGORY_LABELS[category],
                    "budget": b,
                    "cost": c,
                    "short": max(c - b, 0),
                    "category": category,
                }
            )
    page.budget_rows = rows
    page.budget_chart = charts.budget_chart(
        [charts.Money(r["label"], r["budget"], r["cost"]) for r in rows],
        f"Pagu TA {page.period[:4] if page.period else ''} dan biaya menutup kesenjangan",
    )


def _map(page: Dashboard, user: Any, wanted: str) -> None:
    assert page.table is not None
    t = page.table
    specs = {s.code: s for s in t.specs}
    code = wanted if wanted in specs else "cakupan-total"
    if wanted and wanted not in specs:
        raise BadInput(f"indikator peta {wanted!r} tidak dikenal")
    page.map_indicator = code
    scope = scope_for(user)
    if page.place.level in ("provinsi", "pemda"):
        regency = selectors.boundary("regency")
        province = (
            page.place.code
            if page.place.level == "provinsi"
            else t.rows[page.place.code].meta.province_code
        )
        if regency is not None:
            members = [
                c
                for c, r in t.rows.items()
                if r.meta.province_code == province and r.meta.level == "regency"
            ]
            paths = {c: regency.paths[c] for c in members if c in regency.paths}
            if paths:
                values = {
                    c: charts.MapValue(
                        t.rows[c].value(code)
                        if scope.all_regions or c in scope.pemda_codes
                        else None,
                        t.rows[c].meta.name,
                        selectors.dashboard_url("pemda", c, t.period)
                        if scope.all_regions or c in scope.pemda_codes
                        else "",
                        c == page.place.code,
                    )
                    for c in members
                }
                page.map_kind = "choropleth"
                page.map_svg = charts.choropleth(paths, values, specs[code].name)
                return
        if page.place.level == "pemda":
            return
    groups: dict[str, list[str]] = {}
    for c, row in t.rows.items():
        groups.setdefault(row.meta.province_code, []).append(c)
    values = {}
    for province, members in groups.items():
        visible = scope.all_regions or set(members) <= scope.pemda_codes
        cell = t.aggregate(members).get(code) if visible else None
        name = t.rows[province].meta.name if province in t.rows else province
        href = selectors.dashboard_url("provinsi", province, t.period) if visible else ""
        values[province] = charts.MapValue(
            None if cell is None else cell.value,
            name,
            href,
            page.place.level != "nasional" and province in page.place.province_codes,
        )
    boundary = selectors.boundary("province")
    if boundary is not None and boundary.paths:
        page.map_kind = "choropleth"
        page.map_svg = charts.choropleth(boundary.paths, values, specs[code].name)
    else:
        page.map_kind = "tiles"
        page.map_svg = charts.tile_map(values, specs[code].name)


def _score(page: Dashboard, user: Any) -> None:
    assert page.table is not None
    t = page.table
    scope = scope_for(user)
    if page.place.level == "pemda":
        row = t.rows[page.place.code]
        page.score = row.score
        page.components = [
            {
                "spec": t.spec(c.code),
                "weight": c.weight,
                "value": c.value,
                "points": c.points,
                "max_points": c.weight * 100 / max(sum(t.scheme.weights.values()), 1),
                "status": t.spec(c.code).status(c.value),
            }
            for c in row.components
            if _has(t, c.code)
        ]
        labels = {"provinsi": "di provinsi", "kanwil": "di Kanwil", "nasional": "nasional"}
        page.ranks = [
            {"scope": labels[k], "rank": v[0], "of": v[1], "words": selectors.rank_words(*v)}
            for k, v in row.ranks.items()
        ]
        assert page.ranking is not None
        page.can_see_peers = page.ranking.hidden_peers == 0
        page.peer_strip = charts.rank_strip(
            page.ranking.peer_scores, row.score, "Skor Pemda sejawat (tanpa nama)"
        )
    else:
        page.score = t.mean_score(page.place.pemda_codes)
        page.score_count = t.score_count(page.place.pemda_codes)
    page.score_status = t.scheme.status(page.score)
    del scope


def _has(t: PeriodTable, code: str) -> bool:
    try:
        t.spec(code)
    except KeyError:
        return False
    return True


def _children(page: Dashboard, user: Any) -> list[dict[str, Any]]:
    """Sub-regions to drill into: Kanwil (nation) or provinces (Kanwil)."""
    assert page.table is not None
    t = page.table
    if page.place.level == "nasional":
        groups: dict[str, list[str]] = {}
        for c, row in t.rows.items():
            groups.setdefault(row.meta.kanwil_code, []).append(c)
        names = engine.cached(("kanwil-names", t.version), _kanwil_names)
        items = [(k, names.get(k, k), "kanwil", v) for k, v in groups.items() if k]
    elif page.place.level == "kanwil":
        groups = {}
        for c in page.place.pemda_codes:
            groups.setdefault(t.rows[c].meta.province_code, []).append(c)
        items = [
            (p, t.rows[p].meta.name if p in t.rows else p, "provinsi", v) for p, v in groups.items()
        ]
    else:
        return []
    out = []
    for code, name, level, members in sorted(items, key=lambda i: i[1]):
        cells = t.aggregate(members)
        out.append(
            {
                "code": code,
                "name": name,
                "n": len(members),
                "href": selectors.dashboard_url(level, code, t.period),
                "score": t.mean_score(members),
                "score_count": t.score_count(members),
                "score_status": t.scheme.status(t.mean_score(members)),
                "values": [(s, _value(cells.get(s.code))) for s in t.specs],
            }
        )
    return out


def _value(cell: engine.Cell | None) -> float | None:
    return None if cell is None else cell.value


def _kanwil_names() -> dict[str, str]:
    from monev.indicators import facts

    return facts.kanwil_names()
