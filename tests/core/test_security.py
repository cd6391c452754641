"""Security headers, upload limits, API rate-limit answers and the deploy check."""

from __future__ import annotations

import secrets
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.test import Client, RequestFactory
from ninja.errors import Throttled

from monev.api.api import api

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def test_pages_carry_csp_and_frame_protection() -> None:
    response = Client().get("/akun/masuk/")
    csp = response["Content-Security-Policy"]
    assert (
        "script-src 'self'" in csp
        and "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    )
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_no_template_has_inline_script_or_handler() -> None:
    import re

    offenders = []
    for path in (ROOT / "monev").rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        if re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text) or re.search(r"\son[a-z]+=\"", text):
            offenders.append(str(path.relative_to(ROOT)))
    assert not offenders, f"inline scripts break the CSP: {offenders}"


def test_oversized_upload_refused_before_the_view(settings: Any) -> None:
    settings.MONEV_MAX_UPLOAD_MB = 1
    response = Client().post(
        "/api/v1/regions",
        data=b"x",
        content_type="application/octet-stream",
        CONTENT_LENGTH=str(2 * 1024 * 1024),
    )
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "too_large"


def test_throttled_api_call_gets_the_error_shape() -> None:
    request = RequestFactory().get("/api/v1/regions")
    response = api.on_exception(request, Throttled(wait=30))
    assert response.status_code == 429
    assert b"rate_limited" in response.content


def test_deploy_check_is_clean_with_production_settings(tmp_path: Path) -> None:
    env = {
        "PATH": "/usr/bin:/bin",
        "MONEV_HOME": str(tmp_path),
        "MONEV_SECRET_KEY": secrets.token_urlsafe(48),
        "MONEV_NIK_KEY": secrets.token_urlsafe(48),
        "MONEV_ENCRYPTION_KEY": secrets.token_urlsafe(48),
        "MONEV_SSL_REDIRECT": "true",
    }
    result = subprocess.run(
        [sys.executable, "-m", "monev", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
