"""Writes of the registry app: import an extract as a pseudonymised snapshot."""

from __future__ import annotations

import datetime as dt
import hashlib
import time
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from monev.core import storage
from monev.core.audit import audit_record
from monev.regions.selectors import district_prefixes
from monev.registry import engine
from monev.registry.messages import message_for
from monev.registry.models import RegistrySnapshot


def _no_progress(done: int, total: int, message: str) -> None:
    return None


@dataclass
class RegistryImport:
    """What an import did: the snapshot when committed, the error report when any."""

    period: str
    source_name: str
    rows_total: int = 0
    rows_accepted: int = 0
    rows_rejected: int = 0
    error_counts: dict[str, int] = field(default_factory=dict)
    errors: pl.DataFrame | None = None
    report_path: Path | None = None
    snapshot: RegistrySnapshot | None = None
    file_error: str = ""

    @property
    def committed(self) -> bool:
        return self.snapshot is not None

    def error_rows(self, limit: int | None = 100, language: str = "id") -> list[dict[str, Any]]:
        if self.errors is None:
            return []
        frame = self.errors if limit is None else self.errors.head(limit)
        return [
            {**row, "message": message_for(row["code"], row["detail"], language)}
            for row in frame.iter_rows(named=True)
        ]


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 22), b""):
            digest.update(block)
    return digest.hexdigest()


def registry_key(period: str, name: str) -> str:
    return f"registry/{period}/{name}"


def registry_import(
    *,
    period: str,
    path: Path,
    by: Any,
    accept_valid: bool = False,
    source: str = "BPJS Ketenagakerjaan",
    progress: engine.Progress = _no_progress,
) -> RegistryImport:
    """Validate `path`; commit the valid rows as the period's current snapshot.

    Strict by default: any bad row rejects the whole file and nothing changes. With
    `accept_valid` the valid rows are committed and the bad ones reported.
    """
    with ThreadPoolExecutor(max_workers=1) as pool:
        # The checksum of a multi-GB extract, read while Polars works (hashlib lets go of
        # the GIL on large blocks).
        source_sha = pool.submit(file_sha256, path)
        return _import(period, path, by, accept_valid, source, progress, source_sha)


def _import(
    period: str,
    path: Path,
    by: Any,
    accept_valid: bool,
    source: str,
    progress: engine.Progress,
    source_sha: Future[str],
) -> RegistryImport:
    started = time.perf_counter()
    result = RegistryImport(period=period, source_name=path.name)
    try:
        checked = engine.validate_batches(
            engine.read_batches(path),
            period=period,
            prefixes=district_prefixes(),
            progress=progress,
        )
    except engine.RegistryFileError as exc:
        result.file_error = message_for(exc.code, exc.detail)
        _audit_rejected(result, by)
        return result
    result.rows_total, result.rows_rejected = checked.total, checked.n_invalid
    result.error_counts, result.errors = checked.error_counts(), checked.errors
    if checked.n_invalid:
        result.report_path = _write_error_report(period, path.name, checked.errors)
    if (checked.n_invalid and not accept_valid) or checked.n_valid == 0:
        _audit_rejected(result, by)
        return result
    progress(checked.n_valid, checked.n_valid, "write")
    result.rows_accepted = checked.n_valid
    result.snapshot = _commit(
        result, checked, path, source, source_sha.result(), by, time.perf_counter() - started
    )
    return result


def _commit(
    result: RegistryImport,
    checked: engine.Checked,
    path: Path,
    source: str,
    source_sha: str,
    by: Any,
    seconds: float,
) -> RegistrySnapshot:
    stamp = timezone.now().strftime("%Y%m%dT%H%M%S%f")
    key = registry_key(result.period, f"registri-{stamp}-{source_sha[:12]}.parquet")
    with storage.writing(key) as local:
        engine.write_parquet(checked.rows, local)
        parquet_sha = file_sha256(local)
    active, by_segment = engine.summary(checked.rows)
    with transaction.atomic():
        RegistrySnapshot.objects.filter(period=result.period, is_current=True).update(
            is_current=False
        )
        snapshot = RegistrySnapshot.objects.create(
            period=result.period,
            source=source[:64],
            source_name=path.name[:255],
            source_sha256=source_sha,
            parquet_path=key,
            parquet_sha256=parquet_sha,
            rows_total=checked.total,
            rows_accepted=checked.n_valid,
            rows_rejected=checked.n_invalid,
            rows_active=active,
            by_segment=by_segment,
            error_counts=result.error_counts,
            seconds=round(seconds, 3),
            created_by=by if getattr(by, "pk", None) else None,
        )
        audit_record(
            actor=by,
            action="registry.import",
            obj=snapshot,
            changes={
                "period": snapshot.period,
                "rows_accepted": snapshot.rows_accepted,
                "rows_rejected": snapshot.rows_rejected,
                "source_sha256": source_sha,
            },
        )
        _mark_coverage_stale(snapshot.period)
    return snapshot


def _mark_coverage_stale(period: str) -> None:
    from monev.coverage.services import coverage_mark_stale

    coverage_mark_stale(period=period)


def _audit_rejected(result: RegistryImport, by: Any) -> None:
    audit_record(
        actor=by,
        action="registry.reject",
        changes={
            "period": result.period,
            "source": result.source_name[:200],
            "rows_total": result.rows_total,
            "rows_rejected": result.rows_rejected,
            "error_counts": result.error_counts,
            "file_error": result.file_error,
        },
    )


def _write_error_report(period: str, source_name: str, errors: pl.DataFrame) -> Path:
    """CSV of row, column, code, detail, message (no clear NIK: details are lengths/prefixes),
    for the person at the command line: under MONEV_HOME/reports on this machine."""
    stamp = dt.datetime.now(tz=dt.UTC).strftime("%Y%m%dT%H%M%S")
    name = f"kesalahan-registri-{period}-{stamp}-{Path(source_name).stem[:40]}.csv"
    target = Path(settings.MONEV_HOME) / "reports" / name
    target.parent.mkdir(parents=True, exist_ok=True)
    codes = errors["code"].unique().to_list()
    messages = {code: message_for(code, "") for code in codes}
    errors.with_columns(pesan=pl.col("code").replace_strict(messages, default="")).write_csv(target)
    return target
