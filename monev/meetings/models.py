"""Monev meetings, their findings, the action items that follow and the letters sent.

A meeting's findings are pre-filled from the indicators of the meeting's period, edited by
the organiser and frozen when the meeting is closed: `Meeting.findings_snapshot` keeps what
was known then, whatever the data says later. Action items carry a status history
(`ActionItemEvent`) and escalate Pemda → province → Kanwil → national when overdue.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from monev.meetings.querysets import (
    ActionItemQuerySet,
    FindingQuerySet,
    LetterQuerySet,
    MeetingQuerySet,
)


class Agency(models.TextChoices):
    KEMENKO_PMK = "KEMENKO_PMK", _("Kemenko PMK")
    KEMENDAGRI = "KEMENDAGRI", _("Kemendagri")
    SETKAB = "SETKAB", _("Sekretariat Kabinet")
    KSP = "KSP", _("Kantor Staf Presiden")
    BPJS = "BPJS", _("BPJS Ketenagakerjaan")
    KEMNAKER = "KEMNAKER", _("Kemnaker")


class MeetingStatus(models.TextChoices):
    DRAFT = "draft", _("Persiapan")
    CLOSED = "closed", _("Ditutup")


class AttendeeRole(models.TextChoices):
    CHAIR = "chair", _("Pimpinan rapat")
    SPEAKER = "speaker", _("Narasumber")
    PARTICIPANT = "participant", _("Peserta")
    SECRETARY = "secretary", _("Notulis")


class Meeting(models.Model):
    title = models.CharField(_("judul"), max_length=300)
    starts_on = models.DateField(_("tanggal mulai"))
    ends_on = models.DateField(_("tanggal selesai"))
    place = models.CharField(_("tempat"), max_length=200)
    period = models.CharField(_("periode data"), max_length=7, help_text="YYYY-MM")
    kanwil = models.ForeignKey(
        "regions.Kanwil", null=True, blank=True, on_delete=models.PROTECT, related_name="meetings"
    )
    province_codes = models.JSONField(default=list, blank=True)
    pemdas = models.ManyToManyField("regions.Pemda", related_name="meetings", blank=True)
    agencies = models.JSONField(default=list, blank=True)
    status = models.CharField(
        max_length=10, choices=MeetingStatus.choices, default=MeetingStatus.DRAFT
    )
    previous = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="next_meetings"
    )
    findings_snapshot = models.JSONField(default=list, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="meeting_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_closed(self) -> bool:
        return self.status == MeetingStatus.CLOSED


class Attendee(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendees")
    name = models.CharField(_("nama"), max_length=200)
    position = models.CharField(_("jabatan"), max_length=200, blank=True)
    pemda = models.ForeignKey("regions.Pemda", null=True, blank=True, on_delete=models.PROTECT)
    agency = models.CharField(max_length=16, choices=Agency.choices, blank=True)
    role = models.CharField(
        max_length=12, choices=AttendeeRole.choices, default=AttendeeRole.PARTICIPANT
    )

    class Meta:
        ordering = ["meeting", "role", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def organisation(self) -> str:
        if self.pemda_id:
            return str(self.pemda)
        return str(Agency(self.agency).label) if self.agency else ""


class Severity(models.TextChoices):
    RED = "red", _("Merah")
    AMBER = "amber", _("Kuning")
    INFO = "info", _("Catatan")


class Finding(models.Model):
    """One finding of a meeting; `code` names the indicator rule that produced it."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="findings")
    pemda_code = models.CharField(max_length=5, blank=True, db_index=True)
    code = models.CharField(max_length=64, blank=True)
    severity = models.CharField(max_length=6, choices=Severity.choices, default=Severity.AMBER)
    text = models.TextField(_("temuan"))
    data = models.JSONField(default=dict, blank=True)
    auto = models.BooleanField(default=False)
    position = models.PositiveIntegerField(default=0)

    objects = FindingQuerySet.as_manager()

    class Meta:
        ordering = ["meeting", "pemda_code", "position", "id"]

    def __str__(self) -> str:
        return self.text[:80]


class ItemStatus(models.TextChoices):
    OPEN = "open", _("Terbuka")
    IN_PROGRESS = "in_progress", _("Dalam proses")
    DONE = "done", _("Selesai")
    # Never stored: an open item whose due date has passed reads as overdue (`shown_status`).
    OVERDUE = "overdue", _("Lewat tenggat")
    DROPPED = "dropped", _("Dibatalkan")


OPEN_STATUSES = (ItemStatus.OPEN, ItemStatus.IN_PROGRESS)
STORED_STATUSES = [c for c in ItemStatus.choices if c[0] != ItemStatus.OVERDUE]


class EscalationLevel(models.IntegerChoices):
    PEMDA = 0, _("Pemda")
    PROVINCE = 1, _("Provinsi")
    KANWIL = 2, _("Kanwil")
    NATIONAL = 3, _("Nasional")


class ActionItem(models.Model):
    """A follow-up someone committed to; owned by a Pemda (pemda_code) or an agency."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    finding = models.ForeignKey(
        Finding, null=True, blank=True, on_delete=models.SET_NULL, related_name="items"
    )
    pemda_code = models.CharField(max_length=5, blank=True, db_index=True)
    owner_agency = models.CharField(max_length=16, choices=Agency.choices, blank=True)
    what = models.TextField(_("tindak lanjut"))
    due_on = models.DateField(_("tenggat"))
    status = models.CharField(max_length=12, choices=STORED_STATUSES, default=ItemStatus.OPEN)
    escalation = models.PositiveSmallIntegerField(
        choices=EscalationLevel.choices, default=EscalationLevel.PEMDA
    )
    escalated_at = models.DateTimeField(null=True, blank=True)
    close_proposed_at = models.DateTimeField(null=True, blank=True)
    close_proposal = models.CharField(max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ActionItemQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(pemda_code="", owner_agency=""), name="action_item_has_owner"
            )
        ]

    def __str__(self) -> str:
        return self.what[:80]

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_overdue(self) -> bool:
        """Not done and due before today, computed when read (never stored)."""
        return self.is_open and self.due_on < timezone.localdate()

    @property
    def shown_status(self) -> str:
        return str(ItemStatus.OVERDUE) if self.is_overdue else str(self.status)

    @property
    def status_label(self) -> str:
        return str(ItemStatus(self.shown_status).label)

    @property
    def owner_label(self) -> str:
        if self.pemda_code:
            from monev.regions.models import Pemda

            pemda = Pemda.objects.filter(code=self.pemda_code).first()
            return str(pemda) if pemda else self.pemda_code
        return str(Agency(self.owner_agency).label)


class EventKind(models.TextChoices):
    CREATED = "created", _("Dibuat")
    STATUS = "status", _("Perubahan status")
    ESCALATED = "escalated", _("Dieskalasi")
    EVIDENCE = "evidence", _("Bukti ditambahkan")
    PROPOSED = "proposed", _("Diusulkan selesai")


class ActionItemEvent(models.Model):
    """The history of an action item: every status change, escalation and evidence."""

    item = models.ForeignKey(ActionItem, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(auto_now_add=True)
    kind = models.CharField(max_length=10, choices=EventKind.choices)
    from_status = models.CharField(max_length=12, blank=True)
    to_status = models.CharField(max_length=12, blank=True)
    note = models.CharField(max_length=500, blank=True)
    actor_name = models.CharField(max_length=150)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.kind} {self.from_status}→{self.to_status}"

    @property
    def from_label(self) -> str:
        return _status_label(self.from_status)

    @property
    def to_label(self) -> str:
        return _status_label(self.to_status)


def _status_label(status: str) -> str:
    return str(ItemStatus(status).label) if status in ItemStatus.values else status


class EvidenceKind(models.TextChoices):
    DOCUMENT = "document", _("Dokumen")
    LINK = "link", _("Tautan ke perubahan data")


class Evidence(models.Model):
    item = models.ForeignKey(ActionItem, on_delete=models.CASCADE, related_name="evidence")
    kind = models.CharField(max_length=10, choices=EvidenceKind.choices)
    document = models.FileField(upload_to="meetings/evidence/%Y/", blank=True)
    filename = models.CharField(max_length=255, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    link = models.CharField(max_length=500, blank=True)
    note = models.CharField(max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.filename or self.link


class LetterTemplate(models.Model):
    """The kop, numbering scheme and signature of follow-up letters; editable in admin.

    `number_format` placeholders: {seq} (yearly sequence), {year}, {month}, {roman_month},
    {kanwil}, {pemda}, {code}. Example: "{seq:03d}/{code}/{roman_month}/{year}".
    """

    code = models.SlugField(max_length=32, unique=True)
    issuer = models.CharField(max_length=200)
    issuer_unit = models.CharField(max_length=300, blank=True)
    address = models.CharField(max_length=300, blank=True)
    number_format = models.CharField(max_length=120)
    number_code = models.CharField(max_length=40, default="PMK.MONEV")
    city = models.CharField(max_length=100, default="Jakarta")
    signatory_name = models.CharField(max_length=200)
    signatory_position = models.CharField(max_length=200)
    signatory_id = models.CharField(max_length=60, blank=True)
    opening = models.TextField()
    closing = models.TextField()
    carbon_copies = models.JSONField(default=list, blank=True)

    def __str__(self) -> str:
        return self.code


class LetterCounter(models.Model):
    template = models.ForeignKey(LetterTemplate, on_delete=models.CASCADE)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["template", "year"], name="letter_counter_unique")
        ]

    def __str__(self) -> str:
        return f"{self.template_id} {self.year}: {self.last}"


class Letter(models.Model):
    """A follow-up letter as issued: its number, content snapshot and the PDF."""

    template = models.ForeignKey(LetterTemplate, on_delete=models.PROTECT)
    meeting = models.ForeignKey(
        Meeting, null=True, blank=True, on_delete=models.PROTECT, related_name="letters"
    )
    pemda = models.ForeignKey("regions.Pemda", on_delete=models.PROTECT, related_name="letters")
    number = models.CharField(max_length=120, unique=True)
    year = models.PositiveSmallIntegerField()
    seq = models.PositiveIntegerField()
    issued_on = models.DateField()
    addressee = models.CharField(max_length=300)
    subject = models.CharField(max_length=300)
    content = models.JSONField(default=dict)
    pdf = models.FileField(upload_to="meetings/letters/%Y/")
    sha256 = models.CharField(max_length=64)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = LetterQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.number
