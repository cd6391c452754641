"""Optional TOTP second factor (django-otp) for national and BPJS (Kanwil) accounts.

Opt-in per user: a user without a confirmed TOTP device logs in with the password alone;
once a device is confirmed on /akun/otp/, the login form also asks for the 6-digit code.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice

OTP_ROLES = frozenset({"national", "kanwil"})


class OtpAuthenticationForm(AuthenticationForm):
    otp_failed = False
    otp_token = forms.CharField(
        label=_("Kode OTP (jika diaktifkan)"),
        required=False,
        max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        self.otp_device: TOTPDevice | None = None
        user = self.get_user()
        if user is None:
            return cleaned
        devices = list(TOTPDevice.objects.filter(user=user, confirmed=True))
        if not devices:
            return cleaned
        token = (cleaned.get("otp_token") or "").strip()
        for device in devices:
            if token and device.verify_token(token):
                self.otp_device = device
                return cleaned
        self.otp_failed = True
        raise forms.ValidationError(_("Kode OTP salah atau kosong."), code="otp")


def can_enrol(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and user.role in OTP_ROLES


def pending_device(user: Any) -> TOTPDevice:
    """The user's unconfirmed device (a new secret), created on first visit."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="monev", confirmed=False)
    return device
