"""Cost-to-close-the-gap benchmark: one Pemda roster costed by `gap_compute`.

    .venv/bin/python bench/gap_cost.py                 # 300,000 workers on SQLite
    .venv/bin/python bench/gap_cost.py --rows 1000000

Builds a roster of N workers (60 % non-ASN on ~70 wage levels, 15 % perangkat desa, the rest
RT/RW and pekerja rentan, 8 funding sources, 1 % of NIKs also on a second Pemda's roster),
then times:

- the floor: the two SQL statements the job cannot avoid (GROUP BY category, source, wage;
  the count of NIK hashes shared with other Pemda), run raw;
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
    from monev.rosters.models import RosterVersion, Worker

    call_command("migrate", verbosity=0)
    reference_load()
    rates_seed_load(by=SYSTEM)
    rng = random.Random(7)
    sources = ["APBD_KABKOTA", "APBD_PROV", "APBDES", "DANA_DESA", "DBHCHT", "DBH_SAWIT", "CSR", ""]
    own = RosterVersion.objects.create(
        pemda=Pemda.objects.get(code="16.71"), period="2024-06", number=1
    )
    other = RosterVersion.objects.create(
        pemda=Pemda.objects.get(code="16.04"), period="2024-06", number=1
    )
    batch: list[Worker] = []
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
        batch.append(_worker(own, n, f"{n:016d}", category, wage, rng.choice(sources)))
        if n % 100 == 0:
            batch.append(_worker(other, n, f"{n:016d}", "RENTAN", None, "DANA_DESA"))
        if len(batch) >= 20_000:
            Worker.objects.bulk_create(batch, batch_size=2_000)
            batch = []
    Worker.objects.bulk_create(batch, batch_size=2_000)


def _worker(
    version: object, n: int, tag: str, category: str, wage: int | None, source: str
) -> object:
    from monev.rosters.models import Worker

    return Worker(
        version=version, row_number=n + 2, nik_hash=tag, nik_cipher="x", nik_masked="x",
        name="x", category=category, wage=wage, funding_source=source,
    )  # fmt: skip


def floor() -> float:
    from django.db import connection

    start = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT category, funding_source, wage, COUNT(*) FROM rosters_worker "
            "WHERE version_id = (SELECT id FROM rosters_rosterversion WHERE pemda_id = "
            "(SELECT id FROM regions_pemda WHERE code = '16.71')) GROUP BY 1, 2, 3"
        )
        cursor.fetchall()
        cursor.execute(
            "SELECT COUNT(DISTINCT w.nik_hash) FROM rosters_worker w JOIN rosters_worker o "
            "ON o.nik_hash = w.nik_hash AND o.version_id <> w.version_id"
        )
        cursor.fetchall()
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
        print(f"floor (raw SQL)   {base:7.3f} s")
        print(
            f"gap_compute       {best:7.3f} s  {args.rows / best:,.0f} rows/s  "
            f"groups={len(gap.groups)} monthly=Rp{gap.monthly_cost:,} twice={gap.financed_twice:,}"
        )
        print(f"ratio to floor    {best / base:7.2f}×")


if __name__ == "__main__":
    main()
