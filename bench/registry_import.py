"""Benchmark: a registry extract CSV → validated, pseudonymised Parquet (goal ≥ 1 M rows/s).

    .venv/bin/python bench/registry_import.py                 # 2 M and 20 M rows
    .venv/bin/python bench/registry_import.py --sizes 1,5
    .venv/bin/python bench/registry_import.py --store s3    # the data store in a local S3 bucket

It writes a synthetic extract in the documented format (real kecamatan codes in the NIKs,
all four segments, programme lists, statuses, paid-up months), then measures in a fresh
process each:

- floor: plain Polars `read_csv` of the same file and `write_parquet` (no checks, no hash);
- import: `monev.registry.services.registry_import` — read, every validation rule, the
  parallel HMAC of each NIK, the Int128 join key, the Parquet file, checksums, the snapshot.

Uses its own MONEV_HOME (a temporary directory with the reference data loaded once).
`--store s3` runs both with the data store in a bucket of a local S3-compatible server
(bench/_s3.py): the floor writes its Parquet there, the import stores its extract there.
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
from _s3 import local_s3

ROOT = Path(__file__).resolve().parent.parent
HOME = Path(tempfile.gettempdir()) / "monev-bench-registry"


def django_setup() -> None:
    os.environ.setdefault("MONEV_HOME", str(HOME))
    os.environ.setdefault("MONEV_DEBUG", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "monev.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def prefixes() -> list[str]:
    from monev.regions.selectors import district_prefixes

    return sorted(district_prefixes())


def write_extract(path: Path, rows: int, districts: list[str], seed: int = 11) -> None:
    rng = np.random.default_rng(seed)
    chunk = 2_000_000
    with open(path, "wb") as handle:
        for start in range(0, rows, chunk):
            n = min(chunk, rows - start)
            serial = rng.integers(1, 10_000, n)
            serial = np.where(serial % 1000 == 0, serial + 1, serial)
            day = rng.integers(1, 29, n) + np.where(rng.random(n) < 0.5, 40, 0)
            frame = pl.DataFrame(
                {
                    "d": rng.choice(districts, n),
                    "day": day,
                    "month": rng.integers(1, 13, n),
                    "yy": rng.integers(50, 100, n),
                    "serial": serial,
                    "segmen": rng.choice(["PU", "BPU", "JAKON", "PMI"], n),
                    "program": rng.choice(["JKK,JKM,JHT,JP", "JKK,JKM", "JKK,JKM,JHT"], n),
                    "upah": rng.integers(1_000_000, 12_000_000, n),
                    "status": rng.choice(["AKTIF", "AKTIF", "AKTIF", "NONAKTIF"], n),
                    "paid": rng.choice(["2024-06", "2024-05", "2024-03"], n),
                }
            ).select(
                pl.concat_str(
                    "d",
                    pl.col("day").cast(pl.String).str.zfill(2),
                    pl.col("month").cast(pl.String).str.zfill(2),
                    pl.col("yy").cast(pl.String).str.zfill(2),
                    pl.col("serial").cast(pl.String).str.zfill(4),
                ).alias("nik"),
                (pl.int_range(start, start + n) + 10**10).cast(pl.String).alias("kpj"),
                "segmen",
                "program",
                pl.lit("").alias("npp"),
                "upah",
                "status",
                pl.col("paid").alias("iuran_terakhir"),
                pl.format(
                    "{}.{}.{}",
                    pl.col("d").str.slice(0, 2),
                    pl.col("d").str.slice(2, 2),
                    pl.col("d").str.slice(4, 2),
                ).alias("kode_wilayah"),
            )
            # the same NIK twice in a segment would be a row error: keep the file clean
            frame.write_csv(handle, include_header=start == 0)


def child(kind: str, path: Path) -> None:
    started = time.perf_counter()
    if kind == "floor":
        frame = pl.read_csv(path, infer_schema=False)
        target, options = str(path.with_suffix(".floor.parquet")), {}
        if os.environ.get("MONEV_DATA_URL", "").startswith("s3://"):
            django_setup()
            from monev.core import storage

            target = storage.uri("bench/floor.parquet")
            options = storage.polars_kwargs(target)
        frame.write_parquet(target, compression="zstd", compression_level=1, **options)
        result = {"rows": frame.height, "accepted": frame.height}
    else:
        django_setup()
        from monev.core.scope import SYSTEM
        from monev.registry.services import registry_import

        outcome = registry_import(period="2024-06", path=path, by=SYSTEM, accept_valid=True)
        result = {"rows": outcome.rows_total, "accepted": outcome.rows_accepted}
    result["seconds"] = time.perf_counter() - started
    result["peak_rss_gb"] = peak_rss_gb()
    print(json.dumps(result))


def run_child(kind: str, path: Path, store: dict[str, str]) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, __file__, "--measure", kind, "--file", str(path)],
        check=True,
        capture_output=True,
        text=True,
        env={**os.environ, "MONEV_HOME": str(HOME), "MONEV_DEBUG": "1", **store},
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="2,20", help="rows in millions, e.g. 2,20")
    parser.add_argument(
        "--store", choices=["local", "s3"], default="local", help="where the data store is"
    )
    parser.add_argument("--measure", choices=["floor", "import"], help=argparse.SUPPRESS)
    parser.add_argument("--file", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        child(args.measure, Path(args.file))
        return
    if args.store == "s3":
        with local_s3() as store:
            run(args, store)
    else:
        run(args, {})


def run(args: argparse.Namespace, store: dict[str, str]) -> None:
    HOME.mkdir(parents=True, exist_ok=True)
    django_setup()
    from django.core.management import call_command

    call_command("init", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
    districts = prefixes()
    print(f"cores: {os.cpu_count()}  polars {pl.__version__}  store: {args.store}")
    print(
        f"{'rows':>11} {'MB':>6} {'floor s':>8} {'import s':>9} {'import/floor':>12} "
        f"{'M rows/s':>9} {'accepted':>11} {'GB':>5}"
    )
    previous = None
    for size in [float(s) for s in args.sizes.split(",")]:
        rows = int(size * 1_000_000)
        with tempfile.TemporaryDirectory(prefix="bench-registry-") as tmp:
            path = Path(tmp) / "registri.csv"
            write_extract(path, rows, districts)
            megabytes = path.stat().st_size / 1e6
            floor = run_child("floor", path, store)
            job = run_child("import", path, store)
        rate = rows / job["seconds"] / 1e6
        print(
            f"{rows:>11,} {megabytes:>6.0f} {floor['seconds']:>8.2f} {job['seconds']:>9.2f} "
            f"{job['seconds'] / floor['seconds']:>12.2f} {rate:>9.2f} "
            f"{int(job['accepted']):>11,} {job['peak_rss_gb']:>5.1f}"
        )
        if previous:
            print(
                f"  growth ×{rows / previous[0]:.0f} rows → ×{job['seconds'] / previous[1]:.2f} time"
            )
        previous = (rows, job["seconds"])


if __name__ == "__main__":
    main()
