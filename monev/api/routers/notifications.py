"""The caller's own e-mail notifications: what they receive, and what was sent to them."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from monev.accounts.models import User
from monev.api.errors import ApiError, ErrorOut
from monev.notifications.selectors import notification_list, notification_preferences
from monev.notifications.services import NotificationError, notification_preferences_set

router = Router(tags=["notifikasi"])
ERRORS: dict[int, Any] = {400: ErrorOut, 422: ErrorOut}


class PreferenceOut(Schema):
    kind: str
    label: str
    email: bool


class PreferencesIn(Schema):
    """Kinds to switch on (true) or off (false); kinds not named keep their setting."""

    choices: dict[str, bool]


class NotificationOut(Schema):
    id: int
    kind: str
    subject: str
    state: str
    attempts: int
    attachment: str
    created_at: dt.datetime
    sent_at: dt.datetime | None
    error: str


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


@router.get("/notifications/preferences", response=list[PreferenceOut])
def preferences_get(request: HttpRequest) -> Any:
    return notification_preferences(user=_user(request))


@router.put("/notifications/preferences", response={200: list[PreferenceOut], **ERRORS})
def preferences_put(request: HttpRequest, body: PreferencesIn) -> Any:
    user = _user(request)
    try:
        notification_preferences_set(user=user, choices=body.choices, by=user)
    except NotificationError as exc:
        raise ApiError(400, "invalid_input", str(exc)) from None
    return notification_preferences(user=user)


@router.get("/notifications", response=list[NotificationOut])
def notifications_get(request: HttpRequest) -> Any:
    """The last 100 messages queued for the caller, newest first, with their delivery state."""
    return [
        NotificationOut(
            id=n.pk,
            kind=n.kind,
            subject=n.subject,
            state=n.state,
            attempts=n.attempts,
            attachment=n.attachment_name,
            created_at=n.created_at,
            sent_at=n.sent_at,
            error=n.error,
        )
        for n in notification_list(user=_user(request))
    ]
