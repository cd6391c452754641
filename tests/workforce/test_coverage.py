"""Workforce coverage reproduces a hand-computed province table (Sumbagsel, Aug 2022)."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from monev.budgets.services import InputRejected
from monev.core.scope import SYSTEM
from monev.workforce.models import ParticipantCount, WorkforceFigure
from monev.workforce.selectors import workforce_coverage
from monev.workforce.services import participants_import, workforce_import

WORKFORCE = """kode_wilayah,periode,penduduk_bekerja,sumber
16,2022-08,4290000,BPS Sumsel BRS 7 Nov 2022
17,2022-08,1050000,BPS Bengkulu (uji)
18,2022-08,4400000,BPS Lampung (uji)
19,2022-08,700000,BPS Babel (uji)
15,2022-08,1795000,BPS Jambi (uji)
"""
# Jambi participants only by kab/kota: the province figure is their sum (all 11 needed).
JAMBI = [
    "15.01",
    "15.02",
    "15.03",
    "15.04",
    "15.05",
    "15.06",
    "15.07",
    "15.08",
    "15.09",
    "15.71",
    "15.72",
]
PARTICIPANTS = (
    "kode_wilayah,periode,segmen,peserta_aktif,sumber\n"
    "16,2022-08,PU,1000000,BPJS TK Sumbagsel (uji)\n"
    "16,2022-08,BPU,300000,BPJS TK Sumbagsel (uji)\n"
    "16,2022-08,JAKON,201500,BPJS TK Sumbagsel (uji)\n"
    "16,2022-08,PMI,999,BPJS TK Sumbagsel (uji)\n"  # not in the bps definition's segments
    "17,2022-08,,247800,BPJS TK Bengkulu (uji)\n"
    "18,2022-08,,1056000,BPJS TK Lampung (uji)\n"
    + "".join(f"{code},2022-08,,32636,BPJS TK Jambi (uji)\n" for code in JAMBI[:-1])
    + "15.72,2022-08,,32640,BPJS TK Jambi (uji)\n"
)
# Hand-computed: 1,501,500 / 4,290,000 = 35.00 %; 247,800 / 1,050,000 = 23.60 %;
# 1,056,000 / 4,400,000 = 24.00 %; Jambi 10 × 32,636 + 32,640 = 359,000 / 1,795,000 = 20.00 %;
# Babel has no participants figure.
EXPECTED = {
    "15": (359_000, 1_795_000, "20.00", "kabkota_sum"),
    "16": (1_501_500, 4_290_000, "35.00", "region"),
    "17": (247_800, 1_050_000, "23.60", "region"),
    "18": (1_056_000, 4_400_000, "24.00", "region"),
    "19": (None, 700_000, None, "missing"),
}


@pytest.fixture
def loaded(db: Any) -> None:
    workforce_import(data=WORKFORCE.encode(), filename="bps.csv", by=SYSTEM)
    participants_import(data=PARTICIPANTS.encode(), filename="peserta.csv", by=SYSTEM)


def test_province_table(loaded: None) -> None:
    spec, rows = workforce_coverage(
        user=SYSTEM, period="2022-08", level="province", kanwil="SUMBAGSEL"
    )
    got = {
        r.region_code: (r.numerator, r.denominator, r.coverage_percent, r.numerator_basis)
        for r in rows
    }
    assert got == EXPECTED
    assert spec.code == "bps"
    assert rows[1].denominator_sources == ["BPS Sumsel BRS 7 Nov 2022"]


def test_cli_json_and_csv(loaded: None) -> None:
    from monev.console import workforce_coverage as cli

    out = io.StringIO()
    options = {
        "period": "2022-08",
        "level": "province",
        "kanwil": "sumbagsel",
        "definition": "bps",
        "format": "json",
    }
    assert cli.run(options, out) == 0
    body = json.loads(out.getvalue())
    assert body["definition"]["denominator"] == "penduduk_bekerja"
    assert [r["coverage_percent"] for r in body["rows"]] == [
        "20.00",
        "35.00",
        "23.60",
        "24.00",
        None,
    ]
    out = io.StringIO()
    assert cli.run({**options, "format": "csv"}, out) == 0
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("region_code,region_name,level,period,definition,numerator")
    assert lines[2].startswith("16,") and ",1501500,4290000,35.00,region,region," in lines[2]
    assert len(lines) == 6


@pytest.mark.parametrize(
    ("options", "code"),
    [({"period": "2022-13"}, 2), ({"definition": "nope"}, 2), ({"kanwil": "ATLANTIS"}, 2)],
)
def test_cli_bad_input(db: Any, options: dict[str, str], code: int) -> None:
    from monev.console import workforce_coverage as cli

    base = {
        "period": "2022-08",
        "level": "province",
        "kanwil": None,
        "definition": "bps",
        "format": "csv",
    }
    assert cli.run({**base, **options}, io.StringIO()) == code


def test_other_definition_needs_its_own_denominator(loaded: None) -> None:
    _spec, rows = workforce_coverage(
        user=SYSTEM, period="2022-08", level="province", definition="potensi"
    )
    assert all(r.coverage_percent is None for r in rows)


def test_scope_limits_rows(loaded: None, cast: Any) -> None:
    _spec, rows = workforce_coverage(user=cast["palembang"], period="2022-08", level="province")
    assert rows == []
    _spec, rows = workforce_coverage(user=cast["sumbagsel"], period="2022-08", level="province")
    assert {r.region_code for r in rows} == set(EXPECTED)


def test_bps_codes_go_through_the_crosswalk(db: Any) -> None:
    body = "kode_wilayah,sistem_kode,periode,penduduk_bekerja,sumber\n94,BPS,2023-08,1900000,BPS Papua\n"
    workforce_import(data=body.encode(), filename="bps.csv", by=SYSTEM)
    assert WorkforceFigure.objects.get().region_code == "91"  # BPS 94 Papua = Kemendagri 91


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        ("16.99,2022-08,100,x\n", "baris 2: kode wilayah '16.99' tidak ada"),
        ("16,2022-8,100,x\n", "periode"),
        ("16,2022-08,-1,x\n", "penduduk_bekerja '-1'"),
        ("16,2022-08,100,\n", "sumber wajib"),
        ("16,2022-08,100,x\n16,2022-08,200,y\n", "ganda"),
    ],
)
def test_bad_workforce_file_stores_nothing(db: Any, body: str, fragment: str) -> None:
    data = ("kode_wilayah,periode,penduduk_bekerja,sumber\n" + body).encode()
    with pytest.raises(InputRejected) as info:
        workforce_import(data=data, filename="a.csv", by=SYSTEM)
    assert any(fragment in e for e in info.value.errors), info.value.errors
    assert WorkforceFigure.objects.count() == 0


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        ("99,2022-08,,5,x\n", "tidak ada"),
        ("16,2022-08,ASN,5,x\n", "segmen 'ASN'"),
        ("16,2022-08,,lima,x\n", "peserta_aktif"),
    ],
)
def test_bad_participants_file_stores_nothing(db: Any, body: str, fragment: str) -> None:
    data = ("kode_wilayah,periode,segmen,peserta_aktif,sumber\n16,2022-08,,1,ok\n" + body).encode()
    with pytest.raises(InputRejected) as info:
        participants_import(data=data, filename="a.csv", by=SYSTEM)
    assert any(fragment in e for e in info.value.errors), info.value.errors
    assert ParticipantCount.objects.count() == 0


def test_operator_cannot_load_another_region(cast: Any) -> None:
    with pytest.raises(InputRejected, match="tidak berwenang"):
        workforce_import(data=WORKFORCE.encode(), filename="bps.csv", by=cast["lahat"])


def test_reimport_replaces(loaded: None) -> None:
    body = "kode_wilayah,periode,penduduk_bekerja,sumber\n16,2022-08,4300000,BPS revisi\n"
    workforce_import(data=body.encode(), filename="bps.csv", by=SYSTEM)
    assert WorkforceFigure.objects.get(region_code="16").value == 4_300_000
    assert WorkforceFigure.objects.count() == 5


def test_import_command(tmp_path: Path, db: Any) -> None:
    path = tmp_path / "bps.csv"
    path.write_text(WORKFORCE)
    out = io.StringIO()
    call_command("import", "workforce", str(path), "--format", "json", stdout=out)
    assert json.loads(out.getvalue())["rows"] == 5
    bad = tmp_path / "bad.csv"
    bad.write_text("kode_wilayah,periode,penduduk_bekerja,sumber\n99,2022-08,1,x\n")
    with pytest.raises(SystemExit) as info:
        call_command("import", "participants", str(bad), stdout=io.StringIO())
    assert info.value.code == 3


def test_monev_coverage_workforce_command(loaded: None, capsys: Any) -> None:
    from monev.console.management.commands.coverage import Command

    argv = [
        "monev",
        "coverage",
        "workforce",
        "--period",
        "2022-08",
        "--kanwil",
        "SUMBAGSEL",
        "--format",
        "json",
    ]
    with pytest.raises(SystemExit) as info:
        Command().run_from_argv(argv)
    assert info.value.code == 0
    assert "23.60" in capsys.readouterr().out


def test_participants_from_registry(db: Any, tmp_path: Path) -> None:
    from monev.workforce.services import participants_from_registry
    from tests.coverage.factories import import_registry, nik

    rows = [
        {"nik": nik(1, kecamatan="167101"), "segmen": "BPU", "kode_wilayah": "16.71.01"},
        {"nik": nik(2, kecamatan="167101"), "segmen": "PU", "kode_wilayah": "16.71"},
        {"nik": nik(3, kecamatan="160401"), "segmen": "PU", "kode_wilayah": "16.04.01"},
    ]
    import_registry(tmp_path, "2024-06", rows)
    result = participants_from_registry(period="2024-06", by=SYSTEM)
    got = {(p.region_code, p.segment): p.active for p in ParticipantCount.objects.all()}
    assert got[("16", "")] == 3 and got[("16", "PU")] == 2
    assert got[("16.71", "")] == 2 and got[("16.71", "BPU")] == 1 and got[("16.04", "PU")] == 1
    assert result.rows == len(got)
    with pytest.raises(InputRejected, match="Belum ada"):
        participants_from_registry(period="2020-01", by=SYSTEM)
