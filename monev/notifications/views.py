"""The preferences page: what a user receives by e-mail, and what was sent to them."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from monev.accounts.models import User
from monev.notifications.models import CHOOSABLE
from monev.notifications.selectors import notification_list, notification_preferences
from monev.notifications.services import notification_preferences_set


@login_required
def preferences(request: HttpRequest) -> HttpResponse:
    assert isinstance(request.user, User)
    if request.method == "POST":
        chosen = set(request.POST.getlist("kind"))
        choices = {kind.value: kind.value in chosen for kind in CHOOSABLE}
        notification_preferences_set(user=request.user, choices=choices, by=request.user)
        messages.success(request, _("Pilihan notifikasi disimpan."))
        return redirect("notifications:preferences")
    context = {
        "preferences": notification_preferences(user=request.user),
        "sent": notification_list(user=request.user, limit=50),
    }
    return render(request, "notifications/preferences.html", context)
