"""Every read of roster intake, scoped to the user. Reads of a by-name list are audited here,
in the one function each interface calls, so no page, API route or export can skip it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import polars as pl
from django.db.models import QuerySet

from monev.core.audit import audit_record
from monev.core.scope import get_scoped_or_404, scope_for
from monev.rosters import engine, storage, store
from monev.rosters.messages import message_for
from monev.rosters.models import RosterUpload, RosterVersion, WorkerCategory

ERROR_COLUMNS = ("row", "column", "code", "severity", "detail")


def roster_version_list(
    *, user: Any, pemda: str | None = None, period: str | None = None
) -> QuerySet[RosterVersion]:
    versions = RosterVersion.objects.for_user(user).select_related("pemda", "created_by")
    if pemda:
        versions = versions.filter(pemda__code=pemda)
    if period:
        versions = versions.filter(period=period)
    return versions


def roster_version_get(*, user: Any, version_id: int) -> RosterVersion:
    version = get_scoped_or_404(
        RosterVersion.objects.select_related("pemda", "previous"), user, pk=version_id
    )
    assert isinstance(version, RosterVersion)
    return version


def roster_upload_list(*, user: Any, pemda: str | None = None) -> QuerySet[RosterUpload]:
    uploads = RosterUpload.objects.for_user(user).select_related("pemda", "version", "job")
    return uploads.filter(pemda__code=pemda) if pemda else uploads


def roster_upload_get(*, user: Any, upload_id: int, action: str = "view") -> RosterUpload:
    upload = get_scoped_or_404(
        RosterUpload.objects.select_related("pemda", "version", "job"),
        user,
        action,  # type: ignore[arg-type]
        pk=upload_id,
    )
    assert isinstance(upload, RosterUpload)
    return upload


@dataclass(frozen=True)
class ErrorPage:
    total: int
    rows: list[dict[str, Any]]


def upload_errors(
    *,
    upload: RosterUpload,
    language: str | None = None,
    offset: int = 0,
    limit: int | None = 200,
    severity: str | None = None,
) -> ErrorPage:
    """Row errors and warnings with messages in `language` (NIKs in details are masked)."""
    frame = storage.frame_load(upload.pk, "errors")
    if frame is None:
        return ErrorPage(total=0, rows=[])
    if severity:
        frame = frame.filter(pl.col("severity") == severity)
    page = frame.slice(offset, limit)
    rows = [
        {**row, "message": message_for(row["code"], row["detail"], language)}
        for row in page.select(ERROR_COLUMNS).iter_rows(named=True)
    ]
    return ErrorPage(total=frame.height, rows=rows)


@dataclass(frozen=True)
class WorkerRow:
    """One row of a version's by-name list, as pages and the API show it (NIK masked)."""

    worker_id: int
    row_number: int
    nik_masked: str
    name: str
    category: str
    position: str
    wage: int | None
    funding_source: str
    desa_code: str

    @property
    def category_label(self) -> str:
        labels = dict(WorkerCategory.choices)
        return str(labels.get(self.category, self.category))


ROW_FIELDS = tuple(WorkerRow.__dataclass_fields__)


def _worker_rows(frame: pl.LazyFrame) -> list[WorkerRow]:
    return [WorkerRow(**row) for row in frame.select(ROW_FIELDS).collect().iter_rows(named=True)]


def roster_workers_read(
    *, user: Any, version: RosterVersion, offset: int = 0, limit: int = 100
) -> tuple[int, list[WorkerRow]]:
    """A page of the by-name list of a version (masked NIK). Audited as a personal-data read."""
    if not scope_for(user).allows(version.pemda.code):
        return 0, []
    rows = store.version_rows(version)  # stored in row order (store.rows_write)
    total = version.rows_accepted
    page = _worker_rows(rows.slice(offset, limit))
    audit_record(
        actor=user,
        action="roster.read",
        obj=version,
        pemda_code=version.pemda.code,
        changes={"offset": offset, "rows": len(page)},
    )
    return total, page


def roster_diff_read(
    *, user: Any, version: RosterVersion, kind: str, limit: int = 100
) -> list[WorkerRow]:
    """Who joined, left or changed wage against the replaced version (a by-name read)."""
    if version.previous is None or kind not in ("joined", "left", "wage_changed"):
        return []
    if not scope_for(user).allows(version.pemda.code):
        return []
    frames = engine.diff_frames(store.version_rows(version), store.version_rows(version.previous))
    result = _worker_rows(frames[kind].sort("row_number").head(limit))
    audit_record(
        actor=user,
        action="roster.read",
        obj=version,
        pemda_code=version.pemda.code,
        changes={"diff": kind, "rows": len(result)},
    )
    return result


# --- lists in force (versions per category) -----------------------------------------------


def supplied_categories(versions: list[RosterVersion]) -> dict[int, list[str]]:
    """Version id -> the categories it supplies, among one Pemda's current versions: each
    category comes from the newest version that lists it, unless a newer one ended it. A
    version that names no category (written without one, e.g. by a fixture) lists them all."""
    every = [c.value for c in WorkerCategory]
    decided: set[str] = set()
    out: dict[int, list[str]] = {}
    for version in sorted(versions, key=lambda v: (v.period, v.number), reverse=True):
        listed = list(version.categories or every)
        out[version.pk] = sorted(c for c in listed if c not in decided)
        decided |= set(listed) | set(version.ended_categories or [])
    return out


def categories_in_force(
    period: str, pemda_codes: list[str] | None = None
) -> dict[str, dict[int, list[str]]]:
    """Pemda code -> {version id: categories it supplies} for the lists in force in `period`:
    per category, the latest current version at or before the period."""
    versions = RosterVersion.objects.current().filter(period__lte=period).select_related("pemda")
    if pemda_codes is not None:
        versions = versions.filter(pemda__code__in=pemda_codes)
    by_pemda: dict[str, list[RosterVersion]] = {}
    for version in versions:
        by_pemda.setdefault(version.pemda.code, []).append(version)
    out = {}
    for code, mine in sorted(by_pemda.items()):
        supply = {vid: cats for vid, cats in supplied_categories(mine).items() if cats}
        if supply:
            out[code] = supply
    return out


def applicable_versions(period: str) -> dict[str, list[int]]:
    """Pemda code -> ids of the current versions that supply a category in `period`."""
    return {code: sorted(supply) for code, supply in categories_in_force(period).items()}


def rows_in_force(versions: dict[str, list[int]], columns: list[str]) -> pl.LazyFrame:
    """The rows of the given versions (`applicable_versions` or a match run's record), each
    version limited to the categories it supplies among its Pemda's listed versions."""
    ids = [i for version_ids in versions.values() for i in version_ids]
    chosen = list(RosterVersion.objects.filter(pk__in=ids).select_related("pemda").order_by("pk"))
    by_pemda: dict[str, list[RosterVersion]] = {}
    for version in chosen:
        by_pemda.setdefault(version.pemda.code, []).append(version)
    pairs = [
        (vid, category)
        for mine in by_pemda.values()
        for vid, categories in supplied_categories(mine).items()
        for category in categories
    ]
    wanted = pl.LazyFrame(
        {"version_id": [p[0] for p in pairs], "category": [p[1] for p in pairs]},
        schema={"version_id": pl.Int64, "category": pl.String},
    )
    rows = store.versions_rows(chosen, list(dict.fromkeys(["category", *columns])))
    return rows.join(wanted, on=["version_id", "category"], how="semi")


@dataclass
class CategoryChange:
    category: str
    label: str
    action: str  # replaced | new | carried | ended
    rows: int  # rows of the file in this category
    joined: int
    left: int
    carried: int  # workers that carry forward unchanged from the earlier list
    source_period: str | None  # period of the list in force before this upload
    source_number: int | None


def upload_category_changes(*, upload: RosterUpload) -> list[CategoryChange]:
    """Before commit, per category: what the upload changes against the lists in force for
    its period — replaced (joined / left), new, carried forward, or ended by the operator."""
    prepared = storage.prepared_load(upload.pk)
    if prepared is None:
        return []
    code = upload.pemda.code
    supply = categories_in_force(upload.period, [code]).get(code, {})
    versions = {v.pk: v for v in RosterVersion.objects.filter(pk__in=list(supply))}
    source = {c: versions[vid] for vid, cats in supply.items() for c in cats}
    old = rows_in_force({code: list(supply)}, ["nik_key"]).select("category", "nik_key").collect()
    new = prepared.rows.select("category", "nik_key")
    ended = set(upload.end_categories or [])
    out = []
    for category in WorkerCategory:
        mine = new.filter(pl.col("category") == category.value)
        before = old.filter(pl.col("category") == category.value)
        if mine.is_empty() and before.is_empty() and category.value not in ended:
            continue
        was = source.get(category.value)
        joined = mine.join(before, on="nik_key", how="anti").height
        left = before.join(mine, on="nik_key", how="anti").height
        if not mine.is_empty():
            action = "replaced" if not before.is_empty() else "new"
        else:
            action = "ended" if category.value in ended else "carried"
        out.append(
            CategoryChange(
                category=category.value,
                label=str(category.label),
                action=action,
                rows=mine.height,
                joined=joined if action in ("replaced", "new") else 0,
                left=left if action in ("replaced", "ended") else 0,
                carried=before.height if action == "carried" else 0,
                source_period=was.period if was else None,
                source_number=was.number if was else None,
            )
        )
    return out
