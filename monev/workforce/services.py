"""Imports of workforce figures and aggregated participants (docs/formats/workforce.md,
docs/formats/participants.md). Every row is checked; one bad row rejects the file; a good
file replaces the same (region, period, measure/segment) figures in one transaction.

These files hold one row per region and period (hundreds, not millions), so rows are
checked in a plain loop over a Polars frame of strings.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

import polars as pl
from django.db import transaction
from django.utils.translation import gettext as _

from monev.budgets.services import InputRejected
from monev.budgets.tables import TableError, parse_rupiah, read_table, require_columns
from monev.core import storage
from monev.core.audit import audit_record
from monev.core.scope import scope_for
from monev.regions.codes import parse_period, parse_region_code
from monev.regions.models import CodeCrosswalk, Region
from monev.workforce.models import (
    ImportKind,
    Measure,
    ParticipantCount,
    WorkforceFigure,
    WorkforceImport,
)

SEGMENTS = {"", "PU", "BPU", "JAKON", "PMI"}
CODE_SYSTEMS = {"", "KEMENDAGRI", "BPS"}


@dataclass
class ImportResult:
    kind: str
    rows: int
    periods: list[str]
    batch_id: int


@dataclass
class Place:
    code: str
    level: str
    pemda_code: str
    province_code: str


def _places() -> dict[str, Place]:
    regions = Region.objects.current().filter(level__in=["province", "regency"])
    return {
        r.code: Place(r.code, r.level, r.pemda_code, r.province_code)
        for r in regions.only("code", "level", "pemda_code", "province_code")
    }


def _crosswalk() -> dict[str, str]:
    links = CodeCrosswalk.objects.filter(system="BPS").select_related("region")
    return {link.external_code: link.region.code for link in links}


class _Checker:
    """Turns one row's kode_wilayah / periode / sumber into checked values or errors."""

    def __init__(self, user: Any):
        self.places = _places()
        self.crosswalk = _crosswalk()
        self.scope = scope_for(user, "change")

    def place(self, raw: str | None, system: str | None) -> Place:
        system = (system or "").strip().upper()
        if system not in CODE_SYSTEMS:
            raise ValueError(
                _("sistem_kode %(v)r tidak dikenal (KEMENDAGRI atau BPS)") % {"v": system}
            )
        code = (raw or "").strip()
        if system == "BPS":
            code = self.crosswalk.get(code.replace(".", ""), self.crosswalk.get(code, code))
        try:
            code = parse_region_code(code)
        except ValueError as exc:
            raise ValueError(str(exc)) from None
        place = self.places.get(code)
        if place is None:
            raise ValueError(
                _("kode wilayah %(v)r tidak ada (provinsi atau kab/kota yang berlaku)") % {"v": raw}
            )
        if not self.scope.allows(place.pemda_code, "change"):
            raise ValueError(_("Anda tidak berwenang mengisi data wilayah %(v)s") % {"v": code})
        return place


def _common(checker: _Checker, item: dict[str, Any]) -> tuple[Place, str, str]:
    place = checker.place(item.get("kode_wilayah"), item.get("sistem_kode"))
    period = parse_period(item.get("periode") or "")
    source = (item.get("sumber") or "").strip()
    if not source:
        raise ValueError(_("sumber wajib diisi"))
    return place, period, source[:300]


def _count(raw: str | None, column: str) -> int | None:
    try:
        return parse_rupiah(raw, blank=None)
    except ValueError:
        raise ValueError(
            _("%(c)s %(v)r harus bilangan bulat ≥ 0") % {"c": column, "v": raw}
        ) from None


def _read(data: bytes, filename: str, required: list[str]) -> Any:
    try:
        frame = read_table(data, filename)
        require_columns(frame, required)
    except TableError as exc:
        raise InputRejected([str(exc)]) from None
    if frame.height == 0:
        raise InputRejected([_("File tidak berisi baris data.")])
    return frame


def _workforce_rows(frame: Any, checker: _Checker) -> tuple[list[dict[str, Any]], list[str]]:
    measures = [m for m in Measure.values if m in frame.columns]
    rows, errors, seen = [], [], set()
    for item in frame.iter_rows(named=True):
        try:
            place, period, source = _common(checker, item)
            values = {m: _count(item.get(m), m) for m in measures}
            if all(v is None for v in values.values()):
                raise ValueError(_("penduduk_bekerja wajib diisi"))
        except ValueError as exc:
            errors.append(_("baris %(n)d: %(e)s") % {"n": item["row"], "e": exc})
            continue
        for measure, value in values.items():
            key = (place.code, period, measure)
            if value is None:
                continue
            if key in seen:
                errors.append(
                    _("baris %(n)d: %(c)s %(p)s ganda dalam file")
                    % {"n": item["row"], "c": place.code, "p": period}
                )
            seen.add(key)
            rows.append(
                {
                    "place": place,
                    "period": period,
                    "measure": measure,
                    "value": value,
                    "source": source,
                }
            )
    return rows, errors


def workforce_import(*, data: bytes, filename: str, by: Any) -> ImportResult:
    """BPS employed population (and other denominators) per region and period."""
    frame = _read(data, filename, ["kode_wilayah", "periode", "penduduk_bekerja", "sumber"])
    rows, errors = _workforce_rows(frame, _Checker(by))
    if errors:
        raise InputRejected(errors)
    with transaction.atomic():
        batch = _batch(ImportKind.WORKFORCE, data, filename, len(rows), by)
        for row in rows:
            WorkforceFigure.objects.filter(
                region_code=row["place"].code, period=row["period"], measure=row["measure"]
            ).delete()
        WorkforceFigure.objects.bulk_create(
            [
                WorkforceFigure(
                    **_place_fields(row["place"]),
                    period=row["period"],
                    measure=row["measure"],
                    value=row["value"],
                    source=row["source"],
                    batch=batch,
                )
                for row in rows
            ],
            batch_size=1000,
        )
    return ImportResult(
        ImportKind.WORKFORCE, len(rows), sorted({r["period"] for r in rows}), batch.pk
    )


def _participant_rows(frame: Any, checker: _Checker) -> tuple[list[dict[str, Any]], list[str]]:
    rows, errors, seen = [], [], set()
    for item in frame.iter_rows(named=True):
        try:
            place, period, source = _common(checker, item)
            segment = (item.get("segmen") or "").strip().upper()
            if segment not in SEGMENTS:
                raise ValueError(
                    _("segmen %(v)r tidak dikenal (PU, BPU, JAKON, PMI atau kosong)")
                    % {"v": segment}
                )
            active = _count(item.get("peserta_aktif"), "peserta_aktif")
            if active is None:
                raise ValueError(_("peserta_aktif wajib diisi"))
            key = (place.code, period, segment)
            if key in seen:
                raise ValueError(
                    _("%(c)s %(p)s %(s)s ganda dalam file")
                    % {"c": place.code, "p": period, "s": segment or "total"}
                )
            seen.add(key)
        except ValueError as exc:
            errors.append(_("baris %(n)d: %(e)s") % {"n": item["row"], "e": exc})
            continue
        rows.append(
            {
                "place": place,
                "period": period,
                "segment": segment,
                "active": active,
                "source": source,
            }
        )
    return rows, errors


def participants_import(*, data: bytes, filename: str, by: Any) -> ImportResult:
    """Aggregated active participants per region and period, optionally by segment."""
    frame = _read(data, filename, ["kode_wilayah", "periode", "peserta_aktif", "sumber"])
    rows, errors = _participant_rows(frame, _Checker(by))
    if errors:
        raise InputRejected(errors)
    with transaction.atomic():
        batch = _batch(ImportKind.PARTICIPANTS, data, filename, len(rows), by)
        _replace_participants(rows, batch)
    return ImportResult(
        ImportKind.PARTICIPANTS, len(rows), sorted({r["period"] for r in rows}), batch.pk
    )


def _replace_participants(rows: list[dict[str, Any]], batch: WorkforceImport) -> None:
    for row in rows:
        ParticipantCount.objects.filter(
            region_code=row["place"].code, period=row["period"], segment=row["segment"]
        ).delete()
    ParticipantCount.objects.bulk_create(
        [
            ParticipantCount(
                **_place_fields(row["place"]),
                period=row["period"],
                segment=row["segment"],
                active=row["active"],
                source=row["source"],
                batch=batch,
            )
            for row in rows
        ],
        batch_size=1000,
    )


def _place_fields(place: Place) -> dict[str, str]:
    return {
        "region_code": place.code,
        "level": place.level,
        "pemda_code": place.pemda_code,
        "province_code": place.province_code,
    }


def _batch(kind: str, data: bytes, filename: str, rows: int, by: Any) -> WorkforceImport:
    batch = WorkforceImport.objects.create(
        kind=kind, filename=filename[:255], sha256=hashlib.sha256(data).hexdigest(), rows=rows,
        created_by=by if getattr(by, "pk", None) else None,
    )  # fmt: skip
    audit_record(actor=by, action=f"workforce.import.{kind}", obj=batch, changes={"rows": rows})
    return batch


def participants_from_registry(*, period: str, by: Any) -> ImportResult:
    """Active participants per province and kab/kota (and segment) counted from the current
    registry extract of `period`, where its rows carry `kode_wilayah`. Replaces that
    period's participant rows derived earlier from any source for the same regions."""
    from monev.registry.models import RegistrySnapshot

    snapshot = RegistrySnapshot.objects.for_period(period)
    if snapshot is None:
        raise InputRejected([_("Belum ada ekstrak registri untuk periode %(p)s.") % {"p": period}])
    if not scope_for(by, "change").all_regions:
        raise InputRejected(
            [_("Hanya pengguna nasional yang dapat menurunkan data dari registri.")]
        )
    counts = _registry_counts(snapshot.parquet_path)
    places = _places()
    source = f"registri BPJS TK {snapshot.period} ({snapshot.source_name})"[:300]
    rows = [
        {"place": places[code], "period": period, "segment": segment, "active": n, "source": source}
        for code, segment, n in counts.iter_rows()
        if code in places
    ]
    with transaction.atomic():
        batch = _batch(
            ImportKind.PARTICIPANTS,
            snapshot.parquet_path.encode(),
            snapshot.source_name,
            len(rows),
            by,
        )
        _replace_participants(rows, batch)
    return ImportResult(ImportKind.PARTICIPANTS, len(rows), [period], batch.pk)


def _registry_counts(key: str) -> pl.DataFrame:
    """(region_code, segment, n) at province and kab/kota level, plus the all-segment total."""
    active = (
        storage.scan_parquet(key)
        .filter(pl.col("active") & pl.col("kode_wilayah").is_not_null())
        .select(pl.col("kode_wilayah"), pl.col("segmen").cast(pl.String).alias("segment"))
    )
    levels = [
        active.with_columns(pl.col("kode_wilayah").str.slice(0, 2).alias("region_code")),
        active.filter(pl.col("kode_wilayah").str.len_chars() >= 5).with_columns(
            pl.col("kode_wilayah").str.slice(0, 5).alias("region_code")
        ),
    ]
    by_segment = pl.concat(levels).group_by("region_code", "segment").agg(pl.len().alias("n"))
    totals = (
        by_segment.group_by("region_code")
        .agg(pl.col("n").sum())
        .with_columns(pl.lit("").alias("segment"))
    )
    return (
        pl.concat([by_segment, totals.select("region_code", "segment", "n")])
        .select("region_code", "segment", pl.col("n").cast(pl.Int64))
        .sort("region_code", "segment")
        .collect()
    )
