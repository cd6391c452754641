"""Scope-matrix registrations for the meeting, action-item and letter pages and API."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from monev.core.scope import SYSTEM
from monev.meetings import letters, services
from monev.regions.models import Pemda
from tests.meetings.factories import item_for, meeting_for
from tests.scope.registry import RouteCase, exempt, register

ORGANISERS = frozenset({"national", "sumbagsel"})
UPDATERS = frozenset({"national", "sumbagsel", "palembang"})
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def with_meeting(pemda: str) -> dict[str, Any]:
    meeting = meeting_for(pemda)
    finding = services.finding_save(
        meeting=meeting, text=f"Temuan uji {pemda}", pemda_code=pemda, by=SYSTEM
    )
    return {"meeting": meeting.pk, "finding": finding.pk}


def with_item(pemda: str) -> dict[str, Any]:
    item = item_for(pemda, due_on=dt.date(2022, 10, 31))
    evidence = services.action_item_add_evidence(
        item=item, document=io.BytesIO(PDF), filename="bukti.pdf", by=SYSTEM
    )
    return {"item": item.pk, "evidence": evidence.pk, "meeting": item.meeting_id}


def with_letter(pemda: str) -> dict[str, Any]:
    meeting = meeting_for(pemda)
    letter = letters.letter_issue(pemda=Pemda.objects.get(code=pemda), meeting=meeting, by=SYSTEM)
    return {"letter": letter.pk, "meeting": meeting.pk}


def _post(
    name: str, path: str, data: dict[str, Any], setup: Any, allowed: frozenset[str]
) -> RouteCase:
    return RouteCase(
        name, path, method="POST", data=data, setup=setup, allowed=allowed, ok_status=(302,)
    )


register(
    RouteCase(
        "meetings:meeting_list",
        "/rapat/",
        setup=with_meeting,
        marker=lambda pemda: f"Rapat monev {pemda}",
    ),
    RouteCase(
        "meetings:meeting_create",
        "/rapat/baru/",
        level="none",
        allowed=frozenset({"national", "sumbagsel", "palembang", "auditor"}),
    ),
    RouteCase("meetings:meeting_detail", "/rapat/{meeting}/", setup=with_meeting),
    _post("meetings:attendee_add", "/rapat/{meeting}/peserta/",
          {"name": "Budi", "role": "participant"}, with_meeting, ORGANISERS),
    _post("meetings:finding_add", "/rapat/{meeting}/temuan/",
          {"text": "Temuan baru", "severity": "amber"}, with_meeting, ORGANISERS),
    _post("meetings:finding_edit", "/rapat/{meeting}/temuan/{finding}/",
          {"text": "Temuan diubah", "severity": "red"}, with_meeting, ORGANISERS),
    _post("meetings:finding_refresh", "/rapat/{meeting}/temuan/segarkan/", {}, with_meeting,
          ORGANISERS),
    _post("meetings:meeting_close", "/rapat/{meeting}/tutup/", {}, with_meeting, ORGANISERS),
    _post("meetings:item_create", "/rapat/{meeting}/tindak-lanjut/",
          {"what": "Terbitkan Perbup", "due_on": "2022-12-31"}, with_meeting, ORGANISERS),
    _post("meetings:letter_create", "/rapat/{meeting}/surat/", {"pemda_code": "16.71"},
          with_meeting, ORGANISERS),
    RouteCase(
        "meetings:item_list",
        "/rapat/tindak-lanjut/",
        setup=with_item,
        marker=lambda pemda: f"non-ASN {pemda}",
    ),
    RouteCase("meetings:item_detail", "/rapat/tindak-lanjut/{item}/", setup=with_item),
    _post("meetings:item_status", "/rapat/tindak-lanjut/{item}/status/",
          {"status": "in_progress"}, with_item, UPDATERS),
    _post("meetings:item_evidence", "/rapat/tindak-lanjut/{item}/bukti/",
          {"link": "/anggaran/"}, with_item, UPDATERS),
    RouteCase("meetings:evidence_download", "/rapat/bukti/{evidence}/", setup=with_item),
    RouteCase(
        "meetings:letter_list",
        "/rapat/surat/",
        setup=with_letter,
        marker=lambda pemda: f"({pemda})",
    ),
    RouteCase("meetings:letter_download", "/rapat/surat/{letter}/unduh/", setup=with_letter),
    RouteCase("meetings:overdue_banner", "/rapat/lewat-tenggat/?pemda={pemda}"),
    RouteCase(
        "GET /api/v1/meetings",
        "/api/v1/meetings",
        api=True,
        setup=with_meeting,
        marker=lambda pemda: f"Rapat monev {pemda}",
    ),
    RouteCase("GET /api/v1/meetings/{meeting_id}", "/api/v1/meetings/{meeting}", api=True,
              setup=with_meeting),
    RouteCase(
        "GET /api/v1/action-items",
        "/api/v1/action-items",
        api=True,
        setup=with_item,
        marker=lambda pemda: f"non-ASN {pemda}",
    ),
    RouteCase("GET /api/v1/action-items/{item_id}", "/api/v1/action-items/{item}", api=True,
              setup=with_item),
    RouteCase(
        "GET /api/v1/letters",
        "/api/v1/letters",
        api=True,
        setup=with_letter,
        marker=lambda pemda: f'"pemda_code": "{pemda}"',
    ),
    RouteCase("GET /api/v1/letters/{letter_id}/pdf", "/api/v1/letters/{letter}/pdf", api=True,
              setup=with_letter),
    RouteCase(
        "POST /api/v1/meetings/{meeting_id}/close",
        "/api/v1/meetings/{meeting}/close",
        api=True,
        method="POST",
        setup=with_meeting,
        allowed=ORGANISERS,
        ok_status=(200, 400),
    ),
)  # fmt: skip

_JSON = "JSON body; allowed / other region / anonymous in tests/meetings/test_api.py"
exempt("POST /api/v1/meetings", _JSON)
exempt("POST /api/v1/meetings/{meeting_id}/items", _JSON)
exempt("POST /api/v1/action-items/{item_id}/status", _JSON)
exempt("POST /api/v1/meetings/{meeting_id}/letters", _JSON)
exempt("POST /api/v1/action-items/{item_id}/evidence", "multipart upload; " + _JSON)
