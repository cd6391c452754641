from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "monev.core"
    label = "core"
    verbose_name = "Core"
