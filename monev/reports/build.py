"""Parse report requests, check who may have them, and build the bytes (PDF or XLSX).

The CLI, the web pages, the API and the background task all come through `report_params`
(validation, clear messages), `check_access` (scope) and `build` (selector → renderer).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from monev.core.scope import scope_for
from monev.regions.codes import parse_period, parse_region_code
from monev.regions.models import Kanwil, Pemda
from monev.reports import selectors, workbooks
from monev.reports.models import ReportFormat, ReportKind, full_kanwils
from monev.reports.render import render_pdf, render_xlsx

_SEMESTER = re.compile(r"^(20\d\d)-H([12])$")


class ReportInputError(ValueError):
    """Bad parameters; the message says which and why."""


@dataclass(frozen=True)
class ReportRequest:
    kind: str
    format: str
    params: dict[str, str]
    pemda_code: str = ""
    kanwil_code: str = ""


def report_params(kind: str, fmt: str, raw: dict[str, Any]) -> ReportRequest:
    """Validate `raw` (kanwil/period, pemda/period or semester) for `kind` and `fmt`."""
    if kind not in ReportKind.values:
        raise ReportInputError(_("Jenis laporan %(k)r tidak dikenal.") % {"k": kind})
    if fmt not in ReportFormat.values:
        raise ReportInputError(_("Format %(f)r tidak dikenal (pdf atau xlsx).") % {"f": fmt})
    if kind == ReportKind.SEMESTER:
        return ReportRequest(kind, fmt, {"semester": _semester(raw.get("semester"))})
    period = _period(raw.get("period"))
    if kind == ReportKind.KANWIL_PACK:
        code = str(raw.get("kanwil") or "").strip().upper()
        if not Kanwil.objects.filter(code=code).exists():
            raise ReportInputError(_("Kanwil %(c)r tidak dikenal.") % {"c": code})
        return ReportRequest(kind, fmt, {"kanwil": code, "period": period}, kanwil_code=code)
    pemda = _pemda(raw.get("pemda"))
    return ReportRequest(kind, fmt, {"pemda": pemda, "period": period}, pemda_code=pemda)


def _period(raw: Any) -> str:
    try:
        return parse_period(str(raw or ""))
    except ValueError as exc:
        raise ReportInputError(str(exc)) from None


def _semester(raw: Any) -> str:
    value = str(raw or "").strip().upper()
    if not _SEMESTER.match(value):
        raise ReportInputError(
            _("Semester %(s)r tidak sah (format YYYY-H1 atau YYYY-H2, misalnya 2024-H1).")
            % {"s": raw}
        )
    return value


def _pemda(raw: Any) -> str:
    try:
        code = parse_region_code(str(raw or ""))
    except ValueError as exc:
        raise ReportInputError(str(exc)) from None
    if not Pemda.objects.filter(code=code).exists():
        raise ReportInputError(_("Pemda %(c)s tidak dikenal.") % {"c": code})
    return code


def check_access(user: Any, request: ReportRequest) -> None:
    """Raise PermissionError unless every Pemda the report shows is in the user's scope."""
    scope = scope_for(user)
    if scope.all_regions:
        return
    allowed = {
        ReportKind.SCORECARD: request.pemda_code in scope.pemda_codes,
        ReportKind.KANWIL_PACK: request.kanwil_code in full_kanwils(scope.pemda_codes),
        ReportKind.SEMESTER: False,
    }[ReportKind(request.kind)]
    if not allowed:
        raise PermissionError("report outside the user's regions")


def report_data(user: Any, request: ReportRequest) -> dict[str, Any]:
    p = request.params
    if request.kind == ReportKind.KANWIL_PACK:
        return selectors.kanwil_pack_data(user=user, kanwil=p["kanwil"], period=p["period"])
    if request.kind == ReportKind.SCORECARD:
        return selectors.scorecard_data(user=user, pemda=p["pemda"], period=p["period"])
    return selectors.semester_data(user=user, semester=p["semester"])


_TEMPLATES = {
    ReportKind.KANWIL_PACK: "reports/kanwil_pack.html",
    ReportKind.SCORECARD: "reports/scorecard.html",
    ReportKind.SEMESTER: "reports/semester.html",
}
_SHEETS: dict[str, Callable[[dict[str, Any]], list[Any]]] = {
    ReportKind.KANWIL_PACK: workbooks.kanwil_pack,
    ReportKind.SCORECARD: workbooks.scorecard,
    ReportKind.SEMESTER: workbooks.semester,
}


def render(request: ReportRequest, data: dict[str, Any]) -> bytes:
    if request.format == ReportFormat.PDF:
        from monev.reports.figures import with_charts

        return render_pdf(_TEMPLATES[ReportKind(request.kind)], with_charts(data))
    sheets = _SHEETS[request.kind](data)
    return render_xlsx(sheets, title=data["title"], author=data["generated_by"])


def build(user: Any, request: ReportRequest) -> tuple[bytes, dict[str, Any]]:
    check_access(user, request)
    data = report_data(user, request)
    return render(request, data), data
