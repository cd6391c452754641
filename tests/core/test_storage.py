"""The storage module keeps files the same way on a local disk and on a real S3-compatible
server: whole objects, listed by prefix, Parquet read and written by Polars in place."""

from __future__ import annotations

from typing import Any

import polars as pl
import pytest
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from monev.core import storage


@pytest.fixture(params=["local", "s3"])
def store(request: pytest.FixtureRequest) -> str:
    if request.param == "s3":
        request.getfixturevalue("s3_store")
        assert storage.describe().startswith("s3://")
    else:
        assert storage.describe().startswith("file://")
    return str(request.param)


def test_objects_round_trip_list_and_delete(store: str, tmp_path: Any) -> None:
    storage.put("registry/2024-06/a.bin", b"satu")
    source = tmp_path / "b.bin"
    source.write_bytes(b"dua" * 1000)
    storage.put_file("registry/2024-06/b.bin", source)
    storage.put("private/rosters/7/source.enc", b"rahasia")
    assert storage.get("registry/2024-06/a.bin") == b"satu"
    assert storage.open_read("registry/2024-06/b.bin").read() == b"dua" * 1000
    assert storage.size("registry/2024-06/b.bin") == 3000
    assert list(storage.listing("registry")) == [
        ("registry/2024-06/a.bin", 4),
        ("registry/2024-06/b.bin", 3000),
    ]
    assert {key for key, _ in storage.listing()} == {
        "registry/2024-06/a.bin",
        "registry/2024-06/b.bin",
        "private/rosters/7/source.enc",
    }
    target = tmp_path / "copy.bin"
    storage.get_file("private/rosters/7/source.enc", target)
    assert target.read_bytes() == b"rahasia"
    storage.delete("registry/2024-06/a.bin")
    assert not storage.exists("registry/2024-06/a.bin")
    assert storage.exists("registry/2024-06/b.bin")
    with pytest.raises(FileNotFoundError):
        storage.get("registry/2024-06/a.bin")
    storage.delete_prefix("private")
    assert not list(storage.listing("private"))


def test_polars_writes_scans_and_sinks_parquet_in_the_store(store: str) -> None:
    frame = pl.DataFrame({"nik_key": [3, 1, 2], "wage": [100, 200, 300]})
    storage.write_parquet(frame, "coverage/2024-06/hasil-1.parquet")
    assert storage.read_parquet("coverage/2024-06/hasil-1.parquet").equals(frame)
    lazy = storage.scan_parquet("coverage/2024-06/hasil-1.parquet").sort("nik_key")
    storage.sink_parquet(lazy, "coverage/2024-06/hasil-2.parquet")
    assert storage.scan_parquet("coverage/2024-06/hasil-2.parquet").collect()[
        "nik_key"
    ].to_list() == [1, 2, 3]


def test_probe_leaves_nothing_behind(store: str) -> None:
    storage.probe()
    assert not list(storage.listing(".probe"))


@hsettings(max_examples=50)
@given(st.text(min_size=1, max_size=40))
def test_keys_that_climb_out_of_the_store_are_refused(raw: str) -> None:
    key = f"../{raw}"
    with pytest.raises(storage.StoreError):
        storage.uri(key)


def test_documents_and_reports_are_kept_in_the_store(store: str) -> None:
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    name = default_storage.save("reports/2024/06/kartu.pdf", ContentFile(b"%PDF-1.7 isi"))
    again = default_storage.save("reports/2024/06/kartu.pdf", ContentFile(b"%PDF-1.7 lain"))
    assert name != again and name.startswith("reports/2024/06/kartu-") and name.endswith(".pdf")
    assert storage.get(f"media/{name}") == b"%PDF-1.7 isi"
    with default_storage.open(again) as handle:
        assert handle.read() == b"%PDF-1.7 lain"
    assert default_storage.exists(name) and default_storage.size(name) == 12
    default_storage.delete(name)
    assert not default_storage.exists(name)
