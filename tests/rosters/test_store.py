"""The roster store: row files in row order, sealed NIKs that open only untouched, worker ids."""

from __future__ import annotations

import random
from typing import Any

import polars as pl
import pytest
from cryptography.exceptions import InvalidTag
from hypothesis import given
from hypothesis import strategies as st

from monev.core import storage as core_storage
from monev.core.scope import SYSTEM
from monev.rosters import selectors, store
from monev.rosters.models import RosterVersion
from tests.rosters.conftest import nik


def _version(pemda: Any, records: list[dict[str, Any]]) -> RosterVersion:
    return RosterVersion.objects.create(
        pemda=pemda,
        period="2024-06",
        number=1,
        rows_accepted=len(records),
        rows_file=store.records_write(records, pemda_code=pemda.code, period="2024-06"),
    )


def test_rows_given_out_of_order_are_stored_and_paged_in_row_order(palembang: Any) -> None:
    records = [
        {"row_number": n, "nik": nik(n), "name": f"Pekerja {n}", "category": "RENTAN"}
        for n in range(2, 252)
    ]
    random.Random(3).shuffle(records)
    version = _version(palembang, records)
    stored = pl.read_parquet(store.rows_uri(version))["row_number"].to_list()
    assert stored == list(range(2, 252))
    total, page = selectors.roster_workers_read(user=SYSTEM, version=version, offset=100, limit=5)
    assert total == 250
    assert [w.row_number for w in page] == [102, 103, 104, 105, 106]
    assert [w.name for w in page] == [f"Pekerja {n}" for n in range(102, 107)]
    assert page[0].nik_masked == nik(102)[:4] + "********" + nik(102)[-4:]


def test_sealed_niks_open_only_untouched(palembang: Any) -> None:
    version = _version(palembang, [{"nik": nik(1), "category": "RENTAN"}])
    assert store.version_niks(version)["nik"].to_list() == [nik(1)]
    path = core_storage.local_path(store.key_of(version.rows_file, ".nik"))
    sealed = bytearray(path.read_bytes())
    sealed[-1] ^= 1  # one bit of the tag
    path.write_bytes(bytes(sealed))
    with pytest.raises(InvalidTag):
        store.version_niks(version)


@given(
    version_id=st.integers(min_value=1, max_value=2**31 - 1),
    row_number=st.integers(min_value=0, max_value=2**32 - 1),
)
def test_worker_id_parts_undo_worker_id_expr(version_id: int, row_number: int) -> None:
    frame = pl.DataFrame({"row_number": [row_number]}, schema={"row_number": pl.Int64})
    worker_id = frame.select(store.worker_id_expr(version_id)).item()
    assert store.worker_id_parts(worker_id) == (version_id, row_number)
