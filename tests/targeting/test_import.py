"""Import of the social-economic list: row errors by number and reason, all or nothing,
versions per as-of month, no clear NIK in the database or the Parquet files, the CLI."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from django.core.management import call_command
from django.db import connection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from monev.core import pii, storage
from monev.core.models import AuditEvent
from monev.core.scope import SYSTEM
from monev.targeting import engine
from monev.targeting.messages import MESSAGES, message_for
from monev.targeting.models import SocialRegister
from monev.targeting.services import reference, register_import, target_run
from tests.coverage.factories import import_registry
from tests.targeting.factories import dtsen_csv, import_register, nik, person

pytestmark = pytest.mark.django_db


def _import(tmp_path: Path, rows: list[dict[str, Any]], **kw: Any) -> Any:
    return register_import(
        as_of="2025-03", path=dtsen_csv(tmp_path / "d.csv", rows), by=SYSTEM, **kw
    )


BAD_ROWS = [
    person(1, "ok"),
    {**person(2, "nik pendek"), "nik": "160401170885"},
    {**person(3, "kode wilayah"), "kode_wilayah": "99.99"},
    {**person(4, "desil"), "desil": "11"},
    {**person(5, "bekerja"), "status_bekerja": "mungkin"},
    {**person(6, "kk"), "no_kk": "12345"},
    {**person(7, "lahir"), "tanggal_lahir": "31-02-1990"},
    {**person(8, "umur"), "umur": "200"},
    {**person(9, ""), "nama": ""},
    {**person(1, "ganda")},
    {**person(10, "excel"), "nik": "1.60401E+15"},
    {**person(11, "tanpa wilayah"), "kode_wilayah": ""},
    {**person(12, "kecamatan"), "kode_wilayah": "16.04.99"},
]
EXPECTED = [
    (3, "nik", "nik_length"),
    (4, "kode_wilayah", "region_unknown"),
    (5, "desil", "desil_invalid"),
    (6, "status_bekerja", "work_status_unknown"),
    (7, "no_kk", "kk_invalid"),
    (8, "tanggal_lahir", "birth_date_invalid"),
    (9, "umur", "age_invalid"),
    (10, "nama", "name_missing"),
    (11, "nik", "nik_duplicate"),
    (12, "nik", "nik_excel_number"),
    (13, "kode_wilayah", "region_missing"),
    (14, "kode_wilayah", "region_unknown"),
]


def test_row_errors_by_number_and_reason(tmp_path: Path) -> None:
    result = _import(tmp_path, BAD_ROWS)
    assert not result.committed
    got = [(e["row"], e["column"], e["code"]) for e in result.error_rows()]
    assert got == EXPECTED
    assert result.rows_total == 13 and result.rows_rejected == 12
    assert SocialRegister.objects.count() == 0  # all or nothing
    assert not list((tmp_path / "data").rglob("*.parquet"))
    rows = result.error_rows()
    assert rows[0]["message"].startswith("NIK harus 16 digit")
    assert "baris lain" in rows[8]["message"] and rows[8]["detail"] == "2"
    report = result.report_path.read_text()
    assert "nik_length" in report and nik(1) not in report
    event = AuditEvent.objects.get(action="targeting.register_reject")
    assert event.changes["rows_rejected"] == 12


def test_accept_valid_commits_the_good_rows(tmp_path: Path) -> None:
    result = _import(tmp_path, BAD_ROWS, accept_valid=True)
    assert result.committed and result.rows_accepted == 1
    assert result.register.by_pemda == {"16.04": 1}


def test_every_code_has_a_message_in_both_languages() -> None:
    codes = {c for c in MESSAGES}
    for code in [*(x[2] for x in EXPECTED), "file_type", "file_empty", "column_missing"]:
        assert code in codes
        assert message_for(code, language="id") != code


def test_file_level_errors(tmp_path: Path) -> None:
    bad = tmp_path / "d.pdf"
    bad.write_text("x")
    result = register_import(as_of="2025-03", path=bad, by=SYSTEM)
    assert not result.committed and "Jenis berkas" in result.file_error
    missing = tmp_path / "m.csv"
    missing.write_text("nik,nama\n1604011708850001,A\n")
    result = register_import(as_of="2025-03", path=missing, by=SYSTEM)
    assert "Kolom wajib" in result.file_error
    empty = tmp_path / "e.csv"
    empty.write_text("")
    assert "tidak berisi" in register_import(as_of="2025-03", path=empty, by=SYSTEM).file_error


def test_versions_per_as_of(tmp_path: Path) -> None:
    first = import_register(tmp_path, "2025-03", [person(1, "a")])
    second = import_register(tmp_path, "2025-03", [person(1, "a"), person(2, "b")])
    other = import_register(tmp_path, "2025-06", [person(1, "a")], source="P3KE")
    first.refresh_from_db()
    assert not first.is_current and second.is_current and other.is_current
    assert other.source == "P3KE" and second.rows_accepted == 2


def test_aliases_separators_and_formats(tmp_path: Path) -> None:
    text = (
        "NIK;Nomor KK;Nama Lengkap;Kode Desa;Desil;Status Pekerjaan;Tgl Lahir\n"
        f"'{nik(1)};{nik(2)};Ani;1604012001;Desil 3;Ya;17/08/1985\n"
    )
    path = tmp_path / "d.csv"
    path.write_text(text)
    result = register_import(as_of="2025-03", path=path, by=SYSTEM)
    assert result.committed, result.error_rows()
    stored = storage.read_parquet(result.register.parquet_path)
    assert stored["desa_code"].to_list() == ["16.04.01.2001"]
    assert stored["desil"].to_list() == [3] and stored["working"].to_list() == [True]
    assert stored["kk_hash"].to_list() == [pii.nik_hash(nik(2))]
    parquet = tmp_path / "d.parquet"
    pl.DataFrame({k: [str(v)] for k, v in person(3, "Budi").items()}).write_parquet(parquet)
    assert register_import(as_of="2025-04", path=parquet, by=SYSTEM).committed


def test_children_and_elderly_are_kept_not_rejected(tmp_path: Path) -> None:
    child = person(1, "anak", kecamatan="160401")
    child["nik"] = "1604011708150001"  # born 2015: outside working age, still a resident
    result = _import(tmp_path, [child, person(2, "tua", tanggal_lahir="1940-01-01")])
    assert result.committed, result.error_rows()


def test_no_clear_nik_in_database_or_parquet(tmp_path: Path, rates: None) -> None:
    people = [person(i, f"orang {i}", no_kk=nik(500 + i)) for i in range(1, 6)]
    register = import_register(tmp_path, "2025-01", people)
    import_registry(tmp_path, "2025-03", [{"nik": nik(1), "segmen": "BPU"}])
    target_run(period="2025-03", by=SYSTEM)
    clear = [p["nik"] for p in people] + [p["no_kk"] for p in people]
    for path in (tmp_path / "data").rglob("*.parquet"):
        frame = pl.read_parquet(path)
        for column in frame.columns:
            values = frame[column].cast(pl.String).drop_nulls()
            assert not values.is_in(clear).any(), (path.name, column)
            assert not values.str.contains("|".join(clear)).any(), (path.name, column)
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        for table in tables:
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 (test scan)
            blob = repr(cursor.fetchall())
            assert not any(n in blob for n in clear), table
    stored = storage.read_parquet(register.parquet_path)
    assert pii.nik_decrypt(stored["nik_cipher"][0]) in clear


def test_cli_import_exit_codes(tmp_path: Path) -> None:
    good = dtsen_csv(tmp_path / "g.csv", [person(1, "a")])
    out = io.StringIO()
    call_command("import", "dtsen", str(good), "--as-of", "2025-03", "--format", "json", stdout=out)
    data = json.loads(out.getvalue())
    assert data["committed"] and data["accepted"] == 1 and data["by_desil"] == {"2": 1}
    bad = dtsen_csv(tmp_path / "b.csv", BAD_ROWS)
    with pytest.raises(SystemExit) as exit_info:
        call_command("import", "dtsen", str(bad), "--as-of", "2025-03", stdout=io.StringIO())
    assert exit_info.value.code == 3
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("import", "dtsen", str(good), "--as-of", "2025-13")
    with pytest.raises(CommandError):
        call_command("import", "dtsen", str(tmp_path / "none.csv"), "--as-of", "2025-03")


def test_cli_target(tmp_path: Path, rates: None) -> None:
    import_register(tmp_path, "2025-01", [person(1, "a"), person(2, "b")])
    import_registry(tmp_path, "2025-03", [{"nik": nik(1), "segmen": "BPU"}])
    out = io.StringIO()
    call_command(
        "target", "--pemda", "16.04", "--period", "2025-03", "--format", "json", stdout=out
    )
    data = json.loads(out.getvalue())
    assert data["targets"] == 1 and data["yearly_cost"] == 16_800 * 12
    assert [p["name"] for p in data["people"]] == ["b"]
    assert nik(2) not in out.getvalue()
    out = io.StringIO()
    call_command("target", "--pemda", "1604", "--period", "2025-03", "--format", "csv", stdout=out)
    assert out.getvalue().splitlines()[0].startswith("pemda_code,row,nik_masked")
    assert len(out.getvalue().splitlines()) == 2
    out = io.StringIO()
    call_command("target", "--pemda", "16.04", "--period", "2025-03", stdout=out)
    assert "1 sasaran dari 2" in out.getvalue() and "1604********0002" in out.getvalue()
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("target", "--pemda", "99.99", "--period", "2025-03")
    with pytest.raises(CommandError):
        call_command("target", "--pemda", "16.04", "--period", "2025-03", "--max-desil", "0")
    with pytest.raises(SystemExit) as exit_info:
        call_command("target", "--pemda", "16.04", "--period", "2024-01", stderr=io.StringIO())
    assert exit_info.value.code == 3


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(
        st.fixed_dictionaries(
            {
                "desil": st.one_of(
                    st.text(alphabet="0123456789 -a.", max_size=4), st.integers(-3, 14).map(str)
                ),
                "status_bekerja": st.sampled_from(["bekerja", "Tidak Bekerja", "ya", "?", ""]),
                "umur": st.one_of(st.just(""), st.integers(-5, 150).map(str)),
                "kode_wilayah": st.sampled_from(
                    ["16.04", "1604", "16.04.01", "160401", "1604012001", "16.04.01.2001", "x", ""]
                ),
            }
        ),
        min_size=1,
        max_size=6,
    )
)
def test_validation_never_crashes_and_flags_each_bad_field(rows: list[dict[str, str]]) -> None:
    frame = pl.DataFrame(
        [
            {
                "row": i + 2,
                "nik": nik(i + 1),
                "no_kk": None,
                "nama": "x",
                "pekerjaan": None,
                "tanggal_lahir": None,
                **{k: (v or None) for k, v in r.items()},
            }
            for i, r in enumerate(rows)
        ],
        schema={"row": pl.Int64, **{c: pl.String for c in engine.COLUMNS}},
    )
    checked = engine.validate(frame, as_of=dt.date(2025, 3, 31), reference=_ref())
    bad = set(checked.errors["row"].to_list())
    for i, r in enumerate(rows):
        desil_ok = r["desil"].strip().isdigit() and 1 <= int(r["desil"]) <= 10
        work_ok = r["status_bekerja"] in ("bekerja", "Tidak Bekerja", "ya")
        age_ok = r["umur"] == "" or 0 <= int(r["umur"]) <= 120
        region_ok = r["kode_wilayah"] not in ("x", "")
        assert ((i + 2) not in bad) == (desil_ok and work_ok and age_ok and region_ok), r


_REF: list[engine.Reference] = []


def _ref() -> engine.Reference:
    if not _REF:
        _REF.append(reference())
    return _REF[0]


def test_chunked_intake_matches_one_pass(tmp_path: Path) -> None:
    """Chunks of 2 rows: duplicates across chunks found, parts in Pemda order, strict mode
    writes nothing once a row is bad."""
    rows = [
        person(1, "a", region="16.71.01.1001"),
        person(2, "b"),
        person(3, "c", region="16.71.01.1002"),
        person(1, "dup of row 2"),
        person(4, "d"),
    ]
    frame = engine.read_list(dtsen_csv(tmp_path / "d.csv", rows))
    as_of = dt.date(2025, 3, 31)
    whole = engine.validate(frame, as_of=as_of, reference=_ref())
    chunked = engine.intake_chunks(
        frame, as_of=as_of, reference=_ref(), workdir=tmp_path / "w", chunk_rows=2
    )
    assert chunked.errors.to_dicts() == whole.errors.to_dicts()
    assert [(e["row"], e["code"]) for e in chunked.errors.to_dicts()] == [(5, "nik_duplicate")]
    assert chunked.parts == []  # strict: nothing written
    relaxed = engine.intake_chunks(
        frame, as_of=as_of, reference=_ref(), workdir=tmp_path / "r", chunk_rows=2, strict=False
    )
    assert relaxed.accepted == 4 and len(relaxed.parts) == 3
    engine.merge_parts(relaxed.parts, tmp_path / "all.parquet")
    stored = pl.read_parquet(tmp_path / "all.parquet")
    assert stored["pemda_code"].to_list() == ["16.04", "16.04", "16.71", "16.71"]
    assert stored["name"].to_list() == ["b", "d", "a", "c"]
