"""Fuzz every file parser: random bytes, wrong encodings, huge cells, zip bombs, 0 rows,
1 column, very many columns. A bad file must end in the parser's own file error (shown to
the user as a clear message), never in any other exception."""

from __future__ import annotations

import contextlib
import datetime as dt
import time
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from monev.budgets.services import InputRejected, parse_rate_file
from monev.budgets.tables import TableError, read_table
from monev.registry import engine as registry_engine
from monev.rosters import engine as roster_engine
from monev.targeting.engine import intake as targeting_intake
from tests.prove.hostile import FORMULAS, ROSTER_HEADER, hostile_files, many_columns_csv

FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
HOSTILE = hostile_files()
SUFFIXES = st.sampled_from(["a.csv", "a.xlsx", "a.txt", "a.xlsm", "a.csv.gz", "a.parquet", "a"])

cell = st.one_of(
    st.text(max_size=40),
    st.sampled_from(FORMULAS),
    st.from_regex(r"[0-9]{16}", fullmatch=True),
    st.sampled_from(["", " ", '"', '""', "\r", ";", "\ufeff", "NaN", "1e308", "-0"]),
)


def _csv(rows: list[list[str]], sep: str) -> bytes:
    def quote(v: str) -> str:
        return '"' + v.replace('"', '""') + '"'

    lines = [sep.join(ROSTER_HEADER.split(","))] + [sep.join(quote(v) for v in r) for r in rows]
    return "\n".join(lines).encode("utf-8")


def _roster(data: bytes, filename: str) -> None:
    try:
        frame = roster_engine.read_roster(data, filename)
    except roster_engine.RosterFileError:
        return
    roster_engine.validate_rows(
        frame, pemda_code="16.71", as_of=dt.date(2026, 6, 30), prefixes=frozenset(), hash_niks=False
    )


def _table(data: bytes, filename: str) -> None:
    with contextlib.suppress(TableError):
        read_table(data, filename)


def _rates(data: bytes, _filename: str) -> None:
    with contextlib.suppress(InputRejected):
        parse_rate_file(data)


def _registry(data: bytes, filename: str, tmp: Path) -> None:
    path = tmp / filename
    path.write_bytes(data)
    with contextlib.suppress(registry_engine.RegistryFileError):
        registry_engine.read_extract(path)


def _targeting(data: bytes, filename: str, tmp: Path) -> None:
    path = tmp / filename
    path.write_bytes(data)
    with contextlib.suppress(targeting_intake.RegisterFileError):
        targeting_intake.read_list(path)


# --------------------------------------------------------------------- random bytes, any name


@FUZZ
@given(data=st.binary(max_size=4096), filename=SUFFIXES)
def test_random_bytes_roster(data: bytes, filename: str) -> None:
    _roster(data, filename)


@FUZZ
@given(data=st.binary(max_size=4096), filename=SUFFIXES)
def test_random_bytes_tables(data: bytes, filename: str) -> None:
    _table(data, filename)
    _rates(data, filename)


@FUZZ
@given(data=st.binary(max_size=4096), filename=SUFFIXES)
def test_random_bytes_registry_and_dtsen(data: bytes, filename: str, tmp_path_factory: Any) -> None:
    tmp = tmp_path_factory.mktemp("fz")
    _registry(data, filename, tmp)
    _targeting(data, filename, tmp)


# ---------------------------------------------------------- well-formed CSV, hostile cells


@FUZZ
@given(
    rows=st.lists(st.lists(cell, min_size=0, max_size=9), max_size=20),
    sep=st.sampled_from([",", ";", "\t", "|"]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16"]),
)
def test_roster_csv_with_hostile_cells(rows: list[list[str]], sep: str, encoding: str) -> None:
    text = _csv(rows, sep).decode("utf-8")
    try:
        data = text.encode(encoding)
    except UnicodeEncodeError:
        data = text.encode(encoding, errors="replace")
    _roster(data, "a.csv")
    _table(data, "a.csv")


# --------------------------------------------------------------------- the fixed hostile set


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_file_every_parser(name: str, tmp_path: Path) -> None:
    filename, data = HOSTILE[name]
    _roster(data, filename)
    _table(data, filename)
    _rates(data, filename)
    _registry(data, filename, tmp_path)
    _targeting(data, filename, tmp_path)


def test_one_column_and_zero_rows_are_file_errors() -> None:
    for name in ("header_only", "one_column", "empty", "only_spaces"):
        filename, data = HOSTILE[name]
        with pytest.raises(roster_engine.RosterFileError):
            roster_engine.read_roster(data, filename)


@pytest.mark.parametrize("parser", ["roster", "table", "registry", "dtsen"])
def test_very_many_columns_are_refused_quickly(parser: str, tmp_path: Path) -> None:
    """30 000 columns (a 200 kB upload) must be refused in seconds, not minutes."""
    data = many_columns_csv(30_000)
    started = time.perf_counter()
    if parser == "roster":
        _roster(data, "a.csv")
    elif parser == "table":
        _table(data, "a.csv")
    elif parser == "registry":
        _registry(data, "a.csv", tmp_path)
    else:
        _targeting(data, "a.csv", tmp_path)
    assert time.perf_counter() - started < 5.0, parser


def test_formula_cell_is_kept_as_text() -> None:
    filename, data = HOSTILE["formula"]
    frame = roster_engine.read_roster(data, filename)
    assert frame["nama"][0] == FORMULAS[0]
    assert isinstance(frame, pl.DataFrame)
