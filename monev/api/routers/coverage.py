"""Coverage: roll-ups, a Pemda's figures by category, its gap list and registration export,
and the match job. Scoped like the pages (same selectors)."""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from monev.api.errors import ApiError, ErrorOut
from monev.core.models import Job
from monev.core.scope import get_scoped_or_404
from monev.coverage import exports, selectors, services
from monev.coverage.views import can_run_match
from monev.regions.codes import parse_period, parse_region_code
from monev.rosters.models import WorkerCategory

router = Router(tags=["cakupan"])
ERRORS: dict[int, Any] = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


class RollupOut(Schema):
    code: str
    name: str
    headcount: int
    protected: int
    partial: int
    lapsed: int
    not_found: int
    basic_protected: int
    newly_protected: int
    newly_lapsed: int
    coverage: float
    coverage_prev: float | None
    change: float | None


class CategoryOut(Schema):
    category: str
    headcount: int
    protected: int
    partial: int
    lapsed: int
    not_found: int
    basic_protected: int
    newly_protected: int
    newly_lapsed: int
    coverage: float
    coverage_prev: float | None
    stale: bool


class PemdaCoverageOut(Schema):
    pemda: str
    period: str | None
    stale: bool
    categories: list[CategoryOut]
    trend: list[dict[str, Any]]


class GapOut(Schema):
    nik_masked: str
    name: str
    category: str
    status: str
    programs: str
    since: str
    change: str


class JobOut(Schema):
    id: int
    state: str
    progress: int
    total: int
    message: str
    params: dict[str, Any]
    result: dict[str, Any]
    error: str


def _period(raw: str | None, user: Any) -> str | None:
    if not raw:
        return selectors.default_period(user=user, period=None)
    try:
        return parse_period(raw)
    except ValueError as exc:
        raise ApiError(400, "invalid_period", str(exc)) from None


def _pemda(request: HttpRequest, code: str) -> str:
    try:
        code = parse_region_code(code)
    except ValueError as exc:
        raise ApiError(400, "invalid_code", str(exc)) from None
    if selectors.pemda_for(user=request.user, code=code) is None:
        raise ApiError(404, "not_found", _("Data tidak ditemukan."))
    return code


@router.get("/coverage", response={200: list[RollupOut], **ERRORS})
def coverage_rollup(
    request: HttpRequest,
    period: str | None = None,
    level: Literal["pemda", "province", "kanwil"] = "pemda",
    kanwil: str | None = None,
    province: str | None = None,
) -> Any:
    """Totals per Pemda, province or Kanwil for a period (default: the latest)."""
    found = _period(period, request.user)
    if found is None:
        return []
    return selectors.coverage_rollup(
        user=request.user, period=found, level=level, kanwil=kanwil, province=province
    )


@router.get("/coverage/pemda/{code}", response={200: PemdaCoverageOut, **ERRORS})
def coverage_pemda(request: HttpRequest, code: str, period: str | None = None) -> Any:
    code = _pemda(request, code)
    found = _period(period, request.user)
    stats = selectors.coverage_by_category(user=request.user, pemda_code=code, period=found or "")
    run = selectors.current_run(found) if found else None
    stale = run is not None and code in selectors.stale_pemdas(run)
    return {
        "pemda": code,
        "period": found,
        "stale": stale,
        "categories": [
            {**{f: getattr(s, f) for f in CategoryOut.model_fields if f != "stale"}, "stale": stale}
            for s in stats
        ],
        "trend": selectors.coverage_trend(user=request.user, pemda_code=code),
    }


@router.get("/coverage/pemda/{code}/gaps", response={200: list[GapOut], **ERRORS})
def coverage_gaps(
    request: HttpRequest,
    code: str,
    period: str | None = None,
    status: Literal["PARTIAL", "LAPSED", "NOT_FOUND"] | None = None,
    category: str | None = None,
    limit: int = 1000,
) -> Any:
    """Unprotected workers of one Pemda, masked NIK."""
    code = _pemda(request, code)
    found = _period(period, request.user)
    if category and category not in WorkerCategory.values:
        raise ApiError(400, "invalid_category", _("Kategori tidak dikenal."))
    if not 1 <= limit <= 100_000:
        raise ApiError(400, "invalid_limit", _("limit harus 1–100000."))
    filters = selectors.GapFilters(status=status, category=category)
    rows = selectors.gap_list(
        user=request.user, pemda_code=code, period=found or "", filters=filters, limit=limit
    )
    return [{k: r[k] for k in GapOut.model_fields} for r in rows]


@router.get("/coverage/pemda/{code}/registration", response={200: None, **ERRORS})
def coverage_registration(
    request: HttpRequest,
    code: str,
    period: str | None = None,
    format: Literal["csv", "json"] = "csv",
) -> Any:
    """NIK in clear for bulk registration: Pemda operator and BPJS officers only; audited."""
    code = _pemda(request, code)
    if not selectors.can_export_registration(request.user, code):
        raise ApiError(403, "forbidden", _("Anda tidak berwenang."))
    found = _period(period, request.user)
    if found is None:
        raise ApiError(404, "no_results", _("Belum ada hasil pencocokan."))
    rows = services.registration_export(pemda_code=code, period=found, by=request.user)
    if format == "json":
        body = [dict(zip(selectors.REGISTRATION_COLUMNS, r, strict=True)) for r in rows]
        return JsonResponse(body, safe=False, headers={"Cache-Control": "no-store"})
    response = HttpResponse(
        exports.to_csv(selectors.REGISTRATION_COLUMNS, rows), content_type="text/csv"
    )
    response["Cache-Control"] = "no-store"
    return response


@router.post("/coverage/match", response={202: JobOut, **ERRORS})
def coverage_match(request: HttpRequest, period: str) -> Any:
    """Queue the match for a period (national coordinators)."""
    if not can_run_match(request.user):
        raise ApiError(403, "forbidden", _("Anda tidak berwenang."))
    found = _period(period, request.user) or ""
    return Status(202, _job_out(services.match_enqueue(period=found, by=request.user)))


@router.get("/coverage/jobs/{job_id}", response={200: JobOut, **ERRORS})
def coverage_job(request: HttpRequest, job_id: int) -> Any:
    job = get_scoped_or_404(Job.objects.filter(kind=services.JOB_KIND), request.user, pk=job_id)
    assert isinstance(job, Job)
    return _job_out(job)


def _job_out(job: Job) -> dict[str, Any]:
    return {
        "id": job.pk,
        "state": job.state,
        "progress": job.progress,
        "total": job.total,
        "message": job.message,
        "params": job.params,
        "result": job.result,
        "error": job.error,
    }
