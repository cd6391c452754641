"""Property tests for the parsers behind every budget and rate file."""

from __future__ import annotations

import contextlib
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from monev.budgets.rates import percent_of, round_rupiah
from monev.budgets.services import InputRejected, parse_rate_file, parse_rate_row
from monev.budgets.tables import parse_rupiah


@given(st.integers(min_value=0, max_value=10**15))
def test_parse_rupiah_round_trips_grouped_digits(value: int) -> None:
    assert parse_rupiah(f"{value:,}") == value
    assert parse_rupiah(f"{value:,}".replace(",", ".")) == value


@given(st.text(max_size=16))
def test_parse_rupiah_only_value_errors(raw: str) -> None:
    with contextlib.suppress(ValueError):
        assert parse_rupiah(raw) is None or parse_rupiah(raw) >= 0  # type: ignore[operator]


@given(
    st.integers(min_value=0, max_value=10**12), st.decimals(min_value=0, max_value=100, places=4)
)
def test_percent_of_is_exact_half_up(wage: int, percent: Any) -> None:
    got = percent_of(wage, percent)
    exact = wage * percent / 100
    assert abs(got - exact) <= 0.5
    assert got == round_rupiah(exact)


@given(st.dictionaries(st.sampled_from(["key", "programme", "segment", "kind", "valid_from",
                                        "legal_basis", "confidence", "employer_percent", "amount"]),
                       st.text(max_size=12)))  # fmt: skip
@settings(max_examples=200)
def test_rate_row_parser_rejects_with_value_error_only(item: dict[str, str]) -> None:
    with contextlib.suppress(ValueError):
        parse_rate_row(item)


@given(st.binary(max_size=200))
def test_rate_file_parser_rejects_cleanly(data: bytes) -> None:
    with contextlib.suppress(InputRejected):
        parse_rate_file(data)


@pytest.mark.parametrize(
    ("column", "value"),
    [("employer_percent", "101"), ("employer_percent", "-1"), ("employer_percent", "NaN"),
     ("amount", "-5"), ("valid_to", "2010-01-01"), ("kind", "bonus"), ("confidence", "X")],
)  # fmt: skip
def test_rate_row_bad_values(column: str, value: str) -> None:
    base = {"key": "k", "programme": "JKK", "segment": "PU", "kind": "rate", "valid_from": "2015-07-01",
            "legal_basis": "PP", "confidence": "H"}  # fmt: skip
    with pytest.raises(ValueError):
        parse_rate_row({**base, column: value})


@given(st.binary(max_size=300), st.sampled_from(["a.csv", "a.xlsx", "a.txt", "a.doc"]))
@settings(max_examples=150)
def test_read_table_fails_only_with_table_error(data: bytes, name: str) -> None:
    from monev.budgets.tables import TableError, read_table

    with contextlib.suppress(TableError):
        read_table(data, name)


@given(st.lists(st.text(alphabet='0123456789.,;"-x ', max_size=8), min_size=5, max_size=5))
@settings(max_examples=150)
def test_read_table_csv_rows(cells: list[str]) -> None:
    from monev.budgets.tables import TableError, read_table

    data = (
        "kode_pemda,tahun_anggaran,kategori,sumber_dana,pagu\n" + ",".join(cells) + "\n"
    ).encode()
    with contextlib.suppress(TableError):
        frame = read_table(data, "a.csv")
        assert "row" in frame.columns
