"""Every main page on a phone (390×844) and a laptop (1366×768): no sideways scrolling of
the page itself, cards stacked, wide tables scrolling inside their box with the first
column fixed. Screenshots go to artifacts/browser/phone-*.png and laptop-*.png."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import Any

import pytest

from tests.browser.conftest import shot
from tests.browser.test_dashboards import login

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 768}


@pytest.fixture
def data(_keep_database: None) -> dict[str, Any]:
    from monev.core.scope import SYSTEM
    from monev.indicators.sample import sample_generate
    from monev.meetings import services
    from monev.regions.models import Pemda

    codes = list(Pemda.objects.filter(kanwil__code="SUMBAGSEL").values_list("code", flat=True))
    sample_generate(pemda_codes=codes, last="2024-06", count=3)
    meeting = services.meeting_create(
        title="Rapat Monev Kanwil Sumbagsel Semester I 2024",
        starts_on=dt.date(2024, 7, 15),
        ends_on=dt.date(2024, 7, 16),
        place="Palembang",
        period="2024-06",
        kanwil="SUMBAGSEL",
        agencies=["KEMENKO_PMK", "KEMENDAGRI", "BPJS"],
        by=SYSTEM,
    )
    services.action_item_create(
        meeting=meeting,
        pemda_code="16.71",
        what="Anggarkan iuran pekerja non-ASN pada APBD Perubahan 2024",
        due_on=dt.date(2024, 8, 31),
        by=SYSTEM,
    )
    return {"meeting": meeting.pk}


@pytest.fixture
def phone(browser: Any) -> Iterator[Any]:
    context = browser.new_context(
        viewport=PHONE, device_scale_factor=1, is_mobile=True, has_touch=True, locale="id-ID"
    )
    tab = context.new_page()
    tab.set_default_timeout(20_000)
    yield tab
    context.close()


@pytest.fixture
def laptop(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport=LAPTOP, locale="id-ID")
    tab = context.new_page()
    tab.set_default_timeout(20_000)
    yield tab
    context.close()


def page_overflow(tab: Any) -> int:
    """How many pixels the page itself is wider than the screen (0: no sideways scroll)."""
    return int(
        tab.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    )


WIDEST = """() => [...document.querySelectorAll('body *')]
  .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
  .filter(e => { for (let a = e.parentElement; a; a = a.parentElement)
      if (['auto', 'scroll', 'hidden'].includes(getComputedStyle(a).overflowX)) return false;
      return true; })
  .filter(e => ![...e.children].some(c =>
      c.getBoundingClientRect().right > document.documentElement.clientWidth + 1))
  .slice(0, 5).map(e => `${e.tagName}.${e.className}#${e.id}`)"""


def too_wide(tab: Any) -> list[str]:
    """The innermost elements that stick out on the right: what to fix when the page is
    wider than the screen."""
    return list(tab.evaluate(WIDEST))


def pages(base: str, meeting: int) -> list[tuple[str, str]]:
    return [
        ("dasbor-nasional", f"{base}/dasbor/"),
        ("dasbor-kanwil", f"{base}/dasbor/kanwil/SUMBAGSEL/"),
        ("dasbor-provinsi", f"{base}/dasbor/provinsi/16/"),
        ("dasbor-pemda", f"{base}/dasbor/pemda/16.71/"),
        ("rapor", f"{base}/laporan/rapor/16.71/"),
        ("rapat", f"{base}/rapat/{meeting}/"),
        ("tindak-lanjut", f"{base}/rapat/tindak-lanjut/"),
        ("unggah", f"{base}/daftar-pekerja/unggah/"),
        ("daftar-pekerja", f"{base}/daftar-pekerja/"),
        ("notifikasi", f"{base}/notifikasi/"),
    ]


def test_every_page_fits_a_phone(live_server: Any, phone: Any, data: dict[str, Any]) -> None:
    login(phone, live_server.url, "national")
    for name, url in pages(live_server.url, data["meeting"]):
        phone.goto(url)
        phone.wait_for_load_state("networkidle")
        shot(phone, f"phone-{name}")
        assert page_overflow(phone) <= 0, (name, page_overflow(phone), too_wide(phone))


def test_the_same_pages_on_a_laptop(live_server: Any, laptop: Any, data: dict[str, Any]) -> None:
    login(laptop, live_server.url, "national")
    for name, url in pages(live_server.url, data["meeting"]):
        laptop.goto(url)
        laptop.wait_for_load_state("networkidle")
        shot(laptop, f"laptop-{name}")
        assert page_overflow(laptop) <= 0, (name, page_overflow(laptop), too_wide(laptop))


def test_phone_menu_cards_tables_and_map(
    live_server: Any, phone: Any, data: dict[str, Any]
) -> None:
    login(phone, live_server.url, "sumbagsel")
    phone.goto(f"{live_server.url}/dasbor/kanwil/SUMBAGSEL/")

    # the menu folds behind one button
    assert not phone.is_visible(".mainnav a[href='/rapat/']")
    phone.click("#menu-toggle")
    assert phone.is_visible(".mainnav a[href='/rapat/']")
    phone.screenshot(path=str(shot(phone, "phone-menu-open")))  # the screen, not the page
    phone.click("#menu-toggle")

    # headline cards stack: one per row, each as wide as the screen allows
    boxes = [phone.locator(".headline .kpi").nth(i).bounding_box() for i in range(2)]
    assert boxes[1]["y"] >= boxes[0]["y"] + boxes[0]["height"] - 1
    assert boxes[0]["width"] > 300

    # the ranking table scrolls inside its box, its first column stays put
    table = phone.locator("#tabel-peringkat")
    box = table if table.evaluate("e => e.scrollWidth > e.clientWidth") else table.locator("..")
    assert box.evaluate("e => e.scrollWidth > e.clientWidth")
    first = phone.locator("#tabel-peringkat tbody tr:first-child td:first-child")
    before = first.bounding_box()["x"]
    box.evaluate("e => { e.scrollLeft = 400; }")
    phone.wait_for_timeout(100)
    assert abs(first.bounding_box()["x"] - before) < 1
    assert first.evaluate("e => getComputedStyle(e).position") == "sticky"

    # the map stays legible: its tiles keep readable labels and scroll inside their box
    box = phone.locator("#peta .map").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    svg = phone.locator("#peta svg").first.bounding_box()
    label = phone.locator("#peta text").first
    size = float(re.sub("px", "", label.evaluate("e => getComputedStyle(e).fontSize")))
    scale = svg["width"] / float(
        phone.locator("#peta svg").first.evaluate("e => e.viewBox.baseVal.width")
    )
    assert size * scale >= 9, (size, scale)
    shot(phone, "phone-menu-kanwil")


def test_shared_scorecard_on_a_phone(live_server: Any, phone: Any, data: dict[str, Any]) -> None:
    from monev.accounts.models import User
    from monev.reports.sharing import scorecard_link_create

    _link, secret = scorecard_link_create(
        pemda_code="16.71", period="2024-06", by=User.objects.get(username="palembang")
    )

    phone.goto(f"{live_server.url}/rapor/{secret}/")

    assert "Kota Palembang" in phone.inner_text("h1")
    assert page_overflow(phone) <= 0
    assert phone.locator(".mainnav").count() == 0
    shot(phone, "phone-rapor-bersama")
