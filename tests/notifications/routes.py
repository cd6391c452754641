"""Scope-matrix registrations for notifications: each user's own choices and messages."""

from __future__ import annotations

from tests.scope.registry import RouteCase, exempt, register

_EVERYONE = frozenset({"national", "sumbagsel", "palembang", "auditor"})

register(
    RouteCase("notifications:preferences", "/notifikasi/", level="none", allowed=_EVERYONE),
    RouteCase(
        "GET /api/v1/notifications/preferences",
        "/api/v1/notifications/preferences",
        api=True,
        level="none",
        allowed=_EVERYONE,
    ),
    RouteCase(
        "GET /api/v1/notifications",
        "/api/v1/notifications",
        api=True,
        level="none",
        allowed=_EVERYONE,
    ),
)
exempt(
    "PUT /api/v1/notifications/preferences",
    "the caller's own choices only; tests/notifications/test_notifications.py::test_preferences_api",
)
