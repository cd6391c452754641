from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "monev.notifications"
    label = "notifications"
    verbose_name = "Notifikasi surel"
