"""Optional TOTP: opt-in per national/BPJS user; without a device the login is unchanged."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from monev.core.models import AuditEvent

pytestmark = pytest.mark.django_db
PASSWORD = "sandi-uji-yang-panjang-9"


def _code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def _login(username: str, token: str = "") -> Any:
    return Client().post(
        "/akun/masuk/", {"username": username, "password": PASSWORD, "otp_token": token}
    )


@pytest.fixture
def national(cast: dict[str, Any]) -> Any:
    user = cast["national"]
    user.set_password(PASSWORD)
    user.save()
    return user


def _unthrottle(device: TOTPDevice) -> None:
    """django-otp delays the next try after a wrong code; a test does not wait."""
    device.refresh_from_db()
    device.throttling_failure_count = 0
    device.throttling_failure_timestamp = None
    device.last_t = -1  # a code is accepted once per time step
    device.save()


def test_login_without_a_device_needs_no_code(national: Any) -> None:
    assert _login("national").status_code == 302


def test_enrol_then_login_needs_the_code(national: Any, client_for: Any) -> None:
    client = client_for("national")
    page = client.get("/akun/otp/")
    assert page.status_code == 200
    device = TOTPDevice.objects.get(user=national, confirmed=False)
    assert client.post("/akun/otp/", {"otp_token": "000000x"}).status_code == 200
    assert not TOTPDevice.objects.filter(user=national, confirmed=True).exists()
    _unthrottle(device)
    assert client.post("/akun/otp/", {"otp_token": _code(device)}).status_code == 302
    assert TOTPDevice.objects.filter(user=national, confirmed=True).exists()
    assert AuditEvent.objects.filter(action="auth.otp_enrol").exists()

    refused = _login("national")
    assert refused.status_code == 200 and "Kode OTP salah" in refused.content.decode()
    assert _login("national", "12345x").status_code == 200
    _unthrottle(device)
    assert _login("national", _code(device)).status_code == 302


def test_pemda_operator_cannot_enrol(client_for: Any) -> None:
    assert client_for("palembang").get("/akun/otp/").status_code == 403
