"""Scope-matrix registrations for the workforce coverage page and API."""

from __future__ import annotations

from tests.scope.registry import RouteCase, exempt, register

register(
    RouteCase("workforce:coverage", "/angkatan-kerja/?periode=2022-08&tingkat=regency",
              marker=lambda p: f"<code>{p}</code>"),
    RouteCase("GET /api/v1/workforce/coverage", "/api/v1/workforce/coverage?period=2022-08&level=regency",
              api=True, marker=lambda p: f'"region_code": "{p}"'),
    RouteCase("GET /api/v1/workforce/definitions", "/api/v1/workforce/definitions", api=True,
              level="none"),
)  # fmt: skip
exempt(
    "workforce:upload",
    "the regions are in each file row; row scope: tests/workforce/test_pages.py::test_upload",
)
