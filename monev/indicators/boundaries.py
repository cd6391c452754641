"""Load boundary GeoJSON (administrator's file; the project ships none) as SVG paths.

`boundary_load` reads a FeatureCollection of provinces or kab/kota, finds each feature's
Kemendagri code in a property, projects the rings once (equirectangular, scaled by the
cosine of the mid latitude; Indonesia straddles the equator so distortion is small),
simplifies them to whole units of a 1000-unit frame and stores the paths. Codes that do
not match a current region are reported, never guessed.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from monev.core.audit import audit_record
from monev.indicators.models import BoundarySet

CODE_PROPERTIES = (
    "kode",
    "code",
    "kode_wilayah",
    "KODE",
    "kdpkab",
    "kode_prov",
    "KODE_PROV",
    "kode_kab",
    "KODE_KAB",
)
FRAME_WIDTH = 1000


class BoundaryError(ValueError):
    def __init__(self, errors: list[str]):
        super().__init__("; ".join(errors))
        self.errors = errors


@dataclass
class LoadResult:
    boundary: BoundarySet
    matched: int
    unmatched: list[str]


def _rings(geometry: dict[str, Any]) -> Iterable[list[list[float]]]:
    kind, coords = geometry.get("type"), geometry.get("coordinates") or []
    if kind == "Polygon":
        yield from coords
    elif kind == "MultiPolygon":
        for polygon in coords:
            yield from polygon


def _code_of(props: dict[str, Any], wanted: str | None) -> str:
    keys = (wanted,) if wanted else CODE_PROPERTIES
    for key in keys:
        if key and props.get(key) not in (None, ""):
            raw = str(props[key]).strip()
            if raw.isdigit() and len(raw) == 4:  # "1604" → "16.04"
                raw = f"{raw[:2]}.{raw[2:]}"
            return raw
    return ""


def parse(data: bytes, code_property: str | None) -> dict[str, list[list[list[float]]]]:
    try:
        document = json.loads(data)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BoundaryError([f"bukan GeoJSON yang sah: {exc}"]) from None
    if not isinstance(document, dict) or document.get("type") != "FeatureCollection":
        raise BoundaryError(["GeoJSON harus berupa FeatureCollection"])
    shapes: dict[str, list[list[list[float]]]] = {}
    errors = []
    for index, feature in enumerate(document.get("features") or [], start=1):
        code = _code_of(feature.get("properties") or {}, code_property)
        rings = list(_rings(feature.get("geometry") or {}))
        if not code:
            errors.append(
                f"fitur {index}: tidak ada kode wilayah (properti {code_property or '/'.join(CODE_PROPERTIES[:4])})"
            )
            continue
        if not rings:
            errors.append(f"fitur {index} ({code}): geometri bukan Polygon/MultiPolygon")
            continue
        shapes.setdefault(code, []).extend(rings)
    if errors and not shapes:
        raise BoundaryError(errors)
    return shapes


def project(shapes: dict[str, list[list[list[float]]]]) -> tuple[dict[str, str], int]:
    points = [pt for rings in shapes.values() for ring in rings for pt in ring]
    lons, lats = [p[0] for p in points], [p[1] for p in points]
    west, east, south, north = min(lons), max(lons), min(lats), max(lats)
    k = math.cos(math.radians((north + south) / 2))
    scale = FRAME_WIDTH / max((east - west) * k, 1e-9)
    height = max(int((north - south) * scale) + 1, 1)
    paths = {}
    for code, rings in shapes.items():
        parts = []
        for ring in rings:
            last, coords = None, []
            for lon, lat, *_ in ring:
                xy = (round((lon - west) * k * scale), round((north - lat) * scale))
                if xy != last:
                    coords.append(xy)
                    last = xy
            if len(coords) >= 3:
                parts.append("M" + "L".join(f"{x} {y}" for x, y in coords) + "Z")
        if parts:
            paths[code] = "".join(parts)
    return paths, height


def boundary_load(
    *,
    data: bytes,
    level: str,
    source: str,
    licence: str = "",
    code_property: str | None = None,
    by: Any,
) -> LoadResult:
    """Store the file's boundaries for `level` (province | regency) as the current set."""
    from monev.regions.models import Region

    if level not in ("province", "regency"):
        raise BoundaryError([f"tingkat {level!r} tidak dikenal (province atau regency)"])
    shapes = parse(data, code_property)
    known = set(Region.objects.current().filter(level=level).values_list("code", flat=True))
    unmatched = sorted(set(shapes) - known)
    shapes = {c: s for c, s in shapes.items() if c in known}
    if not shapes:
        raise BoundaryError(
            [
                f"tidak ada kode yang cocok dengan wilayah tingkat {level}: "
                + ", ".join(unmatched[:10])
            ]
        )
    paths, height = project(shapes)
    with transaction.atomic():
        BoundarySet.objects.filter(level=level, is_current=True).update(is_current=False)
        boundary = BoundarySet.objects.create(
            level=level,
            name=source,
            source=source,
            licence=licence,
            sha256=hashlib.sha256(data).hexdigest(),
            width=FRAME_WIDTH,
            height=height,
            paths=paths,
            unmatched=unmatched,
            is_current=True,
        )
        audit_record(
            actor=by,
            action="indicators.boundary_load",
            obj=boundary,
            changes={"level": level, "matched": len(paths), "unmatched": len(unmatched)},
        )
    return LoadResult(boundary, len(paths), unmatched)


def boundary_current(level: str) -> BoundarySet | None:
    return BoundarySet.objects.filter(level=level, is_current=True).first()
