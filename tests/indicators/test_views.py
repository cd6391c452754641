"""Dashboards, exports and open data: scope, bad input, query budgets, what is shown."""

from __future__ import annotations

import csv
import io
from typing import Any

import openpyxl
import pytest
from django.test import Client

from monev.indicators import engine
from tests.indicators.factories import stat

pytestmark = pytest.mark.django_db


def test_kanwil_officer_drills_from_kanwil_to_lahat(sample: Any, client_for: Any) -> None:
    client = client_for("sumbagsel")
    home = client.get("/dasbor/")
    assert home.status_code == 302 and home["Location"].startswith("/dasbor/kanwil/SUMBAGSEL/")
    kanwil = client.get("/dasbor/kanwil/SUMBAGSEL/").content.decode()
    assert "Kanwil Sumatera Bagian Selatan" in kanwil and "/dasbor/provinsi/16/" in kanwil
    assert "Kab. Lahat" in kanwil and 'class="tile"' in kanwil
    province = client.get("/dasbor/provinsi/16/?periode=2024-06").content.decode()
    assert "/dasbor/pemda/16.04/?periode=2024-06" in province
    lahat = client.get("/dasbor/pemda/16.04/?periode=2024-06").content.decode()
    assert "Kab. Lahat belum menganggarkan perlindungan non-ASN TA 2024" in lahat
    assert "Cakupan perangkat desa Kab. Lahat turun" in lahat
    assert "dibutuhkan untuk melindungi" in lahat
    assert "Mengapa skor ini" in lahat and "Kota Palembang" in lahat  # peers are in scope


def test_pemda_operator_sees_own_rank_but_no_peer_names(sample: Any, client_for: Any) -> None:
    client = client_for("lahat")
    assert client.get("/dasbor/")["Location"].startswith("/dasbor/pemda/16.04/")
    page = client.get("/dasbor/pemda/16.04/").content.decode()
    assert "dari 17" in page and "di provinsi" in page
    assert "Skor Pemda sejawat (tanpa nama)" in page
    assert "Kota Palembang" not in page and "16.71" not in page
    for url in (
        "/dasbor/pemda/16.71/",
        "/dasbor/kanwil/SUMBAGSEL/",
        "/dasbor/provinsi/16/",
        "/dasbor/ekspor/pemda/csv/?kode=16.71",
        "/dasbor/ekspor/provinsi/xlsx/?kode=16",
    ):
        assert client.get(url).status_code == 404, url
    rows = list(
        csv.reader(io.StringIO(client.get("/dasbor/ekspor/pemda/csv/?kode=16.04").content.decode()))
    )
    assert [r[0] for r in rows[1:]] == ["16.04"]


def test_anonymous_is_sent_to_login() -> None:
    for url in ("/dasbor/", "/dasbor/pemda/16.04/", "/dasbor/ekspor/pemda/csv/?kode=16.04"):
        response = Client().get(url)
        assert response.status_code == 302 and "/akun/masuk/" in response["Location"]


@pytest.mark.parametrize(
    "url",
    [
        "/dasbor/kanwil/SUMBAGSEL/?periode=2024-13",
        "/dasbor/kanwil/SUMBAGSEL/?periode=bukan",
        "/dasbor/kanwil/SUMBAGSEL/?peta=tidak-ada",
        "/dasbor/kanwil/SUMBAGSEL/?urut=%3Cscript%3E",
        "/dasbor/kanwil/SUMBAGSEL/?banding=2024-99",
        "/dasbor/ekspor/kanwil/pdf/?kode=SUMBAGSEL",
        "/dasbor/ekspor/planet/csv/?kode=SUMBAGSEL",
        "/dasbor/ekspor/kanwil/csv/?kode=SUMBAGSEL&periode=13-2024",
    ],
)
def test_bad_input_is_a_clear_400(sample: Any, client_for: Any, url: str) -> None:
    response = client_for("sumbagsel").get(url)
    assert response.status_code == 400, url
    assert "Permintaan tidak sah" in response.content.decode() or response[
        "Content-Type"
    ].startswith("text/")


def test_unknown_places_are_404(sample: Any, client_for: Any) -> None:
    client = client_for("national")
    for url in ("/dasbor/kanwil/MARS/", "/dasbor/provinsi/99/", "/dasbor/pemda/16.99/"):
        assert client.get(url).status_code == 404


def test_export_is_exactly_the_table_shown(sample: Any, client_for: Any) -> None:
    client = client_for("sumbagsel")
    page = client.get("/dasbor/kanwil/SUMBAGSEL/?urut=skor&arah=turun").content.decode()
    shown = page.split('id="tabel-peringkat"')[1].split("</tbody>")[0]
    codes_shown = [
        chunk.split("</td>")[0] for chunk in shown.split("<td>")[1:] if chunk[:2].isdigit()
    ]
    query = "kode=SUMBAGSEL&periode=2024-06&urut=skor&arah=turun"
    rows = list(
        csv.reader(io.StringIO(client.get(f"/dasbor/ekspor/kanwil/csv/?{query}").content.decode()))
    )
    assert rows[0][:5] == ["Kode", "Pemda", "Skor", "Status", "Peringkat"]
    assert [r[0] for r in rows[1:]] == codes_shown and len(codes_shown) == 65
    scores = [float(r[2].replace(".", "").replace(",", ".")) for r in rows[1:]]
    assert scores == sorted(scores, reverse=True)
    filtered = list(
        csv.reader(
            io.StringIO(client.get(f"/dasbor/ekspor/kanwil/csv/?{query}&q=lahat").content.decode())
        )
    )
    assert [r[1] for r in filtered[1:]] == ["Kab. Lahat"]
    book = openpyxl.load_workbook(
        io.BytesIO(client.get(f"/dasbor/ekspor/kanwil/xlsx/?{query}&q=lahat").content)
    )
    sheet = book.active
    assert sheet["A4"].value == "Kode" and sheet["B5"].value == "Kab. Lahat"
    assert sheet["A6"].value is None


def test_map_partial_and_period_recolour(sample: Any, client_for: Any) -> None:
    client = client_for("national")
    june = client.get(
        "/dasbor/?peta=cakupan-total&periode=2024-06", HTTP_HX_REQUEST="true", HTTP_HX_TARGET="peta"
    ).content.decode()
    assert june.startswith('<div class="map tiles"') and "<html" not in june
    april = client.get(
        "/dasbor/?peta=cakupan-total&periode=2024-04", HTTP_HX_REQUEST="true", HTTP_HX_TARGET="peta"
    ).content.decode()
    assert 'data-period="2024-04"' in april and april != june


@pytest.mark.parametrize(
    ("username", "url", "warm_budget"),
    [
        ("national", "/dasbor/", 3),
        ("sumbagsel", "/dasbor/kanwil/SUMBAGSEL/", 4),
        ("sumbagsel", "/dasbor/provinsi/16/", 4),
        ("lahat", "/dasbor/pemda/16.04/", 4),
    ],
)
def test_query_budgets(
    sample: Any,
    client_for: Any,
    django_assert_max_num_queries: Any,
    username: str,
    url: str,
    warm_budget: int,
) -> None:
    client = client_for(username)
    engine.cache_clear()
    with django_assert_max_num_queries(
        60
    ):  # cold: facts read once for the period and the comparison
        assert client.get(url).status_code == 200
    # Warm: session, user, the scope's one query (not for a national user), facts version.
    with django_assert_max_num_queries(warm_budget):
        assert client.get(url).status_code == 200


def test_definitions_show_provenance(client_for: Any) -> None:
    page = client_for("lahat").get("/dasbor/indikator/").content.decode()
    assert "Target UCJ Provinsi Jambi akhir 2024" in page and "RPJMN 2025–2029" in page
    assert "poin tertinggi" in page  # the basis of the default weights


def test_open_data_is_public_aggregated_and_suppresses_small_cells(sample: Any) -> None:
    client = Client()
    page = client.get("/data-terbuka/?periode=2024-06")
    assert page.status_code == 200 and "Sumatera Selatan" in page.content.decode()
    stat("32.73", "2024-06", "PERANGKAT_DESA", 3, 1)  # Kota Bandung: 3 workers in one group
    engine.cache_clear()
    text = client.get("/data-terbuka/cakupan.csv?periode=2024-06&tingkat=provinsi").content.decode()
    rows = list(csv.DictReader(io.StringIO(text)))
    assert {r["kode"] for r in rows} >= {"15", "16", "17", "18", "19", "32"}
    small = [r for r in rows if r["kode"] == "32" and r["kelompok"] == "PERANGKAT_DESA"]
    assert small and small[0]["jumlah_pekerja"] == "" and small[0]["disembunyikan"] == "True"
    assert "nik" not in text.lower() and "Kota Bandung" not in text
    kanwil = client.get("/data-terbuka/cakupan.csv?periode=2024-06&tingkat=kanwil").content.decode()
    assert "SUMBAGSEL" in kanwil
    assert client.get("/data-terbuka/cakupan.csv?tingkat=desa").status_code == 400


def test_admin_edits_definitions(client: Client, django_user_model: Any) -> None:
    admin = django_user_model.objects.create_superuser("admin-ind", "a@example.id", "x" * 12)
    client.force_login(admin)
    for url in (
        "/admin/indicators/indicator/",
        "/admin/indicators/target/",
        "/admin/indicators/scorescheme/",
        "/admin/indicators/findingrule/",
        "/admin/indicators/boundaryset/",
    ):
        assert client.get(url).status_code == 200, url


def test_a_new_match_run_shows_on_the_next_request(client_for: Any) -> None:
    """No rebuild: replacing the current run of a period changes the page at once."""
    from monev.coverage.models import CoverageStat, MatchRun

    stat("16.04", "2024-06", "NON_ASN", 200, 50)
    client = client_for("lahat")
    assert "25,0%" in client.get("/dasbor/pemda/16.04/").content.decode()
    old = MatchRun.objects.get(period="2024-06", is_current=True)
    MatchRun.objects.filter(pk=old.pk).update(is_current=False)
    new = MatchRun.objects.create(period="2024-06", state="done", is_current=True)
    CoverageStat.objects.create(
        run=new,
        period="2024-06",
        pemda_code="16.04",
        province_code="16",
        kanwil_code="SUMBAGSEL",
        category="NON_ASN",
        headcount=200,
        protected=150,
        coverage=0.75,
    )
    page = client.get("/dasbor/pemda/16.04/").content.decode()
    assert "75,0%" in page and "25,0%" not in page
