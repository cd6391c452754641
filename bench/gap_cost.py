"""Cost-to-close-the-gap benchmark: one Pemda roster costed by `gap_compute`.

    .venv/bin/python bench/gap_cost.py                 # 300,000 workers on SQLite
    .venv/bin/python bench/gap_cost.py --rows 1000000

Builds a roster of N workers (60 % non-ASN on ~70 wage levels, 15 % perangkat desa, the rest
RT/RW and pekerja rentan, 8 funding sources, 1 % of NIKs also on a second Pemda's roster),
then times:

- the floor: the two queries the job cannot avoid (group by category, source, wage; the
  count of NIK keys shared with other Pemda), in plain Polars over the same row files;
- `gap_compute` (grouping, a calculator call per distinct group, double financing).

Prints seconds, groups, rows/s and the ratio to the floor.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def setup_django(home: Path) -> None:
    os.environ.update(
        MONEV_HOME=str(home),
        MONEV_DEBUG="1",
        DATABASE_URL=f"sqlite:///{home / 'bench.sqlite3'}",
        DJANGO_SETTINGS_MODULE="monev.settings",
        MONEV_LOG_LEVEL="WARNING",
    )
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def build(rows: int) -> None:
    from django.core.management import call_command

    from monev.budgets.services import rates_seed_load
    from monev.core.scope import SYSTEM
    from monev.regions.models import Pemda
    from monev.regions.services import reference_load
    from monev.rosters import store
    from monev.rosters.models import RosterVersion

    call_command("migrate", verbosity=0)
    reference_load()
    rates_seed_load(by=SYSTEM)
    rng = random.Random(7)
    sources = ["APBD_KABKOTA", "APBD_PROV", "APBDES", "DANA_DESA", "DBHCHT", "DBH_SAWIT", "CSR", ""]
    own: list[dict[str, object]] = []
    other: list[dict[str, object]] = []
    for n in range(rows):
        roll = rng.random()
        category = (
            "NON_ASN"
            if roll < 0.6
            else "PERANGKAT_DESA"
            if roll < 0.75
            else rng.choice(["RT_RW", "RENTAN"])
        )
        wage = (
            1_500_000 + 50_000 * rng.randrange(70)
            if category in ("NON_ASN", "PERANGKAT_DESA")
            else None
        )
        nik = f"{n:016d}"
        own.append(
            {"nik": nik, "category": category, "wage": wage, "funding_source": rng.choice(sources)}
        )
        if n % 100 == 0:
            other.append({"nik": nik, "category": "RENTAN", "funding_source": "DANA_DESA"})
    for code, records in (("16.71", own), ("16.04", other)):
        RosterVersion.objects.create(
            pemda=Pemda.objects.get(code=code),
            period="2024-06",
            number=1,
            rows_accepted=len(records),
            rows_file=store.records_write(records, pemda_code=code, period="2024-06"),
        )


def floor() -> float:
    import polars as pl

    from monev.rosters import store
    from monev.rosters.models import RosterVersion

    own = RosterVersion.objects.get(pemda__code="16.71")
    other = RosterVersion.objects.get(pemda__code="16.04")
    start = time.perf_counter()
    rows = pl.scan_parquet(store.rows_uri(own))
    rows.group_by("category", "funding_source", "wage").len().collect()
    shared = rows.select("nik_key").join(
        pl.scan_parquet(store.rows_uri(other)).select("nik_key"), on="nik_key", how="semi"
    )
    shared.select(pl.len()).collect()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=300_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-gap-") as tmp:
        setup_django(Path(tmp))
        started = time.perf_counter()
        build(args.rows)
        print(f"built {args.rows:,} workers in {time.perf_counter() - started:.1f} s")
        from monev.budgets.gap import gap_compute

        base = min(floor() for _ in range(2))
        best, gap = float("inf"), None
        for _ in range(2):
            start = time.perf_counter()
            gap = gap_compute(pemda_code="16.71", period="2024-06")
            best = min(best, time.perf_counter() - start)
        assert gap is not None
        print(f"floor (Polars)    {base:7.3f} s")
        print(
            f"gap_compute       {best:7.3f} s  {args.rows / best:,.0f} rows/s  "
            f"groups={len(gap.groups)} monthly=Rp{gap.monthly_cost:,} twice={gap.financed_twice:,}"
        )
        print(f"ratio to floor    {best / base:7.2f}×")


if __name__ == "__main__":
    main()
