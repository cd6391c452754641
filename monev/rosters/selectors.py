"""Every read of roster intake, scoped to the user. Reads of a by-name list are audited here,
in the one function each interface calls, so no page, API route or export can skip it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import polars as pl
from django.db.models import QuerySet

from monev.core.audit import audit_record
from monev.core.scope import get_scoped_or_404, scope_for
from monev.rosters import engine, storage, store
from monev.rosters.messages import message_for
from monev.rosters.models import RosterUpload, RosterVersion, WorkerCategory

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


@dataclass(frozen=True)
class WorkerRow:
    """One row of a version's by-name list, as pages and the API show it (NIK masked)."""

    worker_id: int
    row_number: int
    nik_masked: str
    name: str
    category: str
    position: str
    wage: int | None
    funding_source: str
    desa_code: str

    @property
    def category_label(self) -> str:
        labels = dict(WorkerCategory.choices)
        return str(labels.get(self.category, self.category))


ROW_FIELDS = tuple(WorkerRow.__dataclass_fields__)


def _worker_rows(frame: pl.LazyFrame) -> list[WorkerRow]:
    return [WorkerRow(**row) for row in frame.select(ROW_FIELDS).collect().iter_rows(named=True)]


def roster_workers_read(
    *, user: Any, version: RosterVersion, offset: int = 0, limit: int = 100
) -> tuple[int, list[WorkerRow]]:
    """A page of the by-name list of a version (masked NIK). Audited as a personal-data read."""
    if not scope_for(user).allows(version.pemda.code):
        return 0, []
    rows = store.version_rows(version)  # stored in row order (store.rows_write)
    total = version.rows_accepted
    page = _worker_rows(rows.slice(offset, limit))
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
) -> list[WorkerRow]:
    """Who joined, left or changed wage against the replaced version (a by-name read)."""
    if version.previous is None or kind not in ("joined", "left", "wage_changed"):
        return []
    if not scope_for(user).allows(version.pemda.code):
        return []
    frames = engine.diff_frames(store.version_rows(version), store.version_rows(version.previous))
    result = _worker_rows(frames[kind].sort("row_number").head(limit))
    audit_record(
        actor=user,
        action="roster.read",
        obj=version,
        pemda_code=version.pemda.code,
        changes={"diff": kind, "rows": len(result)},
    )
    return result
