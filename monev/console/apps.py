from django.apps import AppConfig


class ConsoleConfig(AppConfig):
    name = "monev.console"
    label = "console"
    verbose_name = "Console"
