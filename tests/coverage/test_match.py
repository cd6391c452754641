"""The match on a small hand-built case where every status and transition occurs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from monev.core import pii, storage
from monev.core.scope import SYSTEM
from monev.coverage.models import CoverageStat, MatchRun
from monev.coverage.services import match_run
from tests.coverage.factories import import_registry, nik, roster_version

pytestmark = pytest.mark.django_db

FULL = "JKK,JKM,JHT,JP"
# name -> (nik, category)
PEOPLE = {
    "A": (nik(1), "NON_ASN"),
    "B": (nik(2), "NON_ASN"),
    "C": (nik(3), "NON_ASN"),
    "D": (nik(4, born="450190"), "RENTAN"),
    "E": (nik(5), "RENTAN"),
    "F": (nik(6), "RENTAN"),
    "G": (nik(7), "RENTAN"),
    "H": (nik(8), "NON_ASN"),
    "J": (nik(9), "NON_ASN"),
    "I": (nik(11, kecamatan="160401"), "RENTAN"),
}
MAY = [
    {"nik": PEOPLE["A"][0], "program": FULL, "iuran_terakhir": "2024-05", "upah": 3000000},
    {"nik": PEOPLE["B"][0], "program": "JKK,JKM", "iuran_terakhir": "2024-05"},
    {"nik": PEOPLE["C"][0], "program": FULL, "iuran_terakhir": "2024-05"},
    {"nik": PEOPLE["E"][0], "segmen": "BPU", "program": "JKK,JKM", "iuran_terakhir": "2024-05"},
    {"nik": PEOPLE["H"][0], "program": FULL, "status": "NONAKTIF"},
    {"nik": PEOPLE["I"][0], "segmen": "BPU", "program": "JKK;JKM"},
]
JUNE = [
    {"nik": PEOPLE["A"][0], "program": FULL, "iuran_terakhir": "2024-06"},
    {"nik": PEOPLE["B"][0], "program": FULL, "iuran_terakhir": "2024-06"},
    {"nik": PEOPLE["C"][0], "program": FULL, "status": "NONAKTIF", "iuran_terakhir": "2024-03"},
    {"nik": PEOPLE["D"][0], "segmen": "BPU", "program": "JKK,JKM", "iuran_terakhir": "2024-06"},
    {"nik": PEOPLE["E"][0], "segmen": "BPU", "program": "JKK,JKM", "iuran_terakhir": "2024-04"},
    {"nik": PEOPLE["G"][0], "segmen": "BPU", "program": "JKK", "iuran_terakhir": "2024-06"},
    {"nik": PEOPLE["H"][0], "program": FULL},
    {"nik": PEOPLE["J"][0], "segmen": "PU", "program": FULL, "status": "NONAKTIF", "npp": "N1"},
    {"nik": PEOPLE["J"][0], "segmen": "BPU", "program": "JKK,JKM,JHT"},
    {"nik": PEOPLE["I"][0], "segmen": "BPU", "program": "JKK JKM"},
    {"nik": nik(12), "segmen": "JAKON", "program": "JKK,JKM"},  # not on any roster
]
# worker -> (status, programs held while active, since, change) in 2024-06
EXPECTED = {
    "A": ("PROTECTED", 15, "2024-05", None),
    "B": ("PROTECTED", 15, "2024-06", "NEWLY_PROTECTED"),
    "C": ("LAPSED", 0, "2024-06", "NEWLY_LAPSED"),
    "D": ("PROTECTED", 3, "2024-06", "NEWLY_PROTECTED"),
    "E": ("LAPSED", 0, "2024-06", "NEWLY_LAPSED"),
    "F": ("NOT_FOUND", 0, "2024-05", None),
    "G": ("PARTIAL", 1, "2024-06", None),
    "H": ("PROTECTED", 15, "2024-06", "NEWLY_PROTECTED"),
    "J": ("PARTIAL", 7, "2024-06", None),
    "I": ("PROTECTED", 3, "2024-05", None),
}
# (pemda, category) -> headcount, protected, partial, lapsed, not_found, basic, newly_p, newly_l
EXPECTED_STATS = {
    ("16.04", "RENTAN"): (1, 1, 0, 0, 0, 1, 0, 0),
    ("16.71", "NON_ASN"): (5, 3, 1, 1, 0, 4, 2, 1),
    ("16.71", "RENTAN"): (4, 1, 1, 1, 1, 1, 1, 1),
}
STAT_FIELDS = (
    "headcount",
    "protected",
    "partial",
    "lapsed",
    "not_found",
    "basic_protected",
    "newly_protected",
    "newly_lapsed",
)


def _roster(names: str) -> list[tuple[str, str, str]]:
    return [(PEOPLE[n][0], f"Pekerja {n}", PEOPLE[n][1]) for n in names]


def build(tmp_path: Path) -> dict[str, MatchRun]:
    roster_version("16.71", "2024-05", _roster("ABCDEFHJ"))
    roster_version("16.04", "2024-05", _roster("I"))
    import_registry(tmp_path, "2024-05", MAY)
    may = match_run(period="2024-05", by=SYSTEM)
    roster_version("16.71", "2024-06", _roster("ABCDEFGHJ"))
    import_registry(tmp_path, "2024-06", JUNE)
    june = match_run(period="2024-06", by=SYSTEM)
    return {"may": may, "june": june}


def _by_name(run: MatchRun) -> dict[str, dict[str, Any]]:
    names = {int(pii.nik_hash(n)[:31], 16): name for name, (n, _c) in PEOPLE.items()}
    frame = storage.read_parquet(run.results_path)
    return {names[row["nik_key"]]: row for row in frame.iter_rows(named=True)}


def test_every_status_and_transition(tmp_path: Path) -> None:
    runs = build(tmp_path)
    rows = _by_name(runs["june"])
    got = {
        name: (row["status"], row["programs"], row["since"], row["change"])
        for name, row in rows.items()
    }
    assert got == EXPECTED


def test_aggregates_exact_table(tmp_path: Path) -> None:
    runs = build(tmp_path)
    stats = CoverageStat.objects.filter(run=runs["june"])
    got = {(s.pemda_code, s.category): tuple(getattr(s, f) for f in STAT_FIELDS) for s in stats}
    assert got == EXPECTED_STATS
    non_asn = stats.get(pemda_code="16.71", category="NON_ASN")
    assert non_asn.coverage == pytest.approx(3 / 5)
    assert non_asn.coverage_prev == pytest.approx(2 / 5)
    assert non_asn.change == pytest.approx(0.2)
    assert non_asn.kanwil_code == "SUMBAGSEL"


def test_coverage_against_an_independent_count(tmp_path: Path) -> None:
    """Recount from the raw rows with plain Python, not with the engine."""
    runs = build(tmp_path)
    need = {"NON_ASN": {"JKK", "JKM", "JHT", "JP"}, "RENTAN": {"JKK", "JKM"}}
    held: dict[str, set[str]] = {}
    for row in JUNE:
        paid = row.get("iuran_terakhir", "")
        if row.get("status", "AKTIF") == "AKTIF" and (not paid or paid >= "2024-06"):
            programs = row["program"].replace(";", ",").replace(" ", ",").split(",")
            held.setdefault(row["nik"], set()).update(programs)
    counts: dict[tuple[str, str], list[int]] = {}
    for name in "ABCDEFGHJI":
        number, category = PEOPLE[name]
        pemda = "16.04" if name == "I" else "16.71"
        entry = counts.setdefault((pemda, category), [0, 0])
        entry[0] += 1
        entry[1] += need[category] <= held.get(number, set())
    for stat in CoverageStat.objects.filter(run=runs["june"]):
        headcount, protected = counts[(stat.pemda_code, stat.category)]
        assert (stat.headcount, stat.protected) == (headcount, protected)
        assert stat.coverage == pytest.approx(protected / headcount)


def test_rerun_is_idempotent_and_replaces_results(tmp_path: Path) -> None:
    runs = build(tmp_path)
    before = sorted(CoverageStat.objects.filter(run=runs["june"]).values_list(*STAT_FIELDS))
    again = match_run(period="2024-06", by=SYSTEM)
    after = sorted(CoverageStat.objects.filter(run=again).values_list(*STAT_FIELDS))
    assert before == after
    assert MatchRun.objects.filter(period="2024-06", is_current=True).get() == again
    assert CoverageStat.objects.filter(period="2024-06").count() == len(EXPECTED_STATS)
    assert not runs["june"].has_results
    assert _by_name(again)["A"]["since"] == "2024-05"


def test_crash_leaves_last_good_results(tmp_path: Path, monkeypatch: Any) -> None:
    runs = build(tmp_path)
    from monev.coverage import engine

    def boom(**kwargs: Any) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(engine, "run_match", boom)
    with pytest.raises(RuntimeError):
        match_run(period="2024-06", by=SYSTEM)
    current = MatchRun.objects.get(period="2024-06", is_current=True)
    assert current == runs["june"]
    assert CoverageStat.objects.filter(run=current).count() == len(EXPECTED_STATS)
    assert MatchRun.objects.filter(period="2024-06", state="failed").count() == 1


def test_new_extract_marks_results_stale(tmp_path: Path) -> None:
    runs = build(tmp_path)
    assert not CoverageStat.objects.filter(run=runs["june"], is_stale=True).exists()
    import_registry(tmp_path, "2024-06", JUNE[:3])
    assert CoverageStat.objects.filter(run=runs["june"], is_stale=False).count() == 0
    MatchRun.objects.get(pk=runs["june"].pk).is_stale  # noqa: B018
    fresh = match_run(period="2024-06", by=SYSTEM)
    assert not fresh.is_stale
    assert not CoverageStat.objects.filter(run=fresh, is_stale=True).exists()


def test_person_on_two_rosters_keeps_both_histories(tmp_path: Path) -> None:
    """The same NIK on two Pemda's rosters: no row multiplies, each keeps its own since."""
    k = nik(21)
    roster_version("16.71", "2024-05", [(k, "K Palembang", "NON_ASN")])
    roster_version("16.04", "2024-05", [(k, "K Lahat", "RENTAN")])
    for period in ("2024-05", "2024-06"):
        import_registry(tmp_path, period, [{"nik": k, "segmen": "BPU", "program": "JKK,JKM"}])
        run = match_run(period=period, by=SYSTEM)
    frame = storage.read_parquet(run.results_path).sort("pemda_code")
    assert frame.height == 2
    assert frame["status"].to_list() == ["PROTECTED", "PARTIAL"]
    assert frame["since"].to_list() == ["2024-05", "2024-05"]
    assert frame["change"].to_list() == [None, None]


def test_no_nik_in_clear_in_any_data_file(tmp_path: Path, settings: Any) -> None:
    build(tmp_path)
    files = [p for p in Path(settings.DATA_DIR).rglob("*") if p.is_file()]
    assert any(p.name.startswith("hasil-") for p in files)
    assert any(p.suffix == ".nik" and "rosters" in p.parts for p in files)  # sealed NIKs
    assert any(p.suffix == ".parquet" and "rosters" in p.parts for p in files)  # roster rows
    for path in files:
        blob = path.read_bytes()
        for number, _category in PEOPLE.values():
            assert number.encode() not in blob, path
