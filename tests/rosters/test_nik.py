"""The NIK validator: vectorised and scalar agree on everything; the rules, property by property."""

from __future__ import annotations

import datetime as dt

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st
from stdnum.id import nik as stdnum_nik

from monev.core.nik import MAX_AGE, MIN_AGE, nik_check, nik_validate

PREFIXES = frozenset({"167101", "167102", "160401", "910101"})  # 91.01.01: retired Papua code
AS_OF = dt.date(2024, 6, 30)

kecamatan = st.sampled_from(sorted(PREFIXES))
days = st.integers(min_value=0, max_value=99)
months = st.integers(min_value=0, max_value=99)
years = st.integers(min_value=0, max_value=99)
serials = st.integers(min_value=1, max_value=9999)


def make(prefix: str, day: int, month: int, yy: int, serial: int) -> str:
    return f"{prefix}{day:02d}{month:02d}{yy:02d}{serial:04d}"


nik_like = st.builds(make, kecamatan, days, months, years, serials)
noise = st.text(alphabet="0123456789 .,eE+-'\u00a0abc\t", max_size=20)
anything = st.one_of(nik_like, noise, st.text(max_size=20), st.none())


def vectorised(values: list[str | None]) -> list[str | None]:
    frame = pl.DataFrame({"raw": values}, schema={"raw": pl.String})
    out = nik_validate(frame, "raw", prefixes=PREFIXES, as_of=AS_OF).collect()
    return out["nik_error"].to_list()


def scalar(value: str | None) -> str | None:
    return nik_check(value, prefixes=PREFIXES, as_of=AS_OF).error


@settings(max_examples=300, deadline=None)
@given(st.lists(anything, min_size=1, max_size=30))
def test_vectorised_equals_scalar(values: list[str | None]) -> None:
    assert vectorised(values) == [scalar(v) for v in values]


@settings(deadline=None)
@given(nik_like)
def test_valid_nik_has_a_real_date_that_stdnum_agrees_on(value: str) -> None:
    result = nik_check(value, prefixes=PREFIXES, as_of=AS_OF)
    if result.error is None:
        assert result.birth_date is not None
        assert MIN_AGE <= (AS_OF.year - result.birth_date.year) <= MAX_AGE + 1
        # python-stdnum reads the same day and month (it may pick another century).
        theirs = stdnum_nik.get_birth_date(value)
        assert (theirs.month, theirs.day) == (result.birth_date.month, result.birth_date.day)


@given(kecamatan, st.integers(1, 28), st.integers(1, 12), st.integers(60, 99), serials)
def test_female_day_plus_40_is_the_same_date(prefix, day, month, yy, serial) -> None:
    male = nik_check(make(prefix, day, month, yy, serial), prefixes=PREFIXES, as_of=AS_OF)
    female = nik_check(make(prefix, day + 40, month, yy, serial), prefixes=PREFIXES, as_of=AS_OF)
    assert male.error is None and female.error is None
    assert (male.sex, female.sex) == ("L", "P")
    assert male.birth_date == female.birth_date


@given(kecamatan, st.integers(60, 99), serials)
def test_29_february_only_in_leap_years(prefix, yy, serial) -> None:
    result = nik_check(make(prefix, 29, 2, yy, serial), prefixes=PREFIXES, as_of=AS_OF)
    leap = (1900 + yy) % 4 == 0
    assert (result.error is None) == leap
    assert result.error in (None, "nik_birth_date")


@given(kecamatan, st.integers(1, 28), st.integers(13, 99), st.integers(60, 99), serials)
def test_month_13_and_above(prefix, day, month, yy, serial) -> None:
    result = nik_check(make(prefix, day, month, yy, serial), prefixes=PREFIXES, as_of=AS_OF)
    assert result.error == "nik_birth_date"


@given(st.integers(32, 40) | st.integers(72, 99) | st.just(0))
def test_impossible_days(day: int) -> None:
    assert scalar(make("167101", day, 6, 85, 1)) == "nik_birth_date"


@given(st.from_regex(r"\A[1-9][0-9]{5}\Z").filter(lambda p: p not in PREFIXES))
def test_unknown_kecamatan(prefix: str) -> None:
    assert scalar(make(prefix, 17, 8, 85, 1)) == "nik_region_unknown"


def test_retired_kecamatan_code_stays_valid() -> None:
    assert scalar("9101011708850003") is None


@given(nik_like, st.integers(1, 5))
def test_15_and_17_digits(value: str, cut: int) -> None:
    assert scalar(value[:15]) == "nik_length"
    assert scalar(value + "7") == "nik_length"


@given(st.lists(st.sampled_from([" ", "\t", "\u00a0"]), min_size=1, max_size=4), st.data())
def test_spaces_anywhere_are_ignored(spaces: list[str], data: st.DataObject) -> None:
    value = "1671011708850001"
    for space in spaces:
        at = data.draw(st.integers(0, len(value)))
        value = value[:at] + space + value[at:]
    assert scalar(value) is None
    assert vectorised([value]) == [None]


@given(nik_like, st.integers(0, 15), st.sampled_from("aOIl-/x"))
def test_letters_are_not_digits(value: str, at: int, letter: str) -> None:
    mangled = value[:at] + letter + value[at + 1 :]
    assert scalar(mangled) == "nik_not_digits"


@given(st.from_regex(r"\A[1-9]\.[0-9]{1,9}[eE]\+1[0-9]\Z"))
def test_excel_scientific_notation(value: str) -> None:
    assert scalar(value) == "nik_excel_number"


@given(kecamatan, st.integers(1, 28), st.integers(1, 12), st.integers(60, 99), st.integers(1, 9))
def test_serials_ending_in_000_are_real_niks(prefix, day, month, yy, thousands) -> None:
    """Issue 18: Excel zeroes only the 16th digit, so a serial like 1000 is legitimate."""
    value = make(prefix, day, month, yy, thousands * 1000)
    assert scalar(value) is None
    assert vectorised([value]) == [None]


def test_the_issue_example_is_valid() -> None:
    assert scalar("1671011708851000") is None


@given(kecamatan, st.integers(1, 28), st.integers(1, 12), st.integers(60, 99))
def test_serial_0000_is_invalid(prefix, day, month, yy) -> None:
    value = make(prefix, day, month, yy, 0)
    assert scalar(value) == "nik_serial"
    assert vectorised([value]) == ["nik_serial"]


@given(nik_like, st.sampled_from([".0", ".00", ",0"]))
def test_excel_decimal_tail(value: str, tail: str) -> None:
    assert scalar(value + tail) == "nik_excel_number"


def test_working_age_window() -> None:
    assert scalar("1671010106090001") is None  # born 1 June 2009: 15 at the end of June 2024
    assert scalar("1671010107090001") == "nik_age"  # born 1 July 2009: still 14
    assert scalar("1671010101440001") is None  # born 1944: 80
    assert scalar("1671010101400001") == "nik_age"  # born 1940: 84
