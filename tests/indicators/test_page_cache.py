"""Dashboards are served from a per-user page cache; what a user sees must not notice it:
their own name, a CSRF token that works, a message shown once, an overdue item at once."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.contrib import messages
from django.contrib.messages.storage.base import Message
from django.contrib.messages.storage.cookie import CookieStorage
from django.test import Client, RequestFactory

from monev.accounts.services import user_create
from monev.core.scope import SYSTEM
from monev.indicators.views import CSRF_SLOT
from monev.meetings import services
from tests.meetings.factories import item_for

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _client(username: str, full_name: str) -> Client:
    first, last = full_name.split(" ", 1)
    user_create(username=username, password="sandi-yang-panjang-sekali-1", role="national")
    from monev.accounts.models import User

    User.objects.filter(username=username).update(first_name=first, last_name=last)
    client = Client(enforce_csrf_checks=True)
    client.force_login(User.objects.get(username=username))
    return client


def test_two_users_with_the_same_scope_each_see_their_own_name(sample: Any) -> None:
    ani, budi = _client("ani", "Ani Lestari"), _client("budi", "Budi Santoso")
    for _ in range(2):  # the second round comes from the cache
        page_ani = ani.get("/dasbor/").content.decode()
        page_budi = budi.get("/dasbor/").content.decode()
        assert "Ani Lestari" in page_ani and "Budi Santoso" not in page_ani
        assert "Budi Santoso" in page_budi and "Ani Lestari" not in page_budi


def test_each_cached_page_carries_a_fresh_csrf_token_that_works(sample: Any) -> None:
    client = _client("ani", "Ani Lestari")
    first = client.get("/dasbor/").content.decode()
    second = client.get("/dasbor/").content.decode()
    assert CSRF_SLOT not in first and CSRF_SLOT not in second
    tokens = TOKEN.findall(first) + TOKEN.findall(second)
    assert len(tokens) >= 4 and tokens[0] != TOKEN.findall(second)[0]  # masked per request
    logout = client.post("/akun/keluar/", {"csrfmiddlewaretoken": TOKEN.findall(second)[-1]})
    assert logout.status_code == 302
    assert client.get("/dasbor/").status_code == 302  # logged out: back to the login page


def test_a_pending_message_shows_on_the_next_page_once(sample: Any) -> None:
    client = _client("ani", "Ani Lestari")
    client.get("/dasbor/")  # the page is now cached for this user
    storage = CookieStorage(RequestFactory().get("/"))
    client.cookies[storage.cookie_name] = storage._encode(  # type: ignore[attr-defined]
        [Message(messages.SUCCESS, "Baris anggaran disimpan.")]
    )
    assert "Baris anggaran disimpan." in client.get("/dasbor/").content.decode()
    assert "Baris anggaran disimpan." not in client.get("/dasbor/").content.decode()


def test_an_item_that_falls_overdue_shows_on_the_next_request(sample: Any, client_for: Any) -> None:
    lahat = client_for("lahat")
    assert "overdue-banner" not in lahat.get("/dasbor/pemda/16.04/").content.decode()
    item_for("16.04", due_on=dt.date(2022, 10, 31))
    services.action_items_escalate(today=dt.date(2022, 11, 2), by=SYSTEM)
    assert "overdue-banner" in lahat.get("/dasbor/pemda/16.04/").content.decode()
