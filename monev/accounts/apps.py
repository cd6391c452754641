from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "monev.accounts"
    label = "accounts"
    verbose_name = _("Akun")

    def ready(self) -> None:
        from monev.accounts import signals  # noqa: F401 (connects the audit receivers)
