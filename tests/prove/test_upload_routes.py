"""Every hostile file through the web and API upload routes: a clear 4xx or a page that
reports the file error, never a 500 (and the error workbook of a bad upload downloads)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from tests.conftest import bearer
from tests.prove.hostile import hostile_files

pytestmark = pytest.mark.django_db
HOSTILE = hostile_files()
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def _file(name: str) -> SimpleUploadedFile:
    filename, data = HOSTILE[name]
    return SimpleUploadedFile(filename, data)


@override_settings(TASKS=IMMEDIATE)
@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_roster_web_upload(name: str, client_for: Any) -> None:
    client = client_for("palembang")
    response = client.post(
        "/daftar-pekerja/unggah/",
        {"pemda": "16.71", "period": "2024-06", "mode": "strict", "file": _file(name)},
    )
    assert response.status_code < 500, (name, response.status_code)
    if response.status_code == 302:
        detail = client.get(response["Location"])
        assert detail.status_code == 200, name
        match = re.search(r"/daftar-pekerja/unggah/(\d+)/", response["Location"])
        if match:
            errors = client.get(f"/daftar-pekerja/unggah/{match.group(1)}/kesalahan.xlsx")
            assert errors.status_code < 500, name


@override_settings(TASKS=IMMEDIATE)
@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_roster_api_upload(name: str, client: Any, token_for: Any) -> None:
    response = client.post(
        "/api/v1/rosters/uploads?pemda=16.71&period=2024-06",
        {"file": _file(name)},
        **bearer(token_for("palembang")),
    )
    assert response.status_code < 500, (name, response.status_code)
    if response.status_code >= 400:
        assert "error" in response.json(), name


@pytest.mark.parametrize("name", sorted(HOSTILE))
@pytest.mark.parametrize("kind", ["workforce", "participants"])
def test_workforce_web_upload(name: str, kind: str, client_for: Any) -> None:
    response = client_for("national").post(
        _workforce_url(),
        {"kind": kind, "file": _file(name)},
    )
    assert response.status_code < 500, (name, response.status_code)


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_budget_web_upload(name: str, client_for: Any) -> None:
    from django.urls import reverse

    response = client_for("palembang").post(reverse("budgets:budget_import"), {"file": _file(name)})
    assert response.status_code < 500, (name, response.status_code)


def _workforce_url() -> str:
    from django.urls import reverse

    return reverse("workforce:upload")
