"""Indonesian number formats: 1.234.567 · Rp1.234.567 · 35,0% · +2,4 poin.

Independent of the active locale so that a page, an XLSX cell note and a PDF show the
same text. English pages keep the Indonesian format: the figures are official Indonesian
statistics and are quoted as such.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

DASH = "–"


def _group(integer: int) -> str:
    return f"{integer:,}".replace(",", ".")


def number(value: float | int | Decimal | None, places: int = 0) -> str:
    """1234567 → "1.234.567"; 1234.5 with places=1 → "1.234,5"; no value → "–"."""
    if value is None or value == "":
        return DASH
    quantum = Decimal(1).scaleb(-places)
    exact = Decimal(str(value)).quantize(quantum, rounding=ROUND_HALF_UP)
    sign = "-" if exact < 0 else ""
    whole, _, fraction = f"{abs(exact):f}".partition(".")
    text = _group(int(whole))
    return f"{sign}{text},{fraction}" if places else f"{sign}{text}"


def percent(value: float | Decimal | None, places: int = 1) -> str:
    return DASH if value is None else f"{number(value, places)}%"


def rupiah(value: float | int | Decimal | None) -> str:
    if value is None:
        return DASH
    text = number(value, 0)
    return f"-Rp{text[1:]}" if text.startswith("-") else f"Rp{text}"


def rupiah_short(value: float | int | None) -> str:
    """Rp1,2 miliar / Rp350 juta / Rp16.800, for headlines and sentences."""
    if value is None:
        return DASH
    for size, word in ((10**12, "triliun"), (10**9, "miliar"), (10**6, "juta")):
        if abs(value) >= size:
            return f"Rp{number(value / size, 1 if abs(value) < 100 * size else 0)} {word}"
    return rupiah(value)


def points(value: float | None, places: int = 1) -> str:
    """A difference of percentages: "+2,4 poin" / "-12,0 poin"."""
    if value is None:
        return DASH
    sign = "+" if value > 0 else ""
    return f"{sign}{number(value, places)} poin"


MONTHS_ID = [
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
]


def period_label(period: str | None, short: bool = False) -> str:
    """ "2024-06" → "Juni 2024" (short: "Jun 24")."""
    if not period:
        return DASH
    month = MONTHS_ID[int(period[5:7]) - 1]
    return f"{month[:3]} {period[2:4]}" if short else f"{month} {period[:4]}"
