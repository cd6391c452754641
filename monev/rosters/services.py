"""Every write of roster intake: upload, validate, commit or reject. One path for web, API, CLI.

    upload = roster_upload_create(pemda=…, period=…, data=…, filename=…, mode=…, by=user)
    roster_upload_validate(upload=upload)          # inline, or in a task for large files
    roster_upload_commit(upload=upload, by=user)   # a new RosterVersion, or a rejection

`roster_import` does the three in a row (the CLI and the API's one-shot upload).
A commit is one transaction: the version row, every worker row (COPY on PostgreSQL), the
`is_current` flip of the version it replaces, the diff and the audit event.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

import polars as pl
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from monev.core.audit import audit_record
from monev.core.models import Job, JobState
from monev.core.nik import district_prefixes
from monev.core.scope import SYSTEM, scope_for
from monev.regions.codes import parse_period
from monev.regions.models import Pemda
from monev.rosters import engine, storage
from monev.rosters.bulk import workers_insert
from monev.rosters.models import (
    RosterUpload,
    RosterVersion,
    UploadMode,
    UploadState,
    Worker,
)

log = logging.getLogger(__name__)

Progress = Callable[[int, int, str], None]
# Files above this size validate in a background job; smaller ones inline in the request.
INLINE_LIMIT_BYTES = 2 * 1024 * 1024
MAX_UPLOAD_BYTES = 1024 * 1024 * 1024
LOOKUP_CHUNK = 5_000


class RosterInputError(ValueError):
    """Bad parameters of an upload (period, mode, size): a usage error, not a row error."""


def _no_progress(done: int, total: int, message: str) -> None:
    return None


def roster_upload_create(
    *, pemda: Pemda, period: str, data: bytes, filename: str, mode: str, by: Any
) -> RosterUpload:
    """Record the upload and keep the file (encrypted). Raises PermissionError out of scope."""
    if not scope_for(by, "change").allows(pemda.code, "change"):
        raise PermissionError("not allowed to upload for this Pemda")
    try:
        period = parse_period(period)
    except ValueError as exc:
        raise RosterInputError(str(exc)) from None
    if mode not in UploadMode.values:
        raise RosterInputError(f"mode {mode!r} tidak dikenal ({', '.join(UploadMode.values)})")
    if len(data) > MAX_UPLOAD_BYTES:
        raise RosterInputError("berkas lebih dari 1 GB")
    with transaction.atomic():
        upload = RosterUpload.objects.create(
            pemda=pemda,
            period=period,
            mode=mode,
            source_name=filename[-255:],
            source_sha256=hashlib.sha256(data).hexdigest(),
            source_size=len(data),
            created_by=by if getattr(by, "pk", None) else None,
        )
        storage.source_save(upload.pk, data)
        audit_record(
            actor=by,
            action="roster.upload",
            obj=upload,
            pemda_code=pemda.code,
            changes={"period": period, "file": upload.source_name, "bytes": len(data)},
        )
    return upload


def roster_upload_validate(
    *, upload: RosterUpload, progress: Progress = _no_progress
) -> RosterUpload:
    """Read and check every row; keep the errors and the prepared valid rows for the commit.

    An upload that cannot be committed (strict mode with errors, or no valid row) is
    rejected at once, with its uploader as the actor of the audit event.
    """
    _validate(upload, progress, keep_prepared=True)
    if upload.state == UploadState.INVALID and not upload.can_commit:
        _reject(upload, upload.created_by or SYSTEM)
    return upload


def _validate(
    upload: RosterUpload, progress: Progress, *, keep_prepared: bool, data: bytes | None = None
) -> pl.DataFrame | None:
    progress(0, 4, "membaca berkas")
    try:
        source = data if data is not None else storage.source_load(upload.pk)
        frame = engine.read_roster(source, upload.source_name)
        del source
    except engine.RosterFileError as exc:
        _finish_validation(upload, exc.as_errors(), total=0, valid=0)
        return None
    progress(1, 4, f"memeriksa {frame.height} baris")
    validation = engine.validate_rows(
        frame,
        pemda_code=upload.pemda.code,
        as_of=_period_end(upload.period),
        prefixes=district_prefixes(),
    )
    del frame
    progress(2, 4, "mencari NIK di daftar Pemda lain")
    validation = engine.add_other_pemda_flags(validation, _other_pemda_matches(upload, validation))
    progress(3, 4, "menyiapkan baris yang sah")
    total, valid, errors = validation.total, validation.n_valid, validation.errors
    prepared = engine.prepare_rows(validation)
    del validation  # the clear NIKs go here; only hashes, ciphertexts and masks remain
    _finish_validation(upload, errors, total=total, valid=valid)
    if keep_prepared:
        storage.frame_save(upload.pk, "prepared", prepared)
    progress(4, 4, "selesai diperiksa")
    return prepared


def _period_end(period: str) -> dt.date:
    year, month = (int(part) for part in period.split("-"))
    first_next = dt.date(year + month // 12, month % 12 + 1, 1)
    return first_next - dt.timedelta(days=1)


def _other_pemda_matches(upload: RosterUpload, validation: engine.Validation) -> pl.DataFrame:
    """(nik_hash, pemda_code) for valid NIKs of the file on another Pemda's current roster."""
    others = Worker.objects.current().exclude(version__pemda_id=upload.pemda_id)
    hashes = validation.rows["nik_hash"].filter(validation.rows["valid"])
    schema = {"nik_hash": pl.String, "pemda_code": pl.String}
    n_others = others.count()
    if n_others == 0 or hashes.len() == 0:
        return pl.DataFrame(schema=schema)
    fields = ("nik_hash", "version__pemda__code")
    if n_others <= hashes.len():  # fewer stored rows than file rows: read them all
        stored = pl.DataFrame(list(others.values_list(*fields)), schema=schema, orient="row")
        return stored.filter(pl.col("nik_hash").is_in(hashes.implode()))
    found: list[tuple[str, str]] = []
    values = hashes.to_list()
    for start in range(0, len(values), LOOKUP_CHUNK):
        chunk = values[start : start + LOOKUP_CHUNK]
        found.extend(others.filter(nik_hash__in=chunk).values_list(*fields))
    return pl.DataFrame(found, schema=schema, orient="row")


def _finish_validation(
    upload: RosterUpload, errors: pl.DataFrame, *, total: int, valid: int
) -> None:
    storage.frame_save(upload.pk, "errors", errors)
    severities = errors["severity"]
    counts = errors.group_by("code").len()
    upload.rows_total = total
    upload.rows_valid = valid
    upload.rows_invalid = total - valid
    upload.rows_flagged = int((severities == "warning").sum())
    upload.error_counts = dict(zip(counts["code"].to_list(), counts["len"].to_list(), strict=True))
    file_error = total == 0
    has_errors = file_error or bool((severities == "error").any())
    upload.state = UploadState.INVALID if has_errors else UploadState.VALID
    upload.save()


def roster_upload_commit(
    *, upload: RosterUpload, by: Any, prepared: pl.DataFrame | None = None
) -> RosterUpload:
    """Commit the valid rows as a new version, or reject the upload (strict mode with errors).

    Either way the upload ends in COMMITTED or REJECTED and an audit event says which.
    """
    if not scope_for(by, "change").allows(upload.pemda.code, "change"):
        raise PermissionError("not allowed to commit for this Pemda")
    if upload.state not in (UploadState.VALID, UploadState.INVALID):
        raise RosterInputError(f"unggahan berstatus {upload.state}, tidak bisa disimpan")
    if not upload.can_commit:
        return _reject(upload, by)
    if prepared is None:
        prepared = storage.frame_load(upload.pk, "prepared")
    if prepared is None:
        raise RosterInputError("baris yang sudah diperiksa tidak ditemukan; unggah ulang")
    _commit(upload, prepared, by)
    storage.frame_delete(upload.pk, "prepared")
    return upload


def _reject(upload: RosterUpload, by: Any) -> RosterUpload:
    with transaction.atomic():
        upload.state = UploadState.REJECTED
        upload.finished_at = timezone.now()
        upload.save(update_fields=["state", "finished_at"])
        audit_record(
            actor=by,
            action="roster.reject",
            obj=upload,
            pemda_code=upload.pemda.code,
            changes=_counts(upload),
        )
    storage.frame_delete(upload.pk, "prepared")
    return upload


def _counts(upload: RosterUpload) -> dict[str, Any]:
    return {
        "period": upload.period,
        "rows_total": upload.rows_total,
        "rows_valid": upload.rows_valid,
        "rows_invalid": upload.rows_invalid,
        "rows_flagged": upload.rows_flagged,
        "errors": upload.error_counts,
    }


def _commit(
    upload: RosterUpload, prepared: pl.DataFrame, by: Any, progress: Progress = _no_progress
) -> RosterVersion:
    categories = sorted(prepared["category"].unique().drop_nulls().to_list())
    with transaction.atomic():
        Pemda.objects.select_for_update().filter(pk=upload.pemda_id).first()  # serialise
        replaced = _versions_replaced(upload, set(categories))
        version = RosterVersion.objects.create(
            pemda_id=upload.pemda_id,
            period=upload.period,
            number=_next_number(upload),
            categories=categories,
            is_current=True,
            source_name=upload.source_name,
            source_sha256=upload.source_sha256,
            rows_total=upload.rows_total,
            rows_accepted=prepared.height,
            rows_rejected=upload.rows_total - prepared.height,
            created_by=upload.created_by,
            previous=replaced[0] if replaced else None,
        )
        progress(4, 6, "menyimpan baris")
        workers_insert(version.pk, prepared)
        progress(5, 6, "membandingkan dengan versi sebelumnya")
        if replaced:
            RosterVersion.objects.filter(pk__in=[v.pk for v in replaced]).update(is_current=False)
            version.diff = _diff(version.pk, [v.pk for v in replaced])
            version.save(update_fields=["diff"])
        progress(6, 7, "mencatat")
        upload.state = UploadState.COMMITTED
        upload.version = version
        upload.finished_at = timezone.now()
        upload.save(update_fields=["state", "version", "finished_at"])
        audit_record(
            actor=by,
            action="roster.commit",
            obj=version,
            pemda_code=upload.pemda.code,
            changes={**_counts(upload), "version": version.number, "diff": version.diff},
        )
    progress(7, 7, "selesai")
    return version


def _versions_replaced(upload: RosterUpload, categories: set[str]) -> list[RosterVersion]:
    """Current versions of the same Pemda and period whose categories overlap, newest first."""
    current = RosterVersion.objects.filter(
        pemda_id=upload.pemda_id, period=upload.period, is_current=True
    ).order_by("-number")
    return [v for v in current if categories & set(v.categories)]


def _next_number(upload: RosterUpload) -> int:
    last = RosterVersion.objects.filter(pemda_id=upload.pemda_id, period=upload.period).aggregate(
        n=Max("number")
    )["n"]
    return (last or 0) + 1


def _diff(version_id: int, previous_ids: list[int]) -> dict[str, int]:
    """Joined, left and wage changed against the replaced versions, counted in SQL.

    Only the table name and `%s` marks are formatted into the SQL; values are parameters.
    """
    table = Worker._meta.db_table
    marks = ", ".join(["%s"] * len(previous_ids))
    distinct = "IS DISTINCT FROM" if connection.vendor == "postgresql" else "IS NOT"
    in_prev = f"SELECT 1 FROM {table} o WHERE o.version_id IN ({marks}) AND o.nik_hash = n.nik_hash"  # noqa: S608
    in_new = f"SELECT 1 FROM {table} n WHERE n.version_id = %s AND n.nik_hash = o.nik_hash"  # noqa: S608
    queries = {
        "joined": (
            f"SELECT COUNT(*) FROM {table} n WHERE n.version_id = %s AND NOT EXISTS ({in_prev})",  # noqa: S608
            [version_id, *previous_ids],
        ),
        "left": (
            f"SELECT COUNT(DISTINCT o.nik_hash) FROM {table} o "  # noqa: S608
            f"WHERE o.version_id IN ({marks}) AND NOT EXISTS ({in_new})",
            [*previous_ids, version_id],
        ),
        "wage_changed": (
            f"SELECT COUNT(*) FROM {table} n WHERE n.version_id = %s AND EXISTS "  # noqa: S608
            f"({in_prev} AND o.wage {distinct} n.wage)",
            [version_id, *previous_ids],
        ),
    }
    result: dict[str, int] = {}
    with connection.cursor() as cursor:
        for key, (sql, params) in queries.items():
            cursor.execute(sql, params)
            result[key] = int(cursor.fetchone()[0])
    return result


def roster_import(
    *,
    pemda: Pemda,
    period: str,
    data: bytes | Path,
    filename: str,
    mode: str = UploadMode.STRICT,
    by: Any,
    progress: Progress = _no_progress,
) -> RosterUpload:
    """Upload, validate and commit (or reject) in one go: the CLI and the one-shot API.

    Given a path, the file's bytes are read here and freed right after validation, which
    keeps the peak memory of a large import lower than when the caller holds them.
    """
    if isinstance(data, Path):
        data = data.read_bytes()
    upload = roster_upload_create(
        pemda=pemda, period=period, data=data, filename=filename, mode=mode, by=by
    )
    prepared = _validate(upload, progress, keep_prepared=False, data=data)
    del data
    if upload.can_commit and prepared is not None:
        _commit(upload, prepared, by, progress)
        return upload
    return _reject(upload, by)


# ------------------------------------------------------------------------------------ jobs


def roster_upload_start(*, upload: RosterUpload, by: Any) -> RosterUpload:
    """Validate inline when small, else queue a background job the page polls."""
    if upload.source_size <= INLINE_LIMIT_BYTES:
        return roster_upload_validate(upload=upload)
    from monev.rosters.tasks import roster_validate_task

    job = Job.objects.create(
        kind="roster.validate",
        pemda_code=upload.pemda.code,
        created_by=upload.created_by,
        params={"upload": upload.pk},
        total=4,
        message="antre",
    )
    upload.job = job
    upload.save(update_fields=["job"])
    transaction.on_commit(lambda: roster_validate_task.enqueue(upload.pk, job.pk))
    return upload


def job_progress(job: Job) -> Progress:
    def update(done: int, total: int, message: str) -> None:
        Job.objects.filter(pk=job.pk).update(
            progress=done, total=total, message=message[:300], state=JobState.RUNNING
        )

    return update


def roster_validate_job(*, upload_id: int, job_id: int) -> None:
    """Body of the background task: validate, record the outcome on the Job row."""
    upload = RosterUpload.objects.select_related("pemda").get(pk=upload_id)
    job = Job.objects.get(pk=job_id)
    Job.objects.filter(pk=job.pk).update(state=JobState.RUNNING, started_at=timezone.now())
    try:
        roster_upload_validate(upload=upload, progress=job_progress(job))
    except Exception as exc:
        # Only the exception's class: a message could quote a cell of the file (a NIK).
        log.error("roster validation failed (upload %s): %s", upload_id, type(exc).__name__)
        RosterUpload.objects.filter(pk=upload_id).update(state=UploadState.FAILED)
        Job.objects.filter(pk=job.pk).update(
            state=JobState.FAILED, error=type(exc).__name__, finished_at=timezone.now()
        )
        raise
    Job.objects.filter(pk=job.pk).update(
        state=JobState.DONE,
        finished_at=timezone.now(),
        result={"rows_total": upload.rows_total, "rows_valid": upload.rows_valid},
    )


def roster_error_workbook(*, upload: RosterUpload, by: Any, language: str = "id") -> bytes:
    """The original rows plus an error column, as XLSX. It holds the file's NIKs in clear
    (the operator's own file, to fix and upload again), so every download is audited."""
    from monev.rosters.workbook import error_workbook_xlsx

    if not scope_for(by).allows(upload.pemda.code):
        raise PermissionError("not allowed to read this upload")
    errors = storage.frame_load(upload.pk, "errors")
    if errors is None:
        errors = pl.DataFrame(schema=engine.ERROR_SCHEMA)
    try:
        rows = engine.read_roster(storage.source_load(upload.pk), upload.source_name)
    except engine.RosterFileError:
        rows = pl.DataFrame(schema={"row": pl.Int64, **dict.fromkeys(engine.COLUMNS, pl.String)})
    audit_record(
        actor=by,
        action="roster.errors_download",
        obj=upload,
        pemda_code=upload.pemda.code,
        changes={"rows": rows.height, "errors": errors.height},
    )
    return error_workbook_xlsx(rows, errors, language)


def roster_upload_purge(*, older_than_days: int, by: Any) -> int:
    """Delete the private files (encrypted source, errors, prepared rows) of uploads finished
    more than `older_than_days` ago. The upload rows and versions stay; the error workbook of
    a purged upload can no longer be downloaded. Returns the number of uploads purged."""
    cutoff = timezone.now() - dt.timedelta(days=older_than_days)
    finished = RosterUpload.objects.filter(finished_at__lt=cutoff).values_list("pk", flat=True)
    purged = 0
    for upload_id in finished.iterator():
        if storage.upload_exists(upload_id):
            storage.upload_purge(upload_id)
            purged += 1
    audit_record(
        actor=by, action="roster.purge", changes={"days": older_than_days, "uploads": purged}
    )
    return purged
