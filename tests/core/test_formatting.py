from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from monev.core import formatting
from monev.indicators import charts


def test_indonesian_formats() -> None:
    assert formatting.number(1234567) == "1.234.567"
    assert formatting.number(-1234.56, 1) == "-1.234,6"
    assert formatting.percent(35) == "35,0%"
    assert formatting.percent(None) == "–"
    assert formatting.rupiah(4_310_000) == "Rp4.310.000"
    assert formatting.rupiah(-5) == "-Rp5"
    assert formatting.rupiah_short(1_234_000_000) == "Rp1,2 miliar"
    assert formatting.rupiah_short(350_000_000) == "Rp350 juta"
    assert formatting.points(-12) == "-12,0 poin"
    assert formatting.points(2.44) == "+2,4 poin"
    assert formatting.period_label("2024-05") == "Mei 2024"


@given(st.integers(min_value=-(10**15), max_value=10**15))
def test_number_round_trips(value: int) -> None:
    text = formatting.number(value)
    assert int(text.replace(".", "")) == value
    assert "," not in text


@given(st.decimals(min_value=-(10**9), max_value=10**9, places=2, allow_nan=False))
def test_decimal_places_round_half_up(value: Decimal) -> None:
    text = formatting.number(value, 1)
    whole, fraction = text.replace(".", "").split(",")
    assert len(fraction) == 1
    back = Decimal(f"{whole}.{fraction}")
    assert abs(back - value) <= Decimal("0.05")


def test_charts_are_self_contained_svg() -> None:
    bars = [charts.Bar("Non-ASN <b>", 35.0, "red", "1.234 dari 4.000", 100.0)]
    svg = str(charts.bar_chart(bars, "Cakupan"))
    assert svg.startswith("<svg") and "viewBox" in svg and "<script" not in svg
    assert "Non-ASN &lt;b&gt;" in svg and "35,0%" in svg
    line = str(
        charts.line_chart(
            [charts.Series("Semua", [("2024-05", 30.0), ("2024-06", 32.5)])], "Tren", target=50.0
        )
    )
    assert "polyline" in line and "Target 50,0%" in line and "Jun 24" in line
    empty = str(charts.line_chart([], "Tren"))
    assert "Belum ada data" in empty
    tiles = str(
        charts.tile_map({"16": charts.MapValue(61.0, "Sumatera Selatan", "/x/")}, "Cakupan")
    )
    assert tiles.count('class="tile"') == 38 and 'href="/x/"' in tiles
    assert charts.ramp_fill(None) == charts.NO_DATA and charts.ramp_fill(85) == charts.RAMP[-1]
