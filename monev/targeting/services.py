"""Writes of the targeting app: import the social-economic list, run the targeting, and the
two audited exports that carry the NIK in clear."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import logging
import shutil
import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from monev.core import pii, storage
from monev.core.audit import audit_record
from monev.core.spreadsheet import safe_writer
from monev.regions.models import Pemda, Region
from monev.regions.selectors import district_prefixes
from monev.targeting import engine
from monev.targeting.messages import message_for
from monev.targeting.models import (
    RegisterSource,
    RunState,
    SocialRegister,
    TargetRun,
    TargetStat,
)

log = logging.getLogger(__name__)
MONTHS = 12
PACKAGE_PROGRAMMES = ["JKK", "JKM"]


class TargetingError(Exception):
    """Targeting cannot run (no list, no registry extract for the period)."""


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 22), b""):
            digest.update(block)
    return digest.hexdigest()


def _as_of_date(as_of: str) -> dt.date:
    """The last day of the as-of month: ages and birth dates are judged on it."""
    start = engine.period_start(as_of)
    following = (start.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return following - dt.timedelta(days=1)


# ------------------------------------------------------------------------------ the import


@dataclass
class RegisterImport:
    as_of: str
    source: str
    source_name: str
    rows_total: int = 0
    rows_accepted: int = 0
    rows_rejected: int = 0
    error_counts: dict[str, int] = field(default_factory=dict)
    errors: pl.DataFrame | None = None
    report_path: Path | None = None
    register: SocialRegister | None = None
    file_error: str = ""

    @property
    def committed(self) -> bool:
        return self.register is not None

    def error_rows(self, limit: int | None = 100, language: str = "id") -> list[dict[str, Any]]:
        if self.errors is None:
            return []
        frame = self.errors if limit is None else self.errors.head(limit)
        return [
            {**row, "message": message_for(row["code"], row["detail"], language)}
            for row in frame.iter_rows(named=True)
        ]


def reference() -> engine.Reference:
    districts = Region.objects.districts().values_list("code", flat=True)
    return engine.Reference(
        district_prefixes=district_prefixes(),
        pemda_codes=frozenset(Pemda.objects.filter(level="regency").values_list("code", flat=True)),
        district_codes=frozenset(districts),
    )


def register_key(as_of: str, name: str) -> str:
    return f"dtsen/{as_of}/{name}"


def register_import(
    *,
    as_of: str,
    path: Path,
    by: Any,
    source: str = RegisterSource.DTSEN,
    accept_valid: bool = False,
) -> RegisterImport:
    """Validate the list; commit it as the current list of its as-of month.

    All or nothing by default: one bad row rejects the file and nothing changes; with
    `accept_valid` the valid rows are committed and the bad ones reported.
    """
    started = time.perf_counter()
    result = RegisterImport(as_of=as_of, source=str(source), source_name=path.name)
    try:
        frame = engine.read_list(path)
    except engine.RegisterFileError as exc:
        result.file_error = message_for(exc.code, exc.detail)
        _audit_rejected(result, by)
        return result
    # Validated parts wait on this machine's disk until they are merged into the stored file.
    work = Path(settings.MONEV_HOME) / "tmp" / f"intake-{uuid.uuid4().hex}"
    try:
        checked = engine.intake_chunks(
            frame,
            as_of=_as_of_date(as_of),
            reference=reference(),
            workdir=work,
            strict=not accept_valid,
        )
        del frame
        result.rows_total, result.rows_rejected = checked.total, checked.n_invalid
        result.error_counts, result.errors = checked.error_counts(), checked.errors
        if checked.n_invalid:
            result.report_path = _write_error_report(as_of, path.name, checked.errors)
        if (checked.n_invalid and not accept_valid) or checked.accepted == 0:
            _audit_rejected(result, by)
            return result
        result.rows_accepted = checked.accepted
        result.register = _commit(result, checked.parts, path, by, time.perf_counter() - started)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return result


def _commit(
    result: RegisterImport, parts: list[Path], path: Path, by: Any, seconds: float
) -> SocialRegister:
    source_sha = file_sha256(path)
    stamp = timezone.now().strftime("%Y%m%dT%H%M%S%f")
    key = register_key(result.as_of, f"dtsen-{stamp}-{source_sha[:12]}.parquet")
    with storage.writing(key) as local:
        engine.merge_parts(parts, local)
        by_pemda, by_desil = engine.summary_of(local)
        parquet_sha = file_sha256(local)
    with transaction.atomic():
        SocialRegister.objects.filter(as_of=result.as_of, is_current=True).update(is_current=False)
        register = SocialRegister.objects.create(
            as_of=result.as_of,
            source=result.source,
            source_name=path.name[:255],
            source_sha256=source_sha,
            parquet_path=key,
            parquet_sha256=parquet_sha,
            rows_total=result.rows_total,
            rows_accepted=result.rows_accepted,
            rows_rejected=result.rows_rejected,
            by_pemda=by_pemda,
            by_desil=by_desil,
            error_counts=result.error_counts,
            seconds=round(seconds, 3),
            created_by=by if getattr(by, "pk", None) else None,
        )
        audit_record(
            actor=by,
            action="targeting.register_import",
            obj=register,
            changes={
                "as_of": register.as_of,
                "source": register.source,
                "rows_accepted": register.rows_accepted,
                "rows_rejected": register.rows_rejected,
                "pemda": len(by_pemda),
                "source_sha256": source_sha,
            },
        )
    return register


def _audit_rejected(result: RegisterImport, by: Any) -> None:
    audit_record(
        actor=by,
        action="targeting.register_reject",
        changes={
            "as_of": result.as_of,
            "source": result.source,
            "file": result.source_name[:200],
            "rows_total": result.rows_total,
            "rows_rejected": result.rows_rejected,
            "error_counts": result.error_counts,
            "file_error": result.file_error,
        },
    )


def _write_error_report(as_of: str, source_name: str, errors: pl.DataFrame) -> Path:
    """CSV of row, column, code, detail, pesan (details are lengths, prefixes, masks), for the
    person at the command line: under MONEV_HOME/reports on this machine."""
    stamp = dt.datetime.now(tz=dt.UTC).strftime("%Y%m%dT%H%M%S")
    name = f"kesalahan-dtsen-{as_of}-{stamp}-{Path(source_name).stem[:40]}.csv"
    target = Path(settings.MONEV_HOME) / "reports" / name
    target.parent.mkdir(parents=True, exist_ok=True)
    messages = {code: message_for(code) for code in errors["code"].unique().to_list()}
    errors.with_columns(pesan=pl.col("code").replace_strict(messages, default="")).write_csv(target)
    return target


# ------------------------------------------------------------------------------ targeting


def register_for(period: str) -> SocialRegister | None:
    """The current list with the latest as-of month not after the period."""
    return SocialRegister.objects.current().filter(as_of__lte=period).order_by("-as_of").first()


def package_monthly(period: str) -> tuple[int, list[dict[str, Any]]]:
    """The BPU pekerja-rentan package (JKK + JKM at the minimum declared income) in force on
    the first day of the period, from the rate table, with the rows used. 0 if no rates."""
    from monev.budgets.rates import ContributionInputError, contribution_calculate

    try:
        result = contribution_calculate(
            segment="BPU",
            wage=1,
            day=engine.period_start(period),
            programmes=PACKAGE_PROGRAMMES,
        )
    except ContributionInputError:
        return 0, []
    rows = [
        {
            "programme": s.programme,
            "total": s.total,
            "legal_basis": sorted({r.legal_basis for r in s.rows}),
        }
        for s in result.programmes
    ]
    return result.total("employer") + result.total("worker"), rows


def _rosters(period: str) -> tuple[pl.LazyFrame, dict[str, list[int]]]:
    from monev.coverage.services import applicable_versions, roster_frame

    versions = applicable_versions(period)
    frame = roster_frame(versions).select(list(engine.ROSTER_SCHEMA))
    return frame, versions


def results_key(period: str, run_id: int) -> str:
    return f"targeting/{period}/sasaran-{run_id}.parquet"


def target_run(*, period: str, by: Any, rule: engine.Rule | None = None) -> TargetRun:
    """Cross the list with the period's registry extract and rosters, for every Pemda.

    Idempotent: the new run replaces the period's current run in one transaction; until
    then, and after any failure, the previous run stays current.
    """
    from monev.registry.models import RegistrySnapshot

    rule = rule or engine.Rule()
    register = register_for(period)
    if register is None:
        raise TargetingError(f"belum ada data DTSEN/P3KE dengan bulan data ≤ {period}")
    snapshot = RegistrySnapshot.objects.for_period(period)
    if snapshot is None:
        raise TargetingError(f"belum ada ekstrak registri untuk periode {period}")
    run = TargetRun.objects.create(
        period=period, register=register, snapshot=snapshot, rule=rule.as_dict()
    )
    try:
        return _run(run, register, snapshot.uri, rule, by)
    except Exception as exc:
        TargetRun.objects.filter(pk=run.pk).update(
            state=RunState.FAILED, error=type(exc).__name__, finished_at=timezone.now()
        )
        log.exception("targeting run %s for %s failed", run.pk, period)
        raise


def _run(
    run: TargetRun, register: SocialRegister, registry_path: str, rule: engine.Rule, by: Any
) -> TargetRun:
    started = time.perf_counter()
    rosters, versions = _rosters(run.period)
    results_key_ = results_key(run.period, run.pk)
    results = engine.run_targeting(
        people_path=register.uri,
        registry_path=registry_path,
        rosters=rosters,
        period=run.period,
        as_of=register.as_of,
        rule=rule,
        results_path=storage.uri(results_key_),
    )
    seconds = round(time.perf_counter() - started, 3)
    run.package_monthly, run.package_rows = package_monthly(run.period)
    run.roster_versions = versions
    run.results_path = results_key_
    _store(run, register, results, by)
    run.timings = {"match": seconds, "total": round(time.perf_counter() - started, 3)}
    TargetRun.objects.filter(pk=run.pk).update(timings=run.timings)
    _prune(run)
    return run


def _store(run: TargetRun, register: SocialRegister, results: pl.DataFrame, by: Any) -> None:
    agg = {row["pemda_code"]: row for row in engine.aggregates(results).iter_rows(named=True)}
    parts = engine.breakdowns(engine.targets_only(results.lazy()).collect())
    codes = sorted(set(register.by_pemda) | set(agg))
    provinces = sorted({code.split(".")[0] for code in codes})
    kanwil = dict(
        Pemda.objects.filter(code__in=codes + provinces).values_list("code", "kanwil__code")
    )
    stats = [
        _stat(run, code, register.by_pemda.get(code, 0), agg.get(code), parts.get(code, {}), kanwil)
        for code in codes
    ]
    totals = {
        key: sum(getattr(s, key) for s in stats)
        for key in ("residents", "eligible", "protected", "targets", "backlog", "no_roster")
    }
    totals["yearly_cost"] = sum(s.yearly_cost for s in stats)
    stats += [_province_stat(run, code, stats, kanwil) for code in provinces if code in kanwil]
    with transaction.atomic():
        TargetStat.objects.bulk_create(stats, batch_size=1000)
        TargetRun.objects.filter(period=run.period, is_current=True).update(is_current=False)
        run.state, run.is_current, run.counts = RunState.DONE, True, totals
        run.finished_at = timezone.now()
        run.save()
        audit_record(
            actor=by,
            action="targeting.run",
            obj=run,
            changes={"period": run.period, "register": register.pk, "rule": run.rule, **totals},
        )


def _stat(
    run: TargetRun,
    code: str,
    residents: int,
    row: dict[str, Any] | None,
    parts: dict[str, dict[str, int]],
    kanwil: Mapping[str, str | None],
) -> TargetStat:
    counts = {k: v for k, v in (row or {}).items() if k != "pemda_code"}
    monthly = counts.get("targets", 0) * run.package_monthly
    return TargetStat(
        run=run,
        period=run.period,
        pemda_code=code,
        province_code=code.split(".")[0],
        kanwil_code=kanwil.get(code) or "",
        residents=residents,
        monthly_cost=monthly,
        yearly_cost=monthly * MONTHS,
        by_desil=parts.get("desil", {}),
        by_desa=parts.get("desa", {}),
        by_occupation=parts.get("job", {}),
        **counts,
    )


SUMMED = (
    "residents",
    "eligible",
    "protected",
    "targets",
    "lapsed",
    "partial",
    "not_found",
    "backlog",
    "other_roster",
    "no_roster",
    "monthly_cost",
    "yearly_cost",
)


def _province_stat(
    run: TargetRun, code: str, stats: list[TargetStat], kanwil: Mapping[str, str | None]
) -> TargetStat:
    """The Pemprov's figures: the sum of its kab/kota (residents live in a kab/kota)."""
    mine = [s for s in stats if s.province_code == code and s.level == "regency"]
    merged: dict[str, dict[str, int]] = {"by_desil": {}, "by_desa": {}, "by_occupation": {}}
    for stat in mine:
        for field_name, counts in merged.items():
            for key, n in getattr(stat, field_name).items():
                counts[key] = counts.get(key, 0) + n
    return TargetStat(
        run=run,
        period=run.period,
        pemda_code=code,
        level="province",
        province_code=code,
        kanwil_code=kanwil.get(code) or "",
        **{name: sum(getattr(s, name) for s in mine) for name in SUMMED},
        **merged,
    )


def _prune(run: TargetRun) -> None:
    """Drop results of runs of this period that are no longer current."""
    old = TargetRun.objects.filter(period=run.period, is_current=False).exclude(pk=run.pk)
    for other in old:
        if other.results_path:
            storage.delete(other.results_path)
    TargetStat.objects.filter(run__in=old).delete()


# ------------------------------------------------------------------------------ exports


ROSTER_HEADER = ["nik", "nama", "kategori", "jabatan", "upah", "sumber_dana", "kode_desa"]
REGISTRATION_HEADER = [
    "nik",
    "nama",
    "kode_wilayah",
    "desil",
    "pekerjaan",
    "umur",
    "status_registri",
    "status_daftar",
    "paket_bpu_per_bulan",
]


def _clear_niks(register: SocialRegister, rows: pl.DataFrame) -> dict[int, str]:
    """Decrypt the NIK of the listed rows (by list row number) from the list's Parquet."""
    wanted = rows.select("pemda_code", "row")
    ciphers = (
        storage.scan_parquet(register.parquet_path)
        .select("pemda_code", "row", "nik_cipher")
        .join(wanted.lazy(), on=["pemda_code", "row"], how="semi")
        .collect()
    )
    return {row: pii.nik_decrypt(token) for _p, row, token in ciphers.iter_rows()}


def _audit_export(*, by: Any, action: str, run: TargetRun, pemda_code: str, rows: int) -> None:
    audit_record(
        actor=by,
        action=action,
        obj=run,
        pemda_code=pemda_code,
        changes={"period": run.period, "pemda": pemda_code, "rows": rows},
    )


def target_roster_export(*, run: TargetRun, pemda_code: str, targets: pl.DataFrame, by: Any) -> str:
    """The targets as a RENTAN roster file (docs/formats/roster.md) the Pemda reviews and
    uploads. Carries the NIK in clear, so it is audited like the registration export."""
    assert run.register is not None
    niks = _clear_niks(run.register, targets)
    out = io.StringIO()
    writer = safe_writer(csv.writer(out, lineterminator="\n"))
    writer.writerow(ROSTER_HEADER)
    for row in targets.iter_rows(named=True):
        writer.writerow(
            [
                niks[row["row"]],
                row["name"],
                "RENTAN",
                (row["occupation"] or "")[:200],
                "",
                "",
                row["desa_code"] or "",
            ]
        )
    _audit_export(
        by=by, action="targeting.export_roster", run=run, pemda_code=pemda_code, rows=targets.height
    )
    return out.getvalue()


def target_registration_export(
    *, run: TargetRun, pemda_code: str, targets: pl.DataFrame, by: Any
) -> str:
    """The targets with the NIK in clear for registration with BPJS Ketenagakerjaan."""
    assert run.register is not None
    niks = _clear_niks(run.register, targets)
    out = io.StringIO()
    writer = safe_writer(csv.writer(out, lineterminator="\n"))
    writer.writerow(REGISTRATION_HEADER)
    for row in targets.iter_rows(named=True):
        writer.writerow(
            [
                niks[row["row"]],
                row["name"],
                row["kode_wilayah"],
                row["desil"],
                row["occupation"] or "",
                row["age_now"],
                row["status"],
                row["roster_status"],
                run.package_monthly,
            ]
        )
    _audit_export(
        by=by,
        action="targeting.export_registration",
        run=run,
        pemda_code=pemda_code,
        rows=targets.height,
    )
    return out.getvalue()


# ------------------------------------------------------------------------------ jobs

JOB_KIND = "targeting.run"


def target_enqueue(*, period: str, by: Any, rule: engine.Rule | None = None) -> Any:
    """Queue one national targeting run for the period (a queued or running one is reused)."""
    from monev.core.models import Job, JobState
    from monev.targeting.tasks import target_task

    existing = Job.objects.filter(
        kind=JOB_KIND, params__period=period, state__in=[JobState.QUEUED, JobState.RUNNING]
    ).first()
    if existing is not None:
        return existing
    rule = rule or engine.Rule()
    with transaction.atomic():
        job = Job.objects.create(
            kind=JOB_KIND,
            params={"period": period, "rule": rule.as_dict()},
            total=1,
            message="menunggu pekerja",
            created_by=by if getattr(by, "pk", None) else None,
        )
        audit_record(actor=by, action="targeting.enqueue", obj=job, changes={"period": period})
        transaction.on_commit(lambda: target_task.enqueue(job_id=job.pk))
    return job


def target_job(*, job_id: int) -> None:
    """The background job: run the targeting, keep the Job row's state, counts and error."""
    from monev.core.models import Job, JobState
    from monev.core.scope import SYSTEM

    job = Job.objects.get(pk=job_id)
    Job.objects.filter(pk=job.pk).update(state=JobState.RUNNING, started_at=timezone.now())
    state, error, result = JobState.DONE, "", {}
    try:
        run = target_run(
            period=job.params["period"],
            by=job.created_by or SYSTEM,
            rule=engine.Rule(**job.params.get("rule", {})),
        )
        result = {"run": run.pk, **run.counts, "timings": run.timings}
    except TargetingError as exc:
        state, error = JobState.FAILED, str(exc)
    except Exception as exc:
        state, error = JobState.FAILED, f"{type(exc).__name__}: penyasaran gagal"
        log.exception("targeting job %s failed", job_id)
    Job.objects.filter(pk=job.pk).update(
        state=state,
        error=error,
        result=result,
        progress=1 if state == JobState.DONE else 0,
        message="selesai" if state == JobState.DONE else "gagal",
        finished_at=timezone.now(),
    )
