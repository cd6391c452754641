from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "monev.api"
    label = "api"
    verbose_name = "API"
