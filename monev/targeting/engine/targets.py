"""The targeting over Parquet files: who is eligible, who is protected, who is on a roster,
and the counts per Pemda. Pure functions (no database): the service, the tests and the
benchmark run the same code (docs/targeting.md).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from monev.core import storage
from monev.registry.engine import PROGRAM_BITS, period_index
from monev.targeting.engine.intake import nik_key_expr, write_parquet

JKK_JKM = PROGRAM_BITS["JKK"] | PROGRAM_BITS["JKM"]  # the pekerja-rentan package


@dataclass(frozen=True)
class Rule:
    """Who is a target: desil 1..max_desil, working, aged min_age..max_age at the period."""

    max_desil: int = 4
    min_age: int = 15
    max_age: int = 64

    def as_dict(self) -> dict[str, int]:
        return {"max_desil": self.max_desil, "min_age": self.min_age, "max_age": self.max_age}


STATUSES = ("PROTECTED", "PARTIAL", "LAPSED", "NOT_FOUND")
ROSTER_STATUSES = ("RENTAN_BACKLOG", "OTHER_ROSTER", "NO_ROSTER")
RESULT_COLUMNS = (
    "pemda_code",
    "row",
    "nik_hash",
    "nik_masked",
    "name",
    "kode_wilayah",
    "desa_code",
    "desil",
    "occupation",
    "age_now",
    "status",
    "roster_status",
)
ROSTER_SCHEMA = {"pemda_code": pl.String, "category": pl.String, "nik_key": pl.Int128}


def period_start(period: str) -> dt.date:
    return dt.date(int(period[:4]), int(period[5:7]), 1)


def age_expr(period: str, as_of: str) -> pl.Expr:
    """Age on the first day of the period: from the birth date, else the listed age moved on
    by the years between the list's as-of month and the period."""
    day = period_start(period)
    born = pl.col("birth_date")
    before = pl.lit(day.month * 100 + day.day) < (
        born.dt.month().cast(pl.Int32) * 100 + born.dt.day().cast(pl.Int32)
    )
    exact = pl.lit(day.year) - born.dt.year().cast(pl.Int32) - before.cast(pl.Int32)
    shift = (period_start(period) - period_start(as_of)).days // 365
    return pl.when(born.is_not_null()).then(exact).otherwise(pl.col("age").cast(pl.Int32) + shift)


def eligible_people(
    people: pl.LazyFrame, *, period: str, as_of: str, rule: Rule, pemda: str | None = None
) -> pl.LazyFrame:
    """Poor (desil ≤ max), working, working-age residents, from the stored list."""
    if pemda is not None:
        people = people.filter(pl.col("pemda_code") == pemda)
    if "nik_key" not in people.collect_schema().names():  # lists stored before the key
        people = people.with_columns(nik_key_expr())
    return (
        people.select(
            "pemda_code",
            "row",
            "nik_hash",
            "nik_key",
            "nik_masked",
            "name",
            "kode_wilayah",
            "desa_code",
            "desil",
            "working",
            "occupation",
            age_expr(period, as_of).alias("age_now"),
        )
        .filter(
            pl.col("working")
            & (pl.col("desil") <= rule.max_desil)
            & pl.col("age_now").is_between(rule.min_age, rule.max_age)
        )
        .drop("working")
    )


def registry_holdings(
    registry: pl.LazyFrame, people: pl.LazyFrame, period: str, key: str
) -> pl.LazyFrame:
    """Per person found in the registry: active in the period (status AKTIF, paid up to the
    period) and the programmes held by the active rows, joined on `key`."""
    current = period_index(period)
    active_row = pl.col("active") & (
        pl.col("paid_until").is_null() | (pl.col("paid_until") >= current)
    )
    return (
        registry.select(key, "programs", "active", "paid_until")
        .join(people.select(key), on=key, how="semi")
        .group_by(key)
        .agg(
            active_row.any().alias("is_active"),
            pl.when(active_row).then(pl.col("programs")).otherwise(0).bitwise_or().alias("held"),
        )
    )


def join_key(registry: pl.LazyFrame) -> str:
    """`nik_key` when the registry extract carries it (newer files), else `nik_hash`."""
    return "nik_key" if "nik_key" in registry.collect_schema().names() else "nik_hash"


def protection_status(people: pl.LazyFrame, registry: pl.LazyFrame, period: str) -> pl.LazyFrame:
    """`status` per person: PROTECTED (active with JKK and JKM in the period), PARTIAL
    (active without both), LAPSED (in the registry, not active), NOT_FOUND."""
    key = join_key(registry)
    found = registry_holdings(registry, people, period, key)
    held = pl.col("held").fill_null(0).cast(pl.UInt8)
    status = (
        pl.when(pl.col("is_active").is_null())
        .then(pl.lit("NOT_FOUND"))
        .when(~pl.col("is_active"))
        .then(pl.lit("LAPSED"))
        .when((held & JKK_JKM) == JKK_JKM)
        .then(pl.lit("PROTECTED"))
        .otherwise(pl.lit("PARTIAL"))
    )
    return (
        people.join(found, on=key, how="left")
        .with_columns(status=status.cast(pl.Enum(list(STATUSES))))
        .drop("is_active", "held")
    )


def roster_status(people: pl.LazyFrame, rosters: pl.LazyFrame) -> pl.LazyFrame:
    """RENTAN_BACKLOG: on the person's own Pemda's current RENTAN roster (registration is
    pending); OTHER_ROSTER: on some other current roster; NO_ROSTER: on none."""
    anywhere = rosters.select("nik_key").unique().with_columns(_any=pl.lit(True))
    rentan = (
        rosters.filter(pl.col("category") == "RENTAN")
        .select("pemda_code", "nik_key")
        .unique()
        .with_columns(_rentan=pl.lit(True))
    )
    value = (
        pl.when(pl.col("_rentan").fill_null(False))
        .then(pl.lit("RENTAN_BACKLOG"))
        .when(pl.col("_any").fill_null(False))
        .then(pl.lit("OTHER_ROSTER"))
        .otherwise(pl.lit("NO_ROSTER"))
    )
    return (
        people.join(rentan, on=["pemda_code", "nik_key"], how="left")
        .join(anywhere, on="nik_key", how="left")
        .with_columns(roster_status=value.cast(pl.Enum(list(ROSTER_STATUSES))))
        .drop("_rentan", "_any")
    )


def target_results(
    *,
    people: pl.LazyFrame,
    registry: pl.LazyFrame,
    rosters: pl.LazyFrame,
    period: str,
    as_of: str,
    rule: Rule,
    pemda: str | None = None,
) -> pl.LazyFrame:
    """Every eligible person with a protection status and a roster status."""
    eligible = eligible_people(people, period=period, as_of=as_of, rule=rule, pemda=pemda)
    statuses = protection_status(eligible, registry, period)
    return roster_status(statuses, rosters).select(RESULT_COLUMNS)


def targets_only(results: pl.LazyFrame) -> pl.LazyFrame:
    return results.filter(pl.col("status") != "PROTECTED")


TOP_OCCUPATIONS = 30
UNKNOWN = "(tidak diisi)"


def aggregates(results: pl.DataFrame) -> pl.DataFrame:
    """Per Pemda: eligible, protected, targets by status and roster status."""
    status, roster = pl.col("status"), pl.col("roster_status")
    target = status != "PROTECTED"
    return (
        results.group_by("pemda_code")
        .agg(
            pl.len().alias("eligible"),
            (status == "PROTECTED").sum().alias("protected"),
            target.sum().alias("targets"),
            (status == "LAPSED").sum().alias("lapsed"),
            (status == "PARTIAL").sum().alias("partial"),
            (status == "NOT_FOUND").sum().alias("not_found"),
            (target & (roster == "RENTAN_BACKLOG")).sum().alias("backlog"),
            (target & (roster == "OTHER_ROSTER")).sum().alias("other_roster"),
            (target & (roster == "NO_ROSTER")).sum().alias("no_roster"),
        )
        .sort("pemda_code")
    )


def breakdowns(targets: pl.DataFrame) -> dict[str, dict[str, dict[str, int]]]:
    """Per Pemda: targets by desil, by desa (or kecamatan/wilayah when no desa), by
    occupation (the most frequent TOP_OCCUPATIONS, the rest as "lainnya")."""
    place = pl.coalesce("desa_code", "kode_wilayah")
    job = pl.col("occupation").fill_null(UNKNOWN).str.to_uppercase()
    out: dict[str, dict[str, dict[str, int]]] = {}
    for key, expr in (("desil", pl.col("desil").cast(pl.String)), ("desa", place), ("job", job)):
        counts = targets.group_by("pemda_code", expr.alias("k")).len().sort("pemda_code", "k")
        for code, k, n in counts.iter_rows():
            out.setdefault(code, {}).setdefault(key, {})[k] = n
    for groups in out.values():
        jobs = sorted(groups.get("job", {}).items(), key=lambda kv: (-kv[1], kv[0]))
        top = dict(jobs[:TOP_OCCUPATIONS])
        rest = sum(n for _k, n in jobs[TOP_OCCUPATIONS:])
        if rest:
            top["LAINNYA"] = rest
        groups["job"] = top
    return out


def run_targeting(
    *,
    people_path: str | Path,
    registry_path: str | Path,
    rosters: pl.LazyFrame,
    period: str,
    as_of: str,
    rule: Rule,
    results_path: str | Path,
) -> pl.DataFrame:
    """The whole national job over files (local paths or object URIs): results written
    atomically, aggregates returned."""
    results = target_results(
        people=storage.scan_at(people_path),
        registry=storage.scan_at(registry_path),
        rosters=rosters,
        period=period,
        as_of=as_of,
        rule=rule,
    ).collect()
    results = results.sort("pemda_code", "row")
    write_parquet(results, results_path)
    return results


def empty_rosters() -> pl.LazyFrame:
    return pl.LazyFrame(schema=ROSTER_SCHEMA)
