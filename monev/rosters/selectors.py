"""Every read of roster intake, scoped to the user. Reads of a by-name list are audited here,
in the one function each interface calls, so no page, API route or export can skip it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import polars as pl
from django.db.models import Exists, OuterRef, Q, QuerySet

from monev.core.audit import audit_record
from monev.core.scope import get_scoped_or_404
from monev.rosters import storage
from monev.rosters.messages import message_for
from monev.rosters.models import RosterUpload, RosterVersion, Worker

ERROR_COLUMNS = ("row", "column", "code", "severity", "detail")


def roster_version_list(
    *, user: Any, pemda: str | None = None, period: str | None = None
) -> QuerySet[RosterVersion]:
    versions = RosterVersion.objects.for_user(user).select_related("pemda", "created_by")
    if pemda:
        versions = versions.filter(pemda__code=pemda)
    if period:
        versions = versions.filter(period=period)
    return versions


def roster_version_get(*, user: Any, version_id: int) -> RosterVersion:
    version = get_scoped_or_404(
        RosterVersion.objects.select_related("pemda", "previous"), user, pk=version_id
    )
    assert isinstance(version, RosterVersion)
    return version


def roster_upload_list(*, user: Any, pemda: str | None = None) -> QuerySet[RosterUpload]:
    uploads = RosterUpload.objects.for_user(user).select_related("pemda", "version", "job")
    return uploads.filter(pemda__code=pemda) if pemda else uploads


def roster_upload_get(*, user: Any, upload_id: int, action: str = "view") -> RosterUpload:
    upload = get_scoped_or_404(
        RosterUpload.objects.select_related("pemda", "version", "job"),
        user,
        action,  # type: ignore[arg-type]
        pk=upload_id,
    )
    assert isinstance(upload, RosterUpload)
    return upload


@dataclass(frozen=True)
class ErrorPage:
    total: int
    rows: list[dict[str, Any]]


def upload_errors(
    *,
    upload: RosterUpload,
    language: str | None = None,
    offset: int = 0,
    limit: int | None = 200,
    severity: str | None = None,
) -> ErrorPage:
    """Row errors and warnings with messages in `language` (NIKs in details are masked)."""
    frame = storage.frame_load(upload.pk, "errors")
    if frame is None:
        return ErrorPage(total=0, rows=[])
    if severity:
        frame = frame.filter(pl.col("severity") == severity)
    page = frame.slice(offset, limit)
    rows = [
        {**row, "message": message_for(row["code"], row["detail"], language)}
        for row in page.select(ERROR_COLUMNS).iter_rows(named=True)
    ]
    return ErrorPage(total=frame.height, rows=rows)


def roster_workers_read(
    *, user: Any, version: RosterVersion, offset: int = 0, limit: int = 100
) -> tuple[int, list[Worker]]:
    """A page of the by-name list of a version (masked NIK). Audited as a personal-data read."""
    workers = Worker.objects.for_user(user).filter(version=version).order_by("row_number")
    total = workers.count()
    page = list(workers[offset : offset + limit])
    audit_record(
        actor=user,
        action="roster.read",
        obj=version,
        pemda_code=version.pemda.code,
        changes={"offset": offset, "rows": len(page)},
    )
    return total, page


def roster_diff_read(
    *, user: Any, version: RosterVersion, kind: str, limit: int = 100
) -> list[Worker]:
    """Who joined, left or changed wage against the replaced version (a by-name read)."""
    if version.previous is None or kind not in ("joined", "left", "wage_changed"):
        return []
    new = Worker.objects.for_user(user).filter(version=version)
    old = Worker.objects.for_user(user).filter(version=version.previous)
    if kind == "joined":
        rows = new.exclude(Exists(old.filter(nik_hash=OuterRef("nik_hash"))))
    elif kind == "left":
        rows = old.exclude(Exists(new.filter(nik_hash=OuterRef("nik_hash"))))
    else:
        changed = old.filter(nik_hash=OuterRef("nik_hash")).filter(
            ~Q(wage=OuterRef("wage")) | Q(wage__isnull=True)
        )
        rows = new.filter(Exists(changed))
    result = list(rows.order_by("row_number")[:limit])
    audit_record(
        actor=user,
        action="roster.read",
        obj=version,
        pemda_code=version.pemda.code,
        changes={"diff": kind, "rows": len(result)},
    )
    return result
