"""One JSON error shape for every API failure, with a message in the user's language.

{"error": {"code": "not_found", "message": "…", "details": [...]}}
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError


class ErrorBody(Schema):
    code: str
    message: str
    details: list[Any] = []


class ErrorOut(Schema):
    error: ErrorBody


class ApiError(Exception):
    """Raised by API handlers for a clear 4xx answer."""

    def __init__(self, status: int, code: str, message: str, details: list[Any] | None = None):
        super().__init__(message)
        self.status, self.code, self.message, self.details = status, code, message, details or []


def error_response(
    api: NinjaAPI,
    request: HttpRequest,
    status: int,
    code: str,
    message: str,
    details: list[Any] | None = None,
) -> HttpResponse:
    body = {"error": {"code": code, "message": message, "details": details or []}}
    return api.create_response(request, body, status=status)


def install_error_handlers(api: NinjaAPI) -> None:
    @api.exception_handler(ApiError)
    def _api_error(request: HttpRequest, exc: ApiError) -> HttpResponse:
        return error_response(api, request, exc.status, exc.code, exc.message, exc.details)

    @api.exception_handler(ValidationError)
    def _validation(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        details = [
            {"loc": list(err.get("loc", [])), "msg": str(err.get("msg", ""))} for err in exc.errors
        ]
        return error_response(api, request, 422, "invalid_input", _("Masukan tidak sah."), details)

    @api.exception_handler(AuthenticationError)
    def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return error_response(
            api,
            request,
            401,
            "unauthenticated",
            _("Token tidak sah atau tidak ada. Kirim header Authorization: Bearer <token>."),
        )

    @api.exception_handler(Http404)
    def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return error_response(api, request, 404, "not_found", _("Data tidak ditemukan."))

    @api.exception_handler(Throttled)
    def _throttled(request: HttpRequest, exc: Throttled) -> HttpResponse:
        return error_response(
            api,
            request,
            429,
            "rate_limited",
            _("Terlalu banyak permintaan. Coba lagi sebentar lagi."),
        )

    @api.exception_handler(HttpError)
    def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        return error_response(api, request, exc.status_code, "http_error", str(exc))

    @api.exception_handler(PermissionError)
    def _forbidden(request: HttpRequest, exc: PermissionError) -> HttpResponse:
        return error_response(api, request, 403, "forbidden", _("Anda tidak berwenang."))
