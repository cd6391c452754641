"""Writes of the coverage app: run the match, enqueue it as a job, mark results stale."""

from __future__ import annotations

import logging
import time
from typing import Any

import polars as pl
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from monev.core import storage
from monev.core.audit import audit_record
from monev.core.models import Job, JobState
from monev.coverage import engine
from monev.coverage.models import CoverageStat, MatchRun, RunState
from monev.regions.models import Pemda
from monev.registry.models import RegistrySnapshot

log = logging.getLogger(__name__)
JOB_KIND = "coverage.match"
STEPS = 5


class MatchError(Exception):
    """The match cannot run for this period (no registry extract, nothing to match)."""


def results_key(period: str, run_id: int) -> str:
    return f"coverage/{period}/hasil-{run_id}.parquet"


# ------------------------------------------------------------------------------ the roster


def applicable_versions(period: str) -> dict[str, list[int]]:
    """Pemda code -> ids of its current roster versions in force in `period` (per category,
    the latest list at or before it: `rosters.selectors.categories_in_force`)."""
    from monev.rosters.selectors import applicable_versions as in_force

    return in_force(period)


def roster_frame(versions: dict[str, list[int]]) -> pl.LazyFrame:
    """`worker_id`, `pemda_code`, `category`, `nik_key` of the given versions' rows, each
    version limited to the categories it supplies."""
    from monev.rosters.selectors import rows_in_force

    return rows_in_force(versions, ["nik_key"]).select(*engine.ROSTER_SCHEMA)


# ------------------------------------------------------------------------------ the match


def previous_run(period: str) -> MatchRun | None:
    return (
        MatchRun.objects.filter(is_current=True, period__lt=period, state=RunState.DONE)
        .order_by("-period")
        .first()
    )


def match_run(*, period: str, by: Any, job: Job | None = None) -> MatchRun:
    """Match the period's current roster versions against its current registry snapshot.

    Idempotent: the results replace the period's previous run in one transaction; until then
    (and after any failure) the previous run stays current.
    """
    snapshot = RegistrySnapshot.objects.for_period(period)
    if snapshot is None:
        raise MatchError(f"belum ada ekstrak registri untuk periode {period}")
    run = MatchRun.objects.create(period=period, snapshot=snapshot, job=job)
    try:
        return _match(run, snapshot, by, job)
    except Exception as exc:
        MatchRun.objects.filter(pk=run.pk).update(
            state=RunState.FAILED, error=type(exc).__name__, finished_at=timezone.now()
        )
        log.exception("match run %s for %s failed", run.pk, period)
        raise


def _match(run: MatchRun, snapshot: RegistrySnapshot, by: Any, job: Job | None) -> MatchRun:
    timings: dict[str, float] = {}
    started = time.perf_counter()
    _progress(job, 1, "memuat daftar pekerja")
    versions = applicable_versions(run.period)
    roster = roster_frame(versions)
    timings["roster"] = round(time.perf_counter() - started, 3)
    previous = previous_run(run.period)
    _progress(job, 2, "mencocokkan dengan registri")
    results = results_key(run.period, run.pk)
    agg = engine.run_match(
        registry_path=storage.uri(snapshot.parquet_path),
        roster=roster,
        previous_path=(
            storage.uri(previous.results_path)
            if previous and previous.results_path and storage.exists(previous.results_path)
            else None
        ),
        period=run.period,
        results_path=storage.uri(results),
    )
    timings["match"] = round(time.perf_counter() - started - timings["roster"], 3)
    _progress(job, 4, "menyimpan hasil")
    run.previous_period = previous.period if previous else ""
    run.roster_versions = versions
    run.results_path = results
    gap_groups_write(run)
    _store(run, agg, previous, versions, by)
    timings["total"] = round(time.perf_counter() - started, 3)
    MatchRun.objects.filter(pk=run.pk).update(timings=timings)
    run.timings = timings
    _prune(run)
    _progress(job, 5, "selesai")
    return run


GAP_KEYS = ["pemda_code", "category", "funding_source", "wage"]
GAP_SCHEMA = {
    "pemda_code": pl.String,
    "category": pl.String,
    "funding_source": pl.String,
    "wage": pl.Int64,
    "n": pl.Int64,
}


def gap_groups(run: MatchRun) -> pl.LazyFrame:
    """The run's unprotected workers (the gap list's statuses) joined to their roster rows,
    grouped by (Pemda, category, funding source, wage) → `n`."""
    from monev.coverage.selectors import GAP_STATUSES
    from monev.rosters.selectors import rows_in_force

    versions = {code: _ids(ids) for code, ids in run.roster_versions.items()}
    rows = rows_in_force(versions, ["funding_source", "wage"])
    unprotected = (
        storage.scan_parquet(run.results_path)
        .filter(pl.col("status").cast(pl.String).is_in(list(GAP_STATUSES)))
        .select(pl.col("worker_id").cast(pl.Int64))
    )
    return (
        rows.join(unprotected, on="worker_id", how="semi")
        .group_by(GAP_KEYS)
        .agg(pl.len().cast(pl.Int64).alias("n"))
        .select([pl.col(c).cast(t) for c, t in GAP_SCHEMA.items()])
    )


def _ids(value: Any) -> list[int]:
    return list(value) if isinstance(value, list) else [value]


def gap_groups_write(run: MatchRun) -> None:
    storage.write_parquet(gap_groups(run).collect(), run.gap_key)


def _store(
    run: MatchRun,
    agg: pl.DataFrame,
    previous: MatchRun | None,
    versions: dict[str, list[int]],
    by: Any,
) -> None:
    pemdas = {
        p.code: p
        for p in Pemda.objects.filter(code__in=agg["pemda_code"].unique().to_list()).select_related(
            "kanwil"
        )
    }
    before = _previous_coverage(previous)
    stats = [
        _stat(run, row, pemdas.get(row["pemda_code"]), before, versions)
        for row in agg.iter_rows(named=True)
    ]
    totals = {c: int(agg[c].sum()) for c in engine.AGGREGATE_COLUMNS[2:]} if agg.height else {}
    with transaction.atomic():
        CoverageStat.objects.bulk_create(stats, batch_size=1000)
        MatchRun.objects.filter(period=run.period, is_current=True).update(is_current=False)
        run.state, run.is_current, run.counts = RunState.DONE, True, totals
        run.finished_at = timezone.now()
        run.save()
        audit_record(
            actor=by,
            action="coverage.match",
            obj=run,
            changes={"period": run.period, "pemda": len(versions), **totals},
        )


def _stat(
    run: MatchRun,
    row: dict[str, Any],
    pemda: Pemda | None,
    before: dict[tuple[str, str], float],
    versions: dict[str, list[int]],
) -> CoverageStat:
    code = row["pemda_code"]
    headcount = row["headcount"]
    return CoverageStat(
        run=run,
        period=run.period,
        pemda_code=code,
        province_code=code.split(".")[0],
        kanwil_code=pemda.kanwil.code if pemda and pemda.kanwil else "",
        category=row["category"],
        roster_version_id=max(versions.get(code, [0])) or None,
        coverage=row["protected"] / headcount if headcount else 0.0,
        coverage_prev=before.get((code, row["category"])),
        **{k: row[k] for k in engine.AGGREGATE_COLUMNS[2:]},
    )


def _previous_coverage(previous: MatchRun | None) -> dict[tuple[str, str], float]:
    if previous is None:
        return {}
    rows = CoverageStat.objects.filter(run=previous).values_list(
        "pemda_code", "category", "coverage"
    )
    return {(code, category): value for code, category, value in rows}


def _prune(run: MatchRun) -> None:
    """Drop result files of runs that are no longer current (their stats went with them)."""
    old = MatchRun.objects.filter(period=run.period, is_current=False).exclude(pk=run.pk)
    for other in old:
        if other.results_path:
            storage.delete(other.results_path)
            storage.delete(other.gap_key)
    CoverageStat.objects.filter(run__in=old).delete()


def _progress(job: Job | None, step: int, message: str) -> None:
    if job is not None:
        Job.objects.filter(pk=job.pk).update(progress=step, total=STEPS, message=message)


# ------------------------------------------------------------------------------ jobs, staleness


def match_enqueue(*, period: str, by: Any) -> Job:
    """Queue one match job for the period (an already queued or running one is reused)."""
    existing = Job.objects.filter(
        kind=JOB_KIND, params__period=period, state__in=[JobState.QUEUED, JobState.RUNNING]
    ).first()
    if existing is not None:
        return existing
    from monev.coverage.tasks import match_task

    with transaction.atomic():
        job = Job.objects.create(
            kind=JOB_KIND,
            params={"period": period},
            total=STEPS,
            message="menunggu pekerja",
            created_by=by if getattr(by, "pk", None) else None,
        )
        audit_record(actor=by, action="coverage.match_enqueue", obj=job, changes={"period": period})
        transaction.on_commit(lambda: match_task.enqueue(job_id=job.pk))
    return job


def match_job(*, job_id: int) -> None:
    """The background job: run the match, keep the Job row's state, counts and error."""
    from monev.core.scope import SYSTEM

    job = Job.objects.get(pk=job_id)
    Job.objects.filter(pk=job.pk).update(state=JobState.RUNNING, started_at=timezone.now())
    try:
        run = match_run(period=job.params["period"], by=job.created_by or SYSTEM, job=job)
    except MatchError as exc:
        _finish(job, JobState.FAILED, error=str(exc))
        return
    except Exception as exc:
        _finish(job, JobState.FAILED, error=f"{type(exc).__name__}: pencocokan gagal")
        raise
    _finish(job, JobState.DONE, result={"run": run.pk, **run.counts, "timings": run.timings})


def _finish(job: Job, state: str, *, error: str = "", result: dict[str, Any] | None = None) -> None:
    Job.objects.filter(pk=job.pk).update(
        state=state,
        error=error,
        result=result or {},
        progress=STEPS if state == JobState.DONE else job.progress,
        message="selesai" if state == JobState.DONE else "gagal",
        finished_at=timezone.now(),
    )


def coverage_mark_stale(*, period: str | None = None, pemda_code: str | None = None) -> int:
    """Mark current results that a new extract or roster version makes out of date."""
    runs = MatchRun.objects.filter(is_current=True)
    stats = CoverageStat.objects.filter(run__is_current=True)
    if period is not None:
        runs, stats = runs.filter(period=period), stats.filter(period=period)
    if pemda_code is not None:
        stats = stats.filter(pemda_code=pemda_code)
        runs = runs.filter(pk__in=stats.values("run_id"))
    stats.update(is_stale=True)
    return runs.update(is_stale=True)


def latest_period() -> str | None:
    value = MatchRun.objects.filter(is_current=True).aggregate(m=Max("period"))["m"]
    return str(value) if value else None


def registration_export(*, pemda_code: str, period: str, by: Any) -> list[list[Any]]:
    """Unprotected workers with NIK in clear for bulk registration; audited as a PII read."""
    from monev.coverage.selectors import registration_rows

    rows = registration_rows(user=by, pemda_code=pemda_code, period=period)
    audit_record(
        actor=by,
        action="coverage.registration_export",
        pemda_code=pemda_code,
        changes={"period": period, "rows": len(rows)},
    )
    return rows
