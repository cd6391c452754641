"""Registry extracts in Polars: read CSV/CSV.GZ/Parquet, validate every row in one vectorised
pass, hash the NIK and write the pseudonymised Parquet file the match reads.

Nothing here touches the database; `services.py` feeds it the kecamatan prefixes and stores
the result. The clear NIK exists only in memory here and is dropped before anything is written.

Stored columns (docs/formats/registry.md): `nik_key` (the first 124 bits of the NIK's HMAC
as an Int128: the join key, ~10× cheaper to hash than the hex, and the hex column would
quadruple the file and its write time), `segmen` (enum),
`programs` (bit mask, see PROGRAM_BITS), `npp`, `upah`, `active` (status AKTIF),
`paid_until` (month index year*12+month-1, or null), `kode_wilayah`, `nik_repeated` (the
NIK has more than one row in the extract).
"""

from __future__ import annotations

import gzip
import io
import re
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl

from monev.core.files import atomic_path
from monev.registry.hashing import nik_hash_fixed

COLUMNS = (
    "nik",
    "kpj",
    "segmen",
    "program",
    "npp",
    "upah",
    "status",
    "iuran_terakhir",
    "kode_wilayah",
)
REQUIRED = ("nik", "segmen", "program", "status")
SEGMENTS = ("PU", "BPU", "JAKON", "PMI")
SEGMENT_ENUM = pl.Enum(list(SEGMENTS))
PROGRAM_BITS = {"JKK": 1, "JKM": 2, "JHT": 4, "JP": 8, "JKP": 16}
STATUSES = {"AKTIF": True, "NONAKTIF": False}
MAX_WAGE = 1_000_000_000
MAX_PROGRAM_LIST = 40

HEADER_ALIASES = {
    "no_nik": "nik",
    "nik_ktp": "nik",
    "no_kpj": "kpj",
    "segment": "segmen",
    "programs": "program",
    "program_list": "program",
    "gaji": "upah",
    "wage": "upah",
    "status_kepesertaan": "status",
    "paid_until": "iuran_terakhir",
    "bulan_iuran_terakhir": "iuran_terakhir",
    "wilayah": "kode_wilayah",
}

ERROR_SCHEMA = {"row": pl.Int64, "column": pl.String, "code": pl.String, "detail": pl.String}

Progress = Callable[[int, int, str], None]


class RegistryFileError(Exception):
    """The file as a whole cannot be used (unreadable, empty, a required column missing)."""

    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code, self.detail = code, detail


@dataclass
class Checked:
    rows: pl.DataFrame  # pseudonymised valid rows, in the stored schema
    errors: pl.DataFrame  # row, column, code, detail (never a clear NIK)
    total: int

    @property
    def n_valid(self) -> int:
        return self.rows.height

    @property
    def n_invalid(self) -> int:
        return self.total - self.rows.height

    def error_counts(self) -> dict[str, int]:
        if self.errors.is_empty():
            return {}
        counts = self.errors.group_by("code").len().sort("code")
        return dict(zip(counts["code"].to_list(), counts["len"].to_list(), strict=True))


BATCH_ROWS = 2_000_000  # rows validated and hashed at a time: memory stays bounded


def read_extract(path: Path) -> pl.DataFrame:
    """The whole extract at once (small files and tests); see `read_batches`."""
    return pl.concat(list(read_batches(path)))


def read_batches(path: Path, batch_rows: int = BATCH_ROWS) -> Iterator[pl.DataFrame]:
    """Every column as text, headers normalised; Parquet, CSV or gzip'd CSV (`;` or `,`),
    streamed in batches of about `batch_rows` rows. A file that turns out unreadable
    part-way raises RegistryFileError from the iteration."""
    name = path.name.lower()
    try:
        if name.endswith(".parquet"):
            lazy = pl.scan_parquet(path).select(pl.all().cast(pl.String))
        elif name.endswith((".csv", ".csv.gz", ".gz", ".txt")):
            lazy = _scan_csv(path)
        else:
            raise RegistryFileError("file_type", path.suffix)
        lazy = _with_canonical_headers(lazy)
        empty = True
        for batch in lazy.collect_batches(chunk_size=batch_rows):
            if batch.height:
                empty = False
                yield batch
        if empty:
            raise RegistryFileError("file_empty")
    except RegistryFileError:
        raise
    except (pl.exceptions.PolarsError, OSError, UnicodeDecodeError, EOFError) as exc:
        raise RegistryFileError("file_unreadable", str(exc).splitlines()[0][:200]) from None


def _scan_csv(path: Path) -> pl.LazyFrame:
    opener = gzip.open if _is_gzip(path) else open
    with opener(path, "rb") as handle:
        head = handle.read(4096)
    separator = (
        ";" if head.split(b"\n", 1)[0].count(b";") > head.split(b"\n", 1)[0].count(b",") else ","
    )
    source: Path | io.BytesIO = path
    if _is_gzip(path):
        with gzip.open(path, "rb") as handle:
            source = io.BytesIO(handle.read())
    return pl.scan_csv(
        source, separator=separator, infer_schema=False, encoding="utf8-lossy", quote_char='"'
    )


def _is_gzip(path: Path) -> bool:
    with open(path, "rb") as handle:
        return handle.read(2) == b"\x1f\x8b"


def _with_canonical_headers(frame: pl.LazyFrame) -> pl.LazyFrame:
    renames = {}
    for column in frame.collect_schema().names():
        key = column.strip().lower().replace(" ", "_").replace("-", "_").lstrip("\ufeff")
        renames[column] = HEADER_ALIASES.get(key, key)
    frame = frame.rename(renames)
    names = frame.collect_schema().names()
    missing = [c for c in REQUIRED if c not in names]
    if missing:
        raise RegistryFileError("column_missing", ", ".join(missing))
    extra = [pl.lit(None, dtype=pl.String).alias(c) for c in COLUMNS if c not in names]
    return frame.with_columns(extra).select(COLUMNS)


def validate(
    frame: pl.DataFrame,
    *,
    period: str,
    prefixes: frozenset[str],
    progress: Progress | None = None,
) -> Checked:
    """`validate_batches` of one frame."""
    return validate_batches([frame], period=period, prefixes=prefixes, progress=progress)


KEEP = ["nik", "_segmen", "_programs", "npp", "_upah", "_active", "_paid", "kode_wilayah"]


def validate_batches(
    batches: Iterable[pl.DataFrame],
    *,
    period: str,
    prefixes: frozenset[str],
    progress: Progress | None = None,
) -> Checked:
    """Check every row; hash the NIK of the valid ones.

    Batch by batch, one cheap pass decides good or bad for every row (low-cardinality
    columns — segment, programmes, status, paid-up month, region — are parsed once per
    distinct value and mapped back); the detailed error codes are worked out only for the
    bad rows; the valid rows are hashed and kept in their stored (compact) form. Repeated
    rows can span batches, so each batch leaves a small key per row (row, NIK as a number,
    a hash of NIK, segment and NPP) and repeats are found over all of them at the end.
    """
    stored: list[pl.DataFrame] = []
    errors: list[pl.DataFrame] = []
    keys: list[pl.DataFrame] = []
    total = 0

    def collect(done: Future[tuple[pl.DataFrame, pl.DataFrame | None, pl.DataFrame]]) -> None:
        rows, bad, key = done.result()
        stored.append(rows)
        keys.append(key)
        if bad is not None:
            errors.append(bad)

    # Two batches in flight: while one is checked and hashed, the next is read and the one
    # before finishes; Polars lets go of the GIL, so the gaps between its steps fill up.
    with ThreadPoolExecutor(max_workers=2) as pool:
        pending: deque[Future[tuple[pl.DataFrame, pl.DataFrame | None, pl.DataFrame]]] = deque()
        for batch in batches:
            pending.append(pool.submit(_check_batch, batch, 2 + total, prefixes))
            total += batch.height
            if len(pending) == 2:
                collect(pending.popleft())
                if progress:
                    progress(total, 0, "validate")
        while pending:
            collect(pending.popleft())
    rows = pl.concat(stored)
    repeats, shared = _repeats(pl.concat(keys))
    # The match groups a person's rows only where there are several (docs/matching.md).
    rows = rows.with_columns(
        nik_repeated=pl.col("row").is_in(shared.implode()) if shared.len() else pl.lit(False)
    )
    if repeats.height:
        rows = rows.filter(~pl.col("row").is_in(repeats["row"].implode()))
        errors.append(_duplicate_errors(repeats))
    error_frame = pl.concat(errors).sort("row", "column") if errors else _no_errors()
    return Checked(rows=rows.drop("row"), errors=error_frame, total=total)


def _check_batch(
    batch: pl.DataFrame, first_row: int, prefixes: frozenset[str]
) -> tuple[pl.DataFrame, pl.DataFrame | None, pl.DataFrame]:
    """One batch: its stored rows (with `row`), its errors (None when none) and the key of
    each row with a numeric NIK for the repeat check."""
    checked = _normalised(batch.with_row_index("row", offset=first_row), prefixes)
    keys = checked.filter(pl.col("_number").is_not_null()).select(
        "row",
        "_number",
        pl.struct("nik", "_segmen", "npp").hash(seed=7).alias("_key"),
        pl.col("_nik_ok").fill_null(False),
    )
    bad = checked.filter(pl.col("_bad"))
    errors = _collect_errors(bad, prefixes) if bad.height else None
    valid = checked.filter(~pl.col("_bad")).select("row", *KEEP)
    del checked, bad
    hashes = nik_hash_fixed(valid["nik"])
    rows = valid.select(
        "row",
        hashes.to_frame("nik_hash").select(nik_key_expr()).to_series(),
        pl.col("_segmen").cast(SEGMENT_ENUM).alias("segmen"),
        pl.col("_programs").alias("programs"),
        pl.col("npp"),
        pl.col("_upah").alias("upah"),
        pl.col("_active").alias("active"),
        pl.col("_paid").alias("paid_until"),
        pl.col("kode_wilayah"),
    )
    return rows, errors, keys


MAX_DISTINCT = 100_000  # above this a column is parsed with plain expressions instead
INVALID = -1


def _parse_segment(value: str) -> str | None:
    value = value.strip().upper()
    return value if value in SEGMENTS else None


def _parse_programs(value: str) -> int:
    tokens = re.findall(r"[A-Za-z]+", value.upper())
    if not tokens or len(value) > MAX_PROGRAM_LIST or any(t not in PROGRAM_BITS for t in tokens):
        return 0
    mask = 0
    for token in tokens:
        mask |= PROGRAM_BITS[token]
    return mask


def _parse_status(value: str) -> bool | None:
    return STATUSES.get(value.strip().upper())


def _parse_paid(value: str) -> int | None:
    value = value.strip()
    if not value:
        return None
    if not _PERIOD_RE.match(value):
        return INVALID
    return int(value[:4]) * 12 + int(value[5:7]) - 1


def _parse_region(value: str) -> bool | None:
    value = value.strip()
    return None if not value else bool(_REGION_RE.match(value))


_PERIOD_RE = re.compile(r"^[0-9]{4}-(0[1-9]|1[0-2])$")
_REGION_RE = re.compile(r"^[0-9]{2}(\.[0-9]{2}(\.[0-9]{2,3}(\.[0-9]{4})?)?)?$")


def _mapped(frame: pl.DataFrame, column: str, parse: Any, dtype: Any) -> pl.Expr:
    """`parse` applied once per distinct value, then mapped over the column."""
    values = frame.get_column(column).unique()
    if len(values) > MAX_DISTINCT:
        return pl.col(column).map_elements(parse, return_dtype=dtype, skip_nulls=True)
    mapping = {v: parse(v) for v in values.to_list() if v is not None}
    return pl.col(column).replace_strict(mapping, default=None, return_dtype=dtype)


def _normalised(frame: pl.DataFrame, prefixes: frozenset[str]) -> pl.DataFrame:
    nik = pl.col("nik").str.strip_chars().str.strip_chars_start("'")
    upah = pl.col("upah").str.strip_chars()
    frame = frame.with_columns(
        nik=nik,
        npp=pl.col("npp").str.strip_chars(),
        upah=pl.when(upah.str.len_bytes() > 0).then(upah),
        _segmen=_mapped(frame, "segmen", _parse_segment, pl.String),
        _programs=_mapped(frame, "program", _parse_programs, pl.UInt8).fill_null(0),
        _active=_mapped(frame, "status", _parse_status, pl.Boolean),
        _paid_raw=_mapped(frame, "iuran_terakhir", _parse_paid, pl.Int32),
        _region_ok=_mapped(frame, "kode_wilayah", _parse_region, pl.Boolean),
    )
    # The NIK as a number: its parts by integer division instead of string slices, and the
    # duplicate check below sorts it.
    number = pl.col("_number")
    known = pl.Series([int(p) for p in prefixes], dtype=pl.UInt64).implode()
    district = (number // 10**10).is_in(known)
    day = (number // 10**8) % 100
    month = (number // 10**6) % 100
    wage = (
        pl.col("upah").str.strip_suffix(".00").str.strip_suffix(",00").cast(pl.Int64, strict=False)
    )
    frame = frame.with_columns(
        _number=pl.col("nik").str.to_integer(base=10, dtype=pl.UInt64, strict=False)
    ).with_columns(
        _nik_ok=(pl.col("nik").str.len_bytes() == 16)
        & ~pl.col("nik").str.starts_with("+")
        & (pl.col("_number") % 10_000 != 0)  # serial 0000 is never issued
        & district
        & (day.is_between(1, 31) | day.is_between(41, 71))
        & month.is_between(1, 12),
        _upah=wage,
        _paid=pl.when(pl.col("_paid_raw") >= 0).then(pl.col("_paid_raw")),
    )
    bad = (
        ~pl.col("_nik_ok").fill_null(False)
        | pl.col("_segmen").is_null()
        | (pl.col("_programs") == 0)
        | pl.col("_active").is_null()
        | (pl.col("_paid_raw") == INVALID).fill_null(False)
        | (pl.col("upah").is_not_null() & ~pl.col("_upah").is_between(0, MAX_WAGE).fill_null(False))
        | (pl.col("_region_ok") == False).fill_null(False)  # noqa: E712
    )
    return frame.with_columns(_bad=bad)


def _repeats(keys: pl.DataFrame) -> tuple[pl.DataFrame, pl.Series]:
    """Later rows repeating a NIK, segment and NPP (`row`, `_dup_of` — the first such row —
    and `_nik_ok`), and every row whose NIK occurs more than once. Only those (a person in
    two segments, or a real duplicate) get the full-key comparison."""
    number = keys.get_column("_number")
    ordered = number.sort()  # a sort is ~5× cheaper than is_duplicated here
    repeated = ordered.filter(ordered == ordered.shift(1)).unique()
    if repeated.is_empty():
        schema = {"row": pl.UInt32, "_dup_of": pl.UInt32, "_nik_ok": pl.Boolean}
        return pl.DataFrame(schema=schema), pl.Series("row", [], dtype=pl.UInt32)
    subset = keys.filter(number.is_in(repeated.implode()))
    firsts = subset.group_by("_number", "_key").agg(pl.col("row").min().alias("_dup_of"))
    repeats = (
        subset.join(firsts, on=["_number", "_key"], how="left")
        .filter(pl.col("row") != pl.col("_dup_of"))
        .select("row", "_dup_of", "_nik_ok")
    )
    return repeats, subset.get_column("row")


def _duplicate_errors(repeats: pl.DataFrame) -> pl.DataFrame:
    """A repeated row with an otherwise valid NIK is reported as a duplicate of the first;
    one with a bad NIK already has that error."""
    return _errors(
        repeats, pl.col("_nik_ok"), "nik", pl.lit("duplicate"), pl.col("_dup_of").cast(pl.String)
    )


def _nik_error(prefixes: frozenset[str]) -> pl.Expr:
    """The roster rules that matter for a machine extract (only run on the bad rows)."""
    nik = pl.col("nik")
    day = nik.str.slice(6, 2).cast(pl.Int32, strict=False)
    month = nik.str.slice(8, 2).cast(pl.Int32, strict=False)
    return (
        pl.when(nik.is_null() | (nik.str.len_bytes() == 0))
        .then(pl.lit("nik_missing"))
        .when(nik.str.contains(r"[eE.,]"))
        .then(pl.lit("nik_excel_number"))
        .when(~nik.str.contains(r"^[0-9]+$"))
        .then(pl.lit("nik_not_digits"))
        .when(nik.str.len_bytes() != 16)
        .then(pl.lit("nik_length"))
        .when(nik.str.ends_with("0000"))
        .then(pl.lit("nik_serial"))
        .when(~nik.str.slice(0, 6).is_in(sorted(prefixes)))
        .then(pl.lit("nik_region_unknown"))
        .when(~(day.is_between(1, 31) | day.is_between(41, 71)) | ~month.is_between(1, 12))
        .then(pl.lit("nik_birth_date"))
        .otherwise(pl.lit(None, dtype=pl.String))
        .alias("_e_nik")
    )


def _field_errors() -> dict[str, tuple[str, pl.Expr, pl.Expr]]:
    """column -> (error code, failing-row condition, detail shown in the report)."""
    wage = pl.col("_upah")
    return {
        "segmen": (
            "segment_unknown",
            pl.col("_segmen").is_null(),
            pl.col("segmen").str.slice(0, 30),
        ),
        "program": (
            "program_unknown",
            pl.col("_programs") == 0,
            pl.col("program").str.slice(0, 40),
        ),
        "upah": (
            "wage_invalid",
            pl.col("upah").is_not_null() & ~wage.is_between(0, MAX_WAGE).fill_null(False),
            pl.col("upah").str.slice(0, 20),
        ),
        "status": (
            "status_unknown",
            pl.col("_active").is_null(),
            pl.col("status").str.slice(0, 20),
        ),
        "iuran_terakhir": (
            "paid_until_invalid",
            (pl.col("_paid_raw") == INVALID).fill_null(False),
            pl.col("iuran_terakhir").str.slice(0, 20),
        ),
        "kode_wilayah": (
            "region_code_invalid",
            (pl.col("_region_ok") == False).fill_null(False),  # noqa: E712
            pl.col("kode_wilayah").str.slice(0, 20),
        ),
    }


def _no_errors() -> pl.DataFrame:
    return pl.DataFrame(schema=ERROR_SCHEMA)


def _collect_errors(bad: pl.DataFrame, prefixes: frozenset[str]) -> pl.DataFrame:
    bad = bad.with_columns(_nik_error(prefixes))
    nik = pl.col("nik")
    nik_detail = (
        pl.when(pl.col("_e_nik") == "nik_length")
        .then(nik.str.len_chars().cast(pl.String))
        .when(pl.col("_e_nik") == "nik_region_unknown")
        .then(nik.str.slice(0, 6))
        .otherwise(pl.lit(""))
    )
    parts = [_errors(bad, pl.col("_e_nik").is_not_null(), "nik", pl.col("_e_nik"), nik_detail)]
    for column, (code, failing, detail) in _field_errors().items():
        parts.append(_errors(bad, failing, column, pl.lit(code), detail))
    return pl.concat(parts)


def _errors(
    frame: pl.DataFrame, failing: pl.Expr, column: str, code: pl.Expr, detail: pl.Expr
) -> pl.DataFrame:
    return (
        frame.filter(failing)
        .select(
            pl.col("row").cast(pl.Int64),
            pl.lit(column).alias("column"),
            code.alias("code"),
            detail.fill_null("").alias("detail"),
        )
        .cast(ERROR_SCHEMA)  # type: ignore[arg-type]
    )


def nik_key_expr(column: str = "nik_hash") -> pl.Expr:
    """The join key: the first 31 hex digits (124 bits) of the HMAC as a positive Int128."""
    return pl.col(column).str.slice(0, 31).str.to_integer(base=16, dtype=pl.Int128).alias("nik_key")


def write_parquet(rows: pl.DataFrame, target: Path) -> None:
    """Write atomically: a crash leaves either no file or the whole file."""
    with atomic_path(target) as partial:
        rows.write_parquet(partial, compression="zstd", compression_level=1, statistics=True)


def period_index(period: str) -> int:
    """`2024-06` -> 2024*12 + 5, the unit of `paid_until`."""
    year, month = period.split("-")
    return int(year) * 12 + int(month) - 1


def summary(rows: pl.DataFrame) -> tuple[int, dict[str, int]]:
    counts = rows.group_by("segmen").len()
    by_segment = {str(k): int(v) for k, v in zip(counts["segmen"], counts["len"], strict=True)}
    return int(rows["active"].sum()), dict(sorted(by_segment.items()))
