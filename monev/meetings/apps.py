from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "monev.meetings"
    label = "meetings"
    verbose_name = "Rapat monev dan tindak lanjut"
