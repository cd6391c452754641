"""Registry extracts in Polars: read CSV/CSV.GZ/Parquet, validate every row in one vectorised
pass, hash the NIK and write the pseudonymised Parquet file the match reads.

Nothing here touches the database; `services.py` feeds it the kecamatan prefixes and stores
the result. The clear NIK exists only in memory here and is dropped before anything is written.

Stored columns (docs/formats/registry.md): `nik_hash` (hex HMAC), `nik_key` (the first 124
bits of that HMAC as an Int128: the join key, ~10× cheaper to hash than the hex), `segmen` (enum),
`programs` (bit mask, see PROGRAM_BITS), `npp`, `upah`, `active` (status AKTIF),
`paid_until` (month index year*12+month-1, or null), `kode_wilayah`.
"""

from __future__ import annotations

import gzip
import io
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import polars as pl

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


def read_extract(path: Path) -> pl.DataFrame:
    """Every column as text, headers normalised; Parquet, CSV or gzip'd CSV (`;` or `,`)."""
    name = path.name.lower()
    try:
        if name.endswith(".parquet"):
            frame = pl.read_parquet(path)
            frame = frame.select(pl.all().cast(pl.String))
        elif name.endswith((".csv", ".csv.gz", ".gz", ".txt")):
            frame = _read_csv(path)
        else:
            raise RegistryFileError("file_type", path.suffix)
    except RegistryFileError:
        raise
    except (pl.exceptions.PolarsError, OSError, UnicodeDecodeError, EOFError) as exc:
        raise RegistryFileError("file_unreadable", str(exc).splitlines()[0][:200]) from None
    return _with_canonical_headers(frame)


def _read_csv(path: Path) -> pl.DataFrame:
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
    return pl.read_csv(
        source, separator=separator, infer_schema=False, encoding="utf8-lossy", quote_char='"'
    )


def _is_gzip(path: Path) -> bool:
    with open(path, "rb") as handle:
        return handle.read(2) == b"\x1f\x8b"


def _with_canonical_headers(frame: pl.DataFrame) -> pl.DataFrame:
    renames = {}
    for column in frame.columns:
        key = column.strip().lower().replace(" ", "_").replace("-", "_").lstrip("\ufeff")
        renames[column] = HEADER_ALIASES.get(key, key)
    frame = frame.rename(renames)
    missing = [c for c in REQUIRED if c not in frame.columns]
    if missing:
        raise RegistryFileError("column_missing", ", ".join(missing))
    if frame.height == 0:
        raise RegistryFileError("file_empty")
    extra = [pl.lit(None, dtype=pl.String).alias(c) for c in COLUMNS if c not in frame.columns]
    return frame.with_columns(extra).select(COLUMNS)


def validate(
    frame: pl.DataFrame,
    *,
    period: str,
    prefixes: frozenset[str],
    progress: Progress | None = None,
) -> Checked:
    """Check every row; hash the NIK of the valid ones. One vectorised pass per rule."""
    checked = _normalised(frame.with_row_index("row", offset=2), prefixes)
    checked = checked.with_columns(_duplicate_of())
    errors = _collect_errors(checked)
    bad_rows = errors["row"].unique()
    valid = checked.filter(~pl.col("row").is_in(bad_rows.implode()))
    if progress:
        progress(0, valid.height, "hash")
    hashes = nik_hash_fixed(
        valid["nik"],
        progress=(lambda done, total: progress(done, total, "hash")) if progress else None,
    )
    rows = valid.select(
        hashes.alias("nik_hash"),
        hashes.to_frame("nik_hash").select(nik_key_expr()).to_series(),
        pl.col("segmen").cast(SEGMENT_ENUM),
        pl.col("_programs").alias("programs"),
        pl.col("npp"),
        pl.col("_upah").alias("upah"),
        pl.col("_active").alias("active"),
        pl.col("_paid").alias("paid_until"),
        pl.col("kode_wilayah"),
    )
    return Checked(rows=rows, errors=errors, total=frame.height)


def _normalised(frame: pl.DataFrame, prefixes: frozenset[str]) -> pl.DataFrame:
    text = [pl.col(c).str.strip_chars().replace("", None).alias(c) for c in COLUMNS]
    frame = frame.with_columns(text).with_columns(
        pl.col("nik").str.strip_chars_start("'"),
        pl.col("segmen").str.to_uppercase(),
        pl.col("status").str.to_uppercase(),
    )
    return frame.with_columns(
        _nik_error(prefixes),
        _programs_expr().alias("_programs"),
        pl.col("upah").str.replace_all(r"[.,]00$", "").cast(pl.Int64, strict=False).alias("_upah"),
        pl.col("status")
        .replace_strict(STATUSES, default=None, return_dtype=pl.Boolean)
        .alias("_active"),
        _paid_expr().alias("_paid"),
    )


def _nik_error(prefixes: frozenset[str]) -> pl.Expr:
    """The roster rules that matter for a machine extract, as cheap integer checks."""
    nik = pl.col("nik")
    day = nik.str.slice(6, 2).cast(pl.Int32, strict=False)
    month = nik.str.slice(8, 2).cast(pl.Int32, strict=False)
    return (
        pl.when(nik.is_null())
        .then(pl.lit("nik_missing"))
        .when(nik.str.contains(r"[eE.,]"))
        .then(pl.lit("nik_excel_number"))
        .when(~nik.str.contains(r"^[0-9]+$"))
        .then(pl.lit("nik_not_digits"))
        .when(nik.str.len_bytes() != 16)
        .then(pl.lit("nik_length"))
        .when(~nik.str.slice(0, 6).is_in(sorted(prefixes)))
        .then(pl.lit("nik_region_unknown"))
        .when(~(day.is_between(1, 31) | day.is_between(41, 71)) | ~month.is_between(1, 12))
        .then(pl.lit("nik_birth_date"))
        .otherwise(pl.lit(None, dtype=pl.String))
        .alias("_e_nik")
    )


def _program_tokens() -> pl.Expr:
    return pl.col("program").str.to_uppercase().str.extract_all(r"[A-Z]+")


def _programs_expr() -> pl.Expr:
    tokens = _program_tokens()
    mask = tokens.list.eval(pl.element().replace_strict(PROGRAM_BITS, default=0)).list.eval(
        pl.element().cast(pl.UInt8)
    )
    return mask.list.eval(pl.element().bitwise_or()).list.first().cast(pl.UInt8)


def _paid_expr() -> pl.Expr:
    value = pl.col("iuran_terakhir")
    year = value.str.slice(0, 4).cast(pl.Int32, strict=False)
    month = value.str.slice(5, 2).cast(pl.Int32, strict=False)
    ok = value.str.contains(r"^[0-9]{4}-(0[1-9]|1[0-2])$")
    return pl.when(ok).then(year * 12 + month - 1).cast(pl.Int32)


def _duplicate_of() -> pl.Expr:
    """Same NIK, segment and employer more than once: later rows point at the first."""
    key = pl.when(pl.col("_e_nik").is_null()).then(
        pl.concat_str("nik", "segmen", pl.col("npp").fill_null(""), separator="|")
    )
    first = pl.col("row").min().over(key)
    return pl.when(key.is_not_null() & (pl.col("row") != first)).then(first).alias("_dup_of")


def _field_errors() -> dict[str, tuple[str, pl.Expr, pl.Expr]]:
    """column -> (error code, failing-row condition, detail shown in the report)."""
    program_tokens = _program_tokens()
    unknown_program = program_tokens.list.eval(~pl.element().is_in(list(PROGRAM_BITS))).list.any()
    wage = pl.col("_upah")
    return {
        "segmen": (
            "segment_unknown",
            pl.col("segmen").is_null() | ~pl.col("segmen").is_in(list(SEGMENTS)),
            pl.col("segmen").str.slice(0, 30),
        ),
        "program": (
            "program_unknown",
            pl.col("program").is_null()
            | (program_tokens.list.len() == 0)
            | unknown_program
            | (pl.col("program").str.len_chars() > MAX_PROGRAM_LIST),
            pl.col("program").str.slice(0, 40),
        ),
        "upah": (
            "wage_invalid",
            pl.col("upah").is_not_null() & (wage.is_null() | (wage < 0) | (wage > MAX_WAGE)),
            pl.col("upah").str.slice(0, 20),
        ),
        "status": (
            "status_unknown",
            pl.col("_active").is_null(),
            pl.col("status").str.slice(0, 20),
        ),
        "iuran_terakhir": (
            "paid_until_invalid",
            pl.col("iuran_terakhir").is_not_null() & pl.col("_paid").is_null(),
            pl.col("iuran_terakhir").str.slice(0, 20),
        ),
        "kode_wilayah": (
            "region_code_invalid",
            pl.col("kode_wilayah").is_not_null()
            & ~pl.col("kode_wilayah").str.contains(
                r"^[0-9]{2}(\.[0-9]{2}(\.[0-9]{2,3}(\.[0-9]{4})?)?)?$"
            ),
            pl.col("kode_wilayah").str.slice(0, 20),
        ),
    }


def _collect_errors(checked: pl.DataFrame) -> pl.DataFrame:
    nik = pl.col("nik")
    nik_detail = (
        pl.when(pl.col("_e_nik") == "nik_length")
        .then(nik.str.len_chars().cast(pl.String))
        .when(pl.col("_e_nik") == "nik_region_unknown")
        .then(nik.str.slice(0, 6))
        .otherwise(pl.lit(""))
    )
    parts = [
        _errors(checked, pl.col("_e_nik").is_not_null(), "nik", pl.col("_e_nik"), nik_detail),
        _errors(
            checked,
            pl.col("_dup_of").is_not_null(),
            "nik",
            pl.lit("duplicate"),
            pl.col("_dup_of").cast(pl.String),
        ),
    ]
    for column, (code, failing, detail) in _field_errors().items():
        parts.append(_errors(checked, failing, column, pl.lit(code), detail))
    return pl.concat(parts).sort("row", "column")


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
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".parquet.partial")
    rows.write_parquet(partial, compression="zstd", compression_level=1, statistics=True)
    partial.replace(target)


def period_index(period: str) -> int:
    """`2024-06` -> 2024*12 + 5, the unit of `paid_until`."""
    year, month = period.split("-")
    return int(year) * 12 + int(month) - 1


def summary(rows: pl.DataFrame) -> tuple[int, dict[str, int]]:
    counts = rows.group_by("segmen").len()
    by_segment = {str(k): int(v) for k, v in zip(counts["segmen"], counts["len"], strict=True)}
    return int(rows["active"].sum()), dict(sorted(by_segment.items()))
