"""Overdue follow-ups stand out on the owner's dashboard, and only there."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from monev.core.scope import SYSTEM
from monev.meetings import services
from tests.meetings.factories import item_for

pytestmark = pytest.mark.django_db


def test_overdue_item_shows_on_the_owner_dashboard_not_on_a_peer(client_for: Any) -> None:
    item_for("16.04", due_on=dt.date(2022, 10, 31))
    services.action_items_escalate(today=dt.date(2022, 11, 2), by=SYSTEM)
    own = client_for("lahat").get("/dasbor/pemda/16.04/")
    assert own.status_code == 200
    assert "overdue-banner" in own.content.decode()
    peer = client_for("palembang").get("/dasbor/pemda/16.71/")
    assert "overdue-banner" not in peer.content.decode()
