"""Cost to close the gap reads protection status from the current match run when it
matched the roster version; otherwise every roster worker counts as unprotected."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polars as pl
import pytest
from django.conf import settings

from monev.budgets.gap import gap_compute
from monev.coverage.models import MatchRun, RunState
from monev.rosters import store

from .factories import roster

pytestmark = pytest.mark.usefixtures("rates")


def _run(
    period: str, version_ids: dict[str, list[int]], statuses: dict[int, str], pemda: str
) -> MatchRun:
    relative = f"coverage/test-{period}.parquet"
    path = Path(settings.DATA_DIR) / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    pl.DataFrame(
        {
            "worker_id": list(statuses),
            "pemda_code": [pemda] * len(statuses),
            "category": ["RENTAN"] * len(statuses),
            "nik_hash": ["h"] * len(statuses),
            "status": list(statuses.values()),
            "programs": [3] * len(statuses),
            "since": [period] * len(statuses),
            "prev_status": [None] * len(statuses),
            "change": [None] * len(statuses),
        }
    ).write_parquet(path)
    return MatchRun.objects.create(
        period=period,
        state=RunState.DONE,
        roster_versions=version_ids,
        results_path=relative,
        is_current=True,
    )


def test_protected_workers_cost_nothing(db: Any) -> None:
    version = roster("16.71", "2024-06", [(10, "RENTAN", None, "DANA_DESA")])
    ids = store.version_rows(version).sort("row_number").collect()["worker_id"].to_list()
    statuses = {i: ("PROTECTED" if n < 7 else "NOT_FOUND") for n, i in enumerate(ids)}
    _run("2024-06", {"16.71": [version.pk]}, statuses, "16.71")
    gap = gap_compute(pemda_code="16.71", period="2024-06")
    assert (gap.protection_source, gap.workers, gap.monthly_cost) == ("coverage", 3, 3 * 16_800)


def test_run_for_another_version_is_ignored(db: Any) -> None:
    version = roster("16.71", "2024-06", [(10, "RENTAN", None, "DANA_DESA")])
    ids = store.version_rows(version).collect()["worker_id"].to_list()
    _run("2024-06", {"16.71": [version.pk + 999]}, dict.fromkeys(ids, "PROTECTED"), "16.71")
    gap = gap_compute(pemda_code="16.71", period="2024-06")
    assert (gap.protection_source, gap.workers) == ("roster", 10)
