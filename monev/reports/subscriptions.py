"""Report subscriptions: a standing order for a Kanwil pack, a scorecard or a semester
report, rendered as the subscriber (their regions only) and e-mailed once per cycle.

A cycle is the newest data the report can show: for a Kanwil pack or a scorecard the
latest period with match results for its regions, for a semester report the latest
half-year whose last month has results. `monev deliver` calls
`report_subscriptions_deliver`; it renders a report only when its cycle has not been
queued for that subscriber yet, so it may run every few minutes.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from monev.accounts.models import User
from monev.core.audit import audit_record
from monev.coverage.models import CoverageStat
from monev.notifications.models import Notification, NotificationKind
from monev.notifications.services import Attachment, notification_send
from monev.regions.codes import parse_region_code
from monev.regions.models import Kanwil, Pemda
from monev.reports.build import ReportInputError, ReportRequest, build, check_access
from monev.reports.models import ReportFormat, ReportKind, ReportSubscription

log = logging.getLogger(__name__)

_MIME = {
    ReportFormat.PDF: "application/pdf",
    ReportFormat.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@dataclass(frozen=True)
class Due:
    subscription: ReportSubscription
    cycle: str
    request: ReportRequest


# ------------------------------------------------------------------------------- reads


def report_subscription_list(*, user: User) -> QuerySet[ReportSubscription]:
    return ReportSubscription.objects.filter(user=user)


def subscription_cycle(*, subscription: ReportSubscription, today: dt.date) -> str | None:
    """The period (or half-year) the subscription's next report shows; None without data."""
    stats = CoverageStat.objects.current().filter(period__lte=f"{today:%Y-%m}")
    if subscription.pemda_code:
        stats = stats.filter(pemda_code=subscription.pemda_code)
    elif subscription.kanwil_code:
        stats = stats.filter(kanwil_code=subscription.kanwil_code)
    latest: str | None = stats.aggregate(p=Max("period"))["p"]
    if latest is None or subscription.kind != ReportKind.SEMESTER:
        return latest
    year, month = int(latest[:4]), int(latest[5:])
    if month == 12:
        return f"{year}-H2"
    return f"{year}-H1" if month >= 6 else f"{year - 1}-H2"


def _request(subscription: ReportSubscription, cycle: str) -> ReportRequest:
    s = subscription
    if s.kind == ReportKind.SEMESTER:
        return ReportRequest(s.kind, s.format, {"semester": cycle})
    if s.kind == ReportKind.KANWIL_PACK:
        params = {"kanwil": s.kanwil_code, "period": cycle}
        return ReportRequest(s.kind, s.format, params, kanwil_code=s.kanwil_code)
    params = {"pemda": s.pemda_code, "period": cycle}
    return ReportRequest(s.kind, s.format, params, pemda_code=s.pemda_code)


def subscriptions_due(*, today: dt.date) -> list[Due]:
    """Active subscriptions whose current cycle has not been queued for the subscriber."""
    due = []
    for subscription in ReportSubscription.objects.filter(active=True).select_related("user"):
        cycle = subscription_cycle(subscription=subscription, today=today)
        if cycle is None or cycle == subscription.last_cycle:
            continue
        due.append(Due(subscription, cycle, _request(subscription, cycle)))
    return due


# ------------------------------------------------------------------------------ writes


def report_subscription_create(
    *, user: User, kind: str, format: str, kanwil: str = "", pemda: str = "", by: Any
) -> ReportSubscription:
    """Subscribe `user` to a report they may request themselves (same scope rules)."""
    if kind not in ReportKind.values:
        raise ReportInputError(_("Jenis laporan %(k)r tidak dikenal.") % {"k": kind})
    if format not in ReportFormat.values:
        raise ReportInputError(_("Format %(f)r tidak dikenal (pdf atau xlsx).") % {"f": format})
    kanwil_code, pemda_code = _target(kind, kanwil, pemda)
    check_access(user, ReportRequest(kind, format, {}, pemda_code, kanwil_code))
    try:
        with transaction.atomic():
            subscription = ReportSubscription.objects.create(
                user=user, kind=kind, format=format, kanwil_code=kanwil_code, pemda_code=pemda_code
            )
            audit_record(
                actor=by,
                action="report.subscribe",
                obj=subscription,
                pemda_code=pemda_code,
                changes={"kind": kind, "format": format, "kanwil": kanwil_code},
            )
    except IntegrityError:
        raise ReportInputError(_("Anda sudah berlangganan laporan ini.")) from None
    return subscription


def _target(kind: str, kanwil: str, pemda: str) -> tuple[str, str]:
    if kind == ReportKind.SEMESTER:
        return "", ""
    if kind == ReportKind.KANWIL_PACK:
        code = kanwil.strip().upper()
        if not Kanwil.objects.filter(code=code).exists():
            raise ReportInputError(_("Kanwil %(c)r tidak dikenal.") % {"c": code})
        return code, ""
    try:
        code = parse_region_code(pemda)
    except ValueError as exc:
        raise ReportInputError(str(exc)) from None
    if not Pemda.objects.filter(code=code, active=True).exists():
        raise ReportInputError(_("Pemda %(c)s tidak dikenal.") % {"c": code})
    return "", code


def report_subscription_cancel(*, subscription: ReportSubscription, by: Any) -> None:
    with transaction.atomic():
        audit_record(
            actor=by,
            action="report.unsubscribe",
            obj=subscription,
            pemda_code=subscription.pemda_code,
        )
        subscription.delete()


def report_subscriptions_deliver(*, today: dt.date) -> dict[str, int]:
    """Render each due subscription as its subscriber and queue it as an e-mail."""
    counts = {"queued": 0, "stopped": 0, "failed": 0}
    for due in subscriptions_due(today=today):
        try:
            queued = _deliver(due)
        except Exception as exc:  # one report that cannot be built must not stop the rest
            log.error("subscription %s: %s", due.subscription.pk, type(exc).__name__)
            counts["failed"] += 1
            continue
        counts["queued" if queued else "stopped"] += 1
    return counts


def _deliver(due: Due) -> bool:
    s = due.subscription
    key = f"subscription:{s.pk}:{due.cycle}"
    if not Notification.objects.filter(user=s.user, kind=NotificationKind.REPORT, key=key).exists():
        try:
            content, data = build(s.user, due.request)
        except PermissionError:
            return _stop(s, "outside the subscriber's regions")
        filename = _filename(due)
        notification_send(
            kind=NotificationKind.REPORT,
            key=key,
            users=[s.user],
            pemda_code=s.pemda_code,
            context={"title": data["title"], "filename": filename, "link": "/laporan/langganan/"},
            attachment=Attachment(filename, content, _MIME[ReportFormat(s.format)]),
        )
    ReportSubscription.objects.filter(pk=s.pk).update(
        last_cycle=due.cycle, last_sent_at=timezone.now()
    )
    return True


def _filename(due: Due) -> str:
    r = due.request
    region = r.pemda_code or r.kanwil_code or "nasional"
    return f"{r.kind}-{region}-{due.cycle}.{r.format}"


def _stop(subscription: ReportSubscription, reason: str) -> bool:
    """The subscriber lost the region (or the role): switch off, never send."""
    with transaction.atomic():
        ReportSubscription.objects.filter(pk=subscription.pk).update(active=False)
        audit_record(
            actor=None,
            action="report.subscription_stopped",
            obj=subscription,
            pemda_code=subscription.pemda_code,
            changes={"reason": reason},
        )
    return False
