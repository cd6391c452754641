"""Shared fixtures: the reference data and the fixed cast, loaded once per test database.

The cast (STYLE.md §9): a national coordinator, the Kanwil Sumbagsel officer, the Pemda
operators of Kota Palembang (16.71) and Kab. Lahat (16.04), and an auditor.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from monev.accounts.models import ApiToken, User
from tests.s3server import s3_server, s3_store  # noqa: F401 - fixtures for every test module

PASSWORD = "sandi-uji-yang-panjang-2024"
CAST = {
    "national": {"role": "national", "email": "national@monev.test"},
    "sumbagsel": {"role": "kanwil", "kanwil": "SUMBAGSEL", "email": "sumbagsel@monev.test"},
    "palembang": {"role": "pemda", "pemda": "16.71", "email": "palembang@monev.test"},
    "lahat": {"role": "pemda", "pemda": "16.04", "email": "lahat@monev.test"},
    "auditor": {"role": "auditor", "all_regions": True, "email": "auditor@monev.test"},
}


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: Any, django_db_blocker: Any) -> None:
    from monev.accounts.services import user_create
    from monev.regions.services import reference_load

    with django_db_blocker.unblock():
        reference_load()
        for username, spec in CAST.items():
            if not User.objects.filter(username=username).exists():
                user_create(username=username, password=PASSWORD, **spec)


@pytest.fixture(autouse=True)
def _own_data_dir(settings: Any, tmp_path: Any) -> None:
    """Every test writes its data files (roster rows, extracts, results) under its own
    directory: none leaks into another test or into the checkout's var/."""
    settings.DATA_DIR = tmp_path / "data"


@pytest.fixture(autouse=True)
def _fresh_caches() -> None:
    """API rate limits count in the cache; each test starts with none used, so a fast run
    (PostgreSQL) does not hit 600 requests a minute for one cast member across tests. The
    dashboards' in-process cache is keyed on a facts version that two tests' data can share
    (both rolled back), so it starts empty too."""
    from django.core.cache import cache

    from monev.indicators import engine

    cache.clear()
    engine.cache_clear()


@pytest.fixture
def rates(db: Any) -> None:
    """The shipped rate table, as `monev init` loads it."""
    from monev.budgets.services import rates_seed_load
    from monev.core.scope import SYSTEM

    rates_seed_load(by=SYSTEM)


@pytest.fixture
def cast(db: Any) -> dict[str, User]:
    return {user.username: user for user in User.objects.filter(username__in=CAST)}


def login(username: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


@pytest.fixture
def client_for(db: Any) -> Any:
    return login


@pytest.fixture
def token_for(db: Any) -> Any:
    from monev.accounts.services import api_token_create

    def make(username: str) -> str:
        _token, raw = api_token_create(user=User.objects.get(username=username), name="uji")
        return raw

    return make


def bearer(raw: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


__all__ = ["CAST", "PASSWORD", "ApiToken", "bearer", "login"]
