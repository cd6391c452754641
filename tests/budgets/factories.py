"""Small builders for roster rows the gap tests need (no NIK in clear anywhere)."""

from __future__ import annotations

import hashlib
from typing import Any

from monev.regions.models import Pemda
from monev.rosters import store
from monev.rosters.models import RosterVersion


def roster(pemda: str, period: str, groups: list[tuple[int, str, int | None, str]], *,
           shared: list[str] | None = None) -> RosterVersion:  # fmt: skip
    """`groups`: (count, category, wage, funding_source); `shared` adds these nik hashes."""
    categories = sorted({g[1] for g in groups} | ({"RENTAN"} if shared else set()))
    version = RosterVersion.objects.create(
        pemda=Pemda.objects.get(code=pemda),
        period=period,
        number=1,
        is_current=True,
        categories=categories,
    )
    workers, n = [], 0
    for count, category, wage, source in groups:
        for _ in range(count):
            n += 1
            workers.append(_worker(n, f"{pemda}-{n}", category, wage, source))
    for tag in shared or []:
        n += 1
        workers.append(_worker(n, tag, "RENTAN", None, "DANA_DESA"))
    version.rows_file = store.records_write(workers, pemda_code=pemda, period=period)
    version.save(update_fields=["rows_file"])
    return version


def _worker(n: int, tag: str, category: str, wage: int | None, source: str) -> dict[str, Any]:
    """A worker whose "NIK" is a tag: its hash is the tag's SHA-256, so shared tags match."""
    return {
        "row_number": n + 1, "nik": tag, "nik_hash": hashlib.sha256(tag.encode()).hexdigest(),
        "name": f"Pekerja {n}", "category": category, "wage": wage, "funding_source": source,
    }  # fmt: skip
