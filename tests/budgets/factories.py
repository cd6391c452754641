"""Small builders for roster rows the gap tests need (no NIK in clear anywhere)."""

from __future__ import annotations

import hashlib

from monev.regions.models import Pemda
from monev.rosters.models import RosterVersion, Worker


def roster(pemda: str, period: str, groups: list[tuple[int, str, int | None, str]], *,
           shared: list[str] | None = None) -> RosterVersion:  # fmt: skip
    """`groups`: (count, category, wage, funding_source); `shared` adds these nik hashes."""
    version = RosterVersion.objects.create(
        pemda=Pemda.objects.get(code=pemda), period=period, number=1, is_current=True
    )
    workers, n = [], 0
    for count, category, wage, source in groups:
        for _ in range(count):
            n += 1
            workers.append(_worker(version, n, f"{pemda}-{n}", category, wage, source))
    for tag in shared or []:
        n += 1
        workers.append(_worker(version, n, tag, "RENTAN", None, "DANA_DESA"))
    Worker.objects.bulk_create(workers)
    return version


def _worker(version: RosterVersion, n: int, tag: str, category: str, wage: int | None,
            source: str) -> Worker:  # fmt: skip
    return Worker(
        version=version, row_number=n + 1, nik_hash=hashlib.sha256(tag.encode()).hexdigest(),
        nik_cipher="x", nik_masked="1671********0001", name=f"Pekerja {n}", category=category,
        wage=wage, funding_source=source,
    )  # fmt: skip
