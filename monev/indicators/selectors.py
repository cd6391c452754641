"""Every read the dashboards, exports, API and reports need, scoped to the viewer.

The engine computes for all Pemda (a rank needs the peers); these functions decide what a
user may see of it: a place (nation, Kanwil, province, Pemda) only when every Pemda in it
is in the user's scope, a table row only for Pemda in scope. A Pemda operator gets their
own rank among peers and the peers' scores as anonymous numbers, never their names.
"""

from __future__ import annotations

import contextvars
import csv
import io
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.http import Http404
from django.urls import reverse

from monev.core import formatting
from monev.core.scope import scope_for
from monev.core.spreadsheet import safe_writer
from monev.indicators import engine, facts
from monev.indicators.engine import Cell, PeriodTable, Spec, TargetSpec
from monev.indicators.findings import Finding, findings_for

LEVELS = ("nasional", "kanwil", "provinsi", "pemda")


class BadInput(ValueError):
    """A parameter the user can fix (shown as a 400 with the message)."""


@dataclass(frozen=True)
class Place:
    level: str
    code: str  # "" for the nation
    name: str
    pemda_codes: frozenset[str]
    crumbs: tuple[tuple[str, str], ...] = ()
    province_codes: frozenset[str] = frozenset()

    @property
    def chain(self) -> list[str]:
        """Region codes whose targets apply, most specific first."""
        return [c for _label, c in self.crumbs][::-1]


def _meta() -> dict[str, facts.PemdaMeta]:
    return engine.cached(("meta", version()), facts.pemda_meta)


_PINNED: contextvars.ContextVar[str | None] = contextvars.ContextVar("facts_version", default=None)


def version() -> str:
    """The facts version pinned for this request, or the current one."""
    return _PINNED.get() or facts.facts_version()


@contextmanager
def pinned_version() -> Iterator[str]:
    """Read the facts version once for a whole request (one query, consistent figures); a
    block inside another keeps the outer one's version."""
    token = _PINNED.set(_PINNED.get() or facts.facts_version())
    try:
        yield version()
    finally:
        _PINNED.reset(token)


def place_get(*, user: Any, level: str, code: str = "") -> Place:
    """The place if the user may see all of it; Http404 otherwise (same as not existing)."""
    meta = _meta()
    scope = scope_for(user)
    kanwils = engine.cached(("kanwil-names", version()), facts.kanwil_names)
    if level == "nasional":
        codes = frozenset(meta)
        place = Place(
            "nasional", "", "Nasional", codes, (), frozenset(m.province_code for m in meta.values())
        )
    elif level == "kanwil":
        codes = frozenset(c for c, m in meta.items() if m.kanwil_code == code)
        place = Place(
            "kanwil",
            code,
            kanwils.get(code, code),
            codes,
            (("Nasional", ""),),
            frozenset(meta[c].province_code for c in codes),
        )
    elif level == "provinsi":
        codes = frozenset(c for c, m in meta.items() if m.province_code == code)
        own = meta.get(code)
        kanwil = own.kanwil_code if own else ""
        place = Place(
            "provinsi",
            code,
            own.name if own else code,
            codes,
            (("Nasional", ""), (kanwils.get(kanwil, kanwil), kanwil)),
            frozenset({code}),
        )
    elif level == "pemda":
        own = meta.get(code)
        codes = frozenset({code}) if own else frozenset()
        crumbs: tuple[tuple[str, str], ...] = ()
        if own:
            province = meta.get(own.province_code)
            crumbs = (
                ("Nasional", ""),
                (kanwils.get(own.kanwil_code, own.kanwil_code), own.kanwil_code),
            )
            if own.level == "regency" and province:
                crumbs += ((province.name, province.code),)
        place = Place(
            "pemda",
            code,
            own.name if own else code,
            codes,
            crumbs,
            frozenset({own.province_code}) if own else frozenset(),
        )
    else:
        raise Http404("level")
    if not codes or not (scope.all_regions or codes <= scope.pemda_codes):
        raise Http404("place")
    return place


def scope_key(user: Any) -> str:
    """Identifies what a user may see: equal keys see equal pages."""
    import hashlib

    scope = scope_for(user)
    if scope.all_regions:
        return "all"
    return hashlib.sha256(",".join(sorted(scope.pemda_codes)).encode()).hexdigest()[:16]


def crumb_links(*, user: Any, place: Place, period: str | None) -> list[tuple[str, str]]:
    """(label, URL) of the places above; URL empty where the user may not open it."""
    levels = ["nasional", "kanwil", "provinsi"]
    out = []
    for (label, code), level in zip(place.crumbs, levels, strict=False):
        try:
            place_get(user=user, level=level, code=code)
            out.append((label, dashboard_url(level, code, period)))
        except Http404:
            out.append((label, ""))
    return out


def home_place(*, user: Any) -> tuple[str, str] | None:
    """Where a user's dashboard starts: the widest place wholly in their scope."""
    scope = scope_for(user)
    if scope.all_regions:
        return ("nasional", "")
    meta = _meta()
    kanwils = {m.kanwil_code for c, m in meta.items() if c in scope.pemda_codes}
    for kanwil in sorted(kanwils):
        members = {c for c, m in meta.items() if m.kanwil_code == kanwil}
        if members and members <= scope.pemda_codes:
            return ("kanwil", kanwil)
    provinces = sorted({meta[c].province_code for c in scope.pemda_codes if c in meta})
    for province in provinces:
        members = {c for c, m in meta.items() if m.province_code == province}
        if members <= scope.pemda_codes:
            return ("provinsi", province)
    own = sorted(scope.pemda_codes)
    return ("pemda", own[0]) if own else None


def periods() -> list[str]:
    return engine.cached(("periods", version()), facts.coverage_periods)


def period_choose(raw: str | None) -> str | None:
    """The requested period (YYYY-MM, validated), else the newest with data."""
    from monev.regions.codes import parse_period

    if raw:
        try:
            return parse_period(raw)
        except ValueError as exc:
            raise BadInput(str(exc)) from None
    available = periods()
    return available[0] if available else None


def table(period: str) -> PeriodTable:
    return engine.period_table(period, version())


def boundary(level: str) -> Any:
    from monev.indicators.boundaries import boundary_current

    return engine.cached(("boundary", version(), level), lambda: boundary_current(level))


def definitions() -> tuple[list[Spec], Any, list[TargetSpec]]:
    return engine.cached(("defs", version()), engine.load_specs)


def dashboard_url(level: str, code: str, period: str | None = None, anchor: str = "") -> str:
    if level == "nasional":
        url = reverse("indicators:national")
    else:
        url = reverse(f"indicators:{level}", kwargs={"code": code})
    return url + (f"?periode={period}" if period else "") + (f"#{anchor}" if anchor else "")


# --- headline figures ---------------------------------------------------------------


@dataclass
class Figure:
    spec: Spec
    cell: Cell | None
    status: str
    target: TargetSpec | None
    distance: float | None  # value - target, in points
    change: float | None = None  # against the comparison period

    @property
    def value(self) -> float | None:
        return None if self.cell is None else self.cell.value


def figures(place: Place, t: PeriodTable, before: PeriodTable | None) -> list[Figure]:
    _specs, _scheme, targets = definitions()
    cells = _cells(place, t)
    old = _cells(place, before) if before else {}
    year = int(t.period[:4])
    out = []
    chain = [place.code] + [c for c in place.chain] if place.level != "nasional" else [""]
    if place.level == "pemda":
        m = t.rows[place.code].meta
        chain = [m.code, m.province_code, m.kanwil_code, ""]
    elif place.level == "provinsi":
        chain = [place.code, place.crumbs[-1][1], ""]
    elif place.level == "kanwil":
        chain = [place.code, ""]
    for spec in t.specs:
        cell = cells.get(spec.code)
        value = None if cell is None else cell.value
        target = engine.target_for(targets, spec.code, chain, year, spec.value_definition)
        distance = None if value is None or target is None else value - target.value
        previous = old.get(spec.code)
        change = (
            None
            if value is None or previous is None or previous.value is None
            else value - previous.value
        )
        out.append(Figure(spec, cell, spec.status(value), target, distance, change))
    return out


def _cells(place: Place, t: PeriodTable) -> dict[str, Cell | None]:
    if place.level == "pemda":
        return dict(t.rows[place.code].cells)
    return t.aggregate(place.pemda_codes)


def comparison_period(period: str, raw: str | None) -> str | None:
    """The period findings and changes compare with: `?banding=`, else the previous one."""
    if raw:
        chosen = period_choose(raw)
        return chosen if chosen != period else None
    earlier = [p for p in periods() if p < period]
    return earlier[0] if earlier else None


# --- ranking table --------------------------------------------------------------------


@dataclass
class Column:
    key: str
    label: str
    kind: str  # text | percent | score | rank | rupiah | status


@dataclass
class TableData:
    columns: list[Column]
    rows: list[dict[str, Any]]
    title: str
    total: int = 0
    hidden_peers: int = 0
    peer_scores: list[float] = field(default_factory=list)

    @property
    def ranked_count(self) -> int:
        """Pemda of the table (shown or not) that have a score and so a rank."""
        return len(self.peer_scores)


SORTABLE = {"nama", "skor", "peringkat"}


def ranking_table(
    *, user: Any, place: Place, t: PeriodTable, query: str = "", sort: str = "", desc: bool = False
) -> TableData:
    """The Pemda of a place with score, status, every indicator and their ranks.

    For a Pemda page, the peers are the Pemda of the same level in its province (its
    Kanwil for a Pemprov); rows outside the viewer's scope are left out and only counted.
    """
    scope = scope_for(user)
    codes = _peer_codes(place, t)
    rank_key = {"nasional": "nasional", "kanwil": "kanwil", "provinsi": "provinsi"}.get(
        place.level, "provinsi"
    )
    if place.level == "pemda" and t.rows[place.code].meta.level == "province":
        rank_key = "kanwil"
    columns = [
        Column("kode", "Kode", "text"),
        Column("nama", "Pemda", "text"),
        Column("skor", "Skor", "score"),
        Column("status", "Status", "status"),
        Column("peringkat", "Peringkat", "rank"),
    ]
    columns += [Column(s.code, s.short_id, "percent") for s in t.specs]
    rows, hidden, peer_scores = [], 0, []
    for code in codes:
        row = t.rows[code]
        if row.score is not None:
            peer_scores.append(row.score)
        if not (scope.all_regions or code in scope.pemda_codes):
            hidden += 1
            continue
        rank = row.ranks.get(rank_key) or row.ranks.get("nasional") or (None, None)
        item: dict[str, Any] = {
            "kode": code,
            "nama": row.meta.name,
            "skor": row.score,
            "status": t.scheme.status(row.score),
            "peringkat": rank[0],
            "dari": rank[1],
            "href": dashboard_url("pemda", code, t.period),
            "statuses": {s.code: s.status(row.value(s.code)) for s in t.specs},
        }
        for spec in t.specs:
            item[spec.code] = row.value(spec.code)
        rows.append(item)
    total = len(rows)
    if query:
        needle = query.lower()
        rows = [r for r in rows if needle in f"{r['kode']} {r['nama']}".lower()]
    key = sort if sort in SORTABLE or sort in {s.code for s in t.specs} else "peringkat"
    rows.sort(
        key=lambda r: (r[key] is None, r[key] if r[key] is not None else 0, r["nama"]),
        reverse=False,
    )
    if desc:
        present = [r for r in rows if r[key] is not None][::-1]
        rows = present + [r for r in rows if r[key] is None]
    title = f"Peringkat Pemda — {place.name}"
    return TableData(columns, rows, title, total, hidden, sorted(peer_scores))


def _peer_codes(place: Place, t: PeriodTable) -> list[str]:
    if place.level != "pemda":
        return sorted(place.pemda_codes)
    own = t.rows[place.code].meta
    if own.level == "province":
        return sorted(
            c
            for c, r in t.rows.items()
            if r.meta.level == "province" and r.meta.kanwil_code == own.kanwil_code
        )
    return sorted(
        c
        for c, r in t.rows.items()
        if r.meta.level == "regency" and r.meta.province_code == own.province_code
    )


def table_cells(data: TableData) -> tuple[list[str], list[list[Any]]]:
    """Header and rows of the table exactly as shown (formatted values), for CSV/XLSX."""
    header = [c.label for c in data.columns]
    out = []
    for row in data.rows:
        line: list[Any] = []
        for column in data.columns:
            value = row.get(column.key)
            if column.kind == "percent" or column.kind == "score":
                line.append(None if value is None else round(value, 1))
            elif column.kind == "rank":
                line.append(rank_words(value, row["dari"]))
            elif column.kind == "status":
                line.append(STATUS_WORDS.get(str(value), ""))
            else:
                line.append(value)
        out.append(line)
    return header, out


def rank_words(rank: int | None, of: int | None) -> str:
    """ "3 dari 65 Pemda yang punya data"; no rank (no score) → "belum ada data"."""
    if not rank:
        return "belum ada data"
    return f"{rank} dari {formatting.number(of)} Pemda yang punya data"


STATUS_WORDS = {"green": "Hijau", "amber": "Kuning", "red": "Merah", "none": "Belum ada data"}


def table_csv(data: TableData) -> str:
    header, rows = table_cells(data)
    buffer = io.StringIO()
    writer = safe_writer(csv.writer(buffer, lineterminator="\n"))
    writer.writerow(header)
    for row in rows:
        writer.writerow(
            [
                "" if v is None else (formatting.number(v, 1) if isinstance(v, float) else v)
                for v in row
            ]
        )
    return buffer.getvalue()


def table_xlsx(data: TableData, subtitle: str) -> bytes:
    import xlsxwriter

    header, rows = table_cells(data)
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet("Peringkat")
    bold = book.add_format({"bold": True, "bg_color": "#EEF1F4", "border": 1})
    one = book.add_format({"num_format": "#,##0.0"})
    sheet.write(0, 0, data.title, book.add_format({"bold": True, "font_size": 13}))
    sheet.write(1, 0, subtitle)
    for col, name in enumerate(header):
        sheet.write(3, col, name, bold)
    for r, row in enumerate(rows, start=4):
        for c, value in enumerate(row):
            if isinstance(value, float):
                sheet.write_number(r, c, value, one)
            elif value is None:
                sheet.write_blank(r, c, None)
            else:
                sheet.write(r, c, value)
    sheet.set_column(0, 0, 8)
    sheet.set_column(1, 1, 30)
    sheet.set_column(2, len(header), 14)
    sheet.freeze_panes(4, 2)
    book.close()
    return buffer.getvalue()


# --- findings --------------------------------------------------------------------------


def findings(
    *, user: Any, place: Place, t: PeriodTable, before: PeriodTable | None
) -> list[Finding]:
    from monev.indicators.models import FindingRule

    scope = scope_for(user)
    codes = [c for c in sorted(place.pemda_codes) if scope.all_regions or c in scope.pemda_codes]
    rules = engine.cached(
        ("rules", version()),
        lambda: {r.code: dict(r.params or {}) for r in FindingRule.objects.filter(active=True)},
    )
    _specs, _scheme, targets = definitions()
    key = (
        "findings",
        t.version,
        t.period,
        before.period if before else "",
        place.level,
        place.code,
    )

    def href(code: str, anchor: str) -> str:
        return dashboard_url("pemda", code, t.period, anchor)

    return engine.cached(key, lambda: findings_for(t, codes, href, before, targets, rules))


# --- trend ---------------------------------------------------------------------------------


def trend(place: Place, specs: list[Spec]) -> list[tuple[str, list[tuple[str, float | None]]]]:
    """Coverage per category over every period: [(label, [(period, %)])], total first."""
    series = engine.cached(
        ("trend", version(), place.level, place.code),
        lambda: facts.coverage_series(place.pemda_codes if place.level != "nasional" else None),
    )
    out = []
    for spec in specs:
        if spec.kind != "roster_coverage":
            continue
        category = spec.params.get("category")
        points = []
        for period in sorted(series):
            chosen = [v for k, v in series[period].items() if category in (None, k)]
            h = sum(v[0] for v in chosen)
            points.append((period, (sum(v[1] for v in chosen) * 100 / h) if h else None))
        if any(v is not None for _p, v in points):
            out.append((spec.short_id, points))
    return out


# --- open data -------------------------------------------------------------------------------


def open_coverage(*, period: str, level: str, min_cell: int) -> list[dict[str, Any]]:
    """Aggregated coverage by province or Kanwil: no names, no NIK, small cells suppressed.

    A count below `min_cell` (and the coverage computed from it) is published as empty so a
    handful of workers cannot be singled out.
    """
    if level not in ("provinsi", "kanwil"):
        raise BadInput("level harus 'provinsi' atau 'kanwil'")
    t = table(period)
    groups: dict[str, list[str]] = {}
    for code, row in t.rows.items():
        key = row.meta.province_code if level == "provinsi" else row.meta.kanwil_code
        if key:
            groups.setdefault(key, []).append(code)
    names = (
        {c: r.meta.name for c, r in t.rows.items() if r.meta.level == "province"}
        if level == "provinsi"
        else engine.cached(("kanwil-names", version()), facts.kanwil_names)
    )
    out = []
    for key in sorted(groups):
        counts: dict[str, list[int]] = {}
        for code in groups[key]:
            for category, (h, p) in t.rows[code].detail["counts"].items():
                pair = counts.setdefault(category, [0, 0])
                pair[0] += h
                pair[1] += p
        workforce = t.aggregate(groups[key]).get("cakupan-angkatan-kerja")
        for category in ["TOTAL", *sorted(counts)]:
            if category == "TOTAL":
                h = sum(v[0] for v in counts.values())
                p = sum(v[1] for v in counts.values())
            else:
                h, p = counts[category]
            small = h < min_cell
            out.append(
                {
                    "periode": period,
                    "tingkat": level,
                    "kode": key,
                    "nama": names.get(key, key),
                    "kelompok": category,
                    "jumlah_pekerja": None if small else h,
                    "terlindungi": None if small else p,
                    "cakupan_persen": None if small or not h else round(p * 100 / h, 1),
                    "cakupan_angkatan_kerja_persen": (
                        None
                        if workforce is None or workforce.value is None or category != "TOTAL"
                        else round(workforce.value, 1)
                    ),
                    "disembunyikan": small,
                }
            )
    return out


OPEN_COLUMNS = [
    "periode",
    "tingkat",
    "kode",
    "nama",
    "kelompok",
    "jumlah_pekerja",
    "terlindungi",
    "cakupan_persen",
    "cakupan_angkatan_kerja_persen",
    "disembunyikan",
]


def open_csv(rows: list[dict[str, Any]]) -> str:
    buffer = io.StringIO()
    writer = safe_writer(csv.DictWriter(buffer, fieldnames=OPEN_COLUMNS, lineterminator="\n"))
    writer.writeheader()
    for row in rows:
        writer.writerow({k: ("" if row[k] is None else row[k]) for k in OPEN_COLUMNS})
    return buffer.getvalue()
