"""Reads of the targeting app: every page, API route, export and command goes through here."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import polars as pl
from django.db.models import Max, Sum

from monev.core import storage
from monev.core.audit import audit_record
from monev.core.scope import get_scoped_or_404, scope_for
from monev.targeting import engine
from monev.targeting.models import RunState, SocialRegister, TargetRun, TargetStat

PAGE = 100
ROSTER_FILTERS = engine.ROSTER_STATUSES
STATUS_FILTERS = ("PARTIAL", "LAPSED", "NOT_FOUND")


def current_run(period: str) -> TargetRun | None:
    return (
        TargetRun.objects.filter(period=period, is_current=True, state=RunState.DONE)
        .select_related("register", "snapshot")
        .first()
    )


def run_is_stale(run: TargetRun) -> bool:
    """True when a newer list or registry extract exists for the run's period."""
    from monev.registry.models import RegistrySnapshot
    from monev.targeting.services import register_for

    register = register_for(run.period)
    snapshot = RegistrySnapshot.objects.for_period(run.period)
    return (register is not None and register.pk != run.register_id) or (
        snapshot is not None and snapshot.pk != run.snapshot_id
    )


def can_run(user: Any) -> bool:
    """Runs are national: only users who may change every region start one from the web."""
    scope = scope_for(user, "change")
    return scope.all_regions and scope.can_change


def latest_period() -> str | None:
    value = TargetRun.objects.filter(is_current=True).aggregate(m=Max("period"))["m"]
    return str(value) if value else None


def target_stat_list(
    *, user: Any, period: str, kanwil: str | None = None, breakdowns: bool = True
) -> list[TargetStat]:
    """The period's figures of every Pemda in scope; `breakdowns=False` leaves out the
    per-desil/desa/occupation counts (the national table does not show them)."""
    stats = TargetStat.objects.current().for_user(user).filter(period=period)
    stats = stats.select_related("run", "run__register")
    if not breakdowns:
        stats = stats.defer("by_desil", "by_desa", "by_occupation")
    if kanwil:
        stats = stats.filter(kanwil_code=kanwil)
    return list(stats.order_by("-targets", "pemda_code"))


def target_stat_get(*, user: Any, pemda_code: str, period: str) -> TargetStat:
    """The Pemda's figures for the period, or 404 (also when outside the user's scope)."""
    stat = get_scoped_or_404(
        TargetStat.objects.current().select_related("run", "run__register"),
        user,
        pemda_code=pemda_code,
        period=period,
    )
    assert isinstance(stat, TargetStat)
    return stat


def can_export_nik(user: Any, pemda_code: str) -> bool:
    """Only Pemda operators and BPJS (Kanwil) officers, within their scope, get clear NIKs."""
    from monev.accounts.models import Role

    role = getattr(user, "role", None)
    if role not in (Role.PEMDA, Role.KANWIL):
        return False
    return scope_for(user, "change").allows(pemda_code, "change")


@dataclass(frozen=True)
class PeopleFilter:
    roster_status: str | None = None  # RENTAN_BACKLOG | OTHER_ROSTER | NO_ROSTER
    status: str | None = None  # PARTIAL | LAPSED | NOT_FOUND
    desil: int | None = None
    desa: str | None = None


def target_people(
    *,
    stat: TargetStat,
    filters: PeopleFilter | None = None,
    offset: int = 0,
    limit: int | None = PAGE,
) -> tuple[pl.DataFrame, int]:
    """The Pemda's targets (masked NIK), the requested page and the total. `stat` comes from
    `target_stat_get`, so the caller's scope is already checked."""
    run = stat.run
    if not run.has_results:
        return pl.DataFrame(schema={c: pl.String for c in engine.RESULT_COLUMNS}), 0
    code = pl.col("pemda_code")
    mine = (
        code.str.starts_with(stat.pemda_code + ".")
        if stat.level == "province"
        else (code == stat.pemda_code)
    )
    frame = engine.targets_only(storage.scan_parquet(run.results_path).filter(mine))
    frame = _filtered(frame, filters or PeopleFilter())
    rows = frame.sort("desil", "kode_wilayah", "row").collect()
    page = rows.slice(offset, limit) if limit is not None else rows
    return page, rows.height


def target_people_read(
    *,
    user: Any,
    stat: TargetStat,
    via: str,
    filters: PeopleFilter | None = None,
    offset: int = 0,
    limit: int | None = PAGE,
) -> tuple[pl.DataFrame, int]:
    """`target_people` for a person reading names: every read is in the audit trail
    (`targeting.read`, with where from and how many rows; never a NIK)."""
    frame, total = target_people(stat=stat, filters=filters, offset=offset, limit=limit)
    audit_record(
        actor=user,
        action="targeting.read",
        obj=stat.run,
        pemda_code=stat.pemda_code,
        changes={"period": stat.period, "via": via, "rows": frame.height, "offset": offset},
    )
    return frame, total


def _filtered(frame: pl.LazyFrame, f: PeopleFilter) -> pl.LazyFrame:
    if f.roster_status:
        frame = frame.filter(pl.col("roster_status").cast(pl.String) == f.roster_status)
    if f.status:
        frame = frame.filter(pl.col("status").cast(pl.String) == f.status)
    if f.desil:
        frame = frame.filter(pl.col("desil") == f.desil)
    if f.desa:
        frame = frame.filter(pl.coalesce("desa_code", "kode_wilayah").str.starts_with(f.desa))
    return frame


def people_rows(frame: pl.DataFrame) -> list[dict[str, Any]]:
    """Masked rows for pages and the API (no hash, no cipher)."""
    keep = [c for c in engine.RESULT_COLUMNS if c != "nik_hash"]
    return [
        {**row, "status": str(row["status"]), "roster_status": str(row["roster_status"])}
        for row in frame.select(keep).iter_rows(named=True)
    ]


def stat_dict(stat: TargetStat) -> dict[str, Any]:
    return {
        "pemda": stat.pemda_code,
        "level": stat.level,
        "period": stat.period,
        "kanwil": stat.kanwil_code,
        "residents": stat.residents,
        "eligible": stat.eligible,
        "protected": stat.protected,
        "targets": stat.targets,
        "reach": stat.reach,
        "by_registry_status": {
            "PARTIAL": stat.partial,
            "LAPSED": stat.lapsed,
            "NOT_FOUND": stat.not_found,
        },
        "by_roster_status": {
            "RENTAN_BACKLOG": stat.backlog,
            "OTHER_ROSTER": stat.other_roster,
            "NO_ROSTER": stat.no_roster,
        },
        "package_monthly": stat.run.package_monthly,
        "monthly_cost": stat.monthly_cost,
        "yearly_cost": stat.yearly_cost,
        "by_desil": stat.by_desil,
        "by_desa": stat.by_desa,
        "by_occupation": stat.by_occupation,
        "rule": stat.run.rule,
        "register": _register_dict(stat.run.register),
    }


def _register_dict(register: SocialRegister | None) -> dict[str, Any] | None:
    if register is None:
        return None
    return {"id": register.pk, "source": register.source, "as_of": register.as_of}


def targeting_layer(*, user: Any, period: str, level: str = "pemda") -> list[dict[str, Any]]:
    """The dashboard layer "pekerja miskin ekstrem belum terlindungi": per Pemda (or summed
    per province / Kanwil) targets, eligible, protected and yearly cost, within scope."""
    stats = TargetStat.objects.current().for_user(user).filter(period=period, level="regency")
    key = {"pemda": "pemda_code", "province": "province_code", "kanwil": "kanwil_code"}[level]
    rows = stats.values(key).annotate(
        targets=Sum("targets"),
        eligible=Sum("eligible"),
        protected=Sum("protected"),
        backlog=Sum("backlog"),
        yearly_cost=Sum("yearly_cost"),
    )
    return [
        {
            "code": row[key],
            "targets": row["targets"],
            "eligible": row["eligible"],
            "protected": row["protected"],
            "backlog": row["backlog"],
            "yearly_cost": row["yearly_cost"],
            "reach": row["protected"] / row["eligible"] if row["eligible"] else None,
        }
        for row in rows.order_by(key)
    ]
