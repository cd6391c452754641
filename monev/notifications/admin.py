from django.contrib import admin

from monev.notifications.models import Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """The delivery log, read-only: what went to whom, when, and why something failed."""

    list_display = ["created_at", "kind", "address", "subject", "state", "attempts", "sent_at"]
    list_filter = ["state", "kind"]
    search_fields = ["address", "subject", "key", "pemda_code"]
    exclude = ["body"]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
