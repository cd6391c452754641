"""Roster import end to end through the service and the CLI: atomicity, versions, privacy."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection

from monev.core import storage as core_storage
from monev.core.models import AuditEvent
from monev.core.privacy import scan_files
from monev.core.scope import SYSTEM
from monev.rosters import services, store
from monev.rosters.models import RosterVersion, UploadMode, UploadState
from tests.rosters.conftest import nik, roster_csv
from tests.rosters.stored import stored_count, stored_rows

pytestmark = pytest.mark.django_db
DATA = Path(__file__).resolve().parent.parent / "data" / "rosters"


def run(pemda: Any, data: bytes, mode: str = UploadMode.STRICT, period: str = "2024-06") -> Any:
    return services.roster_import(
        pemda=pemda, period=period, data=data, filename="daftar.csv", mode=mode, by=SYSTEM
    )


def snapshot() -> tuple[Any, ...]:
    return (
        list(RosterVersion.objects.values_list("id", "is_current", "number")),
        stored_rows().select("version_id", "row_number", "nik_key", "wage").rows(),
        sorted(key for key, _size in core_storage.listing(store.PREFIX)),
    )


def test_strict_mode_leaves_the_database_unchanged(palembang: Any) -> None:
    first = run(palembang, roster_csv([(nik(1), "A", "RENTAN", ""), (nik(2), "B", "RT_RW", "")]))
    assert first.state == UploadState.COMMITTED
    before = snapshot()
    bad = roster_csv([(nik(3), "C", "RENTAN", ""), ("123", "D", "RENTAN", "")])
    upload = run(palembang, bad)
    assert upload.state == UploadState.REJECTED and upload.version is None
    assert snapshot() == before
    assert AuditEvent.objects.filter(action="roster.reject", object_id=str(upload.pk)).exists()


def test_a_failure_mid_commit_rolls_everything_back(palembang: Any, monkeypatch: Any) -> None:
    run(palembang, roster_csv([(nik(1), "A", "RENTAN", "")]))
    before = snapshot()

    def boom(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(services, "_diff", boom)
    with pytest.raises(RuntimeError):
        run(palembang, roster_csv([(nik(2), "B", "RENTAN", "")]))
    assert snapshot() == before


def test_accept_valid_commits_valid_rows_and_keeps_the_rest_for_the_workbook(
    palembang: Any,
) -> None:
    data = roster_csv([(nik(1), "A", "NON_ASN", "2000000"), (nik(2), "B", "NON_ASN", "")])
    upload = run(palembang, data, UploadMode.ACCEPT_VALID)
    assert upload.state == UploadState.COMMITTED
    assert (upload.version.rows_accepted, upload.version.rows_rejected) == (1, 1)
    book = openpyxl.load_workbook(
        io.BytesIO(services.roster_error_workbook(upload=upload, by=SYSTEM))
    )
    rows = list(book.active.iter_rows(values_only=True))
    assert rows[0] == (
        "baris",
        "nik",
        "nama",
        "kategori",
        "jabatan",
        "upah",
        "sumber_dana",
        "kode_desa",
        "kesalahan",
    )
    assert rows[1][1] == nik(1) and rows[1][-1] is None
    assert rows[2][1] == nik(2) and "Upah wajib diisi" in rows[2][-1]
    assert book.active["B2"].number_format == "@"  # NIK stays text when reopened in Excel


def test_new_version_replaces_the_old_which_stays_readable_with_a_diff(palembang: Any) -> None:
    v1 = run(
        palembang,
        roster_csv(
            [
                (nik(1), "A", "NON_ASN", "2000000"),
                (nik(2), "B", "NON_ASN", "2000000"),
                (nik(3), "C", "NON_ASN", "2000000"),
            ]
        ),
    ).version
    v2 = run(
        palembang,
        roster_csv(
            [
                (nik(1), "A", "NON_ASN", "2000000"),
                (nik(2), "B", "NON_ASN", "2500000"),
                (nik(4), "D", "NON_ASN", "2000000"),
                (nik(5), "E", "NON_ASN", "2000000"),
            ]
        ),
    ).version
    v1.refresh_from_db()
    assert (v1.number, v1.is_current, v2.number, v2.is_current) == (1, False, 2, True)
    assert v2.previous_id == v1.pk
    assert v2.diff == {"joined": 2, "left": 1, "wage_changed": 1}
    assert stored_count(v1) == 3  # the old version stays readable
    assert list(
        RosterVersion.objects.current().filter(pemda=palembang).values_list("pk", flat=True)
    ) == [v2.pk]


def test_versions_of_other_categories_stay_current(palembang: Any) -> None:
    rtrw = run(palembang, roster_csv([(nik(1), "A", "RT_RW", "")])).version
    non_asn = run(palembang, roster_csv([(nik(2), "B", "NON_ASN", "1000000")])).version
    rtrw.refresh_from_db()
    assert rtrw.is_current and non_asn.is_current


def test_same_nik_on_another_pemda_is_flagged_not_rejected(palembang: Any, lahat: Any) -> None:
    run(lahat, roster_csv([(nik(1), "A", "RENTAN", "")]))
    upload = run(palembang, roster_csv([(nik(1), "A", "RENTAN", ""), (nik(2), "B", "RENTAN", "")]))
    assert upload.state == UploadState.COMMITTED and upload.rows_valid == 2
    assert upload.rows_flagged == 1
    assert upload.error_counts == {"nik_other_pemda": 1}


def test_no_input_nik_in_clear_anywhere_in_the_database(palembang: Any, tmp_path: Any) -> None:
    niks = [nik(i) for i in range(1, 6)]
    rows = [(n, f"Nama {i}", "NON_ASN", "1500000") for i, n in enumerate(niks)]
    rows.append((nik(1), "Ganda", "NON_ASN", "1500000"))  # a duplicate: error path too
    run(palembang, roster_csv(rows), UploadMode.ACCEPT_VALID)
    run(palembang, roster_csv(rows))  # strict: rejected
    path = tmp_path / "daftar.csv"
    path.write_bytes(roster_csv(rows))
    with pytest.raises(SystemExit):
        call_command("import", "rosters", str(path), "--pemda", "16.71", "--period", "2024-07")
    dump = _dump_database()
    for value in niks:
        assert value not in dump
        assert value[:12] not in dump  # not even the birth-date prefix unmasked
    for kept in (settings.DATA_DIR, settings.MONEV_HOME / "private"):  # rows, sealed, uploads
        assert scan_files(kept, set(niks)) == []
    version = RosterVersion.objects.get()
    sealed = dict(store.version_niks(version).iter_rows())
    rows = stored_rows(version).sort("row_number")
    assert sorted(sealed.values()) == sorted(niks)  # the registration copy opens
    first = rows.row(0, named=True)
    assert sealed[first["row_number"]] == niks[0]
    assert first["nik_masked"] == niks[0][:4] + "********" + niks[0][-4:]


def _dump_database() -> str:
    parts: list[str] = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 - test scan of every table
            parts.extend(repr(row) for row in cursor.fetchall())
    return "\n".join(parts)


def test_cli_exit_codes_and_json(palembang: Any, tmp_path: Any, capsys: Any) -> None:
    good = tmp_path / "baik.csv"
    good.write_bytes(roster_csv([(nik(1), "A", "RENTAN", "")]))
    call_command(
        "import",
        "rosters",
        str(good),
        "--pemda",
        "16.71",
        "--period",
        "2024-06",
        "--format",
        "json",
    )
    result = json.loads(capsys.readouterr().out)
    assert (result["committed"], result["accepted"], result["rejected"]) == (True, 1, 0)

    bad = tmp_path / "buruk.csv"
    bad.write_bytes(roster_csv([(nik(2), "B", "RENTAN", ""), ("1.67101E+15", "C", "RENTAN", "")]))
    with pytest.raises(SystemExit) as exit_info:
        call_command(
            "import",
            "rosters",
            str(bad),
            "--pemda",
            "16.71",
            "--period",
            "2024-06",
            "--format",
            "json",
            "--lang",
            "en",
        )
    assert exit_info.value.code == 3
    result = json.loads(capsys.readouterr().out)
    assert result["committed"] is False and result["rejected"] == 2
    assert [e["code"] for e in result["errors"]] == ["nik_excel_number"]
    assert "Format the NIK column as Text" in result["errors"][0]["message"]
    assert Path(result["report"]).exists()


@pytest.mark.parametrize(
    "args",
    [
        ["--pemda", "16.71", "--period", "2024-13"],
        ["--pemda", "99.99", "--period", "2024-06"],
        ["--pemda", "x", "--period", "2024-06"],
    ],
)
def test_cli_usage_errors_exit_2(args: list[str], tmp_path: Any) -> None:
    from django.core.management.base import CommandError

    path = tmp_path / "a.csv"
    path.write_bytes(roster_csv([(nik(1), "A", "RENTAN", "")]))
    with pytest.raises(CommandError) as info:
        call_command("import", "rosters", str(path), *args)
    assert info.value.returncode == 2


def test_cli_missing_file_exits_2() -> None:
    from django.core.management.base import CommandError

    with pytest.raises(CommandError) as info:
        call_command("import", "rosters", "/nope.csv", "--pemda", "16.71", "--period", "2024-06")
    assert info.value.returncode == 2


def test_xlsx_template_has_text_columns() -> None:
    from monev.rosters.workbook import template_xlsx

    book = openpyxl.load_workbook(io.BytesIO(template_xlsx()))
    sheet = book["daftar_pekerja"]
    assert [c.value for c in sheet[1]] == [
        "nik",
        "nama",
        "kategori",
        "jabatan",
        "upah",
        "sumber_dana",
        "kode_desa",
    ]
    assert sheet["A2"].number_format == "@"


def test_template_round_trips_as_a_valid_upload(palembang: Any) -> None:
    from monev.rosters.workbook import template_xlsx

    upload = services.roster_import(
        pemda=palembang, period="2024-06", data=template_xlsx(), filename="template.xlsx", by=SYSTEM
    )
    assert upload.state == UploadState.COMMITTED and upload.rows_valid == 1


def test_operator_cannot_import_for_another_pemda(lahat: Any, cast: Any) -> None:
    with pytest.raises(PermissionError):
        services.roster_import(
            pemda=lahat, period="2024-06", data=b"x", filename="a.csv", by=cast["palembang"]
        )
    with pytest.raises(PermissionError):
        services.roster_import(
            pemda=lahat, period="2024-06", data=b"x", filename="a.csv", by=cast["auditor"]
        )


def test_purge_deletes_old_upload_files_only(palembang: Any) -> None:
    import datetime as dt

    from django.utils import timezone

    from monev.rosters import storage
    from monev.rosters.models import RosterUpload

    old = run(palembang, roster_csv([(nik(1), "A", "RENTAN", "")]))
    new = run(palembang, roster_csv([(nik(2), "B", "RENTAN", "")]))
    RosterUpload.objects.filter(pk=old.pk).update(
        finished_at=timezone.now() - dt.timedelta(days=100)
    )
    out = io.StringIO()
    call_command("purge_uploads", "--days", "90", stdout=out)
    assert out.getvalue().startswith("1 ")
    assert not storage.upload_exists(old.pk) and storage.upload_exists(new.pk)
    assert AuditEvent.objects.filter(action="roster.purge").exists()


def test_purge_deletes_row_files_no_version_names(palembang: Any) -> None:
    import os
    import time

    kept = run(palembang, roster_csv([(nik(1), "A", "RENTAN", "")])).version
    left = store.records_write(
        [{"nik": nik(2), "category": "RENTAN"}], pemda_code="16.71", period="2024-06"
    )  # a commit killed after writing its rows: no version names them
    fresh = store.records_write(
        [{"nik": nik(3), "category": "RENTAN"}], pemda_code="16.71", period="2024-06"
    )  # a commit still running
    day_ago = time.time() - 2 * 24 * 3600
    for stem in (left, kept.rows_file):
        for suffix in (".parquet", ".nik"):
            os.utime(core_storage.local_path(store.key_of(stem, suffix)), (day_ago, day_ago))
    out = io.StringIO()
    call_command("purge_uploads", "--days", "90", stdout=out)
    assert "2 berkas baris tanpa versi dihapus" in out.getvalue()
    remaining = {
        key.removeprefix("rosters/").rsplit(".", 1)[0] for key, _ in core_storage.listing("rosters")
    }
    assert remaining == {kept.rows_file, fresh}
    assert stored_count(kept) == 1
