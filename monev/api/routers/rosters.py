"""Roster intake over HTTP: upload, validation status, errors, commit, versions — all scoped."""

from __future__ import annotations

from typing import Literal

from django.http import HttpRequest
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import File, Router, Schema
from ninja.files import UploadedFile
from ninja.responses import Status

from monev.api.errors import ApiError, ErrorOut
from monev.regions.codes import parse_period, parse_region_code
from monev.regions.models import Pemda
from monev.rosters import selectors, services
from monev.rosters.models import RosterUpload, RosterVersion, UploadState

router = Router(tags=["daftar pekerja"])


class JobOut(Schema):
    state: str
    progress: int
    total: int
    percent: int
    message: str


class UploadOut(Schema):
    id: int
    pemda: str
    period: str
    mode: str
    state: str
    source_name: str
    rows_total: int
    rows_valid: int
    rows_invalid: int
    rows_flagged: int
    error_counts: dict[str, int]
    can_commit: bool
    version: int | None
    job: JobOut | None


class ErrorRowOut(Schema):
    row: int
    column: str
    code: str
    severity: str
    detail: str | None
    message: str


class ErrorPageOut(Schema):
    total: int
    offset: int
    errors: list[ErrorRowOut]


class VersionOut(Schema):
    id: int
    pemda: str
    period: str
    number: int
    categories: list[str]
    is_current: bool
    rows_accepted: int
    rows_rejected: int
    previous: int | None
    diff: dict[str, int]
    source_name: str
    created_at: str


class WorkerOut(Schema):
    row_number: int
    nik_masked: str
    name: str
    category: str
    position: str
    wage: int | None
    funding_source: str
    desa_code: str


class WorkerPageOut(Schema):
    total: int
    offset: int
    workers: list[WorkerOut]


def _upload_out(upload: RosterUpload) -> UploadOut:
    job = upload.job
    return UploadOut(
        id=upload.pk,
        pemda=upload.pemda.code,
        period=upload.period,
        mode=upload.mode,
        state=upload.state,
        source_name=upload.source_name,
        rows_total=upload.rows_total,
        rows_valid=upload.rows_valid,
        rows_invalid=upload.rows_invalid,
        rows_flagged=upload.rows_flagged,
        error_counts=upload.error_counts,
        can_commit=upload.can_commit,
        version=upload.version_id,
        job=JobOut(
            state=job.state,
            progress=job.progress,
            total=job.total,
            percent=job.percent,
            message=job.message,
        )
        if job
        else None,
    )


def _version_out(v: RosterVersion) -> VersionOut:
    return VersionOut(
        id=v.pk,
        pemda=v.pemda.code,
        period=v.period,
        number=v.number,
        categories=v.categories,
        is_current=v.is_current,
        rows_accepted=v.rows_accepted,
        rows_rejected=v.rows_rejected,
        previous=v.previous_id,
        diff=v.diff,
        source_name=v.source_name,
        created_at=v.created_at.isoformat(),
    )


def _pemda(raw: str) -> Pemda:
    try:
        code = parse_region_code(raw)
    except ValueError as exc:
        raise ApiError(400, "invalid_code", str(exc)) from None
    pemda = Pemda.objects.filter(code=code).first()
    if pemda is None:
        raise ApiError(404, "unknown_pemda", _("Pemda %(code)s tidak dikenal.") % {"code": code})
    return pemda


def _period(raw: str) -> str:
    try:
        return parse_period(raw)
    except ValueError as exc:
        raise ApiError(400, "invalid_period", str(exc)) from None


@router.post(
    "/rosters/uploads",
    response={201: UploadOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut},
)
def upload_create(
    request: HttpRequest,
    pemda: str,
    period: str,
    file: UploadedFile = File(...),  # noqa: B008 - ninja's declaration style
    mode: Literal["strict", "accept_valid"] = "strict",
    commit: bool = False,
    end_categories: str = "",
) -> Status[UploadOut]:
    """Upload a roster. `commit=true`: validate and commit (or reject) in this request;
    otherwise validate (in the background for large files) and wait for POST …/commit.
    `end_categories` (comma-separated, e.g. `RT_RW`): categories ended from this period on;
    every other category the file lacks carries forward from its latest list."""
    target, checked_period = _pemda(pemda), _period(period)
    kwargs = {
        "pemda": target,
        "period": checked_period,
        "data": file.read(),
        "filename": file.name or "upload.csv",
        "mode": mode,
        "by": request.user,
        "end_categories": [c.strip().upper() for c in end_categories.split(",") if c.strip()],
    }
    try:
        if commit:
            upload = services.roster_import(**kwargs)
        else:
            upload = services.roster_upload_create(**kwargs)
            upload = services.roster_upload_start(upload=upload, by=request.user)
    except services.RosterInputError as exc:
        raise ApiError(400, "invalid_upload", str(exc)) from None
    return Status(201, _upload_out(upload))


@router.get("/rosters/uploads", response={200: list[UploadOut], 400: ErrorOut})
def upload_list(request: HttpRequest, pemda: str | None = None) -> list[UploadOut]:
    code = _pemda(pemda).code if pemda else None
    uploads = selectors.roster_upload_list(user=request.user, pemda=code)[:200]
    return [_upload_out(u) for u in uploads]


@router.get("/rosters/uploads/{upload_id}", response={200: UploadOut, 404: ErrorOut})
def upload_detail(request: HttpRequest, upload_id: int) -> UploadOut:
    return _upload_out(selectors.roster_upload_get(user=request.user, upload_id=upload_id))


@router.get("/rosters/uploads/{upload_id}/errors", response={200: ErrorPageOut, 404: ErrorOut})
def upload_errors(
    request: HttpRequest,
    upload_id: int,
    offset: int = 0,
    limit: int = 500,
    severity: Literal["error", "warning"] | None = None,
) -> ErrorPageOut:
    """Row errors with messages in the request's language (`Accept-Language: en`)."""
    upload = selectors.roster_upload_get(user=request.user, upload_id=upload_id)
    page = selectors.upload_errors(
        upload=upload,
        language=get_language(),
        offset=max(offset, 0),
        limit=min(max(limit, 1), 5000),
        severity=severity,
    )
    return ErrorPageOut(
        total=page.total, offset=offset, errors=[ErrorRowOut(**r) for r in page.rows]
    )


@router.post(
    "/rosters/uploads/{upload_id}/commit",
    response={200: UploadOut, 404: ErrorOut, 409: ErrorOut},
)
def upload_commit(request: HttpRequest, upload_id: int) -> UploadOut:
    """Commit a validated upload (or record its rejection in strict mode with errors)."""
    upload = selectors.roster_upload_get(user=request.user, upload_id=upload_id, action="change")
    if upload.state not in (UploadState.VALID, UploadState.INVALID):
        raise ApiError(
            409,
            "upload_finished",
            _("Unggahan berstatus %(state)s dan tidak bisa disimpan lagi.")
            % {"state": upload.state},
        )
    try:
        return _upload_out(services.roster_upload_commit(upload=upload, by=request.user))
    except services.RosterInputError as exc:
        raise ApiError(400, "invalid_upload", str(exc)) from None


@router.get("/rosters/versions", response={200: list[VersionOut], 400: ErrorOut, 404: ErrorOut})
def version_list(
    request: HttpRequest, pemda: str | None = None, period: str | None = None
) -> list[VersionOut]:
    code = _pemda(pemda).code if pemda else None
    checked = _period(period) if period else None
    versions = selectors.roster_version_list(user=request.user, pemda=code, period=checked)
    return [_version_out(v) for v in versions.select_related("pemda")[:500]]


@router.get("/rosters/versions/{version_id}", response={200: VersionOut, 404: ErrorOut})
def version_detail(request: HttpRequest, version_id: int) -> VersionOut:
    return _version_out(selectors.roster_version_get(user=request.user, version_id=version_id))


@router.get("/rosters/versions/{version_id}/workers", response={200: WorkerPageOut, 404: ErrorOut})
def version_workers(
    request: HttpRequest, version_id: int, offset: int = 0, limit: int = 100
) -> WorkerPageOut:
    """The by-name list (NIK masked), a page at a time. Every call is an audit event."""
    version = selectors.roster_version_get(user=request.user, version_id=version_id)
    total, workers = selectors.roster_workers_read(
        user=request.user, version=version, offset=max(offset, 0), limit=min(max(limit, 1), 1000)
    )
    return WorkerPageOut(
        total=total,
        offset=offset,
        workers=[
            WorkerOut(
                row_number=w.row_number,
                nik_masked=w.nik_masked,
                name=w.name,
                category=w.category,
                position=w.position,
                wage=w.wage,
                funding_source=w.funding_source,
                desa_code=w.desa_code,
            )
            for w in workers
        ],
    )
