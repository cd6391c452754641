"""Meetings: pre-filled findings, freezing on close, action items, escalation, evidence."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from monev.core.models import AuditEvent
from monev.core.scope import SYSTEM
from monev.meetings import selectors, services
from monev.meetings.evidence import EvidenceRejected, check_document
from monev.meetings.models import (
    ActionItem,
    EscalationLevel,
    EventKind,
    ItemStatus,
    Meeting,
    MeetingStatus,
)
from tests.meetings.factories import DAY, item_for, meeting_for
from tests.reports.factories import budget_add, coverage_load, regulation_add

pytestmark = pytest.mark.django_db


def test_findings_are_prefilled_from_the_data_of_the_period() -> None:
    coverage_load("2022-09", ["16.71", "16.04"])
    for category in ("NON_ASN", "PERANGKAT_DESA", "RT_RW", "RENTAN"):
        budget_add("16.71", 2022, 1_000_000, category)
    regulation_add("16.04")
    meeting = meeting_for("16.71")
    codes = set(meeting.findings.values_list("pemda_code", "code"))
    assert ("16.71", "belum-menganggarkan") not in codes
    assert ("16.71", "belum-regulasi") in codes
    lahat = meeting_for("16.04")
    lahat_codes = set(lahat.findings.values_list("pemda_code", "code"))
    assert ("16.04", "belum-menganggarkan") in lahat_codes
    assert ("16.04", "belum-regulasi") not in lahat_codes
    assert all(f.auto for f in lahat.findings.all())
    assert all("Lahat" in f.text for f in lahat.findings.all())


def test_kanwil_meeting_takes_every_pemda_of_the_kanwil(cast: dict[str, Any]) -> None:
    meeting = services.meeting_create(
        title="Monev Inpres 2/2021 Sumbagsel",
        starts_on=DAY,
        ends_on=DAY + dt.timedelta(days=1),
        place="Palembang",
        period="2022-09",
        kanwil="SUMBAGSEL",
        agencies=["KEMENKO_PMK", "KEMENDAGRI", "SETKAB", "KSP", "BPJS"],
        by=cast["sumbagsel"],
    )
    assert meeting.pemdas.count() == 65
    assert meeting.province_codes == ["15", "16", "17", "18", "19"]
    assert AuditEvent.objects.filter(action="meeting.create", object_id=str(meeting.pk)).exists()


def test_pemda_operator_and_outside_officer_cannot_organise(cast: dict[str, Any]) -> None:
    with pytest.raises(PermissionError):
        services.meeting_create(
            title="x", starts_on=DAY, ends_on=DAY, place="x", period="2022-09",
            pemda_codes=["16.71"], by=cast["palembang"],
        )  # fmt: skip
    with pytest.raises(PermissionError):
        services.meeting_create(
            title="x", starts_on=DAY, ends_on=DAY, place="x", period="2022-09",
            pemda_codes=["32.73"], by=cast["sumbagsel"],
        )  # fmt: skip


def test_bad_meeting_input_is_refused_clearly() -> None:
    with pytest.raises(services.MeetingError, match="periode"):
        services.meeting_create(
            title="x", starts_on=DAY, ends_on=DAY, place="x", period="2022-13",
            pemda_codes=["16.71"], by=SYSTEM,
        )  # fmt: skip
    with pytest.raises(services.MeetingError, match="selesai"):
        services.meeting_create(
            title="x", starts_on=DAY, ends_on=DAY - dt.timedelta(days=1), place="x",
            period="2022-09", pemda_codes=["16.71"], by=SYSTEM,
        )  # fmt: skip
    with pytest.raises(services.MeetingError, match=r"99\.99"):
        services.meeting_create(
            title="x", starts_on=DAY, ends_on=DAY, place="x", period="2022-09",
            pemda_codes=["99.99"], by=SYSTEM,
        )  # fmt: skip


def test_closing_a_meeting_freezes_its_findings(cast: dict[str, Any]) -> None:
    meeting = meeting_for("16.71")
    finding = meeting.findings.first()
    services.finding_save(
        meeting=meeting, finding=finding, text="Diubah dalam rapat", pemda_code="16.71",
        severity="red", by=cast["national"],
    )  # fmt: skip
    services.meeting_close(meeting=meeting, by=cast["national"])
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.CLOSED
    frozen = selectors.meeting_findings(user=cast["national"], meeting=meeting)
    assert "Diubah dalam rapat" in [f["text"] for f in frozen]
    # the data changes afterwards: the record still shows what was known then
    budget_add("16.71", 2022, 5_000_000)
    regulation_add("16.71")
    with pytest.raises(services.MeetingError):
        services.meeting_refresh_findings(meeting=meeting, by=cast["national"])
    with pytest.raises(services.MeetingError):
        services.finding_save(meeting=meeting, text="baru", by=cast["national"])
    with pytest.raises(services.MeetingError):
        services.finding_delete(finding=meeting.findings.first(), by=cast["national"])
    meeting.findings.update(text="dirusak")  # even a direct table edit does not change the record
    assert selectors.meeting_findings(user=cast["national"], meeting=meeting) == frozen


def test_closed_meeting_shows_a_pemda_only_its_own_findings(cast: dict[str, Any]) -> None:
    meeting = services.meeting_create(
        title="x", starts_on=DAY, ends_on=DAY, place="x", period="2022-09",
        pemda_codes=["16.71", "16.04"], by=SYSTEM,
    )  # fmt: skip
    services.meeting_close(meeting=meeting, by=SYSTEM)
    meeting.refresh_from_db()
    seen = {
        f["pemda_code"] for f in selectors.meeting_findings(user=cast["palembang"], meeting=meeting)
    }
    assert seen == {"16.71"}


def test_status_changes_are_recorded(cast: dict[str, Any]) -> None:
    item = item_for("16.71")
    services.action_item_set_status(
        item=item, status=ItemStatus.IN_PROGRESS, by=cast["palembang"], note="sedang disusun"
    )
    services.action_item_set_status(item=item, status=ItemStatus.DONE, by=cast["palembang"])
    kinds = list(item.events.values_list("kind", "from_status", "to_status", "actor_name"))
    assert kinds == [
        (EventKind.CREATED, "", "open", "system"),
        (EventKind.STATUS, "open", "in_progress", "palembang"),
        (EventKind.STATUS, "in_progress", "done", "palembang"),
    ]
    with pytest.raises(PermissionError):
        services.action_item_set_status(item=item, status=ItemStatus.OPEN, by=cast["lahat"])
    with pytest.raises(PermissionError):
        services.action_item_set_status(item=item, status=ItemStatus.OPEN, by=cast["auditor"])
    with pytest.raises(services.MeetingError):
        services.action_item_set_status(item=item, status="overdue", by=cast["palembang"])
    with pytest.raises(PermissionError):
        services.action_item_set_status(item=item, status=ItemStatus.DROPPED, by=cast["palembang"])


def test_an_overdue_item_escalates_level_by_level_and_idempotently() -> None:
    item = item_for("16.04", due_on=dt.date(2022, 10, 31))
    assert services.action_items_escalate(today=dt.date(2022, 10, 31), by=SYSTEM) == {
        "overdue": 0,
        "escalated": 0,
    }
    assert services.action_items_escalate(today=dt.date(2022, 11, 1), by=SYSTEM) == {
        "overdue": 1,
        "escalated": 0,
    }
    item.refresh_from_db()
    assert item.status == ItemStatus.OPEN and item.escalation == EscalationLevel.PEMDA
    assert services.action_items_escalate(today=dt.date(2022, 11, 1), by=SYSTEM) == {
        "overdue": 1,
        "escalated": 0,
    }
    services.action_items_escalate(today=dt.date(2022, 11, 14), by=SYSTEM)
    item.refresh_from_db()
    assert item.escalation == EscalationLevel.PROVINCE
    services.action_items_escalate(today=dt.date(2022, 11, 28), by=SYSTEM)
    item.refresh_from_db()
    assert item.escalation == EscalationLevel.KANWIL
    services.action_items_escalate(today=dt.date(2023, 6, 1), by=SYSTEM)
    item.refresh_from_db()
    assert item.escalation == EscalationLevel.NATIONAL
    assert services.action_items_escalate(today=dt.date(2023, 6, 2), by=SYSTEM)["escalated"] == 0
    escalations = item.events.filter(kind=EventKind.ESCALATED).count()
    assert escalations == 3


def test_overdue_items_stand_out_on_every_dashboard_up_the_chain(cast: dict[str, Any]) -> None:
    item = item_for("16.04", due_on=dt.date(2022, 10, 31))
    services.action_items_escalate(today=dt.date(2022, 11, 2), by=SYSTEM)
    assert list(selectors.overdue_items(user=cast["lahat"], pemda_code="16.04")) == [item]
    assert not selectors.overdue_items(user=cast["palembang"], pemda_code="16.04").exists()
    assert not selectors.overdue_items(user=cast["national"], pemda_code="16").exists()
    services.action_items_escalate(today=dt.date(2022, 11, 20), by=SYSTEM)
    assert list(selectors.overdue_items(user=cast["national"], pemda_code="16")) == [item]
    assert not selectors.overdue_items(user=cast["sumbagsel"], kanwil_code="SUMBAGSEL").exists()
    services.action_items_escalate(today=dt.date(2022, 12, 1), by=SYSTEM)
    assert list(selectors.overdue_items(user=cast["sumbagsel"], kanwil_code="SUMBAGSEL")) == [item]
    assert not selectors.overdue_items(user=cast["national"]).exists()
    services.action_items_escalate(today=dt.date(2022, 12, 20), by=SYSTEM)
    assert list(selectors.overdue_items(user=cast["national"])) == [item]


def test_overdue_banner_renders_for_the_owner(client_for: Any) -> None:
    item_for("16.71", due_on=dt.date(2022, 10, 31))
    services.action_items_escalate(today=dt.date(2022, 11, 2), by=SYSTEM)
    own = client_for("palembang").get("/rapat/lewat-tenggat/?pemda=16.71")
    assert own.status_code == 200 and "lewat tenggat" in own.content.decode()
    other = client_for("lahat").get("/rapat/lewat-tenggat/?pemda=16.71")
    assert other.status_code == 404


def test_agency_items_escalate_to_national() -> None:
    meeting = meeting_for("16.71")
    item = services.action_item_create(
        meeting=meeting, what="Surat edaran Mendagri", due_on=dt.date(2022, 10, 1),
        owner_agency="KEMENDAGRI", by=SYSTEM,
    )  # fmt: skip
    services.action_items_escalate(today=dt.date(2022, 10, 2), by=SYSTEM)
    item.refresh_from_db()
    assert item.escalation == EscalationLevel.NATIONAL


def test_item_whose_indicator_recovers_is_proposed_for_closing() -> None:
    meeting = meeting_for("16.04")
    finding = meeting.findings.get(pemda_code="16.04", code="belum-regulasi")
    item = services.action_item_create(
        meeting=meeting, finding=finding, pemda_code="16.04", what="Terbitkan Perbup",
        due_on=dt.date(2022, 12, 31), by=SYSTEM,
    )  # fmt: skip
    assert services.action_items_propose_closing(period="2022-10", by=SYSTEM) == 0
    regulation_add("16.04", on=dt.date(2022, 10, 3))
    # no data for October yet: the finding's absence proves nothing
    assert services.action_items_propose_closing(period="2022-10", by=SYSTEM) == 0
    coverage_load("2022-10", ["16.04"])
    assert services.action_items_propose_closing(period="2022-11", by=SYSTEM) == 1
    item.refresh_from_db()
    assert item.close_proposed_at is not None and "2022-10" in item.close_proposal
    assert item.evidence.filter(kind="link").exists()
    assert item.status == ItemStatus.OPEN  # proposed, a person confirms
    assert services.action_items_propose_closing(period="2022-10", by=SYSTEM) == 0


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def test_evidence_is_type_checked_by_magic_bytes(
    cast: dict[str, Any], settings: Any, tmp_path: Any
) -> None:
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }
    item = item_for("16.71")
    evidence = services.action_item_add_evidence(
        item=item, document=io.BytesIO(PDF), filename="perbup.pdf", by=cast["palembang"]
    )
    assert evidence.content_type == "application/pdf" and evidence.size == len(PDF)
    with pytest.raises(EvidenceRejected):
        services.action_item_add_evidence(
            item=item,
            document=io.BytesIO(b"MZ\x90\x00 not a pdf"),
            filename="x.pdf",
            by=cast["palembang"],
        )
    with pytest.raises(services.MeetingError):
        services.action_item_add_evidence(
            item=item, link="javascript:alert(1)", by=cast["palembang"]
        )
    link = services.action_item_add_evidence(
        item=item, link="/anggaran/?pemda=16.71", by=cast["palembang"]
    )
    assert link.kind == "link"
    with pytest.raises(PermissionError):
        services.action_item_add_evidence(item=item, link="/x", by=cast["lahat"])


def test_evidence_size_limit() -> None:
    with pytest.raises(EvidenceRejected, match="besar"):
        check_document(io.BytesIO(PDF + b"0" * 2048), max_bytes=1024)
    with pytest.raises(EvidenceRejected, match="kosong"):
        check_document(io.BytesIO(b""))
    assert check_document(io.BytesIO(PNG)).extension == "png"


@given(st.binary(min_size=1, max_size=64))
def test_check_document_accepts_only_known_signatures(blob: bytes) -> None:
    try:
        checked = check_document(io.BytesIO(blob))
    except EvidenceRejected:
        return
    assert checked.extension in ("pdf", "png", "jpg", "xlsx", "docx")


def test_scoping_of_items(cast: dict[str, Any]) -> None:
    own = item_for("16.71")
    other = item_for("16.04")
    visible = set(ActionItem.objects.for_user(cast["palembang"]).values_list("pk", flat=True))
    assert own.pk in visible and other.pk not in visible
    assert {own.pk, other.pk} <= set(
        ActionItem.objects.for_user(cast["sumbagsel"]).values_list("pk", flat=True)
    )
    assert coverage_load  # imported for the report tests' shared fixtures


def test_meeting_by_provinces_through_the_page(client_for: Any) -> None:
    form = {
        "title": "Monev Bengkulu dan Lampung",
        "starts_on": "2022-09-15",
        "ends_on": "2022-09-16",
        "place": "Bengkulu",
        "period": "2022-09",
        "province_codes": "17, 18",
        "agencies": ["KSP", "BPJS"],
    }
    response = client_for("sumbagsel").post("/rapat/baru/", form)
    assert response.status_code == 302
    meeting = Meeting.objects.get(title="Monev Bengkulu dan Lampung")
    assert meeting.province_codes == ["17", "18"] and meeting.pemdas.count() == 11 + 16
    assert client_for("palembang").post("/rapat/baru/", form).status_code == 403
    bad = client_for("sumbagsel").post("/rapat/baru/", {**form, "ends_on": "2022-09-01"})
    assert bad.status_code == 400


def test_escalation_task_runs_in_the_worker(settings: Any) -> None:
    from monev.meetings.tasks import escalate_task

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    item = item_for("16.04", due_on=dt.date(2000, 1, 1))
    result = escalate_task.enqueue()
    assert result.return_value["overdue"] == 1
    item.refresh_from_db()
    assert item.is_overdue and item.escalation == EscalationLevel.NATIONAL
    assert item.status == ItemStatus.OPEN  # overdue is read, never written
