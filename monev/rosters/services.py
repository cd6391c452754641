"""Every write of roster intake: upload, validate, commit or reject. One path for web, API, CLI.

    upload = roster_upload_create(pemda=…, period=…, data=…, filename=…, mode=…, by=user)
    roster_upload_validate(upload=upload)          # inline, or in a task for large files
    roster_upload_commit(upload=upload, by=user)   # a new RosterVersion, or a rejection

`roster_import` does the three in a row (the CLI and the API's one-shot upload).
A commit writes the version's rows to their immutable files first (`store.rows_write`),
then records in one transaction the version row that names them, the `is_current` flip of
the version it replaces, the diff and the audit event. A commit that fails or is killed
leaves the previous version current and files no version names (`store.orphans_purge`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

import polars as pl
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from monev.core.audit import audit_record
from monev.core.models import Job, JobState
from monev.core.scope import SYSTEM, scope_for
from monev.notifications.models import NotificationKind
from monev.notifications.services import notification_send
from monev.regions.codes import parse_period
from monev.regions.models import Pemda
from monev.regions.selectors import district_prefixes
from monev.rosters import engine, storage, store
from monev.rosters.models import (
    RosterUpload,
    RosterVersion,
    UploadMode,
    UploadState,
    WorkerCategory,
)

log = logging.getLogger(__name__)

Progress = Callable[[int, int, str], None]
# Files above this size validate in a background job; smaller ones inline in the request.
INLINE_LIMIT_BYTES = 2 * 1024 * 1024
MAX_UPLOAD_BYTES = 1024 * 1024 * 1024


class RosterInputError(ValueError):
    """Bad parameters of an upload (period, mode, size): a usage error, not a row error."""


def _no_progress(done: int, total: int, message: str) -> None:
    return None


def roster_upload_create(
    *,
    pemda: Pemda,
    period: str,
    data: bytes,
    filename: str,
    mode: str,
    by: Any,
    end_categories: list[str] | None = None,
) -> RosterUpload:
    """Record the upload and keep the file (encrypted). Raises PermissionError out of scope.

    `end_categories`: categories the operator ends with this upload (from its period on
    they have no list); every other category the file lacks carries forward."""
    if not scope_for(by, "change").allows(pemda.code, "change"):
        raise PermissionError("not allowed to upload for this Pemda")
    ended = _check_categories(end_categories or [])
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
            end_categories=ended,
        )
        storage.source_save(upload.pk, data)
        audit_record(
            actor=by,
            action="roster.upload",
            obj=upload,
            pemda_code=pemda.code,
            changes={
                "period": period,
                "file": upload.source_name,
                "bytes": len(data),
                "end_categories": ended,
            },
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
        return _reject(upload, upload.created_by or SYSTEM)
    if upload.job_id:  # checked in the background: the uploader may have left the page
        _notify(upload, NotificationKind.UPLOAD_VALIDATED, f"/daftar-pekerja/unggah/{upload.pk}/")
    return upload


def _notify(upload: RosterUpload, kind: str, link: str) -> None:
    """Tell the uploader how their file came out (counts only, never a row)."""
    if upload.created_by is None:
        return
    notification_send(
        kind=kind,
        key=f"upload:{upload.pk}",
        pemda_code=upload.pemda.code,
        users=[upload.created_by],
        context={
            "pemda": upload.pemda.name,
            "period": upload.period,
            "filename": upload.source_name,
            "rows_total": upload.rows_total,
            "rows_valid": upload.rows_valid,
            "rows_invalid": upload.rows_invalid,
            "link": link,
        },
    )


def _validate(
    upload: RosterUpload,
    progress: Progress,
    *,
    keep_prepared: bool,
    data: bytes | Path | None = None,
) -> engine.Prepared | None:
    progress(0, 4, "membaca berkas")
    try:
        if isinstance(data, Path):
            source = data.read_bytes()
        else:
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
        storage.prepared_save(upload.pk, prepared)
    progress(4, 4, "selesai diperiksa")
    return prepared


def _period_end(period: str) -> dt.date:
    year, month = (int(part) for part in period.split("-"))
    first_next = dt.date(year + month // 12, month % 12 + 1, 1)
    return first_next - dt.timedelta(days=1)


def _other_pemda_matches(upload: RosterUpload, validation: engine.Validation) -> pl.DataFrame:
    """(nik_key, pemda_code) for valid NIKs of the file on another Pemda's current roster
    (each other Pemda's current versions of the latest period up to the upload's)."""
    from monev.coverage.services import applicable_versions, roster_frame

    others = {
        code: ids
        for code, ids in applicable_versions(upload.period).items()
        if code != upload.pemda.code
    }
    keys = validation.rows.lazy().filter(pl.col("valid")).select("nik_key")
    stored = roster_frame(others).select("nik_key", "pemda_code")
    return stored.join(keys, on="nik_key", how="semi").unique().collect()


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
    *, upload: RosterUpload, by: Any, prepared: engine.Prepared | None = None
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
        prepared = storage.prepared_load(upload.pk)
    if prepared is None:
        raise RosterInputError("baris yang sudah diperiksa tidak ditemukan; unggah ulang")
    _commit(upload, prepared, by)
    storage.prepared_delete(upload.pk)
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
        _notify(upload, NotificationKind.UPLOAD_REJECTED, f"/daftar-pekerja/unggah/{upload.pk}/")
    storage.prepared_delete(upload.pk)
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


def _check_categories(values: list[str]) -> list[str]:
    known = {c.value for c in WorkerCategory}
    unknown = [v for v in values if v not in known]
    if unknown:
        raise RosterInputError(
            _("Kategori %(v)s tidak dikenal (pilih dari %(ok)s).")
            % {"v": ", ".join(unknown), "ok": ", ".join(sorted(known))}
        )
    return sorted(set(values))


def file_categories(prepared: engine.Prepared) -> list[str]:
    return sorted(prepared.rows["category"].unique().drop_nulls().to_list())


def check_end_categories(upload: RosterUpload, categories: list[str]) -> None:
    """A category cannot be both listed by the file and ended by the same upload."""
    both = sorted(set(upload.end_categories or []) & set(categories))
    if both:
        labels = ", ".join(str(WorkerCategory(c).label) for c in both)
        raise RosterInputError(
            _("Berkas berisi pekerja %(c)s, jadi kategori itu tidak dapat diakhiri.")
            % {"c": labels}
        )


def _commit(
    upload: RosterUpload, prepared: engine.Prepared, by: Any, progress: Progress = _no_progress
) -> RosterVersion:
    rows = prepared.rows
    categories = file_categories(prepared)
    check_end_categories(upload, categories)
    progress(4, 6, "menyimpan baris")
    rows_file = store.rows_write(
        rows,
        prepared.sealed,
        pemda_code=upload.pemda.code,
        period=upload.period,
        upload_id=upload.pk,
    )
    try:
        return _record_version(upload, rows, rows_file, categories, by, progress)
    except BaseException:
        store.rows_delete(rows_file)  # no version names them
        raise


def _record_version(
    upload: RosterUpload,
    rows: pl.DataFrame,
    rows_file: str,
    categories: list[str],
    by: Any,
    progress: Progress,
) -> RosterVersion:
    with transaction.atomic():
        Pemda.objects.select_for_update().filter(pk=upload.pemda_id).first()  # serialise
        replaced = _versions_replaced(upload, set(categories))
        version = RosterVersion.objects.create(
            pemda_id=upload.pemda_id,
            period=upload.period,
            number=_next_number(upload),
            categories=categories,
            ended_categories=list(upload.end_categories or []),
            is_current=True,
            source_name=upload.source_name,
            source_sha256=upload.source_sha256,
            rows_total=upload.rows_total,
            rows_accepted=rows.height,
            rows_rejected=upload.rows_total - rows.height,
            created_by=upload.created_by,
            previous=replaced[0] if replaced else None,
            rows_file=rows_file,
        )
        progress(5, 6, "membandingkan dengan versi sebelumnya")
        if replaced:
            RosterVersion.objects.filter(pk__in=[v.pk for v in replaced]).update(is_current=False)
            version.diff = _diff(rows, replaced)
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


def _diff(rows: pl.DataFrame, replaced: list[RosterVersion]) -> dict[str, int]:
    """Joined, left and wage changed against the replaced versions."""
    new = rows.lazy().select("nik_key", "wage")
    old = pl.concat([store.version_rows(v, ["nik_key", "wage"]) for v in replaced])
    changes = engine.diff_frames(new, old)
    counts = pl.collect_all([frame.select(pl.len()) for frame in changes.values()])
    return {kind: count.item() for kind, count in zip(changes, counts, strict=True)}


def roster_import(
    *,
    pemda: Pemda,
    period: str,
    data: bytes | Path,
    filename: str,
    mode: str = UploadMode.STRICT,
    by: Any,
    progress: Progress = _no_progress,
    end_categories: list[str] | None = None,
) -> RosterUpload:
    """Upload, validate and commit (or reject) in one go: the CLI and the one-shot API.

    Given a path, the file is read twice (once to keep it, once to check it: the second read
    comes from the page cache) so that its bytes are not held while the rows are checked,
    which keeps the peak memory of a large import ~200 MB lower than holding them.
    """
    raw = data.read_bytes() if isinstance(data, Path) else data
    upload = roster_upload_create(
        pemda=pemda,
        period=period,
        data=raw,
        filename=filename,
        mode=mode,
        by=by,
        end_categories=end_categories,
    )
    del raw
    prepared = _validate(upload, progress, keep_prepared=False, data=data)
    del data
    if prepared is not None and upload.can_commit:
        check_end_categories(upload, file_categories(prepared))
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
