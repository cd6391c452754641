"""Reference data: the counts the issue fixes, idempotent loading, the Papua split."""

from __future__ import annotations

import pytest

from monev.regions.models import Kanwil, Pemda, Region
from monev.regions.services import reference_load, region_counts

pytestmark = pytest.mark.django_db


def test_counts_match_kemendagri() -> None:
    counts = region_counts()
    assert counts["province"] == 38
    assert counts["regency"] == 514
    assert (counts["kabupaten"], counts["kota"]) == (416, 98)
    assert counts["district"] == 7277
    assert counts["pemda"] == 552
    assert counts["kanwil"] == Kanwil.objects.count() == 11


def test_sumbagsel_has_65_pemda_in_five_provinces() -> None:
    pemda = Pemda.objects.in_kanwil("SUMBAGSEL")
    assert pemda.count() == 65
    assert sorted(pemda.filter(level="province").values_list("code", flat=True)) == [
        "15",
        "16",
        "17",
        "18",
        "19",
    ]


def test_every_province_belongs_to_exactly_one_kanwil() -> None:
    provinces = Pemda.objects.filter(level="province")
    assert provinces.filter(kanwil__isnull=True).count() == 0
    assert provinces.count() == 38


def test_reload_is_a_no_op() -> None:
    before = Region.objects.count()
    result = reference_load()
    assert result.unchanged
    assert Region.objects.count() == before


def test_retired_papua_codes_point_to_their_successor() -> None:
    merauke_old = Region.objects.get(code="91.01", valid_to__isnull=False)
    assert merauke_old.successor is not None
    assert merauke_old.successor.code == "93.01"
    assert Region.objects.current().get(code="93.01").name == "Kab. Merauke"
    # a kecamatan of the old code stays readable for NIKs issued before the split
    assert Region.objects.filter(code__startswith="91.01.", valid_to__isnull=False).exists()
