"""The targeting rule on a hand-built case: every combination of poor/not, working/not,
protected/not and on a roster/not, plus the edges, with the exact expected list."""

from __future__ import annotations

import datetime as dt
import itertools
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from monev.core.scope import SYSTEM
from monev.targeting import engine, selectors
from monev.targeting.findings import targeting_findings
from monev.targeting.services import TargetingError, target_run
from tests.coverage.factories import import_registry, roster_version
from tests.targeting.factories import import_register, nik, person

pytestmark = pytest.mark.django_db
PERIOD = "2025-03"
LAHAT, PALEMBANG = "16.04", "16.71"


def _label(poor: bool, working: bool, protected: bool, listed: bool) -> str:
    return "-".join(
        [
            "miskin" if poor else "mampu",
            "bekerja" if working else "tidakbekerja",
            "terlindungi" if protected else "tanpaperlindungan",
            "didaftar" if listed else "takdidaftar",
        ]
    )


def build_case(tmp_path: Path) -> None:
    """27 people; the registry, Lahat's and Palembang's rosters around them."""
    people: list[dict[str, Any]] = []
    registry: list[dict[str, Any]] = [{"nik": nik(9999, kecamatan="167101"), "segmen": "PU"}]
    lahat_rentan: list[tuple[str, str, str]] = []
    combos = itertools.product([True, False], repeat=4)
    for serial, (poor, working, protected, listed) in enumerate(combos, start=1):
        row = person(
            serial,
            _label(poor, working, protected, listed),
            desil=2 if poor else 7,
            working="bekerja" if working else "tidak bekerja",
        )
        people.append(row)
        if protected:
            registry.append({"nik": row["nik"], "segmen": "BPU", "program": "JKK,JKM"})
        if listed:
            lahat_rentan.append((row["nik"], row["nama"], "RENTAN"))
    edges = [
        person(17, "lapsed", pekerjaan="Nelayan"),
        person(18, "partial", pekerjaan="Nelayan"),
        person(19, "paid-before-period", pekerjaan="Pedagang"),
        person(20, "on-palembang-rentan"),
        person(21, "on-lahat-nonasn"),
        person(22, "too-old", tanggal_lahir="1954-01-01"),
        person(23, "too-young", umur=14),
        person(24, "desil-4", desil=4, region="16.04.01.2002"),
        person(25, "desil-5", desil=5),
        person(26, "nik-palembang-lives-lahat", kecamatan="167101"),
        person(27, "nik-lahat-lives-palembang", region="16.71.01.1001"),
    ]
    people += edges
    registry += [
        {"nik": nik(17), "segmen": "BPU", "status": "NONAKTIF"},
        {"nik": nik(18), "segmen": "BPU", "program": "JKK"},
        {"nik": nik(19), "segmen": "BPU", "iuran_terakhir": "2025-01"},
    ]
    import_register(tmp_path, "2025-01", people)
    import_registry(tmp_path, PERIOD, registry)
    lahat_rentan.append((nik(90), "someone-else", "RENTAN"))
    roster_version(LAHAT, PERIOD, [*lahat_rentan, (nik(21), "on-lahat-nonasn", "NON_ASN")])
    roster_version(PALEMBANG, PERIOD, [(nik(20), "on-palembang-rentan", "RENTAN")])


EXPECTED_LAHAT = {
    # name: (registry status, roster status, desil)
    _label(True, True, False, True): ("NOT_FOUND", "RENTAN_BACKLOG", 2),
    _label(True, True, False, False): ("NOT_FOUND", "NO_ROSTER", 2),
    "lapsed": ("LAPSED", "NO_ROSTER", 2),
    "partial": ("PARTIAL", "NO_ROSTER", 2),
    "paid-before-period": ("LAPSED", "NO_ROSTER", 2),
    "on-palembang-rentan": ("NOT_FOUND", "OTHER_ROSTER", 2),
    "on-lahat-nonasn": ("NOT_FOUND", "OTHER_ROSTER", 2),
    "desil-4": ("NOT_FOUND", "NO_ROSTER", 4),
    "nik-palembang-lives-lahat": ("NOT_FOUND", "NO_ROSTER", 2),
}


def _lahat(cast: dict[str, Any]) -> Any:
    return selectors.target_stat_get(user=cast["lahat"], pemda_code=LAHAT, period=PERIOD)


def test_exact_target_list(tmp_path: Path, cast: dict[str, Any], rates: None) -> None:
    build_case(tmp_path)
    run = target_run(period=PERIOD, by=SYSTEM)
    stat = _lahat(cast)
    people, total = selectors.target_people(stat=stat)
    got = {
        r["name"]: (str(r["status"]), str(r["roster_status"]), r["desil"])
        for r in people.iter_rows(named=True)
    }
    assert got == EXPECTED_LAHAT
    assert total == len(EXPECTED_LAHAT)
    # eligible = the 9 targets + the 2 poor working protected (listed or not)
    assert (stat.eligible, stat.protected, stat.targets) == (11, 2, 9)
    assert (stat.backlog, stat.other_roster, stat.no_roster) == (1, 2, 6)
    assert (stat.lapsed, stat.partial, stat.not_found) == (2, 1, 6)
    assert stat.residents == 26  # everyone whose kode_wilayah is in Lahat
    assert stat.by_desil == {"2": 8, "4": 1}
    assert stat.by_desa == {"16.04.01.2001": 8, "16.04.01.2002": 1}
    assert stat.by_occupation == {"NELAYAN": 2, "PEDAGANG": 1, "PETANI": 6}
    assert run.package_monthly == 16_800  # JKK 1% × Rp1 juta + JKM Rp6.800, from the rates
    assert stat.monthly_cost == 9 * 16_800 and stat.yearly_cost == 9 * 16_800 * 12
    palembang = selectors.target_stat_get(
        user=cast["palembang"], pemda_code=PALEMBANG, period=PERIOD
    )
    names, _ = selectors.target_people(stat=palembang)
    assert names["name"].to_list() == ["nik-lahat-lives-palembang"]
    assert all(m.startswith(("1604", "1671")) and "********" in m for m in people["nik_masked"])


def test_filters_and_findings(tmp_path: Path, cast: dict[str, Any], rates: None) -> None:
    build_case(tmp_path)
    target_run(period=PERIOD, by=SYSTEM)
    stat = _lahat(cast)
    backlog, n = selectors.target_people(
        stat=stat, filters=selectors.PeopleFilter(roster_status="RENTAN_BACKLOG")
    )
    assert n == 1 and backlog["name"].to_list() == [_label(True, True, False, True)]
    lapsed, n = selectors.target_people(stat=stat, filters=selectors.PeopleFilter(status="LAPSED"))
    assert sorted(lapsed["name"].to_list()) == ["lapsed", "paid-before-period"]
    codes = [f.code for f in targeting_findings(pemda=LAHAT, period=PERIOD)]
    assert codes == [
        "poor_workers_unprotected",
        "rentan_registration_backlog",
        "poor_workers_not_listed",
    ]
    first = targeting_findings(pemda=LAHAT, period=PERIOD)[0]
    assert first.severity == "red" and first.values["targets"] == 9  # 2 of 11 protected
    assert targeting_findings(pemda="16.01", period=PERIOD) == []


def test_rule_is_configurable(tmp_path: Path, cast: dict[str, Any], rates: None) -> None:
    build_case(tmp_path)
    target_run(period=PERIOD, by=SYSTEM, rule=engine.Rule(max_desil=5, min_age=15, max_age=75))
    stat = _lahat(cast)
    names = set(selectors.target_people(stat=stat)[0]["name"].to_list())
    assert names == set(EXPECTED_LAHAT) | {"desil-5", "too-old"}


def test_rerun_replaces_and_old_results_go(tmp_path: Path, rates: None) -> None:
    build_case(tmp_path)
    first = target_run(period=PERIOD, by=SYSTEM)
    second = target_run(period=PERIOD, by=SYSTEM)
    first.refresh_from_db()
    assert second.is_current and not first.is_current
    assert not first.has_results and second.has_results


def test_missing_inputs_are_clear(tmp_path: Path) -> None:
    with pytest.raises(TargetingError, match="DTSEN"):
        target_run(period=PERIOD, by=SYSTEM)
    import_register(tmp_path, "2025-01", [person(1, "a")])
    with pytest.raises(TargetingError, match="registri"):
        target_run(period=PERIOD, by=SYSTEM)


def test_list_after_the_period_is_not_used(tmp_path: Path) -> None:
    import_register(tmp_path, "2025-06", [person(1, "a")])
    with pytest.raises(TargetingError, match="DTSEN"):
        target_run(period=PERIOD, by=SYSTEM)


def test_engine_needs_no_database() -> None:
    people = pl.LazyFrame(
        {
            "pemda_code": ["16.04"],
            "row": [2],
            "nik_hash": ["a" * 64],
            "nik_masked": ["1604********0001"],
            "name": ["a"],
            "kode_wilayah": ["16.04.01"],
            "desa_code": [None],
            "desil": [1],
            "working": [True],
            "occupation": [None],
            "birth_date": [None],
            "age": [30],
        },
        schema_overrides={"desa_code": pl.String, "occupation": pl.String, "birth_date": pl.Date},
    )
    registry = pl.LazyFrame(
        {"nik_hash": ["b" * 64], "programs": [3], "active": [True], "paid_until": [None]},
        schema_overrides={"programs": pl.UInt8, "paid_until": pl.Int32},
    )
    out = engine.target_results(
        people=people,
        registry=registry,
        rosters=engine.empty_rosters(),
        period="2026-03",
        as_of="2025-03",
        rule=engine.Rule(),
    ).collect()
    assert out["age_now"].to_list() == [31]  # listed age moved on a year
    assert out["status"].cast(pl.String).to_list() == ["NOT_FOUND"]


@given(
    born=st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2030, 12, 31)),
    year=st.integers(2020, 2035),
    month=st.integers(1, 12),
)
def test_age_expr_equals_the_calendar(born: dt.date, year: int, month: int) -> None:
    period = f"{year}-{month:02d}"
    frame = pl.DataFrame({"birth_date": [born], "age": [None]}, schema_overrides={"age": pl.UInt8})
    got = frame.select(engine.age_expr(period, "2025-01").alias("a"))["a"].item()
    day = dt.date(year, month, 1)
    assert got == day.year - born.year - ((day.month, day.day) < (born.month, born.day))
