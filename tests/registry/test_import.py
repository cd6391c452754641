"""Registry extract import: validation, pseudonymised storage, strict/accept-valid, CLI."""

from __future__ import annotations

import gzip
import io
import json
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from monev.core import pii, storage
from monev.core.models import AuditEvent
from monev.core.scope import SYSTEM
from monev.registry import engine
from monev.registry.hashing import nik_hash_fixed
from monev.registry.models import RegistrySnapshot
from monev.registry.services import registry_import
from tests.coverage.factories import nik, registry_csv

pytestmark = pytest.mark.django_db

GOOD = [
    {"nik": nik(1), "program": "JKK,JKM,JHT,JP", "upah": 3500000, "iuran_terakhir": "2024-06"},
    {"nik": nik(2), "segmen": "bpu", "program": "jkk;jkm", "status": "aktif"},
    {"nik": nik(3), "segmen": "JAKON", "program": "JKK JKM", "status": "NONAKTIF"},
    {"nik": nik(4), "segmen": "PMI", "program": "JKK,JKM", "kode_wilayah": "16.71.01"},
]


def test_valid_file_becomes_a_pseudonymised_snapshot(tmp_path: Path) -> None:
    result = registry_import(
        period="2024-06", path=registry_csv(tmp_path / "r.csv", GOOD), by=SYSTEM
    )
    assert result.committed and result.rows_accepted == 4 and result.rows_rejected == 0
    snap = result.snapshot
    assert snap is not None and snap.is_current and snap.rows_active == 3
    assert snap.by_segment == {"BPU": 1, "JAKON": 1, "PMI": 1, "PU": 1}
    frame = storage.read_parquet(snap.parquet_path)
    assert frame.columns == [
        "nik_key",
        "segmen",
        "programs",
        "npp",
        "upah",
        "active",
        "paid_until",
        "kode_wilayah",
        "nik_repeated",
    ]
    assert frame["nik_repeated"].to_list() == [False] * 4
    assert frame["nik_key"].to_list() == [int(pii.nik_hash(r["nik"])[:31], 16) for r in GOOD]
    assert frame["programs"].to_list() == [15, 3, 3, 3]
    assert frame["nik_key"][0] == int(pii.nik_hash(GOOD[0]["nik"])[:31], 16)
    assert frame["paid_until"][0] == 2024 * 12 + 5
    assert AuditEvent.objects.filter(action="registry.import").count() == 1


def test_rows_of_a_nik_with_several_rows_are_marked(tmp_path: Path) -> None:
    """The match groups a person's rows only where the import marked them `nik_repeated`:
    every row of a NIK that occurs twice, including across batches, and no other."""
    rows = [
        {"nik": nik(1), "segmen": "PU", "program": "JKK,JKM", "npp": "N1"},
        {"nik": nik(2), "segmen": "BPU", "program": "JKK,JKM"},
        {"nik": nik(1), "segmen": "BPU", "program": "JKK,JKM,JHT"},
        {"nik": nik(3), "segmen": "PU", "program": "JKK,JKM", "npp": "N1"},
        {"nik": nik(3), "segmen": "PU", "program": "JKK,JKM", "npp": "N1"},  # duplicate
    ]
    batches = engine.read_batches(registry_csv(tmp_path / "r.csv", rows), batch_rows=2)
    checked = engine.validate_batches(
        batches, period="2024-06", prefixes=frozenset({"167101", "160401"})
    )
    assert checked.errors["code"].to_list() == ["duplicate"]
    keys = [int(pii.nik_hash(r["nik"])[:31], 16) for r in rows]
    marked = dict(zip(checked.rows["nik_key"], checked.rows["nik_repeated"], strict=True))
    assert checked.rows.height == 4
    assert marked == {keys[0]: True, keys[1]: False, keys[3]: True}
    assert checked.rows.filter(pl.col("nik_key") == keys[0])["nik_repeated"].to_list() == [
        True,
        True,
    ]


def test_no_nik_in_clear_in_parquet_audit_or_report(tmp_path: Path) -> None:
    rows = [*GOOD, {"nik": nik(5), "segmen": "XX"}]
    result = registry_import(
        period="2024-06", path=registry_csv(tmp_path / "r.csv", rows), by=SYSTEM, accept_valid=True
    )
    assert result.committed and result.report_path is not None
    blobs = [storage.get(result.snapshot.parquet_path), result.report_path.read_bytes()]  # type: ignore[union-attr]
    blobs.append(json.dumps(list(AuditEvent.objects.values("changes", "object_repr"))).encode())
    for row in rows:
        for blob in blobs:
            assert row["nik"].encode() not in blob


def test_bad_rows_reject_the_file_with_row_errors(tmp_path: Path) -> None:
    rows = [
        *GOOD,
        {"nik": "1671011708850"},
        {"nik": "1.67101E+15"},
        {"nik": nik(6, kecamatan="999999")},
        {"nik": nik(7, born="321385")},
        {"nik": nik(8), "segmen": "ASN"},
        {"nik": nik(9), "program": "JKK,XYZ"},
        {"nik": nik(10), "status": "MATI"},
        {"nik": nik(11), "iuran_terakhir": "2024-13"},
        {"nik": nik(12), "upah": "banyak"},
        {"nik": nik(1), "program": "JKK,JKM,JHT,JP"},  # duplicate of row 2 (same segment, npp)
        {"nik": nik(13), "kode_wilayah": "1671x"},
    ]
    result = registry_import(
        period="2024-06", path=registry_csv(tmp_path / "r.csv", rows), by=SYSTEM
    )
    assert not result.committed
    assert not RegistrySnapshot.objects.exists()
    got = {(e["row"], e["column"], e["code"]) for e in result.error_rows()}
    assert got == {
        (6, "nik", "nik_length"),
        (7, "nik", "nik_excel_number"),
        (8, "nik", "nik_region_unknown"),
        (9, "nik", "nik_birth_date"),
        (10, "segmen", "segment_unknown"),
        (11, "program", "program_unknown"),
        (12, "status", "status_unknown"),
        (13, "iuran_terakhir", "paid_until_invalid"),
        (14, "upah", "wage_invalid"),
        (15, "nik", "duplicate"),
        (16, "kode_wilayah", "region_code_invalid"),
    }
    assert all(e["message"] for e in result.error_rows())
    assert AuditEvent.objects.filter(action="registry.reject").count() == 1


@pytest.mark.parametrize("batch_rows", [1, 3, 7, 1000])
def test_batches_give_the_same_rows_and_errors_as_one_pass(tmp_path: Path, batch_rows: int) -> None:
    """Extracts are validated in batches; a repeat in a later batch than its first row is
    still caught, row numbers run on across batches, and the stored rows are the same."""
    rows = [
        *GOOD,
        {"nik": "1.67101E+15"},
        {"nik": nik(2), "segmen": "BPU", "program": "JKK,JKM"},  # repeat of row 3
        {"nik": nik(8), "segmen": "ASN"},
        {"nik": nik(1), "segmen": "BPU", "program": "JKK,JKM"},  # same NIK, other segment: fine
        {"nik": nik(9)},
        {"nik": nik(1), "program": "JKK,JKM,JHT,JP"},  # repeat of row 2
    ]
    path = registry_csv(tmp_path / "r.csv", rows)
    prefixes = frozenset({nik(1)[:6]})
    whole = engine.validate(engine.read_extract(path), period="2024-06", prefixes=prefixes)
    batched = engine.validate_batches(
        engine.read_batches(path, batch_rows=batch_rows), period="2024-06", prefixes=prefixes
    )
    assert batched.rows.equals(whole.rows)
    assert batched.errors.equals(whole.errors)
    assert batched.total == 10 and batched.n_valid == 6
    got = {(e["row"], e["code"], e["detail"]) for e in batched.errors.iter_rows(named=True)}
    assert got == {
        (6, "nik_excel_number", ""),
        (7, "duplicate", "3"),
        (8, "segment_unknown", "ASN"),
        (11, "duplicate", "2"),
    }


def test_accept_valid_commits_good_rows(tmp_path: Path) -> None:
    rows = [*GOOD, {"nik": nik(8), "segmen": "ASN"}]
    result = registry_import(
        period="2024-06", path=registry_csv(tmp_path / "r.csv", rows), by=SYSTEM, accept_valid=True
    )
    assert result.committed and result.rows_accepted == 4 and result.rows_rejected == 1


def test_new_import_replaces_current_snapshot(tmp_path: Path) -> None:
    first = registry_import(
        period="2024-06", path=registry_csv(tmp_path / "a.csv", GOOD), by=SYSTEM
    ).snapshot
    second = registry_import(
        period="2024-06", path=registry_csv(tmp_path / "b.csv", GOOD[:2]), by=SYSTEM
    ).snapshot
    assert first is not None and second is not None
    assert RegistrySnapshot.objects.for_period("2024-06") == second
    first.refresh_from_db()
    assert not first.is_current


@pytest.mark.parametrize("kind", ["gz", "parquet", "semicolon"])
def test_other_file_kinds(tmp_path: Path, kind: str) -> None:
    source = registry_csv(tmp_path / "r.csv", GOOD)
    if kind == "gz":
        target = tmp_path / "r.csv.gz"
        target.write_bytes(gzip.compress(source.read_bytes()))
    elif kind == "parquet":
        target = tmp_path / "r.parquet"
        pl.read_csv(source, infer_schema=False).write_parquet(target)
    else:
        target = tmp_path / "r2.csv"
        frame = pl.read_csv(source, infer_schema=False)
        frame.write_csv(target, separator=";")
    result = registry_import(period="2024-06", path=target, by=SYSTEM)
    assert result.committed and result.rows_accepted == 4


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (b"", "file_unreadable"),
        (b"nik,segmen\n1,PU\n", "column_missing"),
        (b"nik,segmen,program,status\n", "file_empty"),
    ],
)
def test_unusable_files_are_rejected_clearly(tmp_path: Path, content: bytes, code: str) -> None:
    path = tmp_path / "x.csv"
    path.write_bytes(content)
    result = registry_import(period="2024-06", path=path, by=SYSTEM)
    assert not result.committed and result.file_error


def test_parallel_hash_equals_nik_hash() -> None:
    niks = pl.Series(
        "nik", [nik(i % 9999 + 1, born=f"{(i % 28) + 1:02d}0185") for i in range(2500)]
    )
    many = nik_hash_fixed(niks, workers=2)
    assert many.to_list() == [pii.nik_hash(n) for n in niks]


def test_parallel_hash_with_pool(monkeypatch: Any) -> None:
    from monev.registry import hashing

    monkeypatch.setattr(hashing, "PARALLEL_FROM", 10)
    monkeypatch.setattr(hashing, "CHUNK_ROWS", 7)
    niks = pl.Series("nik", [nik(i + 1) for i in range(50)])
    assert nik_hash_fixed(niks, workers=2).to_list() == [pii.nik_hash(n) for n in niks]


@hsettings(max_examples=60, deadline=None)
@given(
    segmen=st.text(max_size=8),
    program=st.text(max_size=30),
    status=st.text(max_size=10),
    paid=st.text(max_size=8),
    upah=st.text(max_size=12),
)
def test_validator_never_crashes_and_flags_what_it_drops(
    segmen: str, program: str, status: str, paid: str, upah: str
) -> None:
    frame = pl.DataFrame(
        {c: [None] for c in engine.COLUMNS}, schema={c: pl.String for c in engine.COLUMNS}
    ).with_columns(
        nik=pl.lit(nik(1)),
        segmen=pl.lit(segmen),
        program=pl.lit(program),
        status=pl.lit(status),
        iuran_terakhir=pl.lit(paid),
        upah=pl.lit(upah),
    )
    checked = engine.validate(frame, period="2024-06", prefixes=frozenset({"167101"}))
    assert checked.n_valid + (1 if checked.errors.height else 0) == 1
    if checked.n_valid:
        row = checked.rows.row(0, named=True)
        assert row["segmen"] in engine.SEGMENTS and row["programs"] > 0
        assert row["active"] in (True, False)


def test_cli_import_registry(tmp_path: Path) -> None:
    path = registry_csv(tmp_path / "r.csv", GOOD)
    out = io.StringIO()
    call_command(
        "import", "registry", str(path), "--period", "2024-06", "--format", "json", stdout=out
    )
    data = json.loads(out.getvalue())
    assert data["committed"] and data["accepted"] == 4


def test_cli_rejects_with_exit_3(tmp_path: Path) -> None:
    path = registry_csv(tmp_path / "r.csv", [{"nik": "123"}])
    out = io.StringIO()
    with pytest.raises(SystemExit) as exc:
        call_command("import", "registry", str(path), "--period", "2024-06", stdout=out)
    assert exc.value.code == 3
    assert "DITOLAK" in out.getvalue() and "nik_length" in out.getvalue()


@pytest.mark.parametrize("args", [["--period", "2024-13"], ["--period", "2024-06", "--x"]])
def test_cli_usage_errors(tmp_path: Path, args: list[str]) -> None:
    path = registry_csv(tmp_path / "r.csv", GOOD)
    with pytest.raises((CommandError, SystemExit)):
        call_command("import", "registry", str(path), *args)


def test_plugin_and_python_paths_agree(settings: Any) -> None:
    from monev.registry import hashing

    niks = pl.Series("nik", [nik(i + 1) for i in range(300)])
    assert hashing._text_key() is not None  # generated keys are long: the plugin path
    fast = nik_hash_fixed(niks)
    slow = nik_hash_fixed(niks, workers=1)
    assert fast.to_list() == slow.to_list() == [pii.nik_hash(n) for n in niks]


def test_short_key_falls_back_to_python(settings: Any) -> None:
    from monev.registry import hashing

    settings.MONEV_NIK_KEY = "k" * 40
    assert hashing._text_key() is None
    niks = pl.Series("nik", [nik(i + 1) for i in range(20)])
    assert nik_hash_fixed(niks).to_list() == [pii.nik_hash(n) for n in niks]
