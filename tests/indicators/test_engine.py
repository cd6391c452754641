"""Indicator values from the facts, freshness without a rebuild, score, ranks, targets."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from monev.core.scope import SYSTEM
from monev.indicators import engine, selectors
from monev.indicators.models import Indicator, ScoreScheme, Target
from tests.indicators.factories import budget, regulation, roster, stat

pytestmark = pytest.mark.django_db
P = "2024-06"


def test_roster_coverage_is_sum_over_sum_not_mean_of_percentages() -> None:
    stat("16.04", P, "NON_ASN", 100, 50)
    stat("16.04", P, "RENTAN", 300, 60)
    stat("16.71", P, "NON_ASN", 1000, 900)
    t = engine.period_table(P)
    lahat = t.rows["16.04"]
    assert lahat.value("cakupan-non-asn") == pytest.approx(50.0)
    assert lahat.value("cakupan-rentan") == pytest.approx(20.0)
    assert lahat.value("cakupan-total") == pytest.approx(110 * 100 / 400)
    assert lahat.value("cakupan-perangkat-desa") is None  # no such workers: no data, not 0
    sumsel = t.aggregate([c for c, r in t.rows.items() if r.meta.province_code == "16"])
    total = sumsel["cakupan-total"]
    assert total is not None and total.value == pytest.approx(1010 * 100 / 1400)


def test_values_are_current_right_after_a_new_fact() -> None:
    """No rebuild: the next read after a budget line or a regulation shows it."""
    stat("16.04", P, "NON_ASN", 100, 0)
    before = selectors.table(P).rows["16.04"]
    assert before.value("regulasi") == 0
    assert before.detail["budget"] == {}
    budget("16.04", 2024, "NON_ASN", 10_000_000)
    regulation("16.04", dt.date(2023, 5, 1))
    after = selectors.table(P).rows["16.04"]
    assert after.value("regulasi") == 100
    assert after.detail["budget"] == {"NON_ASN": 10_000_000}
    cost = after.detail["cost"]["NON_ASN"]
    assert cost > 0 and after.value("kecukupan-anggaran") == pytest.approx(10_000_000 * 100 / cost)


def test_perubahan_replaces_murni_and_regulation_after_period_does_not_count() -> None:
    stat("16.04", P, "RENTAN", 10, 0)
    budget("16.04", 2024, "RENTAN", 1_000_000)
    budget("16.04", 2024, "RENTAN", 3_000_000, source="APBD_PERUBAHAN")
    regulation("16.04", dt.date(2024, 7, 2))
    row = selectors.table(P).rows["16.04"]
    assert row.detail["budget"] == {"RENTAN": 3_000_000}
    assert row.value("regulasi") == 0
    # BPU package (JKK+JKM) × 12 months × 10 unprotected workers
    bpu_monthly, _rate = selectors.table(P).unit_costs
    assert row.detail["cost"]["RENTAN"] == 10 * bpu_monthly * 12


def test_timeliness_uses_the_first_commit_and_the_deadline() -> None:
    stat("16.04", P, "NON_ASN", 10, 5)
    stat("16.71", P, "NON_ASN", 10, 5)
    roster("16.04", P, dt.datetime(2024, 7, 10, 12, tzinfo=dt.UTC))
    roster("16.71", P, dt.datetime(2024, 7, 11, 12, tzinfo=dt.UTC))
    t = selectors.table(P)
    assert t.rows["16.04"].value("ketepatan-waktu") == 100
    assert t.rows["16.71"].value("ketepatan-waktu") == 0


def test_score_weights_are_configurable_and_explain_the_score() -> None:
    stat("16.04", P, "NON_ASN", 100, 40)
    regulation("16.04", dt.date(2023, 1, 1))
    scheme = ScoreScheme.objects.get(is_default=True)
    scheme.weights = {"regulasi": 1, "cakupan-total": 1}
    scheme.save()
    row = selectors.table(P).rows["16.04"]
    assert row.score == pytest.approx((100 + 40) / 2)
    assert [(c.code, c.points) for c in row.components] == [
        ("regulasi", 50.0),
        ("cakupan-total", 20.0),
    ]


def test_ranks_within_province_kanwil_and_nation_with_ties() -> None:
    committed = dt.datetime(2024, 7, 5, 12, tzinfo=dt.UTC)
    for code, protected in (("16.04", 90), ("16.71", 90), ("16.01", 10), ("16", 50), ("15", 60)):
        stat(code, P, "NON_ASN", 100, protected)
        roster(code, P, committed)
    t = selectors.table(P)
    assert t.rows["16.04"].ranks["provinsi"][0] == 1
    assert t.rows["16.71"].ranks["provinsi"][0] == 1  # a tie shares the rank
    assert t.rows["16.01"].ranks["provinsi"] == (3, 3)  # among the Pemda with a score
    assert t.rows["16.04"].ranks["kanwil"][1] == 3
    assert t.rows["16"].ranks["nasional"] == (2, 2)  # provinces ranked among provinces
    assert "nasional" not in t.rows["16.02"].ranks  # no data, no rank


def test_thresholds_come_from_the_indicator_row() -> None:
    stat("16.04", P, "NON_ASN", 100, 60)
    t = selectors.table(P)
    spec = t.spec("cakupan-total")
    assert spec.status(60.0) == "amber"
    indicator = Indicator.objects.get(code="cakupan-total")
    indicator.green_at = Decimal(55)
    indicator.save()  # as the admin does
    assert selectors.table(P).spec("cakupan-total").status(60.0) == "green"


def _workforce_target(code: str, period: str) -> Any:
    place = selectors.place_get(user=SYSTEM, level="provinsi", code=code)
    figures = {f.spec.code: f for f in selectors.figures(place, selectors.table(period), None)}
    return figures["cakupan-angkatan-kerja"].target


def test_targets_are_compared_only_with_values_of_their_definition() -> None:
    """Issue 18: Jambi's UCJ 53% was held against active / BPS-employed."""
    stat("15.71", P, "NON_ASN", 10, 5)
    jambi = _workforce_target("15", P)
    assert jambi is not None and (jambi.kind, jambi.value, jambi.year) == ("RPJMN", 37.24, 2024)
    assert jambi.definition == "bps"


@pytest.mark.parametrize(
    ("period", "expected"),
    [("2021-06", (29.44, 2021)), ("2022-08", (37.24, 2024)), ("2024-06", (37.24, 2024)),
     ("2025-06", (32.15, 2025)), ("2027-06", (43.92, 2029))],
)  # fmt: skip
def test_each_period_uses_the_target_in_force(period: str, expected: tuple[float, int]) -> None:
    """2022–2024 used to fall back to the 2025 target: RPJMN 2020–2024 was missing."""
    stat("16.71", period, "NON_ASN", 10, 5)
    target = _workforce_target("16", period)
    assert target is not None and (target.value, target.year) == expected


def test_a_kanwil_target_of_the_same_definition_comes_before_the_nation() -> None:
    stat("16.71", P, "NON_ASN", 10, 5)
    Target.objects.create(
        indicator=Indicator.objects.get(code="cakupan-angkatan-kerja"),
        definition="bps",
        region_code="SUMBAGSEL",
        year=2024,
        value=Decimal("40"),
        kind="KANWIL",
        document="Rencana kerja Kanwil Sumbagsel 2024",
    )
    assert _workforce_target("16", P).kind == "KANWIL"
    kanwil = Target.objects.get(kind="KANWIL")
    kanwil.definition = "ucj"
    kanwil.save()  # as the admin does
    assert _workforce_target("16", P).kind == "RPJMN"


def test_workforce_aggregate_never_adds_province_and_its_kabkota(sample: Any) -> None:
    t = selectors.table("2024-06")
    sumsel = [c for c, r in t.rows.items() if r.meta.province_code == "16"]
    cell = t.aggregate(sumsel)["cakupan-angkatan-kerja"]
    province = t.rows["16"].cells["cakupan-angkatan-kerja"]
    assert cell is not None and province is not None
    assert (cell.num, cell.den) == (province.num, province.den)
