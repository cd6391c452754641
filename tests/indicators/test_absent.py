"""Absent is not zero (issue 18): no data is shown as no data, never scored, averaged, ranked
or found below target; timeliness follows its written definition (docs/indicators.md)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest

from monev.indicators import selectors
from tests.indicators.factories import regulation, roster, stat

pytestmark = pytest.mark.django_db
P = "2024-06"


def on(day: str) -> dt.datetime:
    return dt.datetime.fromisoformat(day).replace(hour=9, tzinfo=dt.UTC)


def reporting(code: str, protected: int, committed: str = "2024-05-05", listed: str = "2024-04"):
    stat(code, P, "NON_ASN", 100, protected)
    roster(code, listed, on(committed))


def test_a_pemda_without_data_has_no_value_no_score_and_no_rank() -> None:
    reporting("16.04", 90)
    reporting("16.71", 40)
    t = selectors.table(P)
    empty = t.rows["16.01"]
    assert empty.score is None and empty.ranks == {}
    assert all(empty.value(s.code) is None for s in t.specs)
    assert t.scheme.status(empty.score) == "none"
    assert t.rows["16.04"].ranks["nasional"] == (1, 2)
    assert t.rows["16.71"].ranks["provinsi"] == (2, 2)


def test_averages_and_regions_leave_absent_pemda_out() -> None:
    reporting("16.04", 90)
    reporting("16.71", 40)
    t = selectors.table(P)
    scores = [t.rows[c].score for c in ("16.04", "16.71")]
    assert t.mean_score(t.rows) == pytest.approx(sum(scores) / 2)
    sumsel = t.aggregate([c for c, r in t.rows.items() if r.meta.province_code == "16"])
    assert sumsel["regulasi"] is not None and sumsel["regulasi"].den == 2


def test_a_regulation_alone_is_a_value_for_that_indicator_only() -> None:
    regulation("16.01", dt.date(2023, 1, 1))
    row = selectors.table(P).rows["16.01"]
    assert row.value("regulasi") == 100
    assert row.score is None  # coverage, budget and timeliness have no data


@pytest.mark.parametrize(
    ("listed", "committed", "expected"),
    [
        ("2024-04", "2024-05-10", 100),  # April list by 10 May, still in force in June
        ("2024-06", "2024-07-10", 100),
        ("2024-04", "2024-05-11", 0),  # late for its own period
        ("2023-11", "2023-12-01", 0),  # on time then, but 7 months old in June
    ],
)
def test_timeliness_reads_the_list_in_force(listed: str, committed: str, expected: int) -> None:
    reporting("16.71", 40, committed=committed, listed=listed)
    assert selectors.table(P).rows["16.71"].value("ketepatan-waktu") == expected


def test_findings_are_true_of_the_data_they_cite() -> None:
    reporting("16.71", 40, committed="2024-05-05", listed="2024-04")
    reporting("16.04", 40, committed="2024-06-20", listed="2024-04")
    found = {
        f.pemda_code: f.text
        for f in selectors.findings(
            user=_system(), place=_place("nasional"), t=selectors.table(P), before=None
        )
        if f.rule == "belum-lapor"
    }
    assert "16.71" not in found  # its April list is the one in force for June
    assert found["16.04"] == (
        "Kab. Lahat terlambat mengunggah daftar pekerja periode April 2024 "
        "(20-06-2024; batas 10-05-2024); daftar itu yang berlaku untuk Juni 2024"
    )
    assert found["16.01"].endswith("belum pernah mengunggah daftar pekerja")


def test_national_page_says_no_data_and_ranks_among_those_with_data(client_for: Any) -> None:
    reporting("16.04", 90)
    reporting("16.71", 40)
    html = client_for("national").get(f"/dasbor/?periode={P}").content.decode()
    assert "belum ada data" in html.lower()
    assert "Diperingkat: 2 Pemda yang punya data" in html
    assert "rata-rata 2 Pemda yang punya data" in html
    pemda = client_for("palembang").get(f"/dasbor/pemda/16.71/?periode={P}").content.decode()
    assert "2 dari 2 Pemda yang punya data" in " ".join(re.sub("<[^>]+>", " ", pemda).split())


def _system() -> Any:
    from monev.core.scope import SYSTEM

    return SYSTEM


def _place(level: str, code: str = "") -> Any:
    return selectors.place_get(user=_system(), level=level, code=code)
