from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "monev.reports"
    label = "reports"
    verbose_name = "Laporan"
