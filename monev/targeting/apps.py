from django.apps import AppConfig


class TargetingConfig(AppConfig):
    name = "monev.targeting"
    label = "targeting"
    verbose_name = "Sasaran kemiskinan ekstrem"
