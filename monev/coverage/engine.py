"""The match in Polars: roster ⋈ registry on the NIK hash → status per worker → aggregates.

Pure functions over files and frames (no database), so the benchmark, the tests and the
service run the same code. Statuses (docs/matching.md):

- PROTECTED  active (status AKTIF and paid up to the period) with every programme the
             worker's category requires (REQUIRED_PROGRAMS; always at least JKK and JKM);
- PARTIAL    active but missing a required programme;
- LAPSED     in the registry but not active (NONAKTIF, or paid-up month before the period);
- NOT_FOUND  not in the registry.

Changes against the previous period's per-worker results: NEWLY_PROTECTED (known last
period and not protected then), NEWLY_LAPSED (active last period, lapsed now).
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from monev.core.files import atomic_path
from monev.registry.engine import PROGRAM_BITS, nik_key_expr, period_index

JKK_JKM = PROGRAM_BITS["JKK"] | PROGRAM_BITS["JKM"]
WAGE_EARNER = JKK_JKM | PROGRAM_BITS["JHT"] | PROGRAM_BITS["JP"]
# Programmes each roster category needs to count as PROTECTED. Wage earners (non-ASN,
# perangkat desa) are PU: JKK, JKM, JHT, JP. RT/RW and pekerja rentan are BPU: JKK, JKM.
REQUIRED_PROGRAMS = {
    "NON_ASN": WAGE_EARNER,
    "PERANGKAT_DESA": WAGE_EARNER,
    "RT_RW": JKK_JKM,
    "RENTAN": JKK_JKM,
}
STATUSES = ("PROTECTED", "PARTIAL", "LAPSED", "NOT_FOUND")
STATUS_ENUM = pl.Enum(list(STATUSES))
CHANGES = ("NEWLY_PROTECTED", "NEWLY_LAPSED")
CHANGE_ENUM = pl.Enum(list(CHANGES))

ROSTER_SCHEMA = {
    "worker_id": pl.Int64,
    "pemda_code": pl.String,
    "category": pl.String,
    "nik_key": pl.Int128,
}
RESULT_COLUMNS = (
    "worker_id",
    "pemda_code",
    "category",
    "nik_key",
    "status",
    "programs",
    "since",
    "prev_status",
    "change",
)
AGGREGATE_COLUMNS = (
    "pemda_code",
    "category",
    "headcount",
    "protected",
    "partial",
    "lapsed",
    "not_found",
    "basic_protected",
    "newly_protected",
    "newly_lapsed",
)


def registry_people(registry: pl.LazyFrame, roster: pl.LazyFrame, period: str) -> pl.LazyFrame:
    """One row per roster NIK hash found in the registry: ever seen, active, active programmes."""
    current = period_index(period)
    active_row = pl.col("active") & (
        pl.col("paid_until").is_null() | (pl.col("paid_until") >= current)
    )
    # Semi-join on the roster's keys as they are (a unique() first costs more than the
    # repeats it removes), then the per-person flags as plain columns aggregated by max
    # (bit by bit for the programmes) rather than conditionals and bitwise_or inside the
    # aggregation: 0.41-0.49 s -> 0.35-0.40 s for 20 M registry rows x 3 M workers.
    active = active_row.alias("_active")
    held = pl.when(active_row).then(pl.col("programs")).otherwise(0).cast(pl.UInt8).alias("_held")
    held_any = pl.sum_horizontal([(pl.col("_held") & bit).max() for bit in PROGRAM_BITS.values()])
    return (
        registry.select("nik_key", "programs", "active", "paid_until")
        .join(roster.select("nik_key"), on="nik_key", how="semi")
        .select("nik_key", active, held)
        .group_by("nik_key")
        .agg(
            pl.lit(True).alias("in_registry"),
            pl.col("_active").max().alias("is_active"),
            held_any.cast(pl.UInt8).alias("held"),
        )
    )


def worker_statuses(
    roster: pl.LazyFrame,
    people: pl.LazyFrame,
    previous: pl.LazyFrame | None,
    period: str,
    *,
    exact_previous: bool = False,
) -> pl.LazyFrame:
    """Status, programmes, since when and change of every roster worker."""
    required = pl.col("category").replace_strict(
        REQUIRED_PROGRAMS, default=JKK_JKM, return_dtype=pl.UInt8
    )
    held = pl.col("held").fill_null(0).cast(pl.UInt8)
    status = (
        pl.when(pl.col("in_registry").is_null())
        .then(pl.lit("NOT_FOUND"))
        .when(~pl.col("is_active"))
        .then(pl.lit("LAPSED"))
        .when((held & required) == required)
        .then(pl.lit("PROTECTED"))
        .otherwise(pl.lit("PARTIAL"))
        .cast(STATUS_ENUM)
    )
    frame = roster.join(people, on="nik_key", how="left").with_columns(
        status=status, programs=pl.when(pl.col("is_active")).then(held).otherwise(0)
    )
    frame = frame.with_columns(
        basic=(pl.col("status") != "NOT_FOUND")
        & pl.col("is_active")
        & ((held & JKK_JKM) == JKK_JKM)
    )
    if previous is None:
        frame = frame.with_columns(
            prev_status=pl.lit(None, dtype=STATUS_ENUM), prev_since=pl.lit(None, dtype=pl.String)
        )
    else:
        # Joined on the key alone (the cheapest join), then kept only where the Pemda and
        # category agree; a person listed twice last period would multiply rows, which
        # `run_match` detects by the row count and redoes on all three columns.
        prev = _with_key(previous).select(
            pl.col("pemda_code").alias("_prev_pemda"),
            pl.col("category").alias("_prev_category"),
            "nik_key",
            pl.col("status").cast(STATUS_ENUM).alias("prev_status"),
            pl.col("since").alias("prev_since"),
        )
        same = (pl.col("_prev_pemda") == pl.col("pemda_code")) & (
            pl.col("_prev_category") == pl.col("category")
        )
        on = ["_prev_pemda", "_prev_category", "nik_key"] if exact_previous else ["nik_key"]
        if exact_previous:
            frame = frame.with_columns(
                _prev_pemda=pl.col("pemda_code"), _prev_category=pl.col("category")
            )
        frame = (
            frame.join(prev, on=on, how="left")
            .with_columns(
                prev_status=pl.when(same).then(pl.col("prev_status")),
                prev_since=pl.when(same).then(pl.col("prev_since")),
            )
            .drop("_prev_pemda", "_prev_category")
        )
    return frame.with_columns(
        since=pl.when(pl.col("prev_status") == pl.col("status"))
        .then(pl.col("prev_since"))
        .otherwise(pl.lit(period)),
        change=_change_expr(),
    )


def _with_key(frame: pl.LazyFrame) -> pl.LazyFrame:
    """Add the Int128 join key where a file predates it (the cached files carry it)."""
    if "nik_key" in frame.collect_schema().names():
        return frame
    return frame.with_columns(nik_key_expr())


def _change_expr() -> pl.Expr:
    status, prev = pl.col("status"), pl.col("prev_status")
    return (
        pl.when((status == "PROTECTED") & prev.is_not_null() & (prev != "PROTECTED"))
        .then(pl.lit("NEWLY_PROTECTED"))
        .when((status == "LAPSED") & prev.is_in(["PROTECTED", "PARTIAL"]))
        .then(pl.lit("NEWLY_LAPSED"))
        .cast(CHANGE_ENUM)
    )


def aggregates(statuses: pl.DataFrame | pl.LazyFrame) -> pl.DataFrame:
    """Per (Pemda, category): headcount, each status, Inpres minimum, transitions."""
    return _aggregate_query(statuses.lazy()).collect()


def _aggregate_query(statuses: pl.LazyFrame) -> pl.LazyFrame:
    status = pl.col("status")
    return (
        statuses.group_by("pemda_code", "category")
        .agg(
            pl.len().alias("headcount"),
            (status == "PROTECTED").sum().alias("protected"),
            (status == "PARTIAL").sum().alias("partial"),
            (status == "LAPSED").sum().alias("lapsed"),
            (status == "NOT_FOUND").sum().alias("not_found"),
            pl.col("basic").sum().alias("basic_protected"),
            (pl.col("change") == "NEWLY_PROTECTED").sum().alias("newly_protected"),
            (pl.col("change") == "NEWLY_LAPSED").sum().alias("newly_lapsed"),
        )
        .sort("pemda_code", "category")
        .select(AGGREGATE_COLUMNS)
    )


def _write_and_aggregate(statuses: pl.LazyFrame, path: Path) -> pl.DataFrame:
    """Stream the per-worker results into `path` and aggregate them in the same pass: the
    statuses are computed once and never held whole in memory (0.35 s less per 3 M workers
    than collecting them, writing the file and grouping the frame)."""
    sink = statuses.select(RESULT_COLUMNS).sink_parquet(
        path, compression="lz4", statistics=True, lazy=True
    )
    _, agg = pl.collect_all([sink, _aggregate_query(statuses)])
    return agg


def run_match(
    *,
    registry_path: Path,
    roster: pl.LazyFrame,
    previous_path: Path | None,
    period: str,
    results_path: Path,
) -> pl.DataFrame:
    """The whole job over files: match, write per-worker results atomically, aggregate."""
    registry = pl.scan_parquet(registry_path)
    previous = pl.scan_parquet(previous_path) if previous_path else None
    listed = _with_key(roster).select("worker_id", "pemda_code", "category", "nik_key").collect()
    people = registry_people(registry, listed.lazy(), period)
    with atomic_path(results_path) as partial:
        statuses = worker_statuses(listed.lazy(), people, previous, period)
        agg = _write_and_aggregate(statuses, partial)
        if previous is not None and int(agg["headcount"].sum()) != listed.height:
            # someone was listed twice last period (two Pemda or categories): join exactly
            statuses = worker_statuses(listed.lazy(), people, previous, period, exact_previous=True)
            agg = _write_and_aggregate(statuses, partial)
    return agg
