"""Cost to close the gap reads the unprotected workers of the period's current match run,
the same workers the coverage pages count; without a match every roster worker counts."""

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


def test_the_cost_follows_the_match_coverage_shows_even_after_a_newer_list(db: Any) -> None:
    matched = roster("16.71", "2024-04", [(10, "RENTAN", None, "DANA_DESA")])
    ids = store.version_rows(matched).sort("row_number").collect()["worker_id"].to_list()
    statuses = {i: ("PROTECTED" if n < 4 else "NOT_FOUND") for n, i in enumerate(ids)}
    _run("2024-06", {"16.71": [matched.pk]}, statuses, "16.71")
    roster("16.71", "2024-06", [(2, "RENTAN", None, "DANA_DESA")])  # not matched yet
    gap = gap_compute(pemda_code="16.71", period="2024-06")
    assert (gap.protection_source, gap.workers, gap.match_period) == ("coverage", 6, "2024-06")
    assert gap.roster_period == "2024-04"


def test_without_a_match_every_worker_of_the_list_counts(db: Any) -> None:
    roster("16.71", "2024-04", [(10, "RENTAN", None, "DANA_DESA")])
    gap = gap_compute(pemda_code="16.71", period="2024-06")
    assert (gap.protection_source, gap.workers, gap.match_period) == ("roster", 10, None)


def test_budget_page_prices_the_match_the_coverage_page_shows(db: Any, client_for: Any) -> None:
    """Issue 18: fiscal 2024 was priced from the April match while coverage showed June."""
    from monev.budgets.selectors import budget_summary
    from monev.core.scope import SYSTEM
    from tests.indicators.factories import stat

    version = roster("16.71", "2024-04", [(10, "RENTAN", None, "DANA_DESA")])
    ids = store.version_rows(version).sort("row_number").collect()["worker_id"].to_list()
    for period, protected in (("2024-04", 2), ("2024-06", 7)):
        MatchRun.objects.filter(period=period).delete()
        _run(period, {"16.71": [version.pk]},
             {i: ("PROTECTED" if n < protected else "NOT_FOUND") for n, i in enumerate(ids)},
             "16.71")  # fmt: skip
        stat("16.71", period, "RENTAN", 10, protected)
    summary = budget_summary(user=SYSTEM, pemda_code="16.71", fiscal_year=2024)
    assert (summary.period, summary.gap.workers) == ("2024-06", 3)
    html = client_for("palembang").get("/anggaran/pemda/16.71/2024/").content.decode()
    assert "hasil pencocokan periode Juni 2024" in html
