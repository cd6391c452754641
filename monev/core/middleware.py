"""Request id for the audit trail: taken from X-Request-ID when sane, else generated."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from contextvars import ContextVar

from django.http import HttpRequest, HttpResponse

current_request_id: ContextVar[str] = ContextVar("monev_request_id", default="")
current_ip: ContextVar[str | None] = ContextVar("monev_ip", default=None)
_SAFE_ID = re.compile(r"^[A-Za-z0-9-]{8,36}$")


class RequestIdMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if _SAFE_ID.match(incoming) else str(uuid.uuid4())
        id_token = current_request_id.set(request_id)
        ip_token = current_ip.set(request.META.get("REMOTE_ADDR"))
        try:
            response = self.get_response(request)
        finally:
            current_request_id.reset(id_token)
            current_ip.reset(ip_token)
        response["X-Request-ID"] = request_id
        return response


class LanguageMiddleware:
    """Bahasa Indonesia first: the chosen language (cookie, then the user's setting), else `id`.

    Browsers' Accept-Language is ignored for pages, because officials' machines often run
    an English browser while the organisation's working language is Indonesian. API clients
    that send `Accept-Language: en` explicitly get English.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from django.conf import settings
        from django.utils import translation

        language = _chosen_language(request, {code for code, _name in settings.LANGUAGES})
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


def _chosen_language(request: HttpRequest, supported: set[str]) -> str:
    from django.conf import settings

    candidates = [request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")]
    if request.path.startswith("/api/"):
        header = request.headers.get("Accept-Language", "")
        candidates.append(header.split(",")[0].split("-")[0].strip().lower())
    for candidate in candidates:
        if candidate in supported:
            return candidate
    return str(settings.LANGUAGE_CODE)


class SecurityHeadersMiddleware:
    """Content-Security-Policy and Permissions-Policy on every response.

    Every script and style is served from our own origin (no CDN, no inline scripts);
    inline `style` attributes are allowed because server-rendered SVG charts use them.
    """

    POLICY = (
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
        "img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; "
        "base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
    )

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", self.POLICY)
        response.headers.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=()"
        )
        return response


class UploadLimitMiddleware:
    """Refuse a request body larger than MONEV_MAX_UPLOAD_MB before anything reads it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from django.conf import settings
        from django.http import JsonResponse
        from django.utils.translation import gettext as _

        limit = settings.MONEV_MAX_UPLOAD_MB * 1024 * 1024
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > limit:
            message = _("Berkas terlalu besar: batasnya %(mb)s MB.") % {
                "mb": settings.MONEV_MAX_UPLOAD_MB
            }
            if request.path.startswith("/api/"):
                body = {"error": {"code": "too_large", "message": message, "details": []}}
                return JsonResponse(body, status=413)
            return HttpResponse(message, status=413, content_type="text/plain; charset=utf-8")
        return self.get_response(request)
