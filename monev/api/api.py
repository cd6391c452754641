"""The versioned HTTP API at /api/v1/ (OpenAPI at /api/v1/openapi.json, docs at /api/v1/docs)."""

from __future__ import annotations

from django.conf import settings
from ninja import NinjaAPI
from ninja.throttling import AnonRateThrottle, AuthRateThrottle

from monev.api.auth import API_AUTH
from monev.api.errors import install_error_handlers

api = NinjaAPI(
    title="Monev Jamsostek API",
    version="1",
    description=(
        "Monitoring dan evaluasi pelaksanaan Inpres 2/2021. Semua rute dibatasi pada "
        "wilayah pengguna. Autentikasi: `Authorization: Bearer <token>` (buat token di "
        "halaman Token API) atau sesi peramban."
    ),
    auth=API_AUTH,
    throttle=[
        AnonRateThrottle(settings.NINJA_DEFAULT_THROTTLE_RATES["anon"]),
        AuthRateThrottle(settings.NINJA_DEFAULT_THROTTLE_RATES["auth"]),
    ],
    urls_namespace="api",
)
install_error_handlers(api)

from monev.api.routers import regions  # noqa: E402

api.add_router("/", regions.router)
api.add_router("/", "monev.api.routers.budgets.router")
api.add_router("/", "monev.api.routers.workforce.router")
api.add_router("/", "monev.api.routers.rosters.router")
api.add_router("/", "monev.api.routers.coverage.router")
api.add_router("/", "monev.api.routers.registry.router")
api.add_router("/", "monev.api.routers.targeting.router")
api.add_router("/", "monev.api.routers.meetings.router")
api.add_router("/", "monev.api.routers.reports.router")
api.add_router("/", "monev.api.routers.indicators.router")
api.add_router("/", "monev.api.routers.notifications.router")
