"""Indicators: definitions, a place's figures with targets, the ranking table, findings,
and the public open-data coverage. Same selectors as the dashboards, so the same scope."""

from __future__ import annotations

from typing import Any, Literal

from django.conf import settings
from django.http import HttpRequest
from ninja import Router, Schema

from monev.api.errors import ApiError, ErrorOut
from monev.indicators import selectors
from monev.indicators.selectors import BadInput

router = Router(tags=["indikator"])
ERRORS: dict[int, Any] = {400: ErrorOut, 404: ErrorOut, 422: ErrorOut}
Level = Literal["nasional", "kanwil", "provinsi", "pemda"]


class IndicatorOut(Schema):
    code: str
    name: str
    kind: str
    params: dict[str, Any]
    numerator: str
    denominator: str
    definition: str
    unit: str
    direction: str
    green_at: float
    amber_at: float


class TargetOut(Schema):
    value: float
    kind: str
    year: int | None
    region_code: str
    document: str
    document_date: str | None


class FigureOut(Schema):
    indicator: str
    value: float | None
    numerator: float | None
    denominator: float | None
    status: str
    change: float | None
    target: TargetOut | None
    distance: float | None


class ValuesOut(Schema):
    level: str
    code: str
    name: str
    period: str | None
    compare: str | None
    score: float | None
    figures: list[FigureOut]


class RankOut(Schema):
    code: str
    name: str
    score: float | None
    status: str
    rank: int | None  # None: no score (no data for every score component), not ranked
    of: int | None  # Pemda of the same level with a score
    values: dict[str, float | None]


class RankingOut(Schema):
    period: str
    rows: list[RankOut]
    hidden_peers: int


class FindingOut(Schema):
    rule: str
    severity: int
    pemda: str
    text: str
    href: str


class OpenRowOut(Schema):
    periode: str
    tingkat: str
    kode: str
    nama: str
    kelompok: str
    jumlah_pekerja: int | None
    terlindungi: int | None
    cakupan_persen: float | None
    cakupan_angkatan_kerja_persen: float | None
    disembunyikan: bool


def _period(raw: str | None) -> str:
    try:
        period = selectors.period_choose(raw)
    except BadInput as exc:
        raise ApiError(400, "invalid_period", str(exc)) from None
    if period is None:
        raise ApiError(404, "no_data", "Belum ada periode dengan data.")
    return period


@router.get("/indicators", response={200: list[IndicatorOut]})
def indicator_list(request: HttpRequest) -> list[IndicatorOut]:
    specs, _scheme, _targets = selectors.definitions()
    return [
        IndicatorOut(
            code=s.code,
            name=s.name,
            kind=s.kind,
            params=s.params,
            numerator=s.numerator,
            denominator=s.denominator,
            definition=s.definition,
            unit=s.unit,
            direction=s.direction,
            green_at=s.green_at,
            amber_at=s.amber_at,
        )
        for s in specs
    ]


@router.get("/indicators/values", response={200: ValuesOut, **ERRORS})
def indicator_values(
    request: HttpRequest,
    level: Level,
    code: str = "",
    period: str | None = None,
    compare: str | None = None,
) -> ValuesOut:
    place = selectors.place_get(user=request.user, level=level, code=code)
    chosen = _period(period)
    t = selectors.table(chosen)
    try:
        before_period = selectors.comparison_period(chosen, compare)
    except BadInput as exc:
        raise ApiError(400, "invalid_period", str(exc)) from None
    before = selectors.table(before_period) if before_period else None
    figures = selectors.figures(place, t, before)
    score = t.rows[place.code].score if level == "pemda" else t.mean_score(place.pemda_codes)
    return ValuesOut(
        level=level,
        code=place.code,
        name=place.name,
        period=chosen,
        compare=before_period,
        score=score,
        figures=[
            FigureOut(
                indicator=f.spec.code,
                value=f.value,
                numerator=f.cell.num if f.cell else None,
                denominator=f.cell.den if f.cell else None,
                status=f.status,
                change=f.change,
                distance=f.distance,
                target=TargetOut(
                    value=f.target.value,
                    kind=f.target.kind,
                    year=f.target.year,
                    region_code=f.target.region_code,
                    document=f.target.document,
                    document_date=f.target.document_date.isoformat()
                    if f.target.document_date
                    else None,
                )
                if f.target
                else None,
            )
            for f in figures
        ],
    )


@router.get("/indicators/ranking", response={200: RankingOut, **ERRORS})
def indicator_ranking(
    request: HttpRequest,
    level: Level,
    code: str = "",
    period: str | None = None,
    q: str = "",
    sort: str = "",
    desc: bool = False,
) -> RankingOut:
    place = selectors.place_get(user=request.user, level=level, code=code)
    chosen = _period(period)
    t = selectors.table(chosen)
    if sort and sort not in selectors.SORTABLE and sort not in {s.code for s in t.specs}:
        raise ApiError(400, "invalid_sort", f"kolom urut {sort!r} tidak dikenal")
    data = selectors.ranking_table(
        user=request.user, place=place, t=t, query=q[:100], sort=sort, desc=desc
    )
    return RankingOut(
        period=chosen,
        hidden_peers=data.hidden_peers,
        rows=[
            RankOut(
                code=r["kode"],
                name=r["nama"],
                score=r["skor"],
                status=r["status"],
                rank=r["peringkat"],
                of=r["dari"],
                values={s.code: r[s.code] for s in t.specs},
            )
            for r in data.rows
        ],
    )


@router.get("/indicators/findings", response={200: list[FindingOut], **ERRORS})
def indicator_findings(
    request: HttpRequest,
    level: Level,
    code: str = "",
    period: str | None = None,
    compare: str | None = None,
) -> list[FindingOut]:
    place = selectors.place_get(user=request.user, level=level, code=code)
    chosen = _period(period)
    try:
        before_period = selectors.comparison_period(chosen, compare)
    except BadInput as exc:
        raise ApiError(400, "invalid_period", str(exc)) from None
    before = selectors.table(before_period) if before_period else None
    found = selectors.findings(
        user=request.user, place=place, t=selectors.table(chosen), before=before
    )
    return [
        FindingOut(rule=f.rule, severity=f.severity, pemda=f.pemda_code, text=f.text, href=f.href)
        for f in found
    ]


@router.get("/open/coverage", auth=None, response={200: list[OpenRowOut], **ERRORS})
def open_coverage(
    request: HttpRequest,
    level: Literal["provinsi", "kanwil"] = "provinsi",
    period: str | None = None,
) -> list[dict[str, Any]]:
    """Public: aggregated coverage by province or Kanwil, small cells suppressed. No login."""
    chosen = _period(period)
    minimum = int(getattr(settings, "MONEV_OPEN_DATA_MIN_CELL", 10))
    return selectors.open_coverage(period=chosen, level=level, min_cell=minimum)
