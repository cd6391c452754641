"""Login, logout, password change (Django's views) and the personal API-token page."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice
from mozilla_django_oidc import views as oidc_views

from monev.accounts import otp, services, sso
from monev.accounts.models import ApiToken, User
from monev.core.audit import audit_record


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True
    authentication_form = otp.OtpAuthenticationForm

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["sso_enabled"] = sso.sso_enabled()
        context["sso_label"] = settings.MONEV_OIDC_LABEL
        context["sso_refused"] = self.request.GET.get("sso") == "ditolak"
        return context

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        if getattr(form, "otp_device", None) is not None:
            otp_login(self.request, form.otp_device)
        return response


class SsoStartView(oidc_views.OIDCAuthenticationRequestView):
    """Send the browser to the identity provider (404 when single sign-on is off)."""

    def get(self, request: HttpRequest) -> HttpResponse:
        if not sso.sso_enabled():
            raise Http404("single sign-on is not configured")
        response: HttpResponse = super().get(request)
        return response


class SsoCallbackView(oidc_views.OIDCAuthenticationCallbackView):
    """The provider sends the browser back here with a code; the backend decides."""

    def get(self, request: HttpRequest) -> HttpResponse:
        if not sso.sso_enabled():
            raise Http404("single sign-on is not configured")
        response: HttpResponse = super().get(request)
        return response


class LogoutView(auth_views.LogoutView):
    """End the monev session; after a single sign-on, also the provider's (RP-initiated
    logout with the ID token as hint), which then sends the browser back to the login."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        id_token = request.session.get("oidc_id_token")
        response: HttpResponse = super().post(request, *args, **kwargs)
        if id_token and settings.MONEV_OIDC_LOGOUT_URL and sso.sso_enabled():
            back = request.build_absolute_uri(reverse("accounts:login"))
            query = urlencode(
                {
                    "id_token_hint": id_token,
                    "post_logout_redirect_uri": back,
                    "client_id": settings.OIDC_RP_CLIENT_ID,
                }
            )
            return redirect(f"{settings.MONEV_OIDC_LOGOUT_URL}?{query}")
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
