"""Background generation of large reports (django-tasks; run by `monev worker`)."""

from __future__ import annotations

from django_tasks import task


@task()
def report_generate_task(report_id: int) -> None:
    from monev.core.scope import SYSTEM
    from monev.reports.models import Report
    from monev.reports.services import report_run

    report = Report.objects.select_related("created_by").get(pk=report_id)
    report_run(report=report, by=report.created_by or SYSTEM)
