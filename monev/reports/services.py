"""Generate a report now or as a background job; store it with who asked and when."""

from __future__ import annotations

import hashlib
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from monev.core.audit import audit_record
from monev.core.models import Job, JobState
from monev.reports.build import ReportRequest, check_access, render, report_data
from monev.reports.models import Report, ReportKind, ReportState

STEPS = 3  # select the data, render, store


def report_request(*, request: ReportRequest, by: Any, background: bool = False) -> Report:
    """Record the request; generate at once, or enqueue a job the worker runs."""
    check_access(by, request)
    with transaction.atomic():
        report = Report.objects.create(
            kind=request.kind,
            format=request.format,
            params=request.params,
            pemda_code=request.pemda_code,
            kanwil_code=request.kanwil_code,
            created_by=by if getattr(by, "pk", None) else None,
        )
        audit_record(
            actor=by,
            action="report.request",
            obj=report,
            pemda_code=request.pemda_code,
            changes={"kind": request.kind, "format": request.format, **request.params},
        )
        if background:
            report.job = Job.objects.create(
                kind=f"report:{request.kind}",
                total=STEPS,
                params={"report": report.pk, **request.params},
                pemda_code=request.pemda_code,
                created_by=report.created_by,
            )
            report.save(update_fields=["job"])
            transaction.on_commit(lambda: _enqueue(report.pk))
    if not background:
        report_run(report=report, by=by)
    return report


def _enqueue(report_id: int) -> None:
    from monev.reports.tasks import report_generate_task

    report_generate_task.enqueue(report_id)


def _progress(report: Report, step: int, message: str) -> None:
    if report.job_id:
        Job.objects.filter(pk=report.job_id).update(
            progress=step, message=message, state=JobState.RUNNING
        )


def report_run(*, report: Report, by: Any) -> Report:
    """Build the file for `report` (as `by` sees the data) and store it."""
    request = ReportRequest(
        report.kind, report.format, report.params, report.pemda_code, report.kanwil_code
    )
    Report.objects.filter(pk=report.pk).update(state=ReportState.RUNNING)
    if report.job_id:
        Job.objects.filter(pk=report.job_id).update(started_at=timezone.now())
    try:
        _progress(report, 0, "Mengambil data")
        data = report_data(by, request)
        _progress(report, 1, "Menyusun berkas")
        content = render(request, data)
        _progress(report, 2, "Menyimpan")
        _store(report, content, data["title"])
    except Exception as exc:
        _fail(report, exc)
        raise
    return report


def _store(report: Report, content: bytes, title: str) -> None:
    with transaction.atomic():
        report.title = title[:300]
        report.size = len(content)
        report.sha256 = hashlib.sha256(content).hexdigest()
        report.file.save(report.filename, ContentFile(content), save=False)
        report.state, report.finished_at = ReportState.DONE, timezone.now()
        report.save()
        if report.job_id:
            Job.objects.filter(pk=report.job_id).update(
                state=JobState.DONE,
                progress=STEPS,
                message="Selesai",
                finished_at=timezone.now(),
                result={"report": report.pk, "size": report.size},
            )


def _fail(report: Report, exc: Exception) -> None:
    message = f"{type(exc).__name__}: {exc}"[:500]
    Report.objects.filter(pk=report.pk).update(state=ReportState.FAILED, error=message)
    if report.job_id:
        Job.objects.filter(pk=report.job_id).update(
            state=JobState.FAILED, error=message, finished_at=timezone.now()
        )


def report_download_record(*, report: Report, by: Any) -> None:
    audit_record(actor=by, action="report.download", obj=report, pemda_code=report.pemda_code)


def is_large(kind: str) -> bool:
    """Kanwil packs and semester reports run in the background from the web; a scorecard is
    one Pemda and renders in well under a second."""
    return kind != ReportKind.SCORECARD
