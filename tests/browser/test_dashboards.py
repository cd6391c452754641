"""A coordinator and a Pemda operator use the dashboards in a real browser."""

from __future__ import annotations

import io
from typing import Any

import openpyxl
import pytest

from tests.browser.conftest import shot
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def data(_keep_database: None) -> None:
    from monev.indicators.sample import sample_generate
    from monev.regions.models import Pemda

    codes = list(Pemda.objects.filter(kanwil__code="SUMBAGSEL").values_list("code", flat=True))
    sample_generate(pemda_codes=codes, last="2024-06", count=4)


def login(page: Any, base: str, username: str) -> None:
    page.goto(f"{base}/akun/masuk/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_load_state()
    assert "/akun/masuk/" not in page.url, page.content()[:500]


def xlsx(download: Any) -> Any:
    with open(download.path(), "rb") as handle:
        return openpyxl.load_workbook(io.BytesIO(handle.read())).active


def fills(page: Any) -> dict[str, str]:
    return page.eval_on_selector_all(
        "#peta [data-code]",
        "els => Object.fromEntries(els.map(e => [e.dataset.code, e.dataset.fill]))",
    )


def test_kanwil_officer_drills_down_changes_period_and_exports(
    live_server: Any, page: Any, data: None
) -> None:
    base = live_server.url
    login(page, base, "sumbagsel")
    page.goto(f"{base}/dasbor/")
    assert "/dasbor/kanwil/SUMBAGSEL/" in page.url
    assert page.inner_text("h1") == "Kanwil Sumatera Bagian Selatan"
    shot(page, "01-kanwil-sumbagsel")

    # the map recolours when another indicator is chosen (HTMX swap, no reload)
    before = fills(page)
    page.select_option("#pilih-peta", "regulasi")
    page.wait_for_selector("#peta .map[data-indicator='regulasi']")
    after = fills(page)
    assert before.keys() == after.keys() and before != after
    assert "peta=regulasi" in page.url

    # drill: Sumatera Selatan tile → province → Kab. Lahat row
    page.click("#peta a[href*='/dasbor/provinsi/16/']")
    page.wait_for_url("**/dasbor/provinsi/16/**")
    assert page.inner_text("h1") == "Sumatera Selatan"
    shot(page, "02-provinsi-sumsel")
    page.click("#tabel-peringkat a:text('Kab. Lahat')")
    page.wait_for_url("**/dasbor/pemda/16.04/**")
    assert page.inner_text("h1") == "Kab. Lahat"
    assert "belum menganggarkan perlindungan non-ASN TA 2024" in page.inner_text("#temuan")
    shot(page, "03-pemda-lahat")

    # change the period: the page and the Kanwil map follow it
    page.goto(f"{base}/dasbor/kanwil/SUMBAGSEL/")
    june = fills(page)
    page.select_option("#pilih-periode", "2024-03")
    page.wait_for_url("**periode=2024-03**")
    assert page.eval_on_selector("#peta .map", "e => e.dataset.period") == "2024-03"
    march = fills(page)
    assert june != march  # coverage rose from March to June: the tiles recolour
    shot(page, "04-kanwil-maret")

    # filter the table and export exactly what is shown
    page.fill("[data-rank-filter]", "kab. lahat")
    visible = page.eval_on_selector_all(
        "#tabel-peringkat tbody tr:not([hidden])", "rows => rows.length"
    )
    assert visible == 1
    with page.expect_download() as info:
        page.click("#ekspor-xlsx")
    assert info.value.suggested_filename.endswith(".xlsx")
    sheet = xlsx(info.value)
    rows = [r for r in sheet.iter_rows(min_row=5, values_only=True) if any(r)]
    assert [r[1] for r in rows] == ["Kab. Lahat"]
    page.fill("[data-rank-filter]", "")
    with page.expect_download() as info:
        page.click("#ekspor-xlsx")
    sheet = xlsx(info.value)
    names = [r[1] for r in sheet.iter_rows(min_row=5, values_only=True) if any(r)]
    shown = page.eval_on_selector_all(
        "#tabel-peringkat tbody tr td:nth-child(2)", "cells => cells.map(c => c.innerText.trim())"
    )
    assert names == shown and len(names) == 65


def test_pemda_operator_sees_own_pemda_and_cannot_reach_another(
    live_server: Any, page: Any, data: None
) -> None:
    base = live_server.url
    login(page, base, "lahat")
    page.goto(f"{base}/dasbor/")
    assert "/dasbor/pemda/16.04/" in page.url
    body = page.inner_text("main")
    assert "dari 17" in body and "Kota Palembang" not in body
    assert page.locator("svg[aria-label='Skor Pemda sejawat (tanpa nama)']").count() == 1
    shot(page, "05-operator-lahat")
    for url in (
        "/dasbor/pemda/16.71/",
        "/dasbor/kanwil/SUMBAGSEL/",
        "/dasbor/provinsi/16/",
        "/dasbor/ekspor/pemda/xlsx/?kode=16.71",
    ):
        response = page.goto(f"{base}{url}")
        assert response is not None and response.status == 404, url
