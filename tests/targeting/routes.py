"""Scope-matrix registrations for the targeting pages and API."""

from __future__ import annotations

from typing import Any

from tests.scope.registry import RouteCase, register

EVERYONE = frozenset({"national", "sumbagsel", "palembang", "auditor"})
NIK_ROLES = frozenset({"sumbagsel", "palembang"})  # Pemda operator and BPJS Kanwil only
PERIOD = "2031-01"  # a period no other test uses


def _run(pemda: str) -> dict[str, Any]:
    """A current targeting run for PERIOD with one poor working resident of `pemda`."""
    import tempfile
    from pathlib import Path

    from monev.core.scope import SYSTEM
    from monev.targeting.services import target_run
    from tests.coverage.factories import import_registry
    from tests.targeting.factories import import_register, person

    folder = Path(tempfile.mkdtemp(prefix="dtsen-scope-"))
    resident = person(1, f"warga-{pemda}", kecamatan="167101", region=pemda)
    import_register(folder, "2030-12", [resident])
    import_registry(folder, PERIOD, [{"nik": resident["nik"][:-4] + "0999", "segmen": "BPU"}])
    target_run(period=PERIOD, by=SYSTEM)
    return {"period": PERIOD}


def _marker(pemda: str) -> str:
    return f"warga-{pemda}"


def _row(pemda: str) -> str:
    return f'"pemda": "{pemda}"'


register(
    RouteCase(
        "targeting:run_start",
        "/sasaran/jalankan/",
        method="POST",
        data={"periode": PERIOD},
        level="none",
        allowed=frozenset({"national"}),
        ok_status=(302,),
    ),
    RouteCase(
        "targeting:overview",
        "/sasaran/?periode={period}",
        setup=_run,
        marker=lambda p: f'id="sasaran-{p}"',
    ),
    RouteCase("targeting:pemda_detail", "/sasaran/{pemda}/?periode={period}", setup=_run),
    RouteCase("targeting:export_list", "/sasaran/{pemda}/sasaran.csv?periode={period}", setup=_run),
    RouteCase(
        "targeting:export_roster",
        "/sasaran/{pemda}/daftar-rentan.csv?periode={period}",
        setup=_run,
        allowed=NIK_ROLES,
    ),
    RouteCase(
        "targeting:export_registration",
        "/sasaran/{pemda}/registrasi.csv?periode={period}",
        setup=_run,
        allowed=NIK_ROLES,
    ),
    RouteCase(
        "GET /api/v1/targeting",
        "/api/v1/targeting?period={period}",
        api=True,
        setup=_run,
        marker=_row,
    ),
    RouteCase(
        "GET /api/v1/targeting/layer",
        "/api/v1/targeting/layer?period={period}",
        api=True,
        setup=_run,
        marker=lambda p: f'"code": "{p}"',
    ),
    RouteCase(
        "GET /api/v1/targeting/{pemda}",
        "/api/v1/targeting/{pemda}?period={period}",
        api=True,
        setup=_run,
    ),
    RouteCase(
        "GET /api/v1/targeting/{pemda}/people",
        "/api/v1/targeting/{pemda}/people?period={period}",
        api=True,
        setup=_run,
    ),
    RouteCase(
        "GET /api/v1/targeting/{pemda}/findings",
        "/api/v1/targeting/{pemda}/findings?period={period}",
        api=True,
        setup=_run,
    ),
    RouteCase(
        "GET /api/v1/targeting/{pemda}/registration",
        "/api/v1/targeting/{pemda}/registration?period={period}",
        api=True,
        setup=_run,
        allowed=NIK_ROLES,
    ),
)
