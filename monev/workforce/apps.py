from django.apps import AppConfig


class WorkforceConfig(AppConfig):
    name = "monev.workforce"
    label = "workforce"
