"""Scope-matrix registrations for the coverage pages and API."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from monev.core.models import Job
from monev.core.scope import SYSTEM
from monev.coverage.services import match_run
from monev.regions.models import Region
from monev.rosters.models import RosterVersion
from tests.coverage.factories import import_registry, nik, roster_version
from tests.scope.registry import RouteCase, register

PERIOD = "2024-06"
OPERATORS = frozenset({"sumbagsel", "palembang"})
COORDINATORS = frozenset({"national", "auditor"})


def pemda_nik(pemda: str, serial: int) -> str:
    district = Region.objects.current().districts().filter(pemda_code=pemda).order_by("code")
    code = district.values_list("code", flat=True).first()
    assert code is not None
    return nik(serial, kecamatan=code.replace(".", ""))


def with_results(pemda: str) -> dict[str, Any]:
    """A roster of two workers (one protected, one not found) and a match for PERIOD."""
    if not RosterVersion.objects.filter(pemda__code=pemda).exists():
        roster_version(
            pemda,
            PERIOD,
            [
                (pemda_nik(pemda, 1), f"Terlindungi {pemda}", "RENTAN"),
                (pemda_nik(pemda, 2), f"Belum {pemda}", "RENTAN"),
            ],
        )
    tmp = Path(tempfile.mkdtemp(prefix="match-routes-"))
    import_registry(tmp, PERIOD, [{"nik": pemda_nik(pemda, 1), "segmen": "BPU"}])
    match_run(period=PERIOD, by=SYSTEM)
    return {"period": PERIOD}


def with_job(pemda: str) -> dict[str, Any]:
    job = Job.objects.create(kind="coverage.match", params={"period": PERIOD})
    return {"job": job.pk}


def gap_marker(pemda: str) -> str:
    return f"Belum {pemda}"


register(
    RouteCase("coverage:national", "/cakupan/?period={period}", level="none", setup=with_results),
    RouteCase(
        "coverage:kanwil_detail",
        "/cakupan/kanwil/{kanwil}/?period={period}",
        level="kanwil",
        setup=with_results,
    ),
    RouteCase(
        "coverage:pemda_detail", "/cakupan/pemda/{pemda}/?period={period}", setup=with_results
    ),
    RouteCase(
        "coverage:gap_list", "/cakupan/pemda/{pemda}/celah/?period={period}", setup=with_results
    ),
    RouteCase(
        "coverage:registration_export",
        "/cakupan/pemda/{pemda}/registrasi/?period={period}",
        setup=with_results,
        allowed=OPERATORS,
    ),
    RouteCase(
        "coverage:match_start",
        "/cakupan/jalankan/",
        method="POST",
        data={"period": PERIOD},
        level="none",
        allowed=frozenset({"national"}),
        ok_status=(302,),
    ),
    RouteCase(
        "coverage:job_status",
        "/cakupan/tugas/{job}/",
        level="none",
        setup=with_job,
        allowed=COORDINATORS,
    ),
    RouteCase("registry:snapshot_list", "/registri/", level="none"),
    RouteCase(
        "GET /api/v1/coverage",
        "/api/v1/coverage?period={period}&level=pemda",
        api=True,
        setup=with_results,
        marker=lambda pemda: f'"code": "{pemda}"',
    ),
    RouteCase(
        "GET /api/v1/coverage/pemda/{code}",
        "/api/v1/coverage/pemda/{pemda}?period={period}",
        api=True,
        setup=with_results,
    ),
    RouteCase(
        "GET /api/v1/coverage/pemda/{code}/gaps",
        "/api/v1/coverage/pemda/{pemda}/gaps?period={period}",
        api=True,
        setup=with_results,
    ),
    RouteCase(
        "GET /api/v1/coverage/pemda/{code}/registration",
        "/api/v1/coverage/pemda/{pemda}/registration?period={period}",
        api=True,
        setup=with_results,
        allowed=OPERATORS,
    ),
    RouteCase(
        "POST /api/v1/coverage/match",
        "/api/v1/coverage/match?period=" + PERIOD,
        api=True,
        method="POST",
        level="none",
        allowed=frozenset({"national"}),
        ok_status=(202,),
    ),
    RouteCase(
        "GET /api/v1/coverage/jobs/{job_id}",
        "/api/v1/coverage/jobs/{job}",
        api=True,
        level="none",
        setup=with_job,
        allowed=COORDINATORS,
    ),
    RouteCase(
        "GET /api/v1/registry/snapshots", "/api/v1/registry/snapshots", api=True, level="none"
    ),
)
