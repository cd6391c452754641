"""Scope matrix: every route × the fixed cast × own region / other region / anonymous."""

from __future__ import annotations

import importlib
import pkgutil
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

import tests
from tests.conftest import bearer
from tests.scope.registry import CASES, EXEMPT, RouteCase

pytestmark = pytest.mark.django_db

OWN = "16.71"  # Kota Palembang, in Kanwil Sumbagsel
OTHER_IN_KANWIL = "16.04"  # Kab. Lahat, same Kanwil
OUTSIDE_KANWIL = "32.73"  # Kota Bandung, Kanwil Jawa Barat


def _load_registrations() -> None:
    for module in pkgutil.walk_packages(tests.__path__, "tests."):
        if module.name.endswith(".routes"):
            importlib.import_module(module.name)


_load_registrations()


def _url_names(resolver: URLResolver, prefix: str = "") -> set[str]:
    names: set[str] = set()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            ns = f"{prefix}{pattern.namespace}:" if pattern.namespace else prefix
            names |= _url_names(pattern, ns)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(prefix + pattern.name)
    return names


def _api_operations() -> set[str]:
    from monev.api.api import api

    schema = api.get_openapi_schema()
    return {f"{method.upper()} {path}" for path, ops in schema["paths"].items() for method in ops}


def test_every_route_is_in_the_matrix() -> None:
    html = {n for n in _url_names(get_resolver()) if not n.startswith(("admin:", "api:"))}
    known = {case.name for case in CASES} | set(EXEMPT)
    missing = sorted((html | _api_operations()) - known)
    assert not missing, f"routes without a scope case or exemption: {missing}"


def _request(client: Client, case: RouteCase, path: str, headers: dict[str, str]) -> Any:
    call = getattr(client, case.method.lower())
    return call(path, data=case.data or None, **headers)


def _as(username: str | None, case: RouteCase, token_for: Any) -> tuple[Client, dict[str, str]]:
    from tests.conftest import login

    if username is None:
        return Client(), {}
    if case.api:
        return Client(), bearer(token_for(username))
    return login(username), {}


def _refused(status: int) -> bool:
    return status in (403, 404)


def _allowed_on_own(case: RouteCase, username: str) -> bool:
    if username == "lahat":  # a Pemda operator like palembang, but of another Pemda
        return case.level != "pemda" and "palembang" in case.allowed
    return username in case.allowed


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_own_region_allowed(case: RouteCase, token_for: Any) -> None:
    path = case.resolve(OWN)
    for username in ("national", "sumbagsel", "palembang", "lahat", "auditor"):
        client, headers = _as(username, case, token_for)
        response = _request(client, case, path, headers)
        if _allowed_on_own(case, username):
            assert response.status_code in case.ok_status, (username, path, response.status_code)
            if case.marker is not None:
                assert case.marker(OWN) in response.content.decode(), (username, path)
        elif case.marker is None:
            assert _refused(response.status_code), (username, path, response.status_code)
        else:
            body = response.content.decode()
            assert _refused(response.status_code) or case.marker(OWN) not in body, (username, path)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_other_regions_refused(case: RouteCase, token_for: Any) -> None:
    pairs = {
        "pemda": (("palembang", OTHER_IN_KANWIL), ("sumbagsel", OUTSIDE_KANWIL)),
        "kanwil": (("palembang", OUTSIDE_KANWIL), ("sumbagsel", OUTSIDE_KANWIL)),
        "none": (),
    }[case.level]
    for username, pemda in pairs:
        path = case.resolve(pemda)
        client, headers = _as(username, case, token_for)
        response = _request(client, case, path, headers)
        if case.marker is None:
            assert _refused(response.status_code), (username, path, response.status_code)
        else:
            assert case.marker(pemda) not in response.content.decode(), (username, path)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_anonymous_refused(case: RouteCase) -> None:
    path = case.resolve(OWN)
    response = _request(Client(), case, path, {})
    if case.api:
        assert response.status_code == 401, (path, response.status_code)
        assert response.json()["error"]["code"] == "unauthenticated"
    else:
        assert response.status_code == 302 and "/akun/masuk/" in response["Location"], path


def test_matrix_size_is_reported(capsys: Any) -> None:
    assert len(CASES) >= 8
    print(f"scope matrix: {len(CASES)} routes × 5 roles × 3 situations")
