"""Benchmark: the national targeting from stored pseudonymised files to stored results.

    .venv/bin/python bench/targeting.py                       # 30 M social register × 20 M registry
    .venv/bin/python bench/targeting.py --people 3000000 --registry 2000000

Writes, once per size, a social-register Parquet in the stored list format (sorted by Pemda;
hex HMAC and Int128 key, desil, working status, birth date, desa, occupation), a registry
Parquet in the registry format (with `nik_key`) and a roster Parquet (1 M rows: RENTAN and
other categories). Then runs, each in a fresh process (so peak RSS is per step):

- floor: plain Polars doing the same job by hand: filter the poor working-age workers, keep
  the active registry rows with their programmes per key, left-join, classify, join the
  rosters, write the per-person results, count per Pemda, and count the targets by desil,
  desa and occupation;
- job:   `monev.targeting.engine.run_targeting` plus `aggregates` and `breakdowns` (counts by
  desil, desa and occupation) — what `target_run` does before the database write.

Prints seconds and peak RSS of each and the ratio job/floor (goal ≤ 1.5).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import polars as pl
from _rss import peak_rss_gb

ROOT = Path(__file__).resolve().parent.parent
PERIOD, AS_OF = "2025-03", "2025-01"
HEX = np.array([f"{i:02x}".encode() for i in range(256)], dtype="S2")
OCCUPATIONS = ["PETANI", "NELAYAN", "BURUH", "PEDAGANG", "OJEK", "PEKEBUN", "TUKANG", None]


def random_hashes(rng: np.random.Generator, n: int) -> pl.Series:
    out = []
    for start in range(0, n, 2_000_000):
        size = min(2_000_000, n - start)
        raw = rng.integers(0, 256, size=(size, 32), dtype=np.uint8)
        out.append(pl.Series("nik_hash", HEX[raw].view("S64").ravel()).cast(pl.String))
    return pl.concat(out) if out else pl.Series("nik_hash", [], dtype=pl.String)


def key_expr() -> pl.Expr:
    key = pl.col("nik_hash").str.slice(0, 31).str.to_integer(base=16, dtype=pl.Int128)
    return key.alias("nik_key")


def pemda_codes(n: int = 514) -> list[str]:
    return [f"{11 + i // 40:02d}.{1 + i % 40:02d}" for i in range(n)]


def generate(directory: Path, people_rows: int, registry_rows: int, seed: int = 11) -> None:
    rng = np.random.default_rng(seed)
    codes = pemda_codes()
    pemda = pl.Series("pemda_code", codes).gather(rng.integers(0, len(codes), people_rows))
    born = dt.date(1940, 1, 1).toordinal() + rng.integers(0, 80 * 365, people_rows)
    people = pl.DataFrame(
        {
            "row": np.arange(2, people_rows + 2, dtype=np.int64),
            "nik_hash": random_hashes(rng, people_rows),
            "pemda_code": pemda,
            "desil": rng.integers(1, 11, people_rows).astype(np.uint8),
            "working": rng.random(people_rows) < 0.55,
            "birth_date": pl.Series(born - dt.date(1970, 1, 1).toordinal()).cast(pl.Date),
            "_desa": rng.integers(1, 60, people_rows),
            "_job": rng.integers(0, len(OCCUPATIONS), people_rows),
        }
    )
    people = people.with_columns(
        key_expr(),
        pl.lit(None, dtype=pl.String).alias("nik_cipher"),
        pl.lit("1604********0001").alias("nik_masked"),
        pl.lit(None, dtype=pl.String).alias("kk_hash"),
        pl.format("Warga {}", pl.col("row")).alias("name"),
        pl.format("{}.01", pl.col("pemda_code")).alias("kode_wilayah"),
        pl.format("{}.01.{}", pl.col("pemda_code"), (2000 + pl.col("_desa")).cast(pl.String)).alias(
            "desa_code"
        ),
        pl.Series(OCCUPATIONS, dtype=pl.String).gather(people["_job"]).alias("occupation"),
        pl.lit(None, dtype=pl.UInt8).alias("age"),
        pl.lit("L").alias("sex"),
    ).drop("_desa", "_job")
    sys.path.insert(0, str(ROOT))
    from monev.targeting.engine import STORED_SCHEMA, write_parquet

    people = people.select(list(STORED_SCHEMA)).sort("pemda_code", "row")
    write_parquet(people, directory / "people.parquet")
    # The registry: a third of the listed people (so some of the targets are protected or
    # lapsed) and the rest other participants.
    known = min(registry_rows, people_rows // 3)
    sample = people.select("nik_hash").sample(known, seed=seed)["nik_hash"]
    hashes = pl.concat([sample, random_hashes(rng, registry_rows - known)])
    month = 2025 * 12 + 2
    registry = pl.DataFrame(
        {
            "nik_hash": hashes,
            "segmen": rng.choice(["PU", "BPU", "JAKON", "PMI"], registry_rows),
            "programs": rng.choice([3, 3, 7, 15, 31, 1], registry_rows).astype(np.uint8),
            "active": rng.random(registry_rows) < 0.85,
            "paid_until": pl.Series(rng.integers(month - 6, month + 3, registry_rows)).cast(
                pl.Int32
            ),
        }
    ).with_columns(key_expr())
    registry.write_parquet(directory / "registry.parquet", compression="zstd", compression_level=1)
    del registry, hashes
    roster_rows = min(1_000_000, people_rows // 10)
    roster = people.sample(roster_rows, seed=seed + 1).select(
        "pemda_code",
        "nik_key",
        pl.Series(rng.choice(["RENTAN", "RENTAN", "NON_ASN", "RT_RW"], roster_rows)).alias(
            "category"
        ),
    )
    roster.write_parquet(directory / "rosters.parquet")


def measure_floor(directory: Path) -> dict[str, float]:
    """The same job in plain Polars, written the obvious way."""
    started = time.perf_counter()
    month, day = 2025 * 12 + 2, dt.date(2025, 3, 1)
    born = pl.col("birth_date")
    age = (
        day.year
        - born.dt.year().cast(pl.Int32)
        - ((day.month * 100 + day.day) < born.dt.month().cast(pl.Int32) * 100 + born.dt.day())
    )
    people = (
        pl.scan_parquet(directory / "people.parquet")
        .select(
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
            age.alias("age_now"),
        )
        .filter(pl.col("working") & (pl.col("desil") <= 4) & pl.col("age_now").is_between(15, 64))
    )
    active = pl.col("active") & (pl.col("paid_until").is_null() | (pl.col("paid_until") >= month))
    held = (
        pl.scan_parquet(directory / "registry.parquet")
        .select("nik_key", "programs", "active", "paid_until")
        .join(people.select("nik_key"), on="nik_key", how="semi")
        .group_by("nik_key")
        .agg(
            active.any().alias("is_active"),
            pl.when(active).then("programs").otherwise(0).bitwise_or().alias("held"),
        )
    )
    rosters = pl.scan_parquet(directory / "rosters.parquet")
    rentan = (
        rosters.filter(pl.col("category") == "RENTAN")
        .select("pemda_code", "nik_key", pl.lit(True).alias("rentan"))
        .unique()
    )
    anywhere = rosters.select("nik_key", pl.lit(True).alias("listed")).unique()
    status = (
        pl.when(pl.col("is_active").is_null())
        .then(pl.lit("NOT_FOUND"))
        .when(~pl.col("is_active"))
        .then(pl.lit("LAPSED"))
        .when((pl.col("held") & 3) == 3)
        .then(pl.lit("PROTECTED"))
        .otherwise(pl.lit("PARTIAL"))
    )
    result = (
        people.join(held, on="nik_key", how="left")
        .join(rentan, on=["pemda_code", "nik_key"], how="left")
        .join(anywhere, on="nik_key", how="left")
        .with_columns(
            status=status,
            roster_status=pl.when(pl.col("rentan"))
            .then(pl.lit("RENTAN_BACKLOG"))
            .when(pl.col("listed"))
            .then(pl.lit("OTHER_ROSTER"))
            .otherwise(pl.lit("NO_ROSTER")),
        )
        .drop("nik_key", "is_active", "held", "rentan", "listed")
        .collect()
    )
    result.write_parquet(directory / "floor-out.parquet", compression="zstd", compression_level=1)
    counts = result.group_by("pemda_code", "status", "roster_status").len()
    targets = result.filter(pl.col("status") != "PROTECTED")
    for column in ("desil", "desa_code", "occupation"):  # the counts the Pemda page shows
        targets.group_by("pemda_code", column).len()
    return {
        "seconds": time.perf_counter() - started,
        "rows": result.height,
        "groups": counts.height,
        "peak_rss_gb": peak_rss_gb(),
    }


def measure_job(directory: Path) -> dict[str, float]:
    sys.path.insert(0, str(ROOT))
    from monev.targeting import engine

    started = time.perf_counter()
    results = engine.run_targeting(
        people_path=directory / "people.parquet",
        registry_path=directory / "registry.parquet",
        rosters=pl.scan_parquet(directory / "rosters.parquet"),
        period=PERIOD,
        as_of=AS_OF,
        rule=engine.Rule(),
        results_path=directory / "job-out.parquet",
    )
    agg = engine.aggregates(results)
    engine.breakdowns(engine.targets_only(results.lazy()).collect())
    return {
        "seconds": time.perf_counter() - started,
        "rows": results.height,
        "groups": agg.height,
        "peak_rss_gb": peak_rss_gb(),
    }


def run_child(kind: str, directory: Path) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, __file__, "--measure", kind, "--dir", str(directory)],
        check=True,
        capture_output=True,
        text=True,
    )
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=30_000_000)
    parser.add_argument("--registry", type=int, default=20_000_000)
    parser.add_argument("--repeat", type=int, default=1, help="best of N runs")
    parser.add_argument("--dir", help="reuse generated files in this directory")
    parser.add_argument("--measure", choices=["floor", "job"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        measure = measure_floor if args.measure == "floor" else measure_job
        print(json.dumps(measure(Path(args.dir))))
        return
    directory = Path(args.dir or tempfile.mkdtemp(prefix="bench-targeting-"))
    if not (directory / "people.parquet").exists():
        started = time.perf_counter()
        generate(directory, args.people, args.registry)
        print(f"generated in {time.perf_counter() - started:.1f} s under {directory}")
    os.environ.setdefault("POLARS_MAX_THREADS", str(os.cpu_count() or 2))
    best: dict[str, dict[str, float]] = {}
    for _ in range(args.repeat):
        for kind in ("floor", "job"):
            result = run_child(kind, directory)
            if kind not in best or result["seconds"] < best[kind]["seconds"]:
                best[kind] = result
    floor, job = best["floor"], best["job"]
    print(
        f"{'people':>11} {'registry':>11} {'eligible':>10} {'floor s':>8} {'job s':>7} "
        f"{'job/floor':>9} {'floor GB':>8} {'job GB':>7}"
    )
    print(
        f"{args.people:>11,} {args.registry:>11,} {int(job['rows']):>10,} "
        f"{floor['seconds']:>8.2f} {job['seconds']:>7.2f} {job['seconds'] / floor['seconds']:>9.2f} "
        f"{floor['peak_rss_gb']:>8.2f} {job['peak_rss_gb']:>7.2f}"
    )
    assert int(job["rows"]) == int(floor["rows"]), "job and floor disagree on the eligible count"


if __name__ == "__main__":
    main()
