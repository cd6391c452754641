from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from monev import ops
from monev.api.api import api
from monev.reports.views import scorecard_shared

urlpatterns = [
    # Operations (docs/operations.md): liveness, readiness, Prometheus metrics.
    path("healthz", ops.healthz, name="healthz"),
    path("readyz", ops.readyz, name="readyz"),
    path("metrics", ops.metrics, name="metrics"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
    path("akun/", include("monev.accounts.urls")),
    path("notifikasi/", include("monev.notifications.urls")),
    path("audit/", include("monev.core.urls")),
    path("daftar-pekerja/", include("monev.rosters.urls")),
    path("registri/", include("monev.registry.urls")),
    path("cakupan/", include("monev.coverage.urls")),
    path("anggaran/", include("monev.budgets.urls")),
    path("angkatan-kerja/", include("monev.workforce.urls")),
    path("dasbor/", include("monev.indicators.urls")),
    path("data-terbuka/", include("monev.indicators.urls_open")),
    path("sasaran/", include("monev.targeting.urls")),
    path("rapat/", include("monev.meetings.urls")),
    path("laporan/", include("monev.reports.urls")),
    path("rapor/<str:token>/", scorecard_shared, name="scorecard_shared"),
    path("", include("monev.regions.urls")),
]
