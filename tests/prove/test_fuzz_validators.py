"""Fuzz the single-value validators behind every form, API parameter and file column:
any text ends in a value or the validator's own error, never another exception (the NIK
rules both vectorised and one value at a time)."""

from __future__ import annotations

import contextlib
import datetime as dt

import polars as pl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from monev.budgets.rates import ContributionInputError, parse_date, parse_wage
from monev.budgets.tables import parse_rupiah
from monev.core.nik import nik_check, nik_validate, normalise
from monev.regions.codes import parse_period, parse_region_code

FUZZ = settings(max_examples=200, deadline=None, suppress_health_check=list(HealthCheck))
AS_OF = dt.date(2026, 6, 30)
PREFIXES = frozenset({"167101", "160401", "317101"})
text = st.one_of(
    st.text(max_size=30),
    st.from_regex(r"[0-9 .,\-+eE']{0,20}", fullmatch=True),
    st.from_regex(r"(16|31)71[0-9]{2}[0-7][0-9][01][0-9][0-9]{2}[0-9]{4}", fullmatch=True),
)


@FUZZ
@given(raw=text)
def test_region_and_period_parsers(raw: str) -> None:
    for parse in (parse_region_code, parse_period):
        with contextlib.suppress(ValueError):
            parse(raw)


@FUZZ
@given(raw=text)
def test_money_and_date_parsers(raw: str) -> None:
    with contextlib.suppress(ValueError):
        parse_rupiah(raw)
    for parse in (parse_wage, parse_date):
        with contextlib.suppress(ContributionInputError):
            parse(raw)


@FUZZ
@given(values=st.lists(st.one_of(st.none(), text), max_size=20))
def test_nik_rules_never_raise(values: list[str | None]) -> None:
    frame = pl.DataFrame({"nik": values}, schema={"nik": pl.String})
    checked = nik_validate(frame, "nik", prefixes=PREFIXES, as_of=AS_OF)
    if isinstance(checked, pl.LazyFrame):
        checked = checked.collect()
    assert checked.height == len(values)
    for raw in values:
        normalise(raw)
        nik_check(raw, prefixes=PREFIXES, as_of=AS_OF)
