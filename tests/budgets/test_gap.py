"""Cost to close the gap and budget comparison, with answers computed by hand."""

from __future__ import annotations

from typing import Any

import pytest

from monev.budgets.gap import budget_compare, compare, gap_compute
from monev.budgets.services import BudgetRow, budget_lines_save
from monev.core.scope import SYSTEM

from .factories import roster

pytestmark = pytest.mark.usefixtures("rates")


@pytest.fixture
def palembang_roster(db: Any) -> None:
    roster(
        "16.71",
        "2024-06",
        [
            (10, "NON_ASN", 3_000_000, "APBD_KABKOTA"),  # 7,200 + 9,000 = 16,200 each
            (5, "PERANGKAT_DESA", 2_000_000, "APBDES"),  # 4,800 + 6,000 = 10,800 each
            (19, "RENTAN", None, "DANA_DESA"),  # 16,800 each (BPU minimum package)
            (1, "NON_ASN", None, "APBD_KABKOTA"),  # no wage: counted, not costed
        ],
        shared=["twice"],  # the 20th RENTAN, also on Lahat's roster
    )
    roster("16.04", "2024-06", [(3, "RENTAN", None, "DANA_DESA")], shared=["twice"])


def test_gap_by_category_and_source(palembang_roster: None) -> None:
    gap = gap_compute(pemda_code="16.71", period="2024-06")
    assert gap.protection_source in {"roster", "coverage"}
    groups = {(g.category, g.funding_source): g for g in gap.groups}
    assert groups[("NON_ASN", "APBD_KABKOTA")].monthly_cost == 162_000
    assert groups[("NON_ASN", "APBD_KABKOTA")].wage_unknown == 1
    assert groups[("PERANGKAT_DESA", "APBDES")].monthly_cost == 54_000
    assert groups[("RENTAN", "DANA_DESA")].monthly_cost == 336_000
    assert (gap.monthly_cost, gap.as_dict()["yearly_cost"]) == (552_000, 6_624_000)
    assert gap.workers == 36


def test_workers_financed_twice(palembang_roster: None) -> None:
    gap = gap_compute(pemda_code="16.71", period="2024-06")
    assert (gap.financed_twice, gap.financed_twice_with) == (1, {"16.04": 1})


def test_later_period_uses_latest_roster_before_it(palembang_roster: None) -> None:
    gap = gap_compute(pemda_code="16.71", period="2024-09")
    assert (gap.roster_period, gap.monthly_cost) == ("2024-06", 552_000)
    assert gap_compute(pemda_code="16.71", period="2024-05").roster_period is None


def test_budget_comparison_known_answers(palembang_roster: None) -> None:
    budget_lines_save(
        rows=[
            BudgetRow("16.71", 2024, "NON_ASN", "APBD_MURNI", 1_000_000),
            BudgetRow("16.71", 2024, "NON_ASN", "APBD_PERUBAHAN", 1_944_000),  # replaces murni
            BudgetRow("16.71", 2024, "RENTAN", "DANA_DESA", 3_000_000),
        ],
        by=SYSTEM,
    )
    gap = gap_compute(pemda_code="16.71", period="2024-06")
    rows = {r.category: r for r in budget_compare(pemda_code="16.71", fiscal_year=2024, gap=gap)}
    assert (rows["NON_ASN"].status, rows["NON_ASN"].short_by) == ("enough", 0)
    assert rows["RENTAN"].status == "short"
    assert (rows["RENTAN"].short_by, rows["RENTAN"].enough_until) == (1_032_000, "2024-08")
    assert (rows["PERANGKAT_DESA"].status, rows["PERANGKAT_DESA"].short_by) == (
        "not_budgeted",
        648_000,
    )
    overall = rows[""]
    assert (overall.budget, overall.monthly_cost, overall.months_covered) == (4_944_000, 552_000, 8)
    assert (overall.status, overall.short_by) == ("short", 1_680_000)


@pytest.mark.parametrize(
    ("budget", "monthly", "status", "short_by", "until"),
    [
        (0, 16_800, "not_budgeted", 201_600, None),
        (16_800 * 12, 16_800, "enough", 0, "2024-12"),
        (16_800 * 12 - 1, 16_800, "short", 1, "2024-11"),  # lapses in the twelfth month
        (10_000, 16_800, "short", 191_600, None),  # not even January
        (5_000, 0, "enough", 0, "2024-12"),
        (0, 0, "no_gap", 0, "2024-12"),
    ],
)
def test_compare_cases(
    budget: int, monthly: int, status: str, short_by: int, until: str | None
) -> None:
    row = compare("16.71", 2024, "", budget, monthly)
    assert (row.status, row.short_by, row.enough_until) == (status, short_by, until)


def test_no_roster_is_not_zero_cost(db: Any) -> None:
    budget_lines_save(rows=[BudgetRow("16.04", 2024, "RENTAN", "DBHCHT", 100)], by=SYSTEM)
    gap = gap_compute(pemda_code="16.04", period="2024-06")
    rows = budget_compare(pemda_code="16.04", fiscal_year=2024, gap=gap)
    assert rows[0].status == "no_roster"
