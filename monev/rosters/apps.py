from django.apps import AppConfig


class RostersConfig(AppConfig):
    name = "monev.rosters"
    label = "rosters"
