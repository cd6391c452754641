"""Build social-register files, registry extracts and rosters for targeting tests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from monev.core.scope import SYSTEM
from monev.targeting.models import SocialRegister
from monev.targeting.services import register_import

HEADER = "nik,no_kk,nama,kode_wilayah,desil,status_bekerja,pekerjaan,tanggal_lahir,umur"
COLUMNS = HEADER.split(",")


def nik(serial: int, *, kecamatan: str = "160401", born: str = "170885") -> str:
    return f"{kecamatan}{born}{serial:04d}"


def dtsen_csv(path: Path, rows: list[dict[str, Any]]) -> Path:
    lines = [HEADER]
    for row in rows:
        lines.append(",".join(str(row.get(c, "")) for c in COLUMNS))
    path.write_text("\n".join(lines) + "\n")
    return path


def person(
    serial: int,
    name: str,
    *,
    desil: int = 2,
    working: str = "bekerja",
    region: str = "16.04.01.2001",
    kecamatan: str = "160401",
    **extra: Any,
) -> dict[str, Any]:
    return {
        "nik": nik(serial, kecamatan=kecamatan),
        "nama": name,
        "kode_wilayah": region,
        "desil": desil,
        "status_bekerja": working,
        "pekerjaan": extra.pop("pekerjaan", "Petani"),
        **extra,
    }


def import_register(
    tmp_path: Path, as_of: str, rows: list[dict[str, Any]], **kwargs: Any
) -> SocialRegister:
    result = register_import(
        as_of=as_of, path=dtsen_csv(tmp_path / f"dtsen-{as_of}.csv", rows), by=SYSTEM, **kwargs
    )
    assert result.committed, (result.file_error, result.error_rows())
    assert result.register is not None
    return result.register
