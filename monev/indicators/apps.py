from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    name = "monev.indicators"
    verbose_name = "Indikator dan dasbor"
    default_auto_field = "django.db.models.BigAutoField"
