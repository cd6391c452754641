"""Schemathesis against the OpenAPI document, in process through Django's WSGI handler,
with a logged-in token (the national role sees every route): no 5xx, and every response
matches the documented schema. Examples per operation are bounded to fit CI
(`MONEV_API_FUZZ_EXAMPLES`, default 8; `make check-security` runs 50)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from monev.api.api import api
from tests.conftest import bearer

EXAMPLES = int(os.environ.get("MONEV_API_FUZZ_EXAMPLES", "8"))

schema = schemathesis.openapi.from_dict(api.get_openapi_schema())
schema.app = WSGIHandler()


@pytest.fixture
def keep_connection() -> Iterator[None]:
    """The raw WSGI handler closes the database connection after each request (the test
    client does not); on PostgreSQL that would end the test's transaction."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def national_headers(
    db: Any, token_for: Any, settings: Any, keep_connection: None
) -> dict[str, str]:
    settings.ALLOWED_HOSTS = ["*"]
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.NINJA_DEFAULT_THROTTLE_RATES = {
        "auth": "100000/min",
        "user": "100000/min",
        "anon": "100000/min",
    }
    raw = bearer(token_for("national"))["HTTP_AUTHORIZATION"]
    return {"Authorization": raw}


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_api_conforms(case: Any, national_headers: dict[str, str]) -> None:
    response = case.call_and_validate(
        headers=national_headers, checks=[not_a_server_error, response_schema_conformance]
    )
    assert response.status_code != 401, "the token was not accepted"
