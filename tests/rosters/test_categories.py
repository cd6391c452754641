"""Roster versions per category (issue 18): an upload replaces only the categories it has;
every other category carries forward from its latest list at or before the period, until the
operator ends it explicitly."""

from __future__ import annotations

from typing import Any

import pytest

from monev.core.scope import SYSTEM
from monev.coverage.services import applicable_versions, roster_frame
from monev.rosters import services
from monev.rosters.models import UploadMode
from tests.rosters.conftest import nik, roster_csv

pytestmark = pytest.mark.django_db


def upload(pemda: Any, period: str, rows: list[tuple[str, ...]], **kwargs: Any) -> Any:
    return services.roster_import(
        pemda=pemda, period=period, data=roster_csv(rows), filename="daftar.csv",
        mode=UploadMode.STRICT, by=SYSTEM, **kwargs,
    )  # fmt: skip


def in_force(period: str, pemda: str = "16.71") -> dict[str, int]:
    frame = roster_frame({pemda: applicable_versions(period).get(pemda, [])}).collect()
    return dict(frame.group_by("category").len().iter_rows())


def april(palembang: Any) -> None:
    rows = [(nik(i), f"Pekerja {i}", "NON_ASN", "2500000") for i in range(1, 8)]
    rows += [(nik(i), f"Rentan {i}", "RENTAN", "") for i in range(20, 25)]
    upload(palembang, "2024-04", rows)


def test_a_partial_list_replaces_only_its_own_category(palembang: Any) -> None:
    """Issue 18: a two-row RENTAN list for June wiped the Pemda's other workers."""
    april(palembang)
    upload(palembang, "2024-06", [(nik(30), "Baru", "RENTAN", ""), (nik(31), "Baru", "RENTAN", "")])
    assert in_force("2024-06") == {"NON_ASN": 7, "RENTAN": 2}
    assert in_force("2024-05") == {"NON_ASN": 7, "RENTAN": 5}


def test_a_category_ends_only_when_the_operator_says_so(palembang: Any) -> None:
    april(palembang)
    upload(palembang, "2024-06", [(nik(30), "Baru", "RENTAN", "")], end_categories=["NON_ASN"])
    assert in_force("2024-06") == {"RENTAN": 1}
    assert in_force("2024-05") == {"NON_ASN": 7, "RENTAN": 5}
    upload(palembang, "2024-07", [(nik(1), "Kembali", "NON_ASN", "2500000")])
    assert in_force("2024-07") == {"NON_ASN": 1, "RENTAN": 1}


def test_ending_a_category_the_file_also_has_is_refused(palembang: Any) -> None:
    with pytest.raises(services.RosterInputError, match="Non-ASN"):
        upload(palembang, "2024-06", [(nik(1), "A", "NON_ASN", "2500000")],
               end_categories=["NON_ASN"])  # fmt: skip


def test_the_migration_keeps_the_numbers_of_existing_versions(palembang: Any) -> None:
    """Before per-category versions only the latest period counted; 0006 records the
    categories that silently ended then, so no existing figure changes."""
    import importlib

    from django.apps import apps

    from monev.rosters.models import RosterVersion
    from monev.rosters.selectors import categories_in_force

    april(palembang)
    upload(palembang, "2024-06", [(nik(30), "Baru", "RENTAN", "")])
    RosterVersion.objects.update(ended_categories=[])  # as stored before 0006
    migration = importlib.import_module("monev.rosters.migrations.0006_categories_in_force")
    migration.keep_existing_numbers(apps, None)
    june = RosterVersion.objects.get(period="2024-06")
    assert june.ended_categories == ["NON_ASN"]
    assert categories_in_force("2024-06")["16.71"] == {june.pk: ["RENTAN"]}
    assert in_force("2024-06") == {"RENTAN": 1}


def test_the_form_ends_a_category_and_confirmation_shows_each_category(
    palembang: Any, client_for: Any
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from monev.rosters.models import RosterUpload

    april(palembang)
    client = client_for("palembang")
    data = roster_csv([(nik(20), "Rentan 20", "RENTAN", ""), (nik(40), "Baru", "RENTAN", "")])
    response = client.post("/daftar-pekerja/unggah/", {
        "pemda": "16.71", "period": "2024-06", "mode": "strict", "end_categories": ["RT_RW"],
        "file": SimpleUploadedFile("daftar.csv", data),
    })  # fmt: skip
    assert response.status_code == 302
    upload = RosterUpload.objects.latest("pk")
    assert upload.end_categories == ["RT_RW"]
    page = " ".join(client.get(response["Location"]).content.decode().split())
    table = page[page.index('id="perubahan-kategori"') :]
    assert "Non-ASN</td><td>tetap (tidak ada di berkas)</td>" in table
    assert "Pekerja rentan</td><td>diganti berkas ini</td>" in table
    assert "April 2024 (versi 1)" in table
    client.post(f"/daftar-pekerja/unggah/{upload.pk}/simpan/")
    assert in_force("2024-06") == {"NON_ASN": 7, "RENTAN": 2}


def test_cli_and_api_end_a_category(
    palembang: Any, tmp_path: Any, token_for: Any, client_for: Any
) -> None:
    from django.core.management import call_command

    from tests.conftest import bearer

    april(palembang)
    path = tmp_path / "rentan.csv"
    path.write_bytes(roster_csv([(nik(30), "Baru", "RENTAN", "")]))
    call_command("import", "rosters", str(path), pemda="16.71", period="2024-06",
                 end_category=["NON_ASN"], format="json")  # fmt: skip
    assert in_force("2024-06") == {"RENTAN": 1}
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client_for("palembang").post(
        "/api/v1/rosters/uploads?pemda=16.71&period=2024-07&commit=true&end_categories=RENTAN",
        {"file": SimpleUploadedFile("d.csv", roster_csv([(nik(1), "A", "NON_ASN", "2500000")]))},
        **bearer(token_for("palembang")),
    )
    assert response.status_code == 201, response.content
    assert in_force("2024-07") == {"NON_ASN": 1}
