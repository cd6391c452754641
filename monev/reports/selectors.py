"""One selector per report: the data as a plain dict that both the PDF and XLSX render.

Every selector takes the requesting user and reads only rows in that user's scope; the
access rules for whole reports live in `monev.reports.access`.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.db.models import Max, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from monev.budgets.gap import compare
from monev.budgets.models import RegulationKind
from monev.coverage.models import CoverageStat
from monev.indicators import selectors as ind
from monev.indicators.engine import PeriodTable
from monev.meetings import sources
from monev.meetings.models import OPEN_STATUSES, ActionItem, ItemStatus, Meeting
from monev.regions.models import Kanwil, Pemda, Region
from monev.rosters.models import WorkerCategory
from monev.workforce.models import WorkforceFigure
from monev.workforce.selectors import UnknownDefinition, definition_dict, workforce_coverage

CATEGORIES = [(c.value, str(c.label)) for c in WorkerCategory]


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def _engine_table(period: str) -> PeriodTable:
    """The facts every surface reads (`monev.indicators`): counts, budget, cost, score, rank."""
    return ind.table(period)


def period_end(period: str) -> dt.date:
    year, month = int(period[:4]), int(period[5:7])
    nxt = dt.date(year + month // 12, month % 12 + 1, 1)
    return nxt - dt.timedelta(days=1)


def pemda_rows(codes: list[str], period: str, *, with_cost: bool = True) -> list[dict[str, Any]]:
    """The per-Pemda figures every report shows, in code order, read from the indicators
    engine's table: the same counts, budget, cost, verdict, score and rank as the pages."""
    table = _engine_table(period)
    pemdas = list(Pemda.objects.filter(code__in=codes).order_by("code"))
    rows = []
    for p in pemdas:
        facts = table.rows.get(p.code)
        detail = facts.detail if facts is not None else {}
        counts: dict[str, tuple[int, int]] = detail.get("counts", {})
        headcount = sum(h for h, _p in counts.values())
        protected = sum(n for _h, n in counts.values())
        budget = sum(detail.get("budget", {}).values())
        gap = detail.get("gap")
        cost = gap.monthly_cost * 12 if gap is not None and with_cost else None
        regulation = detail.get("regulation")
        rank = _rank_of(facts)
        row = {
            "code": p.code,
            "name": p.name,
            "province_code": p.province_code,
            "is_province": p.level == "province",
            "headcount": headcount,
            "protected": protected,
            "unprotected": headcount - protected,
            "coverage": _share(protected, headcount),
            "cats": {
                cat: {"headcount": h, "protected": n, "coverage": _share(n, h)}
                for cat, (h, n) in counts.items()
            },
            "budget": budget,
            "cost": cost,
            "match_period": gap.match_period if gap is not None else None,
            "regulations": regulation.count if regulation else 0,
            "regulation_latest": _regulation_label(regulation),
            "score": None if facts is None or facts.score is None else round(facts.score, 1),
            "rank": rank[0],
            "rank_of": rank[1],
            "rank_basis": "score",
        }
        for cat, _label in CATEGORIES:
            headcount_cat, protected_cat = counts.get(cat, (0, 0))
            row[f"{cat}_headcount"] = headcount_cat
            row[f"{cat}_protected"] = protected_cat
            row[f"{cat}_coverage"] = _share(protected_cat, headcount_cat)
        row["budget_status"] = _budget_status(budget, gap if with_cost else None, int(period[:4]))
        rows.append(row)
    return rows


def _rank_of(facts: Any) -> tuple[int | None, int | None]:
    if facts is None or facts.score is None:
        return None, None
    rank, of = facts.ranks.get("kanwil") or facts.ranks.get("nasional") or (None, None)
    return rank, of


def _regulation_label(regulation: Any) -> str:
    if not regulation:
        return ""
    kind = dict(RegulationKind.choices).get(regulation.latest_kind, regulation.latest_kind)
    return f"{kind} {regulation.latest_number}"


def _budget_status(budget: int, gap: Any, year: int) -> str:
    """The budget page's verdict (`budgets.gap.compare`) in words, for the same figures."""
    if gap is None or gap.roster_period is None:
        return _("Belum dianggarkan") if budget == 0 else _("Daftar pekerja belum ada")
    verdict = compare(gap.pemda, year, "", budget, gap.monthly_cost).status
    return {
        "not_budgeted": _("Belum dianggarkan"),
        "short": _("Kurang"),
        "enough": _("Cukup"),
        "no_gap": _("Tidak ada kesenjangan"),
    }[verdict]


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


def report_defaults(*, user: Any) -> dict[str, str]:
    """What the report forms start on: the newest period with data, the user's own Kanwil
    (for the national view, the Kanwil whose Pemda sent the most data) and own Pemda."""
    period = ind.period_choose(None) or ""
    home = ind.home_place(user=user)
    own = Pemda.objects.for_user(user).filter(active=True).order_by("code")
    kanwil = home[1] if home and home[0] == "kanwil" else ""
    if not kanwil and home and home[0] != "nasional":
        first = own.select_related("kanwil").first()
        kanwil = first.kanwil.code if first and first.kanwil else ""
    if not kanwil and period:
        kanwil = _busiest_kanwil(period)
    half = "H1" if period[5:7] <= "06" else "H2"
    pemda = home[1] if home and home[0] == "pemda" else ""
    if not pemda and period:
        rows = ind.table(period).rows
        pemda = next((p.code for p in own if rows.get(p.code) and rows[p.code].score), "")
    return {
        "default_period": period,
        "default_kanwil": kanwil,
        "default_pemda": pemda,
        "default_semester": f"{period[:4]}-{half}" if period else "",
    }


def _busiest_kanwil(period: str) -> str:
    counts = (
        CoverageStat.objects.current()
        .filter(period=period)
        .values("kanwil_code")
        .annotate(n=Sum("headcount"))
        .order_by("-n")
    )
    first = counts.first()
    return str(first["kanwil_code"]) if first else ""
