"""Reads of the coverage app: every page, API route, export and CLI calls these.

Aggregates come from `CoverageStat` (scoped by construction); worker-level rows (the gap
list and the registration export) from the current run's Parquet results, filtered to one
Pemda the user may see, joined to the roster rows for name and masked NIK.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import polars as pl
from django.db.models import Sum

from monev.accounts.models import Role
from monev.core import storage
from monev.core.scope import SystemActor, scope_for
from monev.coverage import engine
from monev.coverage.models import CoverageStat, MatchRun, WorkerStatus
from monev.coverage.services import applicable_versions
from monev.regions.models import Pemda
from monev.rosters import store

COUNTS = (
    "headcount",
    "protected",
    "partial",
    "lapsed",
    "not_found",
    "basic_protected",
    "newly_protected",
    "newly_lapsed",
)
GAP_STATUSES = ("PARTIAL", "LAPSED", "NOT_FOUND")
LEVELS = {"pemda": "pemda_code", "province": "province_code", "kanwil": "kanwil_code"}


class NotAllowed(PermissionError):
    """The user may not do this (e.g. read NIK in clear)."""


def periods(*, user: Any) -> list[str]:
    values = CoverageStat.objects.for_user(user).current().values_list("period", flat=True)
    return sorted(set(values), reverse=True)


def current_run(period: str) -> MatchRun | None:
    return MatchRun.objects.filter(period=period, is_current=True).first()


def category_sources(*, run: MatchRun, pemda_code: str) -> dict[str, tuple[str, int]]:
    """Category -> (period, number) of the list version the run matched for it: pages say
    which list each category's numbers come from."""
    from monev.rosters.models import RosterVersion
    from monev.rosters.selectors import supplied_categories

    ids = run.roster_versions.get(pemda_code) or []
    versions = list(RosterVersion.objects.filter(pk__in=ids if isinstance(ids, list) else [ids]))
    by_id = {v.pk: v for v in versions}
    return {
        category: (by_id[vid].period, by_id[vid].number)
        for vid, categories in supplied_categories(versions).items()
        for category in categories
    }


def unprotected_groups(*, run: MatchRun, pemda_codes: list[str]) -> pl.DataFrame:
    """The run's unprotected workers of `pemda_codes` by (Pemda, category, funding source,
    wage) → `n`: what the cost to close the gap prices (a system read, unscoped). Read from
    the file the match wrote, else grouped afresh from its results (older runs)."""
    from monev.coverage.services import gap_groups

    lazy = storage.scan_parquet(run.gap_key) if run.has_gap_groups else gap_groups(run)
    return lazy.filter(pl.col("pemda_code").is_in(pemda_codes)).collect()


def latest_matched_period(*, until: str, pemda_code: str | None = None) -> str | None:
    """The newest period ≤ `until` with current match results (for the Pemda, if given):
    the period a fiscal year's budget verdict is read against, as coverage pages read it."""
    stats = CoverageStat.objects.current().filter(period__lte=until)
    if pemda_code:
        stats = stats.filter(pemda_code=pemda_code)
    return stats.order_by("-period").values_list("period", flat=True).first()


def default_period(*, user: Any, period: str | None) -> str | None:
    if period:
        return period
    available = periods(user=user)
    return available[0] if available else None


def stale_pemdas(run: MatchRun) -> set[str]:
    """Pemda whose results are out of date: a new extract, or a different roster version."""
    now = applicable_versions(run.period)
    before = {code: list(ids) for code, ids in run.roster_versions.items()}
    changed = {code for code in set(now) | set(before) if now.get(code) != before.get(code)}
    if run.is_stale:
        return changed | set(before)
    return changed


def coverage_by_category(*, user: Any, pemda_code: str, period: str) -> list[CoverageStat]:
    return list(
        CoverageStat.objects.for_user(user)
        .current()
        .filter(pemda_code=pemda_code, period=period)
        .order_by("category")
    )


def coverage_trend(*, user: Any, pemda_code: str) -> list[dict[str, Any]]:
    """Per period: the Pemda's totals over all categories."""
    rows = (
        CoverageStat.objects.for_user(user)
        .current()
        .filter(pemda_code=pemda_code)
        .values("period")
        .annotate(**{c: Sum(c) for c in COUNTS})
        .order_by("period")
    )
    return [_with_coverage(dict(r)) for r in rows]


def _with_coverage(row: dict[str, Any]) -> dict[str, Any]:
    headcount = row.get("headcount") or 0
    row["coverage"] = row["protected"] / headcount if headcount else 0.0
    row["basic_coverage"] = row["basic_protected"] / headcount if headcount else 0.0
    return row


def coverage_rollup(
    *,
    user: Any,
    period: str,
    level: str = "pemda",
    kanwil: str | None = None,
    province: str | None = None,
    category: str | None = None,
) -> list[dict[str, Any]]:
    """Totals per Pemda, province or Kanwil for a period, with the change since last period."""
    field = LEVELS[level]
    stats = CoverageStat.objects.for_user(user).current().filter(period=period)
    if kanwil:
        stats = stats.filter(kanwil_code=kanwil)
    if province:
        stats = stats.filter(province_code=province)
    if category:
        stats = stats.filter(category=category)
    rows = [
        _with_coverage({"code": r.pop(field), **r})
        for r in stats.values(field).annotate(**{c: Sum(c) for c in COUNTS}).order_by(field)
    ]
    previous = _previous_rollup(user, period, field, kanwil, province, category)
    names = _names(level, [r["code"] for r in rows])
    for row in rows:
        row["name"] = names.get(row["code"], row["code"])
        before = previous.get(row["code"])
        row["coverage_prev"] = before
        row["change"] = None if before is None else row["coverage"] - before
    return rows


def _previous_rollup(
    user: Any,
    period: str,
    field: str,
    kanwil: str | None,
    province: str | None,
    category: str | None,
) -> dict[str, float]:
    prev = MatchRun.objects.filter(is_current=True, period__lt=period).order_by("-period").first()
    if prev is None:
        return {}
    stats = CoverageStat.objects.for_user(user).filter(run=prev)
    if kanwil:
        stats = stats.filter(kanwil_code=kanwil)
    if province:
        stats = stats.filter(province_code=province)
    if category:
        stats = stats.filter(category=category)
    out = {}
    for r in stats.values(field).annotate(h=Sum("headcount"), p=Sum("protected")):
        out[r[field]] = r["p"] / r["h"] if r["h"] else 0.0
    return out


def _names(level: str, codes: list[str]) -> dict[str, str]:
    from monev.regions.models import Kanwil, Region

    if level == "kanwil":
        return dict(Kanwil.objects.filter(code__in=codes).values_list("code", "name"))
    return dict(Region.objects.current().filter(code__in=codes).values_list("code", "name"))


@dataclass(frozen=True)
class GapFilters:
    status: str | None = None  # one of GAP_STATUSES, or None for all three
    category: str | None = None
    q: str | None = None  # name contains


def _pemda_visible(user: Any, pemda_code: str) -> bool:
    return scope_for(user, "view").allows(pemda_code)


def worker_results(*, user: Any, pemda_code: str, period: str, filters: GapFilters) -> pl.DataFrame:
    """Per-worker results of one Pemda (empty when out of scope or not matched)."""
    run = current_run(period)
    if run is None or not _pemda_visible(user, pemda_code) or not run.has_results:
        return pl.DataFrame(schema={c: pl.String for c in engine.RESULT_COLUMNS})
    statuses = [filters.status] if filters.status in GAP_STATUSES else list(GAP_STATUSES)
    lazy = storage.scan_parquet(run.results_path).filter(
        (pl.col("pemda_code") == pemda_code) & pl.col("status").cast(pl.String).is_in(statuses)
    )
    if filters.category:
        lazy = lazy.filter(pl.col("category") == filters.category)
    return lazy.collect()


def gap_list(
    *, user: Any, pemda_code: str, period: str, filters: GapFilters, limit: int | None = None
) -> list[dict[str, Any]]:
    """Unprotected workers: masked NIK, name, category, status, programmes, since when."""
    frame = worker_results(user=user, pemda_code=pemda_code, period=period, filters=filters)
    workers = _workers(frame["worker_id"].to_list(), filters.q)
    rows = []
    for r in frame.sort("status", "category", "worker_id").iter_rows(named=True):
        worker = workers.get(r["worker_id"])
        if worker is None:
            continue
        rows.append(
            {
                "worker_id": r["worker_id"],
                "nik_masked": worker["nik_masked"],
                "name": worker["name"],
                "category": r["category"],
                "status": str(r["status"]),
                "status_label": str(WorkerStatus(str(r["status"])).label),
                "programs": programs_label(r["programs"]),
                "since": r["since"],
                "change": r["change"] or "",
                "wage": worker["wage"],
                "position": worker["position"],
            }
        )
        if limit is not None and len(rows) >= limit:
            break
    return rows


def _workers(ids: list[int], q: str | None) -> dict[int, dict[str, Any]]:
    """Masked NIK, name, wage and position of the given workers, from their versions' files."""
    if not ids:
        return {}
    rows = store.workers_rows(ids, ["nik_masked", "name", "wage", "position"])
    if q:
        rows = rows.filter(pl.col("name").str.to_lowercase().str.contains(q.lower(), literal=True))
    frame = rows.select("worker_id", "nik_masked", "name", "wage", "position").collect()
    return {row["worker_id"]: row for row in frame.iter_rows(named=True)}


def programs_label(mask: int | None) -> str:
    from monev.registry.engine import PROGRAM_BITS

    return ",".join(name for name, bit in PROGRAM_BITS.items() if (mask or 0) & bit)


def can_export_registration(user: Any, pemda_code: str) -> bool:
    """NIK in clear: the Pemda operator and BPJS (Kanwil) officers of that Pemda only."""
    if isinstance(user, SystemActor):
        return True
    if not getattr(user, "is_authenticated", False):
        return False
    role_ok = user.role in (Role.PEMDA, Role.KANWIL)
    return role_ok and scope_for(user, "change").allows(pemda_code)


REGISTRATION_COLUMNS = (
    "NIK",
    "NAMA",
    "SEGMEN",
    "PROGRAM",
    "UPAH",
    "JABATAN",
    "KATEGORI",
    "STATUS_SAAT_INI",
    "KODE_PEMDA",
)


def registration_rows(*, user: Any, pemda_code: str, period: str) -> list[list[Any]]:
    """The bulk-registration layout of unprotected workers, NIK decrypted. Caller audits."""
    if not can_export_registration(user, pemda_code):
        raise NotAllowed("registration export")
    rows = gap_list(user=user, pemda_code=pemda_code, period=period, filters=GapFilters())
    niks = store.workers_niks([r["worker_id"] for r in rows])
    out = []
    for r in rows:
        wage_earner = r["category"] in ("NON_ASN", "PERANGKAT_DESA")
        out.append(
            [
                niks[r["worker_id"]],
                r["name"],
                "PU" if wage_earner else "BPU",
                "JKK,JKM,JHT,JP" if wage_earner else "JKK,JKM",
                r["wage"] or "",
                r["position"] or "",
                r["category"],
                r["status"],
                pemda_code,
            ]
        )
    return out


def pemda_for(*, user: Any, code: str) -> Pemda | None:
    return Pemda.objects.for_user(user).filter(code=code).select_related("kanwil").first()
