"""Workforce coverage page and upload: scope, bad input."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from monev.workforce.models import WorkforceFigure

from .test_coverage import WORKFORCE, loaded  # noqa: F401


def test_page_rows_by_scope(loaded: None, client_for: Any) -> None:  # noqa: F811
    url = "/angkatan-kerja/?periode=2022-08&tingkat=province&kanwil=SUMBAGSEL&definisi=bps"
    page = client_for("sumbagsel").get(url).content.decode()
    assert "35,0%" in page and "23,6%" in page and "Sakernas" in page
    assert "35,0%" not in client_for("palembang").get(url).content.decode()


def test_page_opens_on_the_latest_period_with_data(loaded: None, client_for: Any) -> None:  # noqa: F811
    """Issue 18: the page was blank until a period was typed."""
    page = client_for("sumbagsel").get("/angkatan-kerja/").content.decode()
    assert "Agustus 2022" in page and "23,6%" in page


def test_reported_figures_stand_apart_with_their_source(db: Any, client_for: Any) -> None:
    """The Palembang shares are kept as reported, base not published, low confidence."""
    page = client_for("sumbagsel").get("/angkatan-kerja/").content.decode()
    reported = page[page.index('id="dilaporkan"') :]
    assert "35,0%" in reported and "tidak dipublikasikan" in reported and "rendah" in reported
    assert "15–16 September 2022" in reported
    assert "domain.md" not in page and "[S" not in page


def test_page_bad_input(db: Any, client_for: Any) -> None:
    client = client_for("national")
    for query in ("periode=2022-8", "periode=2022-08&definisi=x", "periode=2022-08&tingkat=desa",
                  "periode=2022-08&kanwil=ATLANTIS"):  # fmt: skip
        assert client.get(f"/angkatan-kerja/?{query}").status_code == 400


def test_upload(db: Any, client_for: Any) -> None:
    upload = lambda user, body: client_for(user).post(  # noqa: E731
        "/angkatan-kerja/impor/", {"kind": "workforce", "file": SimpleUploadedFile("b.csv", body)}
    )
    assert upload("palembang", WORKFORCE.encode()).status_code == 400
    assert upload("national", WORKFORCE.encode() + b"99,2022-08,1,x\n").status_code == 400
    assert WorkforceFigure.objects.count() == 0
    assert upload("national", WORKFORCE.encode()).status_code == 302
    assert WorkforceFigure.objects.count() == 5
