"""Registry snapshots: which extracts are loaded, with counts (no personal data)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from monev.registry import selectors

router = Router(tags=["registri"])


class SnapshotOut(Schema):
    id: int
    period: str
    source: str
    source_name: str
    source_sha256: str
    parquet_sha256: str
    rows_total: int
    rows_accepted: int
    rows_rejected: int
    rows_active: int
    by_segment: dict[str, int]
    is_current: bool
    created_at: str


@router.get("/registry/snapshots", response=list[SnapshotOut])
def snapshots(request: HttpRequest, period: str | None = None) -> Any:
    return [
        {
            **{f: getattr(s, f) for f in SnapshotOut.model_fields if f != "created_at"},
            "created_at": s.created_at.isoformat(),
        }
        for s in selectors.snapshot_list(user=request.user, period=period)
    ]
