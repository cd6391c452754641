"""One selector per report: the data as a plain dict that both the PDF and XLSX render.

Every selector takes the requesting user and reads only rows in that user's scope; the
access rules for whole reports live in `monev.reports.access`.
"""

from __future__ import annotations

import datetime as dt
import importlib
from collections import defaultdict
from typing import Any

from django.db.models import Max, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from monev.budgets.models import BudgetLine, Regulation
from monev.coverage.models import CoverageStat
from monev.meetings import sources
from monev.meetings.models import OPEN_STATUSES, ActionItem, ItemStatus, Meeting
from monev.regions.models import Kanwil, Pemda, Region
from monev.rosters.models import WorkerCategory

CATEGORIES = [(c.value, str(c.label)) for c in WorkerCategory]


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def _coverage_rows(codes: list[str], period: str) -> dict[str, dict[str, Any]]:
    """Per Pemda: headcount/protected overall and by category from the current match run."""
    out: dict[str, dict[str, Any]] = {}
    stats = CoverageStat.objects.current().filter(period=period, pemda_code__in=codes)
    for row in stats.values("pemda_code", "category", "headcount", "protected", "coverage_prev"):
        entry = out.setdefault(row["pemda_code"], {"headcount": 0, "protected": 0, "cats": {}})
        entry["headcount"] += row["headcount"]
        entry["protected"] += row["protected"]
        entry["cats"][row["category"]] = {
            "headcount": row["headcount"],
            "protected": row["protected"],
            "coverage": _share(row["protected"], row["headcount"]),
            "coverage_prev": row["coverage_prev"],
        }
    return out


def _budgets(codes: list[str], year: int) -> dict[str, int]:
    rows = (
        BudgetLine.objects.filter(pemda__code__in=codes, fiscal_year=year)
        .values("pemda__code")
        .annotate(total=Sum("amount"))
    )
    return {r["pemda__code"]: int(r["total"] or 0) for r in rows}


def _regulations(codes: list[str], until: dt.date) -> dict[str, dict[str, Any]]:
    """Per Pemda: how many regulations by `until`, and the latest one's label."""
    out: dict[str, dict[str, Any]] = {}
    regs = Regulation.objects.filter(pemda__code__in=codes, issued_on__lte=until)
    for reg in regs.select_related("pemda").order_by("issued_on", "id"):
        entry = out.setdefault(reg.pemda.code, {"n": 0, "latest": None, "label": ""})
        entry["n"] += 1
        entry["latest"] = reg.issued_on
        entry["label"] = f"{reg.get_kind_display()} {reg.number}"
    return out


def _engine_table(period: str) -> Any:
    """The indicators engine's table for `period` (issue 6), or None without that app."""
    try:
        ind = importlib.import_module("monev.indicators.selectors")
    except ImportError:
        return None
    return ind.table(period)


def _costs(codes: list[str], period: str, table: Any) -> dict[str, int | None]:
    """Yearly cost to protect every unprotected worker (None when the Pemda has no roster).

    From the indicators engine when present (the figure the dashboards show), else from
    the budgets app's exact calculator, one Pemda at a time."""
    if table is not None:
        out: dict[str, int | None] = {}
        for code in codes:
            row = table.rows.get(code)
            has_roster = row is not None and any(n for n, _p in row.detail["counts"].values())
            out[code] = int(sum(row.detail["cost"].values())) if has_roster else None
        return out
    from monev.budgets.gap import gap_compute

    out = {}
    for code in codes:
        gap = gap_compute(pemda_code=code, period=period)
        out[code] = None if gap.roster_period is None else gap.monthly_cost * 12
    return out


def _scores(codes: list[str], table: Any) -> dict[str, dict[str, Any]]:
    """Composite score and rank within the Kanwil (same level) from the indicators engine."""
    if table is None:
        return {}
    out = {}
    for code in codes:
        row = table.rows.get(code)
        if row is not None and row.score is not None:
            rank, of = row.ranks.get("kanwil") or row.ranks.get("nasional") or (None, None)
            out[code] = {"score": round(row.score, 1), "rank": rank, "of": of}
    return out


def period_end(period: str) -> dt.date:
    year, month = int(period[:4]), int(period[5:7])
    nxt = dt.date(year + month // 12, month % 12 + 1, 1)
    return nxt - dt.timedelta(days=1)


def pemda_rows(codes: list[str], period: str, *, with_cost: bool = True) -> list[dict[str, Any]]:
    """The per-Pemda figures every report shows, in code order."""
    year = int(period[:4])
    pemdas = list(Pemda.objects.filter(code__in=codes).order_by("code"))
    cover, budgets = _coverage_rows(codes, period), _budgets(codes, year)
    regs = _regulations(codes, period_end(period))
    table = _engine_table(period)
    costs = _costs(codes, period, table) if with_cost else {}
    scores = _scores(codes, table)
    rows = []
    for p in pemdas:
        c = cover.get(p.code, {"headcount": 0, "protected": 0, "cats": {}})
        reg = regs.get(p.code, {"n": 0, "latest": None, "label": ""})
        row = {
            "code": p.code,
            "name": p.name,
            "province_code": p.province_code,
            "is_province": p.level == "province",
            "headcount": c["headcount"],
            "protected": c["protected"],
            "unprotected": c["headcount"] - c["protected"],
            "coverage": _share(c["protected"], c["headcount"]),
            "cats": c["cats"],
            "budget": budgets.get(p.code, 0),
            "cost": costs.get(p.code),
            "regulations": reg["n"],
            "regulation_latest": reg["label"],
            "score": scores.get(p.code, {}).get("score"),
            "rank": scores.get(p.code, {}).get("rank"),
            "rank_of": scores.get(p.code, {}).get("of"),
        }
        for cat, _label in CATEGORIES:
            cell = c["cats"].get(cat, {})
            row[f"{cat}_headcount"] = cell.get("headcount", 0)
            row[f"{cat}_protected"] = cell.get("protected", 0)
            row[f"{cat}_coverage"] = cell.get("coverage")
        row["budget_status"] = _budget_status(row["budget"], row["cost"])
        rows.append(row)
    if not scores:
        _rank(rows)
    for row in rows:
        row.setdefault("rank_basis", "score" if scores else "coverage")
    return rows


def _budget_status(budget: int, cost: int | None) -> str:
    if budget == 0:
        return _("Belum dianggarkan")
    if cost is None:
        return _("Daftar pekerja belum ada")
    return _("Cukup") if budget >= cost else _("Kurang")


def _rank(rows: list[dict[str, Any]]) -> None:
    """Rank by score when scores exist, else by coverage (ties share a rank)."""
    key = "score" if any(r["score"] is not None for r in rows) else "coverage"
    ordered = sorted(rows, key=lambda r: -(r[key] if r[key] is not None else -1))
    last, rank = None, 0
    for i, row in enumerate(ordered, start=1):
        if row[key] != last:
            rank, last = i, row[key]
        row["rank"] = rank if row[key] is not None else None
    for row in rows:
        row["rank_basis"] = key
        row["rank_of"] = len(rows)


def _totals(rows: list[dict[str, Any]]) -> dict[str, Any]:
    headcount = sum(r["headcount"] for r in rows)
    protected = sum(r["protected"] for r in rows)
    costs = [r["cost"] for r in rows if r["cost"] is not None]
    return {
        "pemda": len(rows),
        "headcount": headcount,
        "protected": protected,
        "unprotected": headcount - protected,
        "coverage": _share(protected, headcount),
        "budget": sum(r["budget"] for r in rows),
        "cost": sum(costs) if costs else None,
        "not_budgeted": sum(1 for r in rows if r["budget"] == 0),
        "no_regulation": sum(1 for r in rows if r["regulations"] == 0),
    }


def _workforce(user: Any, kanwil: str | None, period: str) -> dict[str, Any]:
    """Workforce coverage by province (BPS definition) with the definition text."""
    from monev.workforce.selectors import UnknownDefinition, definition_dict, workforce_coverage

    try:
        spec, rows = workforce_coverage(
            user=user, period=_workforce_period(period), level="province", kanwil=kanwil
        )
    except UnknownDefinition:
        return {"definition": None, "rows": [], "period": period, "has_data": False}
    return {
        "definition": definition_dict(spec),
        "has_data": any(r.coverage_percent for r in rows),
        "period": rows[0].period if rows else period,
        "rows": [
            {
                "code": r.region_code,
                "name": r.region_name,
                "participants": r.numerator,
                "employed": r.denominator,
                "coverage": float(r.coverage_percent) / 100 if r.coverage_percent else None,
            }
            for r in rows
        ],
    }


def _workforce_period(period: str) -> str:
    """The latest workforce period on or before `period` (Sakernas is half-yearly)."""
    from monev.workforce.models import WorkforceFigure

    latest = (
        WorkforceFigure.objects.filter(period__lte=period)
        .order_by("-period")
        .values_list("period", flat=True)
        .first()
    )
    return latest or period


def _items(qs: Any) -> list[dict[str, Any]]:
    names = dict(Pemda.objects.values_list("code", "name"))
    return [
        {
            "owner": names.get(i.pemda_code, i.pemda_code) if i.pemda_code else i.owner_label,
            "pemda_code": i.pemda_code,
            "what": i.what,
            "due_on": i.due_on,
            "status": i.shown_status,
            "status_label": i.status_label,
            "escalation": i.get_escalation_display(),
            "proposed": bool(i.close_proposed_at),
        }
        for i in qs
    ]


def _meta(user: Any, title: str) -> dict[str, Any]:
    name = user.get_full_name() or user.get_username() if hasattr(user, "get_full_name") else ""
    return {
        "title": title,
        "generated_at": timezone.localtime(),
        "generated_by": name or "sistem",
    }


def kanwil_pack_data(*, user: Any, kanwil: str, period: str) -> dict[str, Any]:
    """Bahan rapat monev for one Kanwil: per province and Pemda, as of `period`."""
    office = Kanwil.objects.get(code=kanwil)
    scoped = Pemda.objects.for_user(user).filter(kanwil=office, active=True)
    codes = list(scoped.values_list("code", flat=True))
    rows = pemda_rows(codes, period)
    provinces = []
    names = dict(Region.objects.current().provinces().values_list("code", "name"))
    by_province: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        by_province[row["province_code"]].append(row)
    found = sources.findings_for(pemda_codes=codes, period=period)
    findings = [f | {"pemda_name": _name(rows, f["pemda_code"])} for f in found]
    for code in sorted(by_province):
        members = by_province[code]
        mine = [f for f in findings if f["pemda_code"].split(".")[0] == code]
        provinces.append(
            {
                "code": code,
                "name": names.get(code, code),
                "pemdas": members,
                "totals": _totals(members),
                "red_findings": [f for f in mine if f["severity"] == "red"],
                "other_findings": sum(1 for f in mine if f["severity"] != "red"),
            }
        )
    previous = (
        Meeting.objects.filter(kanwil=office, period__lt=period)  # the one before this pack's
        .order_by("-starts_on", "-id")
        .first()
    )
    open_items = ActionItem.objects.for_user(user).filter(
        meeting=previous, status__in=OPEN_STATUSES, pemda_code__in=codes
    )
    title = _("Bahan Rapat Monev %(name)s") % {"name": office.name}
    return {
        "kind": "kanwil_pack",
        **_meta(user, title),
        "kanwil": {"code": office.code, "name": office.name},
        "period": period,
        "fiscal_year": int(period[:4]),
        "categories": CATEGORIES,
        "provinces": provinces,
        "pemdas": rows,
        "totals": _totals(rows),
        "workforce": _workforce(user, kanwil, period),
        "findings": findings,
        "previous_meeting": (
            {"title": previous.title, "starts_on": previous.starts_on, "place": previous.place}
            if previous
            else None
        ),
        "open_items": _items(open_items.order_by("pemda_code", "due_on")),
    }


def _name(rows: list[dict[str, Any]], code: str) -> str:
    return next((r["name"] for r in rows if r["code"] == code), code)


def scorecard_data(*, user: Any, pemda: str, period: str) -> dict[str, Any]:
    """One page for one Pemda: its figures, its rank in its Kanwil, its findings and items."""
    target = Pemda.objects.select_related("kanwil").get(code=pemda)
    own = pemda_rows([pemda], period)[0]
    if own["rank_basis"] != "score" and target.kanwil:  # no engine: rank by coverage
        peers = Pemda.objects.filter(kanwil=target.kanwil, active=True)
        ranked = pemda_rows(list(peers.values_list("code", flat=True)), period, with_cost=False)
        peer = next(r for r in ranked if r["code"] == pemda)
        own["rank"], own["rank_of"] = peer["rank"], peer["rank_of"]
    items = ActionItem.objects.for_user(user).filter(pemda_code=pemda, status__in=OPEN_STATUSES)
    findings = sources.findings_for(pemda_codes=[pemda], period=period)
    title = _("Rapor Pemda %(name)s") % {"name": target.name}
    return {
        "kind": "scorecard",
        **_meta(user, title),
        "pemda": own,
        "kanwil": {"code": target.kanwil.code, "name": target.kanwil.name}
        if target.kanwil
        else None,
        "peers": own["rank_of"],
        "period": period,
        "fiscal_year": int(period[:4]),
        "categories": CATEGORIES,
        "findings": findings,
        "open_items": _items(items.order_by("due_on")),
    }


def semester_bounds(semester: str) -> tuple[str, str, str]:
    """ "2024-H1" → (last period "2024-06", previous semester "2023-H2", its last period)."""
    year, half = int(semester[:4]), semester[5:]
    if half == "H1":
        return f"{year}-06", f"{year - 1}-H2", f"{year - 1}-12"
    return f"{year}-12", f"{year}-H1", f"{year}-06"


def _latest_period(until: str, after: str | None = None) -> str | None:
    qs = CoverageStat.objects.current().filter(period__lte=until)
    if after:
        qs = qs.filter(period__gt=after)
    return qs.aggregate(p=Max("period"))["p"]


def semester_data(*, user: Any, semester: str) -> dict[str, Any]:
    """Laporan semester for Menko PMK: by Kanwil and province, progress, top findings."""
    last, prev_semester, prev_last = semester_bounds(semester)
    period = _latest_period(last, prev_last) or last
    prev_period = _latest_period(prev_last)
    codes = list(Pemda.objects.for_user(user).filter(active=True).values_list("code", flat=True))
    rows = pemda_rows(codes, period, with_cost=False)
    before = (
        {r["code"]: r for r in pemda_rows(codes, prev_period, with_cost=False)}
        if prev_period
        else {}
    )
    kanwils = _semester_groups(rows, before)
    findings = sources.findings_for(pemda_codes=codes, period=period)
    reds = [f for f in findings if f["severity"] == "red"]
    counts: dict[str, int] = defaultdict(int)
    for f in findings:
        counts[f["code"].split(":")[0]] += 1
    items = ActionItem.objects.for_user(user)
    return {
        "kind": "semester",
        **_meta(user, _("Laporan Semester %(s)s Pelaksanaan Inpres 2/2021") % {"s": semester}),
        "semester": semester,
        "period": period,
        "previous_semester": prev_semester,
        "previous_period": prev_period,
        "fiscal_year": int(period[:4]),
        "totals": _totals(rows)
        | {"coverage_prev": _totals(list(before.values()))["coverage"] if before else None},
        "kanwils": kanwils,
        "finding_counts": sorted(counts.items(), key=lambda kv: -kv[1]),
        "top_findings": [f | {"pemda_name": _name(rows, f["pemda_code"])} for f in reds[:20]],
        "items": {
            "open": items.open().count() - items.overdue().count(),
            "overdue": items.overdue().count(),
            "done": items.filter(status=ItemStatus.DONE).count(),
        },
    }


def _semester_groups(
    rows: list[dict[str, Any]], before: dict[str, dict[str, Any]]
) -> list[dict[str, Any]]:
    kanwil_of = dict(Pemda.objects.values_list("code", "kanwil__code"))
    names = dict(Kanwil.objects.values_list("code", "name"))
    provinces = dict(Region.objects.current().provinces().values_list("code", "name"))
    grouped: dict[str, dict[str, list[dict[str, Any]]]] = defaultdict(lambda: defaultdict(list))
    for row in rows:
        grouped[kanwil_of.get(row["code"]) or "-"][row["province_code"]].append(row)
    out = []
    for code in sorted(grouped):
        province_rows = []
        for prov in sorted(grouped[code]):
            members = grouped[code][prov]
            prev = [before[m["code"]] for m in members if m["code"] in before]
            province_rows.append(
                {
                    "code": prov,
                    "name": provinces.get(prov, prov),
                    **_totals(members),
                    "coverage_prev": _totals(prev)["coverage"] if prev else None,
                }
            )
        everyone = [m for members in grouped[code].values() for m in members]
        prev_all = [before[m["code"]] for m in everyone if m["code"] in before]
        out.append(
            {
                "code": code,
                "name": names.get(code, code),
                **_totals(everyone),
                "coverage_prev": _totals(prev_all)["coverage"] if prev_all else None,
                "provinces": province_rows,
            }
        )
    return out
