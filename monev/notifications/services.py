"""Queue e-mail notifications and record what users chose to receive.

`notification_send` is the one way any app tells people about an event. It is cheap and
transactional: it writes outbox rows in the caller's transaction (a rolled-back event sends
nothing) and `monev deliver` sends them (monev/notifications/delivery.py).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from monev.accounts.models import User
from monev.accounts.selectors import users_covering
from monev.core.audit import audit_record
from monev.core.scope import scope_for
from monev.notifications.models import (
    CHOOSABLE,
    Notification,
    NotificationKind,
    NotificationPreference,
)

log = logging.getLogger(__name__)

# A run of 16 digits is a NIK until proven otherwise: no message may carry one.
_NIK_RUN = re.compile(r"(?<![0-9])[0-9]{16}(?![0-9])")


class NotificationError(ValueError):
    """A request the rules refuse (an unknown kind of notification)."""


@dataclass(frozen=True)
class Attachment:
    filename: str
    content: bytes
    mimetype: str


def notification_send(
    *,
    kind: str,
    key: str,
    context: Mapping[str, Any],
    pemda_code: str = "",
    users: Iterable[User] = (),
    roles: Iterable[str] = (),
    attachment: Attachment | None = None,
) -> list[Notification]:
    """Queue one e-mail of `kind` to each recipient; return the rows queued now.

    Recipients are `users` plus the users of `roles` whose regions include `pemda_code`.
    When `pemda_code` is given, anyone whose scope does not include it is dropped, so a
    message about a Pemda reaches only people who may see that Pemda. Users without an
    e-mail address, inactive users and users who switched `kind` off are skipped. `key`
    names the event; the same (kind, key) reaches a person once however often it is sent.
    `context` feeds the kind's templates; a 16-digit run in the text is blanked out.
    """
    kind = NotificationKind(kind)
    recipients = _recipients(kind, pemda_code, users, roles)
    if not recipients:
        return []
    now = timezone.now()
    rows = [_row(kind, key, pemda_code, context, user, now) for user in recipients]
    existing = set(
        Notification.objects.filter(kind=kind, key=key[:200], user__in=recipients).values_list(
            "user_id", flat=True
        )
    )
    fresh = [row for row in rows if row.user_id not in existing]
    with transaction.atomic():
        fresh = [row for row in fresh if _save_once(row, attachment)]
        if fresh:
            audit_record(
                actor=None,
                action="notification.queue",
                pemda_code=pemda_code,
                changes={"kind": kind.value, "key": key[:200], "recipients": len(fresh)},
            )
    return fresh


def _recipients(
    kind: NotificationKind, pemda_code: str, users: Iterable[User], roles: Iterable[str]
) -> list[User]:
    found = {user.pk: user for user in users}
    roles = list(roles)
    if roles and pemda_code:
        found.update({user.pk: user for user in users_covering(pemda_code=pemda_code, roles=roles)})
    off = set(
        NotificationPreference.objects.filter(user__in=list(found), kind=kind, email=False)
        .values_list("user_id", flat=True)
        .distinct()
    )
    return [
        user
        for pk, user in sorted(found.items())
        if pk not in off
        and user.is_active
        and user.email
        and (not pemda_code or scope_for(user).allows(pemda_code))
    ]


def _row(
    kind: NotificationKind,
    key: str,
    pemda_code: str,
    context: Mapping[str, Any],
    user: User,
    now: Any,
) -> Notification:
    language = user.language if user.language in dict(settings.LANGUAGES) else "id"
    subject, body = notification_render(kind=kind, context=context, language=language)
    return Notification(
        user=user,
        kind=kind,
        key=key[:200],
        pemda_code=pemda_code,
        address=user.email,
        language=language,
        subject=subject,
        body=body,
        next_attempt_at=now,
    )


def notification_render(*, kind: str, context: Mapping[str, Any], language: str) -> tuple[str, str]:
    """Subject and plain-text body of `kind` in `language`, with any NIK-like run blanked."""
    slug = NotificationKind(kind).slug
    full = {**context, "base_url": settings.MONEV_BASE_URL}
    with translation.override(language):
        subject = str(render_to_string(f"notifications/mail/{slug}_subject.txt", full))
        body = str(render_to_string(f"notifications/mail/{slug}_body.txt", full)).strip()
        footer = str(render_to_string("notifications/mail/_footer.txt", full)).strip()
    return _no_nik(" ".join(subject.split()))[:300], _no_nik(f"{body}\n\n{footer}\n")


def _no_nik(text: str) -> str:
    """Blank out any 16-digit run (a file name, a note someone typed): never mailed."""
    if _NIK_RUN.search(text) is None:
        return text
    log.warning("a notification text held a 16-digit run; it was blanked out")
    return _NIK_RUN.sub("*" * 16, text)


def _save_once(row: Notification, attachment: Attachment | None) -> bool:
    """Save `row` unless a concurrent send of the same event got there first (the unique
    constraint decides; a savepoint keeps the caller's transaction usable)."""
    try:
        with transaction.atomic():
            _attach(row, attachment)
            row.save()
    except IntegrityError:
        return False
    return True


def _attach(row: Notification, attachment: Attachment | None) -> None:
    if attachment is None:
        return
    row.attachment_name = attachment.filename[:200]
    row.attachment_type = attachment.mimetype[:100]
    row.attachment_size = len(attachment.content)
    row.attachment.save(attachment.filename, ContentFile(attachment.content), save=False)


def notification_preferences_set(*, user: User, choices: Mapping[str, bool], by: Any) -> None:
    """Switch kinds on or off for `user`; kinds not named keep their setting."""
    unknown = sorted(set(choices) - {kind.value for kind in CHOOSABLE})
    if unknown:
        raise NotificationError(f"unknown notification kinds: {', '.join(unknown)}")
    with transaction.atomic():
        for kind, on in choices.items():
            NotificationPreference.objects.update_or_create(
                user=user, kind=kind, defaults={"email": bool(on)}
            )
        audit_record(
            actor=by,
            action="notification.preferences",
            obj=user,
            changes={kind: bool(on) for kind, on in choices.items()},
        )
