"""The whole job with the data store on a real S3-compatible server (tests/s3server.py):
roster import, registry import, match, gap list and registration export, with nothing
written to the local data directory. (`monev backup` of a bucket: tests/core/test_multi_server.py.)"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from monev.core import storage
from monev.core.scope import SYSTEM
from monev.coverage import selectors
from monev.coverage.services import match_run, registration_export
from monev.regions.models import Pemda
from monev.registry.services import registry_import
from monev.rosters.models import UploadState
from monev.rosters.services import roster_import
from tests.coverage.factories import nik, registry_csv

pytestmark = pytest.mark.django_db
PERIOD = "2024-06"


def test_import_match_and_registration_export_on_the_object_store(
    s3_store: Any, settings: Any, tmp_path: Path
) -> None:
    assert storage.describe().startswith("s3://")
    workers = [nik(i) for i in range(1, 41)]
    roster = "nik,nama,kategori,upah\n" + "".join(
        f"{n},Pekerja {i},NON_ASN,3000000\n" for i, n in enumerate(workers)
    )
    upload = roster_import(
        pemda=Pemda.objects.get(code="16.71"),
        period=PERIOD,
        data=roster.encode(),
        filename="daftar.csv",
        by=SYSTEM,
    )
    assert upload.state == UploadState.COMMITTED
    protected = workers[::2]
    imported = registry_import(
        period=PERIOD,
        path=registry_csv(
            tmp_path / "registri.csv",
            [{"nik": n, "program": "JKK,JKM,JHT,JP", "iuran_terakhir": PERIOD} for n in protected],
        ),
        by=SYSTEM,
    )
    assert imported.committed

    run = match_run(period=PERIOD, by=SYSTEM)
    assert run.counts["headcount"] == 40 and run.counts["protected"] == 20
    assert run.results_path.startswith("coverage/") and run.has_results
    gaps = selectors.worker_results(
        user=SYSTEM, pemda_code="16.71", period=PERIOD, filters=selectors.GapFilters()
    )
    assert gaps.height == 20
    exported = {row[0] for row in registration_export(pemda_code="16.71", period=PERIOD, by=SYSTEM)}
    assert exported == set(workers[1::2])

    keys = {key.split("/")[0] for key, _ in storage.listing()}
    assert {"rosters", "registry", "coverage", "private"} <= keys
    local = Path(settings.DATA_DIR)
    assert not local.exists() or not [p for p in local.rglob("*") if p.is_file()]
