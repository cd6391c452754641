"""Login, logout, password change (Django's views) and the personal API-token page."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from monev.accounts import otp, services
from monev.accounts.models import ApiToken, User
from monev.core.audit import audit_record


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True
    authentication_form = otp.OtpAuthenticationForm

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        if getattr(form, "otp_device", None) is not None:
            otp_login(self.request, form.otp_device)
        return response


@login_required
def otp_setup(request: HttpRequest) -> HttpResponse:
    """Enrol a TOTP authenticator (national and BPJS roles): scan or type the secret, then
    confirm with one code. From then on the login asks for the code."""
    from base64 import b32encode

    if not isinstance(request.user, User) or not otp.can_enrol(request.user):
        raise PermissionDenied
    confirmed = TOTPDevice.objects.filter(user=request.user, confirmed=True).exists()
    device = None if confirmed else otp.pending_device(request.user)
    if device is not None and request.method == "POST":
        if device.verify_token((request.POST.get("otp_token") or "").strip()):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            audit_record(actor=request.user, action="auth.otp_enrol", obj=request.user)
            messages.success(request, _("Autentikasi dua langkah aktif."))
            return redirect("accounts:otp_setup")
        messages.error(request, _("Kode OTP salah."))
    context = {
        "confirmed": confirmed,
        "secret": b32encode(device.bin_key).decode() if device else "",
        "config_url": device.config_url if device else "",
    }
    return render(request, "accounts/otp_setup.html", context, status=200)


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
