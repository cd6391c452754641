"""NIK validation: one vectorised pass over a Polars column, and the same rules for one value.

A NIK is `PP RR SS DDMMYY XXXX` (domain.md §8.1): the kecamatan where it was issued, the
birth date (female: day + 40) and a serial. The checks, in the order the first failing one
is reported:

1. `nik_missing`       empty cell
2. `nik_excel_number`  Excel turned the NIK into a number: text such as `1.67101E+15` or
                       `1671011708450001.0`; an XLSX cell stored as a number reaches this rule
                       as Excel shows it (`monev.core.xlsx`). A 16-digit text ending in `000`
                       is *not* mangled: Excel keeps 15 significant digits, so only the 16th
                       is zeroed, and serials such as 1000 are real.
3. `nik_not_digits`    anything but digits (after removing spaces and a leading apostrophe)
4. `nik_length`        not 16 digits
5. `nik_serial`        the serial (last 4 digits) is 0000, which Dukcapil never issues
6. `nik_region_unknown` the first 6 digits are no kecamatan that exists or existed (retired
                       codes such as pre-2022 Papua stay valid: old NIKs keep them)
7. `nik_birth_date`    day (1–31, or 41–71 for women), month and date must be real (29 Feb only
                       in leap years)
8. `nik_age`           the birth date gives an age outside the working range at `as_of`

The century is ambiguous (YY): the 2000s are taken when that gives an age of at least
`MIN_AGE`, else the 1900s. `nik_check` is the scalar twin used by the property tests; both
must agree on every input (tests/rosters/test_nik.py proves it with hypothesis).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import polars as pl
from stdnum.util import isdigits

MIN_AGE = 15
MAX_AGE = 80

CODES = (
    "nik_missing",
    "nik_excel_number",
    "nik_not_digits",
    "nik_length",
    "nik_serial",
    "nik_region_unknown",
    "nik_birth_date",
    "nik_age",
)

_STRIP = "[ \t\r\n\u00a0]"  # spaces anywhere, incl. the non-breaking space Excel exports
_EXCEL_SCI = r"^[0-9]+([.,][0-9]+)?[eE][+-]?[0-9]+$"
_EXCEL_DECIMAL = r"^[0-9]{15,17}[.,]0+$"
_SCI_RE = re.compile(_EXCEL_SCI)
_DECIMAL_RE = re.compile(_EXCEL_DECIMAL)
_STRIP_RE = re.compile(_STRIP)


@dataclass(frozen=True)
class NikResult:
    nik: str | None  # normalised (16 digits when valid)
    error: str | None
    birth_date: dt.date | None = None
    sex: str = ""  # "L" or "P"


def normalise(raw: str | None) -> str | None:
    if raw is None:
        return None
    value = _STRIP_RE.sub("", raw).lstrip("'")
    return value or None


def _excel_mangled(value: str) -> bool:
    return bool(_SCI_RE.match(value) or _DECIMAL_RE.match(value))


def _birth(nik: str, as_of: dt.date) -> tuple[dt.date | None, str]:
    day, month, yy = int(nik[6:8]), int(nik[8:10]), int(nik[10:12])
    sex = "P" if day > 40 else "L"
    day = day - 40 if day > 40 else day
    year = 2000 + yy if 2000 + yy <= as_of.year - MIN_AGE else 1900 + yy
    if not (1 <= day <= 31):
        return None, sex
    try:
        return dt.date(year, month, day), sex
    except ValueError:
        return None, sex


def _age(born: dt.date, as_of: dt.date) -> int:
    return as_of.year - born.year - ((as_of.month, as_of.day) < (born.month, born.day))


def nik_check(raw: str | None, *, prefixes: frozenset[str], as_of: dt.date) -> NikResult:
    """Validate one NIK (the scalar twin of `nik_validate`)."""
    value = normalise(raw)
    if value is None:
        return NikResult(None, "nik_missing")
    if _excel_mangled(value):
        return NikResult(value, "nik_excel_number")
    if not isdigits(value):
        return NikResult(value, "nik_not_digits")
    if len(value) != 16:
        return NikResult(value, "nik_length")
    if value.endswith("0000"):
        return NikResult(value, "nik_serial")
    if value[:6] not in prefixes:
        return NikResult(value, "nik_region_unknown")
    born, sex = _birth(value, as_of)
    if born is None:
        return NikResult(value, "nik_birth_date")
    if not (MIN_AGE <= _age(born, as_of) <= MAX_AGE):
        return NikResult(value, "nik_age", born, sex)
    return NikResult(value, None, born, sex)


def nik_validate(
    frame: pl.DataFrame | pl.LazyFrame,
    column: str,
    *,
    prefixes: frozenset[str],
    as_of: dt.date,
) -> pl.LazyFrame:
    """Add `nik` (normalised), `nik_error` (code or null), `birth_date` and `sex` columns.

    Vectorised: a few string kernels and one date parse over the whole column.
    """
    raw = pl.col(column).str.replace_all(_STRIP, "").str.strip_chars_start("'")
    nik = pl.when(raw.str.len_chars() > 0).then(raw)
    day = pl.col("nik").str.slice(6, 2).cast(pl.Int32, strict=False)
    yy = pl.col("nik").str.slice(10, 2).cast(pl.Int32, strict=False)
    min_year = as_of.year - MIN_AGE
    lazy = (
        frame.lazy()
        .with_columns(nik=nik)
        .with_columns(
            _day=pl.when(day > 40).then(day - 40).otherwise(day),
            _year=pl.when(yy + 2000 <= min_year).then(yy + 2000).otherwise(yy + 1900),
            sex=pl.when(day > 40).then(pl.lit("P")).otherwise(pl.lit("L")),
        )
    )
    text = pl.format(
        "{}-{}-{}",
        pl.col("_year"),
        pl.col("nik").str.slice(8, 2),
        pl.col("_day").cast(pl.String).str.zfill(2),
    )
    lazy = lazy.with_columns(
        birth_date=pl.when(pl.col("_day").is_between(1, 31)).then(
            text.str.to_date("%Y-%m-%d", strict=False)
        ),
    )
    return lazy.with_columns(nik_error=_error_expr(prefixes, as_of)).drop("_day", "_year")


def _error_expr(prefixes: frozenset[str], as_of: dt.date) -> pl.Expr:
    nik = pl.col("nik")
    digits16 = nik.str.contains(r"^[0-9]{16}$")
    excel = nik.str.contains(_EXCEL_SCI) | nik.str.contains(_EXCEL_DECIMAL)
    born = pl.col("birth_date")
    year, month, day = (
        part.cast(pl.Int32) for part in (born.dt.year(), born.dt.month(), born.dt.day())
    )
    before_birthday = pl.lit(as_of.month * 100 + as_of.day) < month * 100 + day
    age = pl.lit(as_of.year) - year - before_birthday.cast(pl.Int32)
    return (
        pl.when(nik.is_null())
        .then(pl.lit("nik_missing"))
        .when(excel)
        .then(pl.lit("nik_excel_number"))
        .when(~nik.str.contains(r"^[0-9]+$"))
        .then(pl.lit("nik_not_digits"))
        .when(~digits16)
        .then(pl.lit("nik_length"))
        .when(nik.str.ends_with("0000"))
        .then(pl.lit("nik_serial"))
        .when(~nik.str.slice(0, 6).is_in(sorted(prefixes)))
        .then(pl.lit("nik_region_unknown"))
        .when(born.is_null())
        .then(pl.lit("nik_birth_date"))
        .when(~age.is_between(MIN_AGE, MAX_AGE))
        .then(pl.lit("nik_age"))
        .otherwise(pl.lit(None, dtype=pl.String))
    )
