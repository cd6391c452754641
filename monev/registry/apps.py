from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "monev.registry"
    label = "registry"
