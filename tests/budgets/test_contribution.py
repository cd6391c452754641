"""Contribution cases to the rupiah (issue 5), from the rate table shipped as data."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from monev.budgets.rates import ContributionInputError, contribution_calculate, parse_wage

pytestmark = pytest.mark.usefixtures("rates")


def shares(result: Any) -> dict[str, tuple[int, int, int]]:
    return {s.programme: (s.employer, s.worker, s.total) for s in result.programmes}


def test_bpu_minimum_package_is_16800() -> None:
    result = contribution_calculate(segment="BPU", wage=1_000_000, day="2024-06-01")
    assert shares(result) == {"JKK": (0, 10_000, 10_000), "JKM": (0, 6_800, 6_800)}
    assert result.total() == 16_800


def test_bpu_income_below_minimum_base_uses_the_base() -> None:
    result = contribution_calculate(segment="BPU", wage=600_000, day="2024-06-01")
    assert result.total() == 16_800
    assert result.programmes[0].wage_base == 1_000_000


def test_pu_3m_very_low_risk() -> None:
    result = contribution_calculate(segment="PU", wage=3_000_000, risk="very_low", day="2024-06-01")
    assert shares(result) == {
        "JKK": (7_200, 0, 7_200),
        "JKM": (9_000, 0, 9_000),
        "JHT": (111_000, 60_000, 171_000),
        "JP": (60_000, 30_000, 90_000),
    }
    assert result.total() == 277_200


@pytest.mark.parametrize(
    ("day", "cap", "employer", "worker"),
    [
        ("2024-02-29", 9_559_600, 191_192, 95_596),
        ("2024-03-01", 10_042_300, 200_846, 100_423),
        ("2026-02-28", 10_547_400, 210_948, 105_474),
        ("2026-03-01", 11_086_300, 221_726, 110_863),
    ],
)
def test_jp_wage_ceiling_either_side_of_1_march(
    day: str, cap: int, employer: int, worker: int
) -> None:
    result = contribution_calculate(segment="PU", wage=15_000_000, day=day, programmes="JP")
    jp = result.programmes[0]
    assert (jp.wage_base, jp.employer, jp.worker) == (cap, employer, worker)
    assert "pu-jp-cap" in jp.rows[-1].key


def test_pp_49_2020_discount_month() -> None:
    result = contribution_calculate(segment="PU", wage=3_000_000, day="2020-10-01")
    got = {s.programme: s for s in result.programmes}
    assert got["JKK"].employer == 72  # 7,200 less 99%
    assert got["JKM"].employer == 90
    assert (got["JP"].employer, got["JP"].worker, got["JP"].deferred) == (600, 300, 89_100)
    assert got["JHT"].total == 171_000  # JHT had no relief
    bpu = contribution_calculate(segment="BPU", wage=1_000_000, day="2020-10-01")
    assert shares(bpu)["JKM"] == (0, 68, 68)
    after = contribution_calculate(segment="PU", wage=3_000_000, day="2021-02-01")
    assert shares(after)["JKK"] == (7_200, 0, 7_200)


def test_pp_7_2025_discount_needs_the_sector() -> None:
    general = contribution_calculate(
        segment="PU", wage=3_000_000, day="2025-03-01", programmes="JKK"
    )
    labour = contribution_calculate(
        segment="PU", wage=3_000_000, day="2025-03-01", programmes="JKK", sector="padat_karya"
    )
    assert (general.total(), labour.total()) == (7_200, 3_600)


def test_jkp_pp_37_2021_government_share_and_recomposition_on_a_capped_wage() -> None:
    """Issue 18: PU Rp6,000,000 on 2023-06-01 with JKK, JKM and JKP."""
    result = contribution_calculate(
        segment="PU", wage=6_000_000, day="2023-06-01", programmes="JKK,JKM,JKP"
    )
    by = {s.programme: s for s in result.programmes}
    assert (result.total("government"), result.total("employer"), result.total()) == (
        11_000,
        32_400,
        43_400,
    )
    assert by["JKP"].wage_base == 5_000_000
    # 0.14% of the capped wage moves from JKK and 0.10% from JKM into JKP
    assert (by["JKK"].employer, by["JKM"].employer, by["JKP"].employer) == (7_400, 13_000, 12_000)
    assert by["JKP"].recomposed == {"JKK": 7_000, "JKM": 5_000}


def test_jkp_pp_6_2025_recomposes_from_jkk_only() -> None:
    result = contribution_calculate(
        segment="PU", wage=6_000_000, day="2025-02-07", programmes="JKK,JKM,JKP"
    )
    by = {s.programme: s for s in result.programmes}
    assert by["JKP"].recomposed == {"JKK": 7_000}
    assert (by["JKK"].employer, by["JKM"].employer, by["JKP"].government) == (7_400, 18_000, 11_000)
    assert result.total("employer") == 32_400


def test_jkp_without_the_programmes_it_is_recomposed_from_is_refused() -> None:
    with pytest.raises(ContributionInputError, match="JKK"):
        contribution_calculate(segment="PU", wage=3_000_000, day="2024-06-01", programmes="JKP")


@given(
    wage=st.integers(min_value=1, max_value=50_000_000),
    day=st.dates(min_value=dt.date(2021, 2, 2), max_value=dt.date(2026, 12, 31)),
    risk=st.sampled_from(["very_low", "low", "medium", "high", "very_high"]),
)
def test_jkp_never_changes_the_employer_bill(wage: int, day: dt.date, risk: str) -> None:
    without = contribution_calculate(
        segment="PU", wage=wage, day=day, risk=risk, programmes="JKK,JKM"
    )
    with_jkp = contribution_calculate(
        segment="PU", wage=wage, day=day, risk=risk, programmes="JKK,JKM,JKP"
    )
    base = min(wage, 5_000_000)
    government = int((Decimal(base) * Decimal("0.22") / 100).quantize(Decimal(1), ROUND_HALF_UP))
    assert with_jkp.total("employer") == without.total("employer")
    assert with_jkp.total("government") == government
    assert with_jkp.total() == without.total() + government


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [
        ({"segment": "PU", "wage": -5}, "negatif"),
        ({"segment": "XYZ", "wage": 1_000_000}, "tidak dikenal"),
        ({"segment": "PU", "wage": 1_000_000, "day": "2014-12-31"}, "2015"),
        ({"segment": "PU", "wage": 1_000_000, "day": "2024-13-01"}, "YYYY-MM-DD"),
        ({"segment": "PU", "wage": 1_000_000, "risk": "extreme"}, "tidak dikenal"),
        ({"segment": "PU", "wage": 1_000_000, "programmes": "JKK,ABC"}, "ABC"),
        ({"segment": "BPU", "wage": 1_000_000, "programmes": "JP"}, "tidak tersedia"),
        ({"segment": "PU", "wage": 0}, "nol"),
    ],
)
def test_bad_input_is_a_clear_error(kwargs: dict[str, Any], fragment: str) -> None:
    with pytest.raises(ContributionInputError, match=fragment):
        contribution_calculate(**kwargs)


@given(st.integers(min_value=1, max_value=10**11))
def test_parse_wage_accepts_grouped_digits(wage: int) -> None:
    assert parse_wage(f"{wage:,}".replace(",", ".")) == wage
    assert parse_wage(str(wage)) == wage


@given(st.text(max_size=12))
def test_parse_wage_never_crashes(raw: str) -> None:
    with contextlib.suppress(ContributionInputError):
        assert parse_wage(raw) > 0


def test_totals_are_sums_of_rounded_shares() -> None:
    result = contribution_calculate(segment="PU", wage=3_333_333, day="2024-06-01")
    data = result.as_dict()
    assert data["totals"]["total"] == sum(p["total"] for p in data["programmes"])
    assert all(isinstance(p["employer"], int) for p in data["programmes"])


def test_cli_json() -> None:
    out = io.StringIO()
    call_command("contribution", "--segment", "BPU", "--wage", "1000000", "--date", "2024-06-01",
                 "--programs", "JKK,JKM", "--format", "json", stdout=out)  # fmt: skip
    data = json.loads(out.getvalue())
    assert data["totals"]["total"] == 16_800
    assert data["programmes"][1]["legal_basis"] == ["PP 44/2015 jo. PP 82/2019"]


@pytest.mark.parametrize(
    "args",
    [["--segment", "PU", "--wage", "-1"], ["--segment", "ABC", "--wage", "1"],
     ["--segment", "PU", "--wage", "1000000", "--date", "2014-01-01"]],
)  # fmt: skip
def test_cli_bad_input_exit_2(args: list[str]) -> None:
    with pytest.raises(CommandError) as info:
        call_command("contribution", *args, stdout=io.StringIO())
    assert info.value.returncode == 2


def test_today_is_the_default_date() -> None:
    assert contribution_calculate(segment="BPU", wage=1_000_000).date == timezone.localdate()
