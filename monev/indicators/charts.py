"""Charts as server-rendered SVG: the same markup in the browser and in WeasyPrint PDFs.

Every function takes plain values and returns a `SafeString` holding one `<svg>` element
with a `viewBox`, so it scales to its container, no scripts, no external fonts or files.
Labels are escaped here. Numbers are formatted the Indonesian way (formatting.py).
Reused by the reports (PDF) as well as the dashboards.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from django.utils.safestring import SafeString, mark_safe

from monev.core import formatting

FONT = 'font-family="Noto Sans, DejaVu Sans, Arial, sans-serif"'
STATUS_FILL = {"green": "#1e7b34", "amber": "#c98500", "red": "#b3261e", "none": "#b8bfc7"}
INK, MUTED, GRID = "#1d2733", "#5b6775", "#d9dee5"
# Sequential greens for maps (ColorBrewer Greens, 5 classes), light to dark.
BINS = (20.0, 40.0, 60.0, 80.0)
RAMP = ("#e5f5e0", "#a1d99b", "#74c476", "#31a354", "#006d2c")
NO_DATA = "#d5d9de"
SERIES = ("#0b5d3b", "#2f6fb0", "#c98500", "#8e44ad", "#b3261e", "#5b6775")


def _svg(width: int, height: int, body: str, label: str) -> SafeString:
    return mark_safe(  # noqa: S308 - every interpolated label is escaped above
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="100%" role="img" aria-label="{escape(label)}" {FONT} font-size="15">'
        f"<title>{escape(label)}</title>{body}</svg>"
    )


def ramp_fill(value: float | None, bins: Sequence[float] = BINS) -> str:
    if value is None:
        return NO_DATA
    for index, edge in enumerate(bins):
        if value < edge:
            return RAMP[index]
    return RAMP[len(bins)]


def _text_on(fill: str) -> str:
    return "#ffffff" if fill in (RAMP[3], RAMP[4], *STATUS_FILL.values()) else INK


@dataclass(frozen=True)
class Bar:
    label: str
    value: float | None
    status: str = "none"
    note: str = ""  # e.g. "1.234 dari 4.000"
    target: float | None = None


def bar_chart(bars: Sequence[Bar], title: str, maximum: float = 100.0) -> SafeString:
    """Horizontal bars of percentages with the value, an optional note and target tick."""
    label_w, bar_w, row_h, width = 150, 290, 34, 700
    top = 8
    height = top + row_h * max(len(bars), 1) + 22
    parts = []
    for step in range(0, 101, 25):
        x = label_w + bar_w * step / 100
        parts.append(
            f'<line x1="{x:.1f}" y1="{top}" x2="{x:.1f}" y2="{height - 20}" stroke="{GRID}"/>'
        )
        parts.append(
            f'<text x="{x:.1f}" y="{height - 5}" text-anchor="middle" '
            f'fill="{MUTED}" font-size="11">{step * maximum / 100:.0f}%</text>'
        )
    for i, bar in enumerate(bars):
        y = top + i * row_h
        value = bar.value
        w = 0 if value is None else bar_w * max(0.0, min(value, maximum)) / maximum
        fill = STATUS_FILL.get(bar.status, STATUS_FILL["none"])
        parts.append(
            f'<text x="{label_w - 8}" y="{y + 21}" text-anchor="end" fill="{INK}">'
            f"{escape(bar.label)}</text>"
        )
        parts.append(
            f'<rect x="{label_w}" y="{y + 6}" width="{bar_w}" height="20" fill="#f0f2f4"/>'
        )
        parts.append(
            f'<rect x="{label_w}" y="{y + 6}" width="{w:.1f}" height="20" '
            f'fill="{fill}"><title>{escape(bar.label)}: '
            f"{formatting.percent(value)}</title></rect>"
        )
        if bar.target is not None:
            tx = label_w + bar_w * min(bar.target, maximum) / maximum
            parts.append(
                f'<line x1="{tx:.1f}" y1="{y + 2}" x2="{tx:.1f}" y2="{y + 30}" '
                f'stroke="{INK}" stroke-width="2" stroke-dasharray="3 2"/>'
            )
        note = (
            (f'<tspan font-weight="400" font-size="12" fill="{MUTED}"> {escape(bar.note)}</tspan>')
            if bar.note
            else ""
        )
        parts.append(
            f'<text x="{label_w + bar_w + 10}" y="{y + 21}" fill="{INK}" '
            f'font-weight="600">{escape(formatting.percent(value))}{note}</text>'
        )
    return _svg(width, height, "".join(parts), title)


@dataclass(frozen=True)
class Series:
    name: str
    points: Sequence[tuple[str, float | None]]  # (period, value)


def line_chart(
    series: Sequence[Series], title: str, target: float | None = None, unit: str = "%"
) -> SafeString:
    """Values over periods; one line per series; dashed target line when given."""
    width, height, left, right, top, bottom = 660, 300, 52, 70, 12, 80
    periods = sorted({p for s in series for p, _v in s.points})
    values = [v for s in series for _p, v in s.points if v is not None]
    if target is not None:
        values.append(target)
    if not periods or not values:
        return _svg(width, 60, f'<text x="10" y="35" fill="{MUTED}">Belum ada data.</text>', title)
    top_value = 100.0 if unit == "%" and max(values) > 60 else _nice(max(values) * 1.1)
    plot_w, plot_h = width - left - right, height - top - bottom

    def x(period: str) -> float:
        return left + (plot_w * periods.index(period) / max(len(periods) - 1, 1))

    def y(value: float) -> float:
        return top + plot_h * (1 - value / top_value)

    parts = []
    for k in range(6):
        v = top_value * k / 5
        parts.append(
            f'<line x1="{left}" y1="{y(v):.1f}" x2="{left + plot_w}" y2="{y(v):.1f}" '
            f'stroke="{GRID}"/><text x="{left - 6}" y="{y(v) + 4:.1f}" '
            f'text-anchor="end" fill="{MUTED}" font-size="11">'
            f"{formatting.number(v, 0)}{unit}</text>"
        )
    step = max(1, len(periods) // 8)
    for i, period in enumerate(periods):
        if i % step == 0 or i == len(periods) - 1:
            parts.append(
                f'<text x="{x(period):.1f}" y="{height - bottom + 18}" text-anchor="middle" '
                f'fill="{MUTED}" font-size="11">'
                f"{escape(formatting.period_label(period, short=True))}</text>"
            )
    if target is not None:
        parts.append(
            f'<line x1="{left}" y1="{y(target):.1f}" x2="{left + plot_w}" '
            f'y2="{y(target):.1f}" stroke="{STATUS_FILL["red"]}" stroke-width="1.5" '
            f'stroke-dasharray="6 4"/><text x="{left + plot_w + 6}" '
            f'y="{y(target) + 4:.1f}" fill="{STATUS_FILL["red"]}" font-size="12">'
            f"Target {formatting.percent(target)}</text>"
        )
    for n, s in enumerate(series):
        colour = SERIES[n % len(SERIES)]
        pts = [(x(p), y(v)) for p, v in s.points if v is not None]
        if not pts:
            continue
        path = " ".join(f"{px:.1f},{py:.1f}" for px, py in pts)
        parts.append(
            f'<polyline points="{path}" fill="none" stroke="{colour}" '
            f'stroke-width="{3 if n == 0 else 2}"/>'
        )
        present = [(p, v) for p, v in s.points if v is not None]
        for (p, value), (px, py) in zip(present, pts, strict=True):
            parts.append(
                f'<circle cx="{px:.1f}" cy="{py:.1f}" r="3" fill="{colour}">'
                f"<title>{escape(s.name)} {escape(formatting.period_label(p))}: "
                f"{formatting.number(value, 1)}{unit}</title></circle>"
            )
        lx, ly = left + (n % 3) * 190, height - 30 + (n // 3) * 20
        parts.append(
            f'<rect x="{lx}" y="{ly - 10}" width="14" height="4" fill="{colour}"/>'
            f'<text x="{lx + 20}" y="{ly - 4}" fill="{INK}" font-size="13">'
            f"{escape(s.name[:24])}</text>"
        )
    return _svg(width, height, "".join(parts), title)


def _nice(value: float) -> float:
    """Round an axis maximum up to 1, 2, 2.5 or 5 × a power of ten (12.3 → 20, 43 → 50)."""
    import math

    if value <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * power:
            return step * power
    return 10 * power


@dataclass(frozen=True)
class Money:
    label: str
    budget: int
    cost: int


def budget_chart(rows: Sequence[Money], title: str) -> SafeString:
    """Budget against the yearly cost to close the gap, two bars per row."""
    label_w, bar_w, row_h, width = 150, 360, 50, 660
    top = 6
    height = top + row_h * max(len(rows), 1) + 26
    biggest = max([1, *(r.budget for r in rows), *(r.cost for r in rows)])
    parts = [
        f'<rect x="{label_w}" y="{height - 16}" width="12" height="10" fill="#2f6fb0"/>'
        f'<text x="{label_w + 16}" y="{height - 7}" fill="{MUTED}" font-size="11">Pagu</text>'
        f'<rect x="{label_w + 70}" y="{height - 16}" width="12" height="10" fill="#c98500"/>'
        f'<text x="{label_w + 86}" y="{height - 7}" fill="{MUTED}" font-size="11">'
        "Biaya menutup kesenjangan (setahun)</text>"
    ]
    for i, row in enumerate(rows):
        y = top + i * row_h
        parts.append(
            f'<text x="{label_w - 8}" y="{y + 27}" text-anchor="end" fill="{INK}">'
            f"{escape(row.label)}</text>"
        )
        for j, (amount, colour) in enumerate(((row.budget, "#2f6fb0"), (row.cost, "#c98500"))):
            w = bar_w * amount / biggest
            parts.append(
                f'<rect x="{label_w}" y="{y + 6 + j * 19}" width="{max(w, 1):.1f}" '
                f'height="16" fill="{colour}"/><text x="{label_w + max(w, 1) + 6:.1f}" '
                f'y="{y + 19 + j * 19}" fill="{INK}" font-size="12">'
                f"{escape(formatting.rupiah_short(amount))}</text>"
            )
    return _svg(width, height, "".join(parts), title)


# --- maps -----------------------------------------------------------------------------

# Tile map of the 38 provinces: (column, row), roughly where each lies. No boundaries.
TILES: dict[str, tuple[int, int, str]] = {
    "11": (0, 0, "ACEH"),
    "12": (1, 0, "SUMUT"),
    "21": (3, 0, "KEPRI"),
    "13": (1, 1, "SUMBAR"),
    "14": (2, 1, "RIAU"),
    "17": (1, 2, "BKL"),
    "15": (2, 2, "JAMBI"),
    "19": (3, 2, "BABEL"),
    "16": (2, 3, "SUMSEL"),
    "18": (2, 4, "LAMP"),
    "31": (4, 4, "DKI"),
    "36": (3, 5, "BANTEN"),
    "32": (4, 5, "JABAR"),
    "33": (5, 5, "JATENG"),
    "34": (5, 6, "DIY"),
    "35": (6, 5, "JATIM"),
    "51": (7, 5, "BALI"),
    "52": (8, 5, "NTB"),
    "53": (9, 5, "NTT"),
    "61": (5, 1, "KALBAR"),
    "62": (6, 2, "KALTENG"),
    "63": (7, 3, "KALSEL"),
    "64": (7, 2, "KALTIM"),
    "65": (7, 1, "KALTARA"),
    "71": (10, 0, "SULUT"),
    "75": (9, 1, "GORON"),
    "72": (9, 2, "SULTENG"),
    "76": (8, 2, "SULBAR"),
    "73": (8, 3, "SULSEL"),
    "74": (9, 3, "SULTRA"),
    "82": (11, 1, "MALUT"),
    "81": (11, 3, "MALUKU"),
    "96": (12, 1, "PBD"),
    "92": (13, 1, "PABAR"),
    "94": (13, 2, "PATENG"),
    "91": (14, 1, "PAPUA"),
    "95": (14, 2, "PAPEG"),
    "93": (14, 3, "PASEL"),
}


@dataclass(frozen=True)
class MapValue:
    value: float | None
    name: str
    href: str = ""
    highlight: bool = False


def _legend(y: int, title: str) -> str:
    edges = ("<20", "20–40", "40–60", "60–80", "≥80")
    parts = [f'<text x="0" y="{y}" fill="{MUTED}" font-size="12">{escape(title)}</text>']
    for i, (fill, label) in enumerate(zip(RAMP, edges, strict=True)):
        x = 0 + i * 78
        parts.append(
            f'<rect x="{x}" y="{y + 6}" width="16" height="12" fill="{fill}" '
            f'stroke="#9aa3ad" stroke-width=".5"/><text x="{x + 20}" y="{y + 16}" '
            f'fill="{INK}" font-size="11">{label}%</text>'
        )
    parts.append(
        f'<rect x="{5 * 78}" y="{y + 6}" width="16" height="12" fill="{NO_DATA}"/>'
        f'<text x="{5 * 78 + 20}" y="{y + 16}" fill="{INK}" font-size="11">'
        "tanpa data</text>"
    )
    return "".join(parts)


def tile_map(values: dict[str, MapValue], title: str) -> SafeString:
    """38 squares, one per province, coloured on the green ramp; links when given."""
    size, gap = 62, 4
    cols, rows = 15, 7
    width, height = cols * (size + gap), rows * (size + gap) + 40
    parts = []
    for code, (col, row, short) in TILES.items():
        item = values.get(code)
        fill = ramp_fill(item.value if item else None)
        x, y = col * (size + gap), row * (size + gap)
        stroke = (
            f'stroke="{INK}" stroke-width="3"'
            if item and item.highlight
            else 'stroke="#ffffff" stroke-width="1"'
        )
        name = item.name if item else code
        text = formatting.percent(item.value) if item else formatting.DASH
        tile = (
            f'<g class="tile" data-code="{code}" data-fill="{fill}">'
            f'<rect x="{x}" y="{y}" width="{size}" height="{size}" rx="4" fill="{fill}" '
            f"{stroke}><title>{escape(name)}: {escape(text)}</title></rect>"
            f'<text x="{x + size / 2}" y="{y + 24}" text-anchor="middle" font-size="11" '
            f'font-weight="700" fill="{_text_on(fill)}">{short}</text>'
            f'<text x="{x + size / 2}" y="{y + 44}" text-anchor="middle" font-size="12" '
            f'fill="{_text_on(fill)}">{escape(text)}</text></g>'
        )
        if item and item.href:
            tile = f'<a href="{escape(item.href)}">{tile}</a>'
        parts.append(tile)
    parts.append(_legend(rows * (size + gap) + 4, title))
    return _svg(width, height, "".join(parts), title)


def path_box(paths: Sequence[str]) -> tuple[int, int, int, int]:
    """(min x, min y, width, height) of SVG paths made of "M x yLx y…Z" commands."""
    import re

    numbers = [int(n) for p in paths for n in re.findall(r"-?\d+", p)]
    xs, ys = numbers[0::2], numbers[1::2]
    if not xs:
        return (0, 0, 1000, 400)
    return (min(xs), min(ys), max(max(xs) - min(xs), 1), max(max(ys) - min(ys), 1))


def choropleth(paths: dict[str, str], values: dict[str, MapValue], title: str) -> SafeString:
    """Filled boundaries (projected at load time, see boundaries.py), framed to fit."""
    x0, y0, w, h = path_box(list(paths.values()))
    scale = 1000 / w
    width, height = 1000, int(h * scale) + 1
    parts = [f'<g transform="scale({scale:.5f}) translate({-x0} {-y0})">']
    for code, path in paths.items():
        item = values.get(code)
        fill = ramp_fill(item.value if item else None)
        name = item.name if item else code
        text = formatting.percent(item.value) if item else formatting.DASH
        shape = (
            f'<path class="area" data-code="{escape(code)}" data-fill="{fill}" d="{path}" '
            f'fill="{fill}" stroke="#ffffff" stroke-width="{0.8 / scale:.2f}">'
            f"<title>{escape(name)}: {escape(text)}</title></path>"
        )
        if item and item.href:
            shape = f'<a href="{escape(item.href)}">{shape}</a>'
        parts.append(shape)
    parts.append("</g>")
    parts.append(_legend(height + 14, title))
    return _svg(width, height + 40, "".join(parts), title)


def rank_strip(scores: Sequence[float], own: float | None, title: str) -> SafeString:
    """Peers' scores as anonymous ticks on 0–100 with the own Pemda marked: no names."""
    width, height, left, span = 820, 64, 20, 780
    parts = [
        f'<line x1="{left}" y1="30" x2="{left + span}" y2="30" stroke="{GRID}" '
        'stroke-width="8" stroke-linecap="round"/>'
    ]
    for score in scores:
        x = left + span * max(0.0, min(score, 100.0)) / 100
        parts.append(f'<line x1="{x:.1f}" y1="22" x2="{x:.1f}" y2="38" stroke="{MUTED}"/>')
    if own is not None:
        x = left + span * max(0.0, min(own, 100.0)) / 100
        parts.append(
            f'<circle cx="{x:.1f}" cy="30" r="8" fill="{STATUS_FILL["green"]}" '
            f'stroke="#fff" stroke-width="2"/><text x="{x:.1f}" y="14" '
            f'text-anchor="middle" font-weight="700" fill="{INK}">'
            f"{formatting.number(own, 1)}</text>"
        )
    for v in (0, 50, 100):
        parts.append(
            f'<text x="{left + span * v / 100:.1f}" y="58" text-anchor="middle" '
            f'fill="{MUTED}" font-size="11">{v}</text>'
        )
    return _svg(width, height, "".join(parts), title)
