"""The worker rows of committed roster versions: one immutable Parquet file per version.

    rosters/<Pemda code>/<period>/u<upload id>-<token>.parquet   pseudonymised rows
                                                       .nik      the NIKs, sealed

in the data store (monev/core/storage.py: MONEV_HOME/data, or an S3 bucket).

A version's rows are written once, before the transaction that creates its `RosterVersion`
(which names them in `rows_file`), and never change. A commit that fails or is killed leaves
files no version names; `orphans_purge` removes them. The database keeps versions, counts
and diffs; the files keep the rows (docs/formats/roster.md, "Storage and performance").

The Parquet file holds no NIK in clear: `nik_key` (the first 124 bits of the NIK's HMAC, the
same join key as the registry extracts) and `nik_masked`. The `.nik` file is the one place a
NIK can be recovered: the (row, NIK) pairs of the version under AES-256-GCM
(`pii.niks_seal`), opened only by the audited registration export.

A worker is addressed as `worker_id` = version id × 2³² + row number (`worker_id_expr`).
Rows are stored in row-number order, so a page of the by-name list is a slice of the file
(3 ms at any offset of 3 M rows; sorting first took 0.35 s).
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import polars as pl

from monev.core import pii, storage

if TYPE_CHECKING:
    from monev.rosters.models import RosterVersion

ROW_SCHEMA: dict[str, Any] = {
    "row_number": pl.Int64,
    "nik_key": pl.Int128,
    "nik_masked": pl.String,
    "name": pl.String,
    "category": pl.String,
    "position": pl.String,
    "wage": pl.Int64,
    "funding_source": pl.String,
    "desa_code": pl.String,
    "birth_date": pl.Date,
    "sex": pl.String,
}
STORED_COLUMNS = tuple(ROW_SCHEMA)
WORKER_ID_SHIFT = 32
ORPHAN_GRACE_SECONDS = 24 * 3600


PREFIX = "rosters"


def key_of(stem: str, suffix: str) -> str:
    """The store key of a version's `.parquet` or `.nik` file."""
    return f"{PREFIX}/{stem}{suffix}"


def worker_id_expr(version_id: int) -> pl.Expr:
    base = version_id << WORKER_ID_SHIFT
    return (pl.lit(base, dtype=pl.Int64) + pl.col("row_number")).alias("worker_id")


def worker_id_parts(worker_id: int) -> tuple[int, int]:
    """(version id, row number) of a worker id."""
    return worker_id >> WORKER_ID_SHIFT, worker_id & ((1 << WORKER_ID_SHIFT) - 1)


# --------------------------------------------------------------------------------- writing


def rows_write(
    rows: pl.DataFrame, sealed: bytes, *, pemda_code: str, period: str, upload_id: int
) -> str:
    """Write a version's rows and sealed NIKs; return the stem `RosterVersion.rows_file` keeps.

    The token makes the name unique even if a database hands out an id twice (SQLite may
    reuse the id of a rolled-back row), so a file is only ever named by one version.
    """
    stem = f"{pemda_code}/{period}/u{upload_id}-{secrets.token_hex(4)}"
    if not rows.get_column("row_number").is_sorted():
        rows = rows.sort("row_number")  # stored in row order: a page is a slice, no sort
    storage.put(key_of(stem, ".nik"), sealed)
    storage.write_parquet(
        rows.select([pl.col(name).cast(dtype) for name, dtype in ROW_SCHEMA.items()]),
        key_of(stem, ".parquet"),
        compression="lz4",
        statistics=True,
    )
    return stem


def rows_delete(stem: str) -> None:
    for suffix in (".parquet", ".nik"):
        storage.delete(key_of(stem, suffix))


def records_write(
    records: Sequence[dict[str, Any]], *, pemda_code: str, period: str, upload_id: int = 0
) -> str:
    """Rows given as dicts with a clear `nik` (migrations, fixtures, benchmarks): hash, mask
    and seal them like an import does, and write them. Missing fields are left empty."""
    from monev.registry.engine import nik_key_expr

    frame = pl.DataFrame(
        [
            {
                "row_number": r.get("row_number", i + 2),
                "nik": r["nik"],
                "nik_hash": r.get("nik_hash") or pii.nik_hash(r["nik"]),
                "name": r.get("name", ""),
                "category": r["category"],
                "position": r.get("position", ""),
                "wage": r.get("wage"),
                "funding_source": r.get("funding_source", ""),
                "desa_code": r.get("desa_code", ""),
                "birth_date": r.get("birth_date"),
                "sex": r.get("sex", ""),
            }
            for i, r in enumerate(records)
        ],
        schema_overrides={"wage": pl.Int64, "birth_date": pl.Date, "row_number": pl.Int64},
    )
    if frame.height == 0:
        frame = pl.DataFrame(schema={**ROW_SCHEMA, "nik": pl.String, "nik_hash": pl.String})
    rows = frame.with_columns(nik_key_expr(), nik_masked=pii.nik_mask_expr("nik"))
    return rows_write(
        rows.drop("nik", "nik_hash"),
        pii.niks_seal(rows),
        pemda_code=pemda_code,
        period=period,
        upload_id=upload_id,
    )


# --------------------------------------------------------------------------------- reading


def rows_uri(version: RosterVersion) -> str:
    """Where Polars reads the version's rows (a local path or an object URI)."""
    return storage.uri(key_of(version.rows_file, ".parquet"))


def version_rows(version: RosterVersion, columns: Iterable[str] | None = None) -> pl.LazyFrame:
    """The rows of one version, with `worker_id` (lazy: select and filter before collecting)."""
    if not version.rows_file:
        frame = pl.LazyFrame(schema=ROW_SCHEMA)
    else:
        frame = storage.scan_parquet(key_of(version.rows_file, ".parquet"))
    frame = frame.with_columns(worker_id_expr(version.pk))
    return frame.select(list(columns)) if columns is not None else frame


def versions_rows(
    versions: Iterable[RosterVersion], columns: Iterable[str] = STORED_COLUMNS
) -> pl.LazyFrame:
    """The rows of several versions with `worker_id`, `version_id` and `pemda_code`."""
    wanted = ["worker_id", "version_id", "pemda_code", *(c for c in columns if c != "worker_id")]
    parts = [
        version_rows(v).with_columns(
            version_id=pl.lit(v.pk, dtype=pl.Int64), pemda_code=pl.lit(v.pemda.code)
        )
        for v in versions
    ]
    if not parts:
        schema = {**ROW_SCHEMA, "worker_id": pl.Int64, "version_id": pl.Int64}
        return pl.LazyFrame(schema={**schema, "pemda_code": pl.String}).select(wanted)
    return pl.concat([part.select(wanted) for part in parts])


def workers_rows(worker_ids: Sequence[int], columns: Iterable[str]) -> pl.LazyFrame:
    """The given workers' rows (with `worker_id`), read from their versions' files."""
    from monev.rosters.models import RosterVersion

    wanted = pl.LazyFrame({"worker_id": list(worker_ids)}, schema={"worker_id": pl.Int64})
    version_ids = {worker_id_parts(i)[0] for i in worker_ids}
    versions = RosterVersion.objects.filter(pk__in=version_ids).select_related("pemda")
    return versions_rows(versions, columns).join(wanted, on="worker_id", how="semi")


def workers_niks(worker_ids: Sequence[int]) -> dict[int, str]:
    """worker_id -> NIK in clear, opened from the versions' sealed files. Only the audited
    registration export calls this; nothing it returns may be stored or logged."""
    from monev.rosters.models import RosterVersion

    rows: dict[int, list[int]] = {}
    for worker_id in worker_ids:
        version_id, row_number = worker_id_parts(worker_id)
        rows.setdefault(version_id, []).append(row_number)
    found: dict[int, str] = {}
    for version in RosterVersion.objects.filter(pk__in=rows):
        wanted = pl.Series(rows[version.pk], dtype=pl.Int64).implode()
        niks = version_niks(version).filter(pl.col("row_number").is_in(wanted))
        found.update(niks.select(worker_id_expr(version.pk), "nik").iter_rows())
    return found


def version_niks(version: RosterVersion) -> pl.DataFrame:
    """`row_number`, `nik` of every row, in clear. Only the audited registration export
    calls this; nothing it returns may be stored or logged."""
    if not version.rows_file:
        return pl.DataFrame(schema={"row_number": pl.Int64, "nik": pl.String})
    return pii.niks_unseal(storage.get(key_of(version.rows_file, ".nik")))


# -------------------------------------------------------------------------------- cleaning


@dataclass(frozen=True)
class Purged:
    files: int
    bytes: int


def _stem_of(name: str) -> str:
    """The version stem of a row file's name (`….parquet`, `….nik`, or a `.partial` of one)."""
    if name.endswith(".partial"):
        name = name.removesuffix(".partial")
        head, _, tail = name.rpartition(".")
        if len(tail) == 8 and all(c in "0123456789abcdef" for c in tail):
            name = head  # the unique part of storage's partial names
    for suffix in (".parquet", ".nik"):
        name = name.removesuffix(suffix)
    return name


def orphans_purge(*, grace_seconds: int = ORPHAN_GRACE_SECONDS) -> Purged:
    """Delete row files no version names (a commit that failed or was killed), once they are
    older than `grace_seconds` (a commit in progress writes its files before its version)."""
    from monev.rosters.models import RosterVersion

    named = set(RosterVersion.objects.exclude(rows_file="").values_list("rows_file", flat=True))
    cutoff = time.time() - grace_seconds
    files = size = 0
    for item in storage.objects(PREFIX, partial=True):
        if not item.key.endswith((".parquet", ".nik", ".partial")):
            continue
        stem = _stem_of(item.key.removeprefix(f"{PREFIX}/"))
        if stem in named or item.modified > cutoff:
            continue
        size += item.size
        storage.delete(item.key)
        files += 1
    return Purged(files, size)
