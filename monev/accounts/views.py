"""Login, logout, password change (Django's views) and the personal API-token page."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from monev.accounts import services
from monev.accounts.models import ApiToken, User
from monev.core.audit import audit_record


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        audit_record(actor=self.request.user, action="auth.password_change", obj=form.user)
        return response


@login_required
def tokens(request: HttpRequest) -> HttpResponse:
    assert isinstance(request.user, User)
    new_secret = None
    if request.method == "POST":
        try:
            _token, new_secret = services.api_token_create(
                user=request.user, name=request.POST.get("name", "")
            )
        except services.AccountError as exc:
            messages.error(request, str(exc))
    rows = request.user.api_tokens.order_by("-created_at")
    return render(request, "accounts/tokens.html", {"tokens": rows, "new_secret": new_secret})


@login_required
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    services.api_token_revoke(token=token, by=request.user)
    messages.success(request, _("Token dicabut."))
    return redirect("accounts:tokens")
