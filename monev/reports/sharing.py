"""The Pemda scorecard as a web page, and shareable links to it.

Why a secret link and not only a login-protected page: the people a scorecard is for — a
Bupati, a Sekda, a DPRD commission — have no monev account, and open it on a phone from
a chat message. So an operator or officer who may see the Pemda makes a link for one Pemda
and one period that works without login, expires (1–90 days, 30 by default), can be
revoked, and stops working as soon as its creator no longer may see that Pemda. The page
shows aggregated figures, findings and the Pemda's open follow-ups, never personal data.
Only the SHA-256 of the secret is stored (like API tokens); every opening is audited with
the address it came from. The login-protected page `/laporan/rapor/<pemda>/` stays the way
in for monev users.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import Any

from django.db import transaction
from django.db.models import F, Max
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from monev.core.audit import audit_record
from monev.core.scope import scope_for
from monev.coverage.models import CoverageStat
from monev.regions.codes import parse_period
from monev.reports import selectors
from monev.reports.build import ReportInputError
from monev.reports.charts import hbar_chart
from monev.reports.models import ScorecardLink

MAX_DAYS = 90


class LinkGone(Exception):
    """The link existed but expired, was revoked, or its creator lost the Pemda."""


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def scorecard_period(*, pemda_code: str, raw: str | None = None) -> str | None:
    """The period asked for, or the latest one with match results for the Pemda."""
    if raw:
        try:
            return parse_period(raw)
        except ValueError as exc:
            raise ReportInputError(str(exc)) from None
    stats = CoverageStat.objects.current().filter(pemda_code=pemda_code)
    latest: str | None = stats.aggregate(p=Max("period"))["p"]
    return latest


def scorecard_page(*, user: Any, pemda_code: str, period: str) -> dict[str, Any]:
    """The scorecard's data as `user` sees it (the same selector as the PDF)."""
    if not scope_for(user).allows(pemda_code):
        raise PermissionError("scorecard outside the user's regions")
    return _with_chart(selectors.scorecard_data(user=user, pemda=pemda_code, period=period))


def _with_chart(data: dict[str, Any]) -> dict[str, Any]:
    """The PDF's chart drawn narrower: on a phone its labels stay as large as the text."""
    own = data["pemda"]
    rows = [(label, own["cats"].get(cat, {}).get("coverage")) for cat, label in data["categories"]]
    chart = hbar_chart(rows, width=280, label_width=95, bar_height=16)
    return data | {"charts": {"categories": chart}}


def scorecard_link_create(
    *, pemda_code: str, period: str, by: Any, days: int = 30
) -> tuple[ScorecardLink, str]:
    """A new link; the secret is returned once and only its digest is kept."""
    if not scope_for(by, "change").allows(pemda_code, "change"):
        raise PermissionError("not allowed to share this Pemda's scorecard")
    if not 1 <= days <= MAX_DAYS:
        raise ReportInputError(_("Masa berlaku tautan 1 sampai %(n)s hari.") % {"n": MAX_DAYS})
    period = scorecard_period(pemda_code=pemda_code, raw=period) or ""
    if not period:
        raise ReportInputError(_("Belum ada data untuk rapor Pemda ini."))
    secret = secrets.token_urlsafe(24)
    with transaction.atomic():
        link = ScorecardLink.objects.create(
            pemda_code=pemda_code,
            period=period,
            digest=_digest(secret),
            created_by=by,
            expires_at=timezone.now() + dt.timedelta(days=days),
        )
        audit_record(
            actor=by,
            action="scorecard_link.create",
            obj=link,
            pemda_code=pemda_code,
            changes={"period": period, "days": days},
        )
    return link, secret


def scorecard_link_revoke(*, link: ScorecardLink, by: Any) -> None:
    if link.revoked_at is None:
        with transaction.atomic():
            ScorecardLink.objects.filter(pk=link.pk).update(revoked_at=timezone.now())
            audit_record(
                actor=by, action="scorecard_link.revoke", obj=link, pemda_code=link.pemda_code
            )


def scorecard_link_open(*, secret: str) -> tuple[ScorecardLink, dict[str, Any]]:
    """The scorecard behind `secret`, rendered as its creator sees it; audited."""
    if len(secret) > 100:
        raise Http404("unknown link")
    link = ScorecardLink.objects.select_related("created_by").filter(digest=_digest(secret)).first()
    if link is None:
        raise Http404("unknown link")
    creator = link.created_by
    expired = link.revoked_at is not None or link.expires_at <= timezone.now()
    if expired or not creator.is_active or not scope_for(creator).allows(link.pemda_code):
        raise LinkGone
    data = _with_chart(
        selectors.scorecard_data(user=creator, pemda=link.pemda_code, period=link.period)
    )
    with transaction.atomic():
        ScorecardLink.objects.filter(pk=link.pk).update(opened=F("opened") + 1)
        audit_record(
            actor=None,
            action="scorecard_link.open",
            obj=link,
            pemda_code=link.pemda_code,
            changes={"period": link.period},
        )
    return link, data
