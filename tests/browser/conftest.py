"""Browser tests: Playwright driving Debian's chromium against pytest-django's live_server.

live_server needs committed data, so these tests run in transactional mode, which empties
every table afterwards. The module fixture below snapshots the database (reference data,
the cast, migration data) before and restores it after, so the tests that follow in the
same session still find it. Screenshots go to artifacts/browser/ (git-ignored).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts" / "browser"

import playwright.sync_api as playwright_api  # noqa: E402 (a dev dependency: never skipped)

if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
    # `make test` installs it (scripts/install-system-deps); a silent skip would hide a
    # broken set-up behind a green run.
    raise RuntimeError(f"{CHROMIUM} is missing: run scripts/install-system-deps")


@pytest.fixture(scope="module")
def _snapshot(django_db_setup: Any, django_db_blocker: Any) -> Iterator[Any]:
    """Restore the whole database after the module (the last test's flush empties it)."""
    from django.core.management import call_command
    from django.db import connection

    with django_db_blocker.unblock():
        data = connection.creation.serialize_db_to_string()

    def restore() -> None:
        with django_db_blocker.unblock():
            call_command("flush", interactive=False, inhibit_post_migrate=True, verbosity=0)
            connection.creation.deserialize_db_from_string(data)
            _reset_sequences(connection)

    yield restore
    restore()


def _reset_sequences(connection: Any) -> None:
    """flush reset the sequences; rows came back with their ids, so move them past those."""
    from django.apps import apps
    from django.core.management.color import no_style

    statements = connection.ops.sequence_reset_sql(no_style(), apps.get_models())
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


@pytest.fixture
def _keep_database(_snapshot: Any, transactional_db: Any) -> None:
    """Each test starts from the snapshot (the previous test's flush emptied the tables)."""
    from monev.accounts.models import User

    if not User.objects.exists():
        _snapshot()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    # Playwright's sync API keeps an event loop running in this thread; Django would then
    # refuse the test's own (synchronous) database calls. Allowed only while it runs.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        yield from _launch()
    finally:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


def _launch() -> Iterator[Any]:
    with playwright_api.sync_playwright() as p:
        instance = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield instance
        instance.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(
        viewport={"width": 1440, "height": 900}, accept_downloads=True, locale="id-ID"
    )
    tab = context.new_page()
    tab.set_default_timeout(15_000)
    yield tab
    context.close()


def shot(tab: Any, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    tab.screenshot(path=str(path), full_page=True)
    return path
