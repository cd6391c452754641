"""Findings: rules that turn a period's table into sentences a monev meeting can act on.

Each rule reads the engine's table (and, for changes, the table of a comparison period)
and returns `Finding`s in Bahasa Indonesia with a link to the figures that prove them.
Rules can be switched off or tuned in the admin (`FindingRule`), never rewritten there.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from monev.core import formatting
from monev.indicators.engine import PemdaRow, PeriodTable, TargetSpec, target_for, timeliness

CATEGORY_WORDS = {
    "NON_ASN": "non-ASN",
    "PERANGKAT_DESA": "perangkat desa",
    "RT_RW": "ketua RT/RW",
    "RENTAN": "pekerja rentan",
}
CATEGORY_ORDER = ["NON_ASN", "PERANGKAT_DESA", "RT_RW", "RENTAN"]


@dataclass(frozen=True)
class Finding:
    rule: str
    severity: int  # 1 = act now, 2 = watch, 3 = note
    pemda_code: str
    text: str
    href: str
    weight: float = 0.0  # orders findings of the same severity (bigger first)


Href = Callable[[str, str], str]  # (pemda code, anchor) -> URL of the evidence


def _join(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " dan " + words[-1]


def no_budget(table: PeriodTable, row: PemdaRow, href: Href) -> Iterable[Finding]:
    year = table.period[:4]
    counts, budget = row.detail["counts"], row.detail["budget"]
    missing = [
        CATEGORY_WORDS[c]
        for c in CATEGORY_ORDER
        if counts.get(c, (0, 0))[0] > 0 and not budget.get(c)
    ]
    if missing:
        yield Finding(
            "belum-menganggarkan",
            1,
            row.meta.code,
            f"{row.meta.name} belum menganggarkan perlindungan {_join(missing)} TA {year}",
            href(row.meta.code, "anggaran"),
            float(sum(row.detail["cost"].values())),
        )


def cost_to_close(
    table: PeriodTable, row: PemdaRow, href: Href, min_workers: int = 1
) -> Iterable[Finding]:
    counts, cost, budget = row.detail["counts"], row.detail["cost"], row.detail["budget"]
    for category in CATEGORY_ORDER:
        headcount, protected = counts.get(category, (0, 0))
        gap = headcount - protected
        if gap < max(min_workers, 1) or cost.get(category, 0) <= budget.get(category, 0):
            continue
        yield Finding(
            "biaya-menutup",
            2,
            row.meta.code,
            f"{formatting.rupiah_short(cost[category])} setahun dibutuhkan untuk melindungi "
            f"{formatting.number(gap)} {CATEGORY_WORDS[category]} yang belum terlindungi "
            f"di {row.meta.name}",
            href(row.meta.code, "anggaran"),
            float(cost[category]),
        )


def no_regulation(table: PeriodTable, row: PemdaRow, href: Href) -> Iterable[Finding]:
    if row.detail["regulation"] is None:
        yield Finding(
            "belum-regulasi",
            1,
            row.meta.code,
            f"{row.meta.name} belum memiliki regulasi pelaksanaan Inpres 2/2021",
            href(row.meta.code, "skor"),
            1.0,
        )


def not_reported(table: PeriodTable, row: PemdaRow, href: Href) -> Iterable[Finding]:
    """From the same verdict as the timeliness indicator (`engine.timeliness`), so the
    sentence and the figure never disagree."""
    params = next((s.params for s in table.specs if s.kind == "timeliness"), {})
    verdict = timeliness(row.detail["roster"], table.period, params)
    name, label = row.meta.name, formatting.period_label(table.period)
    if verdict is None:
        yield Finding(
            "belum-lapor",
            2,
            row.meta.code,
            f"{name} belum pernah mengunggah daftar pekerja",
            href(row.meta.code, "skor"),
            0.5,
        )
        return
    if verdict.on_time:
        return
    listed = formatting.period_label(verdict.list_period)
    in_force = "" if verdict.list_period == table.period else f" yang berlaku untuk {label}"
    if verdict.committed > verdict.deadline:
        text = (
            f"{name} terlambat mengunggah daftar pekerja periode {listed} "
            f"({verdict.committed:%d-%m-%Y}; batas {verdict.deadline:%d-%m-%Y})"
            + (f"; daftar itu{in_force}" if in_force else "")
        )
    else:
        text = (
            f"Daftar pekerja {name}{in_force} adalah daftar {listed}, "
            f"belum diperbarui lebih dari {int(params.get('max_age_months', 6))} bulan"
        )
    yield Finding("belum-lapor", 3, row.meta.code, text, href(row.meta.code, "skor"), 0.2)


def coverage_drop(
    table: PeriodTable, row: PemdaRow, href: Href, before: PeriodTable | None, min_drop: float = 5
) -> Iterable[Finding]:
    if before is None or row.meta.code not in before.rows:
        return
    then = before.rows[row.meta.code].detail["counts"]
    now = row.detail["counts"]
    for category in CATEGORY_ORDER:
        if (
            category not in now
            or category not in then
            or not now[category][0]
            or not then[category][0]
        ):
            continue
        new = now[category][1] * 100 / now[category][0]
        old = then[category][1] * 100 / then[category][0]
        drop = old - new
        if drop >= min_drop:
            yield Finding(
                "cakupan-turun",
                2,
                row.meta.code,
                f"Cakupan {CATEGORY_WORDS[category]} {row.meta.name} turun "
                f"{formatting.number(drop, 1)} poin sejak {formatting.period_label(before.period)} "
                f"({formatting.percent(old)} → {formatting.percent(new)})",
                href(row.meta.code, "tren"),
                drop,
            )


def below_target(
    table: PeriodTable, row: PemdaRow, href: Href, targets: list[TargetSpec], min_gap: float = 10
) -> Iterable[Finding]:
    year = int(table.period[:4])
    chain = [row.meta.code, row.meta.province_code, row.meta.kanwil_code, ""]
    for spec in table.specs:
        if spec.kind != "workforce_coverage":
            continue
        value = row.value(spec.code)
        target = target_for(targets, spec.code, chain, year, spec.value_definition)
        if value is None or target is None or target.value - value < min_gap:
            continue
        yield Finding(
            "di-bawah-target",
            3,
            row.meta.code,
            f"{spec.short_id} {row.meta.name} {formatting.percent(value)}, "
            f"{formatting.number(target.value - value, 1)} poin di bawah target "
            f"{target.kind} {formatting.percent(target.value)}"
            f"{'' if target.year in (None, year) else f' ({target.year})'}",
            href(row.meta.code, "target"),
            target.value - value,
        )


def findings_for(
    table: PeriodTable,
    codes: Iterable[str],
    href: Href,
    before: PeriodTable | None,
    targets: list[TargetSpec],
    rules: dict[str, dict[str, float]],
) -> list[Finding]:
    """All findings for Pemda `codes`, most urgent first. `rules`: active rule → params."""
    out: list[Finding] = []
    for code in codes:
        row = table.rows.get(code)
        if row is None:
            continue
        p = rules.get
        if "belum-menganggarkan" in rules:
            out += no_budget(table, row, href)
        if "belum-regulasi" in rules:
            out += no_regulation(table, row, href)
        if "cakupan-turun" in rules:
            out += coverage_drop(
                table, row, href, before, float(p("cakupan-turun", {}).get("min_drop_points", 5))
            )
        if "biaya-menutup" in rules:
            out += cost_to_close(
                table, row, href, int(p("biaya-menutup", {}).get("min_workers", 1))
            )
        if "belum-lapor" in rules:
            out += not_reported(table, row, href)
        if "di-bawah-target" in rules:
            out += below_target(
                table, row, href, targets, float(p("di-bawah-target", {}).get("min_gap_points", 10))
            )
    return sorted(out, key=lambda f: (f.severity, -f.weight, f.pemda_code))
