"""Workforce coverage per region: numerator / denominator under a named definition.

A region's figure is its own imported row when there is one; otherwise the sum of its
kab/kota rows (marked `kabkota_sum`), and only when every kab/kota of the province has one.
Coverage % = numerator × 100 / denominator, rounded half-up to 2 decimals (exact Decimal).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict, dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from monev.core.scope import restrict
from monev.regions.models import Region
from monev.workforce.models import (
    CoverageDefinition,
    ParticipantCount,
    ReportedFigure,
    WorkforceFigure,
)

LEVELS = ("province", "regency")


class UnknownDefinition(LookupError):
    pass


@dataclass
class Value:
    value: int | None
    basis: str  # "region" | "kabkota_sum" | "missing"
    sources: list[str]


@dataclass
class CoverageRow:
    region_code: str
    region_name: str
    level: str
    period: str
    definition: str
    numerator: int | None
    denominator: int | None
    coverage_percent: str | None
    numerator_basis: str
    denominator_basis: str
    numerator_sources: list[str]
    denominator_sources: list[str]

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def definition_get(code: str) -> CoverageDefinition:
    try:
        return CoverageDefinition.objects.get(code=code)
    except CoverageDefinition.DoesNotExist:
        codes = ", ".join(CoverageDefinition.objects.values_list("code", flat=True))
        raise UnknownDefinition(
            _("Definisi cakupan %(v)r tidak dikenal (pilih dari %(ok)s).")
            % {"v": code, "ok": codes}
        ) from None


def definition_list() -> list[CoverageDefinition]:
    return list(CoverageDefinition.objects.all())


def percent(numerator: int | None, denominator: int | None) -> str | None:
    if numerator is None or not denominator:
        return None
    value = (Decimal(numerator) * 100 / Decimal(denominator)).quantize(
        Decimal("0.01"), rounding=ROUND_HALF_UP
    )
    return str(value)


def regions_in_scope(*, user: Any, level: str, kanwil: str | None = None) -> QuerySet[Region]:
    regions = Region.objects.current().filter(level=level)
    if kanwil:
        regions = regions.in_kanwil(kanwil)
    return restrict(regions, user, "view", "pemda_code").order_by("code")


def _denominators(definition: CoverageDefinition, period: str) -> dict[str, tuple[int, str]]:
    rows = WorkforceFigure.objects.filter(period=period, measure=definition.denominator)
    return {r.region_code: (r.value, r.source) for r in rows.only("region_code", "value", "source")}


def _numerators(definition: CoverageDefinition, period: str) -> dict[str, tuple[int, str]]:
    """Per region: the sum of the definition's segments, else the total row."""
    wanted = set(definition.numerator_segments or [])
    by_region: dict[str, dict[str, tuple[int, str]]] = defaultdict(dict)
    for row in ParticipantCount.objects.filter(period=period):
        by_region[row.region_code][row.segment] = (row.active, row.source)
    out = {}
    for code, segments in by_region.items():
        parts = {s: v for s, v in segments.items() if s and (not wanted or s in wanted)}
        if "" in segments and (not parts or not wanted):
            out[code] = segments[""]
        elif parts:
            out[code] = (
                sum(v for v, _s in parts.values()),
                "; ".join(sorted({s for _v, s in parts.values()})),
            )
    return out


def _value(
    code: str, level: str, figures: dict[str, tuple[int, str]], children: list[str]
) -> Value:
    if code in figures:
        value, source = figures[code]
        return Value(value, "region", [source])
    if level == "province" and children and all(c in figures for c in children):
        return Value(
            sum(figures[c][0] for c in children),
            "kabkota_sum",
            sorted({figures[c][1] for c in children}),
        )
    return Value(None, "missing", [])


def workforce_coverage(
    *, user: Any, period: str, level: str, kanwil: str | None = None, definition: str = "bps"
) -> tuple[CoverageDefinition, list[CoverageRow]]:
    """One row per region of `level` in the user's scope (and Kanwil), for `period`."""
    spec = definition_get(definition)
    numerators, denominators = _numerators(spec, period), _denominators(spec, period)
    regencies: dict[str, list[str]] = defaultdict(list)
    for code, province in Region.objects.current().regencies().values_list("code", "province_code"):
        regencies[province].append(code)
    rows = []
    for region in regions_in_scope(user=user, level=level, kanwil=kanwil):
        children = regencies.get(region.code, []) if level == "province" else []
        num = _value(region.code, level, numerators, children)
        den = _value(region.code, level, denominators, children)
        rows.append(
            CoverageRow(
                region_code=region.code,
                region_name=region.name,
                level=level,
                period=period,
                definition=spec.code,
                numerator=num.value,
                denominator=den.value,
                coverage_percent=percent(num.value, den.value),
                numerator_basis=num.basis,
                denominator_basis=den.basis,
                numerator_sources=num.sources,
                denominator_sources=den.sources,
            )
        )
    return spec, rows


def definition_dict(spec: CoverageDefinition) -> dict[str, Any]:
    return {
        "code": spec.code,
        "name": spec.name,
        "numerator": spec.numerator,
        "numerator_segments": spec.numerator_segments,
        "denominator": spec.denominator,
        "denominator_text": spec.denominator_text,
        "exclusions": spec.exclusions,
        "source": spec.source,
        "confidence": spec.confidence,
        "note": spec.note,
    }


def latest_period(*, definition: str = "bps") -> str | None:
    """The newest period with both a denominator and active participants: where the page
    opens, so a user sees figures without typing a period."""
    spec = CoverageDefinition.objects.filter(code=definition).first()
    measure = spec.denominator if spec else "penduduk_bekerja"
    with_participants = ParticipantCount.objects.values_list("period", flat=True)
    return (
        WorkforceFigure.objects.filter(measure=measure, period__in=with_participants)
        .order_by("-period")
        .values_list("period", flat=True)
        .first()
    )


def reported_figures(*, user: Any, kanwil: str | None = None) -> list[ReportedFigure]:
    """Figures as reported by others (never computed here), for regions in the user's scope."""
    from monev.core.scope import scope_for

    scope = scope_for(user)
    rows = list(ReportedFigure.objects.all())
    if not scope.all_regions:
        rows = [r for r in rows if r.region_code in scope.pemda_codes]
    if kanwil:
        from monev.regions.models import Pemda

        provinces = set(
            Pemda.objects.filter(kanwil__code=kanwil).values_list("province_code", flat=True)
        )
        rows = [r for r in rows if r.region_code.split(".")[0] in provinces]
    return rows
