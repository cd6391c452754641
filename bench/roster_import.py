"""Roster import benchmark: parse → validate → hash → encrypt → store, end to end.

    .venv/bin/python bench/roster_import.py                  # 3,000,000 rows, SQLite and PostgreSQL
    .venv/bin/python bench/roster_import.py --rows 300000 --db sqlite

Generates a synthetic roster (realistic NIKs over real kecamatan codes, ~1% invalid, ~0.5%
duplicates, Indonesian Excel CSV: `;` separator, wages on 500 levels written `2.500.000`,
four spellings of funding sources), then runs, each in its
own process so peak memory is per step:

- the floor: Polars reading and validating the same file, no hashing, no storage;
- the import on SQLite and on PostgreSQL (`roster_import`, accept-valid mode).

Prints rows/s, peak RSS and the ratio to the floor. PostgreSQL: DATABASE_URL of a server
where the user may create the database `monev_bench_rosters` (default
postgres://postgres@127.0.0.1:5432/postgres).
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import polars as pl
from _rss import peak_rss_gb

ROOT = Path(__file__).resolve().parent.parent
PG_ADMIN = os.environ.get("BENCH_PG_ADMIN_URL", "postgres://postgres@127.0.0.1:5432/postgres")
PG_DB = "monev_bench_rosters"


def peak_rss_mb() -> float:
    return peak_rss_gb() * 1024


def setup_django(home: Path, database_url: str) -> None:
    os.environ.update(
        MONEV_HOME=str(home),
        MONEV_DEBUG="1",
        DATABASE_URL=database_url,
        DJANGO_SETTINGS_MODULE="monev.settings",
        MONEV_LOG_LEVEL="WARNING",
    )
    sys.path.insert(0, str(ROOT))
    import warnings

    warnings.simplefilter("ignore")
    import django

    django.setup()


def init_db() -> None:
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from monev.regions.services import reference_load

    reference_load()


# How people type funding sources; wages on 500 levels, written as Indonesian Excel does.
SOURCES = ["APBD Kab/Kota", "APBD Kabupaten", "Dana Desa", "ADD"]


def _rupiah(amount: pl.Expr) -> pl.Expr:
    """1500000 → "1.500.000" (amounts of seven digits)."""
    text = amount.cast(pl.String)
    return text.str.slice(0, 1) + "." + text.str.slice(1, 3) + "." + text.str.slice(4, 3)


def generate(path: Path, rows: int) -> None:

    from monev.regions.selectors import district_prefixes

    prefixes = pl.Series(sorted(district_prefixes()))
    n = rows
    s = 42

    def pick(values: list[int] | pl.Series, seed: int) -> pl.Series:
        return pl.Series(values).sample(n, with_replacement=True, seed=seed)

    frame = pl.DataFrame(
        {
            "prefix": prefixes.sample(n, with_replacement=True, seed=s),
            "day": pick(list(range(1, 29)), s + 1) + pick([0, 40], s + 2),
            "month": pick(list(range(1, 13)), s + 3),
            "yy": pick(list(range(50, 100)) + list(range(0, 6)), s + 4),
            "serial": pick(list(range(1, 1000)), s + 5) + 1000 * pick(list(range(0, 9)), s + 6),
            "kategori": pick([0, 1, 2, 3], s + 7),
        }
    )
    labels = ["non-ASN", "Perangkat Desa", "RT/RW", "pekerja rentan"]
    frame = frame.with_row_index("i").select(
        pl.format(
            "{}{}{}{}{}",
            "prefix",
            pl.col("day").cast(pl.String).str.zfill(2),
            pl.col("month").cast(pl.String).str.zfill(2),
            pl.col("yy").cast(pl.String).str.zfill(2),
            pl.col("serial").cast(pl.String).str.zfill(4),
        ).alias("nik"),
        pl.format("Pekerja Nomor {}", "i").alias("nama"),
        pl.col("kategori").replace_strict(dict(enumerate(labels)), return_dtype=pl.String),
        pl.lit("Staf").alias("jabatan"),
        pl.when(pl.col("kategori") < 2)
        .then(_rupiah(1_500_000 + 5_000 * (pl.col("i") % 500)))
        .alias("upah"),
        pl.when(pl.col("kategori") < 2)
        .then(pl.col("i").mod(4).replace_strict(dict(enumerate(SOURCES)), return_dtype=pl.String))
        .alias("sumber_dana"),
        pl.lit(None, dtype=pl.String).alias("kode_desa"),
        pl.col("i"),
    )
    # ~1% invalid (mangled by Excel, 15 digits, month 13), ~0.5% copies of another row's NIK.
    bad = pl.col("i") % 100 == 7
    dup = pl.col("i") % 200 == 11
    frame = frame.with_columns(
        nik=pl.when(bad & (pl.col("i") % 3 == 0))
        .then(pl.lit("1.67101E+15"))
        .when(bad & (pl.col("i") % 3 == 1))
        .then(pl.col("nik").str.slice(0, 15))
        .when(bad)
        .then(pl.col("nik").str.slice(0, 8) + "13" + pl.col("nik").str.slice(10))
        .when(dup)
        .then(pl.col("nik").shift(5))
        .otherwise(pl.col("nik"))
    ).drop("i")
    frame.write_csv(path, separator=";")


def child(args: argparse.Namespace) -> None:
    home = Path(args.home)
    url = args.database_url
    setup_django(home, url)
    if args.step == "generate":
        init_db()
        generate(Path(args.file), args.rows)
        print(json.dumps({"bytes": Path(args.file).stat().st_size}))
        return
    import datetime as dt

    from monev.regions.selectors import district_prefixes
    from monev.rosters import engine

    if args.step == "floor":
        start = time.perf_counter()
        frame = engine.read_roster(Path(args.file).read_bytes(), "roster.csv")
        result = engine.validate_rows(
            frame,
            pemda_code="16.71",
            as_of=dt.date(2024, 6, 30),
            prefixes=district_prefixes(),
            hash_niks=False,
        )
        seconds = time.perf_counter() - start
        print(
            json.dumps(
                {
                    "seconds": seconds,
                    "rows": result.total,
                    "valid": result.n_valid,
                    "peak_mb": peak_rss_mb(),
                }
            )
        )
        return
    init_db()
    from monev.core.scope import SYSTEM
    from monev.regions.models import Pemda
    from monev.rosters import store
    from monev.rosters.services import roster_import

    pemda = Pemda.objects.get(code="16.71")
    steps: list[tuple[str, float]] = []

    def progress(done: int, total: int, message: str) -> None:
        steps.append((f"{message} (peak so far {peak_rss_mb():.0f} MB)", time.perf_counter()))

    start = time.perf_counter()
    upload = roster_import(
        pemda=pemda,
        period="2024-06",
        data=Path(args.file),
        filename="roster.csv",
        mode="accept_valid",
        by=SYSTEM,
        progress=progress,
    )
    seconds = time.perf_counter() - start
    marks = [("start", start), *steps, ("end", start + seconds)]
    timings = {a[0]: round(b[1] - a[1], 2) for a, b in itertools.pairwise(marks)}
    assert upload.version is not None
    stored = store.version_rows(upload.version, ["row_number"]).select(pl.len()).collect().item()
    print(
        json.dumps(
            {
                "seconds": seconds,
                "rows": upload.rows_total,
                "stored": stored,
                "state": upload.state,
                "peak_mb": peak_rss_mb(),
                "steps": timings,
            }
        )
    )


def spawn(step: str, home: Path, url: str, file: Path, rows: int) -> dict:
    out = subprocess.run(
        [
            sys.executable,
            __file__,
            "--child",
            step,
            "--home",
            str(home),
            "--database-url",
            url,
            "--file",
            str(file),
            "--rows",
            str(rows),
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def fresh_pg() -> str:
    import psycopg

    with psycopg.connect(PG_ADMIN.replace("postgres://", "postgresql://"), autocommit=True) as c:
        c.execute(f"DROP DATABASE IF EXISTS {PG_DB}")
        c.execute(f"CREATE DATABASE {PG_DB}")
    return PG_ADMIN.rsplit("/", 1)[0] + "/" + PG_DB


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=3_000_000)
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--steps", action="store_true", help="print the time of each step")
    parser.add_argument("--child", choices=["generate", "floor", "import"])
    parser.add_argument("--home")
    parser.add_argument("--database-url")
    parser.add_argument("--file")
    args = parser.parse_args()
    if args.child:
        args.step = args.child
        child(args)
        return
    with tempfile.TemporaryDirectory(prefix="bench-rosters-") as tmp:
        base = Path(tmp)
        file = base / "roster.csv"
        sqlite_url = f"sqlite:///{base / 'gen.sqlite3'}"
        gen = spawn("generate", base / "gen", sqlite_url, file, args.rows)
        print(f"roster: {args.rows:,} rows, {gen['bytes'] / 1e6:.0f} MB CSV")
        floor = spawn("floor", base / "gen", sqlite_url, file, args.rows)
        floor_rate = floor["rows"] / floor["seconds"]
        print(
            f"{'floor (Polars read+validate)':<30} {floor['seconds']:7.2f} s "
            f"{floor_rate:12,.0f} rows/s  peak {floor['peak_mb']:7.0f} MB"
        )
        backends = ["sqlite", "postgres"] if args.db == "both" else [args.db]
        for backend in backends:
            url = f"sqlite:///{base / 'bench.sqlite3'}" if backend == "sqlite" else fresh_pg()
            r = spawn("import", base / backend, url, file, args.rows)
            rate = r["rows"] / r["seconds"]
            print(
                f"{'import ' + backend:<30} {r['seconds']:7.2f} s {rate:12,.0f} rows/s  "
                f"peak {r['peak_mb']:7.0f} MB  ×{r['seconds'] / floor['seconds']:.1f} floor  "
                f"stored {r['stored']:,} ({r['state']})"
            )
            if args.steps:
                for step, secs in r["steps"].items():
                    print(f"    {step:<64} {secs:7.2f} s")


if __name__ == "__main__":
    main()
