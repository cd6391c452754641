"""Benchmark: the monthly match from stored pseudonymised files to stored results.

    .venv/bin/python bench/match.py                      # 20 M registry × 3 M roster, and 2 M × 0.3 M
    .venv/bin/python bench/match.py --sizes 2 --roster-ratio 0.15
    .venv/bin/python bench/match.py --store s3     # the same files in a bucket (local S3 server)

For each size it writes a registry Parquet (pseudonymised: hex HMACs, programmes, status,
paid-up month; 3 % of the rows belong to people with two), a roster Parquet and the
previous period's per-worker results (one Pemda in ten with a newer roster version since),
then runs in a fresh process each:

- floor: plain Polars join-and-aggregate of the same files (active-with-programmes per NIK
  hash, left join from the roster, counts per Pemda and category), once on the hex
  `nik_hash` and once on the stored Int128 `nik_key` (floor-key);
- job:   `monev.coverage.engine.run_match` — statuses, programmes, since-when and transitions
  against the previous period, per-worker results written to Parquet, aggregates.

It prints seconds and peak RSS of both and the ratio job/floor (goal ≤ 1.5, RSS ≤ 6 GB).

`--store s3` puts the three input files in a bucket of a local S3-compatible server
(bench/_s3.py) and runs both measures there: Polars reads the inputs and writes the results
over the S3 API, as a monev whose MONEV_DATA_URL is s3://… does.
"""

from __future__ import annotations

import argparse
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
from _s3 import local_s3, upload

ROOT = Path(__file__).resolve().parent.parent
PERIOD, PREVIOUS = "2024-06", "2024-05"
HEX = np.array([f"{i:02x}".encode() for i in range(256)], dtype="S2")
CATEGORIES = ["NON_ASN", "PERANGKAT_DESA", "RT_RW", "RENTAN"]


def random_hashes(rng: np.random.Generator, n: int) -> pl.Series:
    out = []
    for start in range(0, n, 2_000_000):
        size = min(2_000_000, n - start)
        raw = rng.integers(0, 256, size=(size, 32), dtype=np.uint8)
        out.append(pl.Series("nik_hash", HEX[raw].view("S64").ravel()).cast(pl.String))
    return pl.concat(out)


def nik_key_expr() -> pl.Expr:
    sys.path.insert(0, str(ROOT))
    from monev.registry.engine import nik_key_expr as expr

    return expr()


def generate(directory: Path, registry_rows: int, roster_rows: int, seed: int = 7) -> None:
    """Files shaped like the real ones: a registry where 3 % of the rows belong to people
    with two (marked `nik_repeated`, as the import marks them), a roster of 552 Pemda versions with
    `worker_id` = version × 2³² + row, and previous results in worker order (as the job
    writes them) where one Pemda in ten has uploaded a new version since."""
    rng = np.random.default_rng(seed)
    twice = registry_rows * 3 // 200
    people = random_hashes(rng, registry_rows - twice)
    hashes = pl.concat([people, people.head(twice)])
    month = 2024 * 12 + 5
    registry = pl.DataFrame(
        {
            "nik_hash": hashes,
            "nik_key": hashes.to_frame().select(nik_key_expr()).to_series(),
            "segmen": pl.Series(rng.choice(["PU", "BPU", "JAKON", "PMI"], registry_rows)).cast(
                pl.Enum(["PU", "BPU", "JAKON", "PMI"])
            ),
            "programs": pl.Series(rng.choice([3, 7, 15, 1], registry_rows), dtype=pl.UInt8),
            "npp": pl.Series([None] * 1, dtype=pl.String).extend_constant(None, registry_rows - 1),
            "upah": pl.Series(rng.integers(1_000_000, 9_000_000, registry_rows)),
            "active": pl.Series(rng.random(registry_rows) < 0.8),
            "paid_until": pl.Series(month - rng.integers(0, 3, registry_rows), dtype=pl.Int32),
            "kode_wilayah": pl.Series([None] * 1, dtype=pl.String).extend_constant(
                None, registry_rows - 1
            ),
        }
    ).with_columns(
        nik_repeated=(pl.int_range(pl.len()) < twice) | (pl.int_range(pl.len()) >= pl.len() - twice)
    )
    registry = registry.sample(fraction=1.0, shuffle=True, seed=seed)
    registry.write_parquet(directory / "registry.parquet", compression="zstd", compression_level=1)
    found = int(roster_rows * 0.7)
    pick = rng.choice(registry_rows - twice, size=found, replace=False)
    roster_hashes = pl.concat([people.gather(pick), random_hashes(rng, roster_rows - found)])
    pemda = [f"{p:02d}.{r:02d}" for p in range(11, 95) for r in range(1, 8)][:552]
    version = pl.Series(rng.integers(0, len(pemda), roster_rows)).sort()
    roster = (
        pl.DataFrame(
            {
                "version": version + 1,
                "pemda_code": pl.Series(pemda).gather(version),
                "category": pl.Series(rng.choice(CATEGORIES, roster_rows)),
                "nik_hash": roster_hashes.sample(fraction=1.0, shuffle=True, seed=seed),
            }
        )
        .with_columns(
            worker_id=(pl.col("version") * 2**32 + pl.int_range(pl.len()).over("version")),
            nik_key=nik_key_expr(),
        )
        .drop("version")
    )
    roster.write_parquet(directory / "roster.parquet")
    del registry, hashes
    sys.path.insert(0, str(ROOT))
    from monev.coverage import engine

    # Last period's results hold every worker of the versions matched then: the same
    # versions for nine Pemda in ten; for the tenth an older version of its list, which
    # lacked 5 % of today's workers and listed the others in another order.
    older = pl.col("worker_id") // 2**32 % 10 == 0
    previous = pl.concat(
        [
            roster.filter(~older),
            roster.filter(older)
            .sample(fraction=0.95, shuffle=True, seed=seed)
            .with_columns(
                worker_id=(pl.col("worker_id") // 2**32 + 1000) * 2**32
                + pl.int_range(pl.len()).over(pl.col("worker_id") // 2**32)
            ),
        ]
    ).drop("nik_hash")
    previous = previous.with_columns(
        status=pl.Series(rng.choice(list(engine.STATUSES), previous.height)).cast(
            engine.STATUS_ENUM
        ),
        since=pl.lit(PREVIOUS),
    ).sort("worker_id")
    previous.write_parquet(directory / "previous.parquet")


def _place(directory: str, name: str) -> str:
    return f"{directory}/{name}"


def _options(directory: str) -> dict:
    """Polars' storage options for an s3:// directory (the monev settings of the child)."""
    if not directory.startswith("s3://"):
        return {}
    django_setup()
    from monev.core import storage

    return storage.polars_kwargs(directory)


def django_setup() -> None:
    os.environ.setdefault("MONEV_HOME", tempfile.mkdtemp(prefix="bench-match-home-"))
    os.environ.setdefault("MONEV_DEBUG", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "monev.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def measure_floor(directory: str, key: str = "nik_hash") -> dict[str, float]:
    options = _options(directory)
    started = time.perf_counter()
    current = 2024 * 12 + 5
    roster = pl.scan_parquet(_place(directory, "roster.parquet"), **options)
    people = (
        pl.scan_parquet(_place(directory, "registry.parquet"), **options)
        .filter(pl.col("active") & (pl.col("paid_until") >= current))
        .group_by(key)
        .agg(pl.col("programs").bitwise_or())
    )
    result = (
        roster.join(people, on=key, how="left")
        .group_by("pemda_code", "category")
        .agg(
            pl.len().alias("headcount"),
            ((pl.col("programs") & 3) == 3).sum().alias("protected"),
        )
        .collect()
    )
    result.write_parquet(_place(directory, "floor-out.parquet"), **options)
    return {"seconds": time.perf_counter() - started, "groups": result.height}


def measure_job(directory: str) -> dict[str, float]:
    options = _options(directory)
    sys.path.insert(0, str(ROOT))
    from monev.coverage import engine

    started = time.perf_counter()
    agg = engine.run_match(
        registry_path=_place(directory, "registry.parquet"),
        roster=pl.scan_parquet(_place(directory, "roster.parquet"), **options),
        previous_path=_place(directory, "previous.parquet"),
        period=PERIOD,
        results_path=_place(directory, "results.parquet"),
    )
    agg.write_parquet(_place(directory, "aggregates.parquet"), **options)
    return {"seconds": time.perf_counter() - started, "groups": agg.height}


def run_child(kind: str, directory: str, env: dict[str, str]) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, __file__, "--measure", kind, "--dir", directory],
        check=True,
        capture_output=True,
        text=True,
        env={**os.environ, **env},
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def child(kind: str, directory: str) -> None:
    if kind == "job":
        result = measure_job(directory)
    else:
        result = measure_floor(directory, "nik_key" if kind == "floor-key" else "nik_hash")
    result["peak_rss_gb"] = peak_rss_gb()
    print(json.dumps(result))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="2,20", help="registry sizes in millions, e.g. 2,5,20")
    parser.add_argument("--roster-ratio", type=float, default=0.15, help="roster rows / registry")
    parser.add_argument("--repeat", type=int, default=2, help="runs of each, best is kept")
    parser.add_argument(
        "--store", choices=["local", "s3"], default="local", help="where the files are"
    )
    parser.add_argument("--measure", choices=["floor", "floor-key", "job"], help=argparse.SUPPRESS)
    parser.add_argument("--dir", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        child(args.measure, args.dir)
        return
    if args.store == "s3":
        with local_s3() as env:
            run(args, env)
    else:
        run(args, {})


def run(args: argparse.Namespace, env: dict[str, str]) -> None:
    print(f"cores: {os.cpu_count()}  polars {pl.__version__}  store: {args.store}")
    print(
        f"{'registry':>10} {'roster':>9} {'floor s':>8} {'floor-key s':>11} {'job s':>7} "
        f"{'job/floor':>9} {'job/floor-key':>13} {'floor GB':>8} {'job GB':>7}"
    )
    previous = None
    for size in [float(s) for s in args.sizes.split(",")]:
        registry_rows = int(size * 1_000_000)
        roster_rows = int(registry_rows * args.roster_ratio)
        with tempfile.TemporaryDirectory(prefix="bench-match-") as tmp:
            generate(Path(tmp), registry_rows, roster_rows)
            directory = tmp
            if env:
                for name in ("registry.parquet", "roster.parquet", "previous.parquet"):
                    uri = upload(env, Path(tmp) / name, f"bench-{registry_rows}/{name}")
                directory = uri.rsplit("/", 1)[0]
            best = {
                kind: min(
                    (run_child(kind, directory, env) for _ in range(args.repeat)),
                    key=lambda r: r["seconds"],
                )
                for kind in ("floor", "floor-key", "job")
            }
        floor, floor_key, job = best["floor"], best["floor-key"], best["job"]
        print(
            f"{registry_rows:>10,} {roster_rows:>9,} {floor['seconds']:>8.2f} "
            f"{floor_key['seconds']:>11.2f} {job['seconds']:>7.2f} "
            f"{job['seconds'] / floor['seconds']:>9.2f} "
            f"{job['seconds'] / floor_key['seconds']:>13.2f} {floor['peak_rss_gb']:>8.2f} "
            f"{job['peak_rss_gb']:>7.2f}"
        )
        if previous:
            grow = job["seconds"] / previous[1]
            print(f"  growth ×{registry_rows / previous[0]:.0f} rows → ×{grow:.2f} job time")
        previous = (registry_rows, job["seconds"])


if __name__ == "__main__":
    main()
