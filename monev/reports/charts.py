"""Server-rendered SVG charts for reports: the same markup in the browser and in the PDF.

Plain SVG strings (escaped), no JavaScript, fonts from the page. Colours follow the RAG
status used on the dashboards.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from django.utils.safestring import SafeString, mark_safe

RED, AMBER, GREEN, BLUE, GREY = "#c0392b", "#e0a100", "#2e8b57", "#2f5597", "#999999"


def rag_colour(value: float | None, *, red: float = 0.25, amber: float = 0.5) -> str:
    if value is None:
        return GREY
    return RED if value < red else AMBER if value < amber else GREEN


def _pct(value: float) -> str:
    return f"{100 * value:.1f}%".replace(".", ",")


def hbar_chart(
    rows: Sequence[tuple[str, float | None]],
    *,
    title: str = "",
    width: int = 640,
    bar_height: int = 14,
    target: float | None = None,
    label_width: int = 190,
) -> SafeString:
    """Horizontal bars of shares (0..1), one per label, coloured by status; None = no data."""
    gap, top = 4, 22 if title else 6
    height = top + len(rows) * (bar_height + gap) + 20
    span = width - label_width - 60
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(title)}" font-family="DejaVu Sans, sans-serif" font-size="9">'
    ]
    if title:
        out.append(f'<text x="0" y="12" font-size="10" font-weight="bold">{escape(title)}</text>')
    axis_y = top + len(rows) * (bar_height + gap)
    out.append(_axis(label_width, span, top, axis_y))
    for i, (label, value) in enumerate(rows):
        y = top + i * (bar_height + gap)
        out.append(
            f'<text x="{label_width - 6}" y="{y + bar_height - 3}" text-anchor="end">'
            f"{escape(label[:34])}</text>"
        )
        if value is None:
            out.append(
                f'<text x="{label_width + 2}" y="{y + bar_height - 3}" fill="{GREY}">'
                "tidak ada data</text>"
            )
            continue
        w = max(1.0, span * min(value, 1.0))
        out.append(
            f'<rect x="{label_width}" y="{y}" width="{w:.1f}" height="{bar_height}" '
            f'fill="{rag_colour(value)}"/>'
            f'<text x="{label_width + w + 4:.1f}" y="{y + bar_height - 3}">{_pct(value)}</text>'
        )
    if target is not None:
        x = label_width + span * target
        out.append(
            f'<line x1="{x:.1f}" y1="{top - 2}" x2="{x:.1f}" y2="{axis_y}" stroke="{BLUE}" '
            f'stroke-dasharray="3,2"/><text x="{x + 2:.1f}" y="{axis_y + 16}" fill="{BLUE}">'
            f"target {_pct(target)}</text>"
        )
    out.append("</svg>")
    return mark_safe("".join(out))  # noqa: S308 (every label is escaped above)


def _axis(x0: int, span: int, top: int, y: int) -> str:
    parts = [f'<line x1="{x0}" y1="{y}" x2="{x0 + span}" y2="{y}" stroke="#444"/>']
    for tick in (0, 0.25, 0.5, 0.75, 1.0):
        x = x0 + span * tick
        parts.append(
            f'<line x1="{x:.1f}" y1="{top - 2}" x2="{x:.1f}" y2="{y}" stroke="#ddd"/>'
            f'<text x="{x:.1f}" y="{y + 9}" text-anchor="middle" fill="#444">'
            f"{int(tick * 100)}%</text>"
        )
    return "".join(parts)


def pair_bar_chart(
    rows: Sequence[tuple[str, int, int]],
    *,
    title: str,
    first: str,
    second: str,
    width: int = 640,
    label_width: int = 190,
) -> SafeString:
    """Two bars per label (e.g. budget vs cost to close, in Rupiah), on a shared scale."""
    top, bar, gap = 34, 7, 6
    height = top + len(rows) * (2 * bar + gap) + 8
    span = width - label_width - 70
    biggest = max([max(a, b) for _, a, b in rows] + [1])
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" font-family="DejaVu Sans, sans-serif" '
        f'font-size="9" role="img" aria-label="{escape(title)}">'
        f'<text x="0" y="12" font-size="10" font-weight="bold">{escape(title)}</text>'
        f'<rect x="0" y="18" width="10" height="8" fill="{BLUE}"/>'
        f'<text x="14" y="26">{escape(first)}</text>'
        f'<rect x="160" y="18" width="10" height="8" fill="{AMBER}"/>'
        f'<text x="174" y="26">{escape(second)}</text>'
    ]
    for i, (label, a, b) in enumerate(rows):
        y = top + i * (2 * bar + gap)
        out.append(
            f'<text x="{label_width - 6}" y="{y + 2 * bar - 2}" text-anchor="end">'
            f"{escape(label[:34])}</text>"
        )
        for j, (value, colour) in enumerate(((a, BLUE), (b, AMBER))):
            w = span * value / biggest
            out.append(
                f'<rect x="{label_width}" y="{y + j * bar}" width="{max(w, 0.5):.1f}" '
                f'height="{bar - 1}" fill="{colour}"/>'
                f'<text x="{label_width + w + 3:.1f}" y="{y + j * bar + bar - 2}" font-size="7">'
                f"{_rupiah_short(value)}</text>"
            )
    out.append("</svg>")
    return mark_safe("".join(out))  # noqa: S308 (every label is escaped above)


def _rupiah_short(value: int) -> str:
    for size, unit in ((10**12, "T"), (10**9, "M"), (10**6, "jt")):
        if value >= size:
            return f"Rp{value / size:.1f} {unit}".replace(".", ",")
    return f"Rp{value:,}".replace(",", ".")
