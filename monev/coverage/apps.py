from django.apps import AppConfig


class CoverageConfig(AppConfig):
    name = "monev.coverage"
    label = "coverage"
