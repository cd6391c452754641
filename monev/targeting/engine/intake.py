"""The social-economic list in Polars: read, validate every row in one vectorised pass,
pseudonymise, write Parquet.

Nothing here touches the database; `services.py` feeds it the reference codes and stores the
results. The clear NIK exists only in the frames of `validate` and is dropped by `stored_rows`
before anything is written.

Stored list columns (docs/formats/dtsen.md): `row`, `nik_hash`, `nik_cipher`, `nik_masked`,
`kk_hash`, `name`, `pemda_code`, `kode_wilayah`, `desa_code`, `desil`, `working`,
`occupation`, `birth_date`, `age`, `sex`. The file is sorted by `pemda_code`, so reading
one Pemda skips the other row groups.
"""

from __future__ import annotations

import datetime as dt
import gzip
import io
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from monev.core import pii, storage
from monev.core.files import atomic_path
from monev.core.headers import canonical_headers
from monev.core.nik import nik_validate
from monev.core.xlsx import XlsxError, read_first_sheet
from monev.registry.hashing import nik_hash_fixed

COLUMNS = (
    "nik",
    "no_kk",
    "nama",
    "kode_wilayah",
    "desil",
    "status_bekerja",
    "pekerjaan",
    "tanggal_lahir",
    "umur",
)
REQUIRED = ("nik", "nama", "kode_wilayah", "desil", "status_bekerja")
MAX_NAME = 200
MAX_OCCUPATION = 100
MAX_AGE = 120
ROW_GROUP = 262_144

HEADER_ALIASES = {
    "no_nik": "nik",
    "nomor_nik": "nik",
    "nik_ktp": "nik",
    "kk": "no_kk",
    "nomor_kk": "no_kk",
    "no_kartu_keluarga": "no_kk",
    "nama_lengkap": "nama",
    "name": "nama",
    "kode_desa": "kode_wilayah",
    "kode_kelurahan": "kode_wilayah",
    "wilayah": "kode_wilayah",
    "desil_kesejahteraan": "desil",
    "peringkat_desil": "desil",
    "status_pekerjaan": "status_bekerja",
    "bekerja": "status_bekerja",
    "pekerjaan_utama": "pekerjaan",
    "occupation": "pekerjaan",
    "tgl_lahir": "tanggal_lahir",
    "birth_date": "tanggal_lahir",
    "usia": "umur",
    "age": "umur",
}

# `status_bekerja`, lower-cased with everything but letters and digits removed.
WORKING = {
    "bekerja": True,
    "ya": True,
    "y": True,
    "1": True,
    "true": True,
    "sedangbekerja": True,
    "tidakbekerja": False,
    "belumbekerja": False,
    "tidak": False,
    "t": False,
    "n": False,
    "0": False,
    "false": False,
    "menganggur": False,
}

ERROR_SCHEMA = {"row": pl.Int64, "column": pl.String, "code": pl.String, "detail": pl.String}

STORED_SCHEMA = {
    "row": pl.Int64,
    "nik_hash": pl.String,
    "nik_key": pl.Int128,
    "nik_cipher": pl.String,
    "nik_masked": pl.String,
    "kk_hash": pl.String,
    "name": pl.String,
    "pemda_code": pl.String,
    "kode_wilayah": pl.String,
    "desa_code": pl.String,
    "desil": pl.UInt8,
    "working": pl.Boolean,
    "occupation": pl.String,
    "birth_date": pl.Date,
    "age": pl.UInt8,
    "sex": pl.String,
}


class RegisterFileError(Exception):
    """The file as a whole cannot be used (type, unreadable, empty, a required column)."""

    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code, self.detail = code, detail


@dataclass(frozen=True)
class Reference:
    """What validation needs from the database: known kecamatan and Pemda codes."""

    district_prefixes: frozenset[str]  # `PPRRSS` of every kecamatan, current and retired
    pemda_codes: frozenset[str]  # kab/kota Pemda codes `PP.RR`
    district_codes: frozenset[str]  # dotted kecamatan codes `PP.RR.SS`


@dataclass
class Checked:
    rows: pl.DataFrame  # every input row, normalised, with the clear NIK (memory only)
    errors: pl.DataFrame  # row, column, code, detail (never a clear NIK)
    total: int

    @property
    def bad_rows(self) -> pl.Series:
        return self.errors["row"].unique()

    @property
    def n_invalid(self) -> int:
        return len(self.bad_rows)

    @property
    def n_valid(self) -> int:
        return self.total - self.n_invalid

    def error_counts(self) -> dict[str, int]:
        if self.errors.is_empty():
            return {}
        counts = self.errors.group_by("code").len().sort("code")
        return dict(zip(counts["code"].to_list(), counts["len"].to_list(), strict=True))


# ---------------------------------------------------------------------------------- reading


def read_list(path: Path) -> pl.DataFrame:
    """Every column as text under canonical names; CSV (`,` `;` tab `|`), CSV.GZ, Parquet,
    XLSX. `row` is the spreadsheet row number (the header is row 1)."""
    name = path.name.lower()
    try:
        if name.endswith(".parquet"):
            frame = pl.read_parquet(path).select(pl.all().cast(pl.String))
        elif name.endswith((".xlsx", ".xlsm")):
            frame = _read_xlsx(path)
        elif name.endswith((".csv", ".csv.gz", ".gz", ".txt")):
            frame = _read_csv(path)
        else:
            raise RegisterFileError("file_type", path.suffix or path.name)
    except RegisterFileError:
        raise
    except (pl.exceptions.PolarsError, OSError, UnicodeDecodeError, EOFError) as exc:
        raise RegisterFileError("file_unreadable", _short(exc)) from None
    return _canonical(frame)


def _short(exc: BaseException) -> str:
    text = str(exc)
    return text.splitlines()[0][:200] if text else type(exc).__name__


def _read_csv(path: Path) -> pl.DataFrame:
    with open(path, "rb") as handle:
        gz = handle.read(2) == b"\x1f\x8b"
    data: Path | io.BytesIO = path
    if gz:
        with gzip.open(path, "rb") as handle:
            data = io.BytesIO(handle.read())
        head = data.getvalue()[:4096]
    else:
        with open(path, "rb") as handle:
            head = handle.read(4096)
    if not head.strip():
        raise RegisterFileError("file_empty")
    lines = head.decode("utf-8", errors="ignore").lstrip("\ufeff").splitlines()
    if not lines:  # bytes that decode to nothing (e.g. a lone 0x80)
        raise RegisterFileError("file_unreadable", "no text line")
    first = lines[0]
    counts = {sep: first.count(sep) for sep in (",", ";", "\t", "|")}
    separator = max(counts, key=lambda sep: counts[sep])
    return pl.read_csv(
        data,
        separator=separator if counts[separator] else ",",
        infer_schema=False,
        encoding="utf8-lossy",
        truncate_ragged_lines=True,
    )


def _read_xlsx(path: Path) -> pl.DataFrame:
    try:
        return read_first_sheet(path.read_bytes())
    except XlsxError as exc:
        raise RegisterFileError("file_unreadable", str(exc)) from None


def _canonical(frame: pl.DataFrame) -> pl.DataFrame:
    frame = frame.rename(canonical_headers(frame.columns, HEADER_ALIASES))
    missing = [c for c in REQUIRED if c not in frame.columns]
    if missing:
        raise RegisterFileError("column_missing", ", ".join(missing))
    extra = [pl.lit(None, dtype=pl.String).alias(c) for c in COLUMNS if c not in frame.columns]
    frame = frame.with_columns(extra).select(
        pl.int_range(2, frame.height + 2, dtype=pl.Int64).alias("row"),
        *[pl.col(c).str.strip_chars().replace("", None).alias(c) for c in COLUMNS],
    )
    frame = frame.filter(pl.any_horizontal(pl.col(c).is_not_null() for c in COLUMNS))
    if frame.height == 0:
        raise RegisterFileError("file_empty")
    return frame


# ------------------------------------------------------------------------------- validating


def validate(frame: pl.DataFrame, *, as_of: dt.date, reference: Reference) -> Checked:
    """Every rule on every row, vectorised; the domicile comes from `kode_wilayah` only."""
    checked = (
        nik_validate(frame, "nik", prefixes=reference.district_prefixes, as_of=as_of)
        .with_columns(
            # Children and the elderly are on the list too: age is a targeting rule, not a
            # validity rule, so the roster's working-age check does not apply here.
            nik_error=pl.when(pl.col("nik_error") != "nik_age").then(pl.col("nik_error"))
        )
        .with_columns(_normalised())
        .with_columns(_region_checks(reference))
        .with_columns(_duplicate_of("_dup_global" in frame.columns))
        .collect()
    )
    return Checked(rows=checked, errors=_collect_errors(checked, as_of), total=frame.height)


def _normalised() -> list[pl.Expr]:
    code = pl.col("kode_wilayah").str.replace_all(r"\s", "")
    digits = code.str.replace_all(r"\.", "")
    dotted_ok = code.str.contains(r"^[0-9]{2}\.[0-9]{2}(\.[0-9]{2,3}(\.[0-9]{4})?)?$")
    digits_ok = code.str.contains(r"^([0-9]{4}|[0-9]{6}|[0-9]{10})$")
    from_digits = pl.concat_str(
        [
            digits.str.slice(0, 2),
            pl.lit("."),
            digits.str.slice(2, 2),
            pl.when(digits.str.len_chars() >= 6).then(pl.lit(".") + digits.str.slice(4, 2)),
            pl.when(digits.str.len_chars() == 10).then(pl.lit(".") + digits.str.slice(6, 4)),
        ],
        ignore_nulls=True,
    )
    region = pl.when(dotted_ok).then(code).when(digits_ok).then(from_digits)
    work_key = pl.col("status_bekerja").str.to_lowercase().str.replace_all(r"[^a-z0-9]", "")
    desil = pl.col("desil").str.strip_chars().str.replace(r"^[Dd]esil\s*", "")
    desil = desil.cast(pl.Int32, strict=False)
    born = pl.coalesce(
        pl.col("tanggal_lahir").str.to_date("%Y-%m-%d", strict=False),
        pl.col("tanggal_lahir").str.to_date("%d-%m-%Y", strict=False),
        pl.col("tanggal_lahir").str.to_date("%d/%m/%Y", strict=False),
    )
    kk = pl.col("no_kk").str.replace_all(r"[ \u00a0]", "").str.strip_chars_start("'")
    return [
        region.alias("_region"),
        pl.when(desil.is_between(1, 10)).then(desil).cast(pl.UInt8).alias("_desil"),
        work_key.replace_strict(WORKING, default=None, return_dtype=pl.Boolean).alias("_working"),
        born.alias("_born"),
        pl.col("umur").cast(pl.Int32, strict=False).alias("_umur"),
        kk.alias("_kk"),
        pl.col("pekerjaan").str.replace_all(r"\s+", " ").alias("_occupation"),
    ]


def _region_checks(reference: Reference) -> list[pl.Expr]:
    region = pl.col("_region")
    pemda = region.str.slice(0, 5)
    prefix = region.str.extract(r"^([0-9.]{8,9})").str.strip_chars_end(".")
    district = pl.when(region.str.len_chars() >= 8).then(prefix)
    known_district = district.is_null() | district.is_in(sorted(reference.district_codes))
    return [
        pl.when(region.is_not_null() & pemda.is_in(sorted(reference.pemda_codes)) & known_district)
        .then(pemda)
        .alias("_pemda"),
        pl.when(region.str.count_matches(r"\.") == 3).then(region).alias("_desa"),
    ]


def _duplicate_of(precomputed: bool) -> pl.Expr:
    """For the 2nd and later rows with the same valid NIK: the row number of the first.
    `precomputed`: the frame is a chunk and carries `_dup_global` (see `intake`)."""
    valid_nik = pl.col("nik_error").is_null()
    if precomputed:
        return pl.when(valid_nik).then(pl.col("_dup_global")).alias("_dup_of")
    first = pl.col("row").min().over(pl.when(valid_nik).then(pl.col("nik")))
    return pl.when(valid_nik & (pl.col("row") != first)).then(first).alias("_dup_of")


def _global_duplicates(frame: pl.DataFrame) -> pl.DataFrame:
    """`_dup_global` over the whole file. Identical normalised NIKs are all valid or all
    invalid (validity depends on the string only), so a chunk can finish the rule."""
    nik = pl.col("nik").str.replace_all(r"[ \t\r\n\u00a0]", "").str.strip_chars_start("'")
    key = pl.when(nik.str.len_chars() > 0).then(nik)
    first = pl.col("row").min().over(key)
    return frame.with_columns(
        _dup_global=pl.when(key.is_not_null() & (pl.col("row") != first)).then(first)
    )


def _field_errors(as_of: dt.date) -> dict[str, tuple[pl.Expr, pl.Expr]]:
    """column -> (error code or null, detail shown in the report)."""
    text = {c: pl.col(c).str.slice(0, 40) for c in COLUMNS}
    return {
        "no_kk": (
            pl.when(pl.col("_kk").is_not_null() & ~pl.col("_kk").str.contains(r"^[0-9]{16}$")).then(
                pl.lit("kk_invalid")
            ),
            pl.col("_kk").str.len_chars().cast(pl.String),
        ),
        "nama": (
            pl.when(pl.col("nama").is_null())
            .then(pl.lit("name_missing"))
            .when(pl.col("nama").str.len_chars() > MAX_NAME)
            .then(pl.lit("name_too_long")),
            pl.lit(""),
        ),
        "kode_wilayah": (
            pl.when(pl.col("kode_wilayah").is_null())
            .then(pl.lit("region_missing"))
            .when(pl.col("_region").is_null())
            .then(pl.lit("region_code_invalid"))
            .when(pl.col("_pemda").is_null())
            .then(pl.lit("region_unknown")),
            text["kode_wilayah"],
        ),
        "desil": (
            pl.when(pl.col("desil").is_null())
            .then(pl.lit("desil_missing"))
            .when(pl.col("_desil").is_null())
            .then(pl.lit("desil_invalid")),
            text["desil"],
        ),
        "status_bekerja": (
            pl.when(pl.col("status_bekerja").is_null())
            .then(pl.lit("work_status_missing"))
            .when(pl.col("_working").is_null())
            .then(pl.lit("work_status_unknown")),
            text["status_bekerja"],
        ),
        "pekerjaan": (
            pl.when(pl.col("_occupation").str.len_chars() > MAX_OCCUPATION).then(
                pl.lit("occupation_too_long")
            ),
            pl.lit(""),
        ),
        "tanggal_lahir": (
            pl.when(
                pl.col("tanggal_lahir").is_not_null()
                & (pl.col("_born").is_null() | (pl.col("_born") > pl.lit(as_of)))
            ).then(pl.lit("birth_date_invalid")),
            text["tanggal_lahir"],
        ),
        "umur": (
            pl.when(
                pl.col("umur").is_not_null()
                & ~pl.col("_umur").is_between(0, MAX_AGE).fill_null(False)
            ).then(pl.lit("age_invalid")),
            text["umur"],
        ),
    }


def _collect_errors(checked: pl.DataFrame, as_of: dt.date) -> pl.DataFrame:
    nik = pl.col("nik")
    nik_detail = (
        pl.when(pl.col("nik_error") == "nik_length")
        .then(nik.str.len_chars().cast(pl.String))
        .when(pl.col("nik_error") == "nik_region_unknown")
        .then(nik.str.slice(0, 6))
        .when(pl.col("nik_error") == "nik_excel_number")
        .then(pii.nik_mask_expr("nik"))
        .otherwise(pl.lit(""))
    )
    parts = [
        _errors(checked, pl.col("nik_error"), "nik", nik_detail),
        _errors(
            checked,
            pl.when(pl.col("_dup_of").is_not_null()).then(pl.lit("nik_duplicate")),
            "nik",
            pl.col("_dup_of").cast(pl.String),
        ),
    ]
    for column, (code, detail) in _field_errors(as_of).items():
        parts.append(_errors(checked, code, column, detail))
    return pl.concat(parts).sort("row", "column")


def _errors(frame: pl.DataFrame, code: pl.Expr, column: str, detail: pl.Expr) -> pl.DataFrame:
    return (
        frame.with_columns(_code=code)
        .filter(pl.col("_code").is_not_null())
        .select(
            pl.col("row").cast(pl.Int64),
            pl.lit(column).alias("column"),
            pl.col("_code").alias("code"),
            detail.fill_null("").alias("detail"),
        )
        .cast(ERROR_SCHEMA)  # type: ignore[arg-type]
    )


# -------------------------------------------------------------------------------- storing


def stored_rows(checked: Checked, *, encrypt: bool = True) -> pl.DataFrame:
    """The valid rows as stored: hash, ciphertext and mask instead of the NIK; sorted by
    Pemda. (`encrypt=False` only for the benchmark's synthetic lists.)"""
    from monev.rosters.engine import encrypt_series

    valid = checked.rows.filter(~pl.col("row").is_in(checked.bad_rows.implode()))
    kk = valid["_kk"]
    kk_hash = pl.Series("kk_hash", [None] * valid.height, dtype=pl.String)
    has_kk = kk.is_not_null()
    if has_kk.any():
        hashed = nik_hash_fixed(kk.filter(has_kk))
        kk_hash = kk_hash.scatter(has_kk.arg_true(), hashed)
    cipher = (
        encrypt_series(valid["nik"])
        if encrypt
        else pl.Series("nik_cipher", [None] * valid.height, dtype=pl.String)
    )
    birth = pl.coalesce(pl.col("_born"), pl.when(pl.col("_umur").is_null()).then("birth_date"))
    frame = valid.select(
        "row",
        nik_hash_fixed(valid["nik"]).alias("nik_hash"),
        cipher.alias("nik_cipher"),
        pii.nik_mask_expr("nik").alias("nik_masked"),
        kk_hash,
        pl.col("nama").alias("name"),
        pl.col("_pemda").alias("pemda_code"),
        pl.col("_region").alias("kode_wilayah"),
        pl.col("_desa").alias("desa_code"),
        pl.col("_desil").alias("desil"),
        pl.col("_working").alias("working"),
        pl.col("_occupation").alias("occupation"),
        birth.alias("birth_date"),
        pl.col("_umur").cast(pl.UInt8).alias("age"),
        pl.col("sex"),
    )
    frame = frame.with_columns(nik_key_expr()).select(list(STORED_SCHEMA))
    return frame.cast(STORED_SCHEMA).sort("pemda_code", "row")  # type: ignore[arg-type]


@dataclass
class Intake:
    """A whole file checked chunk by chunk: the errors, and the stored rows written as
    Pemda-ordered part files (none when `strict` and a row is bad)."""

    errors: pl.DataFrame
    total: int
    parts: list[Path]
    accepted: int

    @property
    def n_invalid(self) -> int:
        return self.errors["row"].n_unique() if self.errors.height else 0

    def error_counts(self) -> dict[str, int]:
        return Checked(rows=pl.DataFrame(), errors=self.errors, total=self.total).error_counts()


CHUNK_ROWS = 1_000_000


def intake_chunks(
    frame: pl.DataFrame,
    *,
    as_of: dt.date,
    reference: Reference,
    workdir: Path,
    strict: bool = True,
    chunk_rows: int = CHUNK_ROWS,
    encrypt: bool = True,
) -> Intake:
    """Validate and pseudonymise a list of any size in bounded memory: rows are ordered by
    Pemda once, then each chunk is validated, hashed, encrypted and written as a part file.
    In strict mode the first bad row stops the writing (the errors are still all reported)."""
    region = _normalised()[0].str.slice(0, 5).alias("_order")
    frame = _global_duplicates(frame).with_columns(region).sort("_order", "row", nulls_last=True)
    frame = frame.drop("_order")
    workdir.mkdir(parents=True, exist_ok=True)
    errors: list[pl.DataFrame] = []
    parts: list[Path] = []
    accepted = 0
    for index, offset in enumerate(range(0, frame.height, chunk_rows)):
        checked = validate(frame.slice(offset, chunk_rows), as_of=as_of, reference=reference)
        errors.append(checked.errors)
        if strict and any(e.height for e in errors):
            continue
        rows = stored_rows(checked, encrypt=encrypt)
        if rows.height:
            part = workdir / f"part-{index:05d}.parquet"
            rows.write_parquet(part, compression="zstd", compression_level=1)
            parts.append(part)
            accepted += rows.height
    all_errors = (
        pl.concat(errors).sort("row", "column") if errors else pl.DataFrame(schema=ERROR_SCHEMA)
    )
    return Intake(errors=all_errors, total=frame.height, parts=parts, accepted=accepted)


def merge_parts(parts: list[Path], target: Path) -> None:
    """The part files, in order, as one Parquet file, streamed (atomic like write_parquet)."""
    with atomic_path(target) as partial:
        pl.scan_parquet(parts).sink_parquet(
            partial,
            compression="zstd",
            compression_level=1,
            statistics=True,
            row_group_size=ROW_GROUP,
            maintain_order=True,
        )


def summary_of(path: Path) -> tuple[dict[str, int], dict[str, int]]:
    """People per Pemda and per decile, read from the stored file."""
    return summary(pl.scan_parquet(path).select("pemda_code", "desil").collect())


def nik_key_expr(column: str = "nik_hash") -> pl.Expr:
    """The registry's integer join key (docs/formats/registry.md): the first 124 bits of the
    HMAC as an Int128. Joining on it is much cheaper than on the 64-character hex."""
    key = pl.col(column).str.slice(0, 31).str.to_integer(base=16, dtype=pl.Int128)
    return key.alias("nik_key")


def write_parquet(rows: pl.DataFrame, target: str | Path) -> None:
    """Write atomically (a crash leaves no file or the whole file), Pemda-sorted row groups;
    `target` is a local path or an object URI (monev/core/storage.py)."""
    with storage.writing_at(target) as partial:
        rows.write_parquet(
            partial,
            compression="zstd",
            compression_level=1,
            statistics=True,
            row_group_size=ROW_GROUP,
            **storage.polars_kwargs(partial),
        )


def summary(rows: pl.DataFrame) -> tuple[dict[str, int], dict[str, int]]:
    """People per Pemda and per decile."""
    pemda = rows.group_by("pemda_code").len().sort("pemda_code")
    desil = rows.group_by("desil").len().sort("desil")
    return (
        dict(zip(pemda["pemda_code"].to_list(), pemda["len"].to_list(), strict=True)),
        {str(k): int(v) for k, v in zip(desil["desil"], desil["len"], strict=True)},
    )
