"""Build roster versions and registry extracts directly for coverage tests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from monev.core.scope import SYSTEM
from monev.regions.models import Pemda
from monev.registry.models import RegistrySnapshot
from monev.registry.services import registry_import
from monev.rosters import store
from monev.rosters.models import RosterVersion

REGISTRY_HEADER = "nik,kpj,segmen,program,npp,upah,status,iuran_terakhir,kode_wilayah"


def nik(serial: int, *, kecamatan: str = "167101", born: str = "170885") -> str:
    return f"{kecamatan}{born}{serial:04d}"


def roster_version(
    pemda_code: str, period: str, workers: list[tuple[str, str, str]], *, number: int = 1
) -> RosterVersion:
    """workers: (nik, name, category). Stored pseudonymised like the roster importer does."""
    pemda = Pemda.objects.get(code=pemda_code)
    RosterVersion.objects.filter(pemda=pemda, period=period).update(is_current=False)
    version = RosterVersion.objects.create(
        pemda=pemda,
        period=period,
        number=number,
        categories=sorted({w[2] for w in workers}),
        rows_total=len(workers),
        rows_accepted=len(workers),
    )
    version.rows_file = store.records_write(
        [{"nik": n, "name": name, "category": category} for n, name, category in workers],
        pemda_code=pemda_code,
        period=period,
    )
    version.save(update_fields=["rows_file"])
    return version


def registry_csv(path: Path, rows: list[dict[str, Any]]) -> Path:
    lines = [REGISTRY_HEADER]
    for row in rows:
        lines.append(
            ",".join(
                [
                    row["nik"],
                    row.get("kpj", ""),
                    row.get("segmen", "PU"),
                    f'"{row.get("program", "JKK,JKM")}"',
                    row.get("npp", ""),
                    str(row.get("upah", "")),
                    row.get("status", "AKTIF"),
                    row.get("iuran_terakhir", ""),
                    row.get("kode_wilayah", ""),
                ]
            )
        )
    path.write_text("\n".join(lines) + "\n")
    return path


def import_registry(tmp_path: Path, period: str, rows: list[dict[str, Any]]) -> RegistrySnapshot:
    result = registry_import(
        period=period, path=registry_csv(tmp_path / f"reg-{period}.csv", rows), by=SYSTEM
    )
    assert result.committed, result.error_rows()
    assert result.snapshot is not None
    return result.snapshot
