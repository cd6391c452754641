"""`monev regions load-boundaries`: GeoJSON in, SVG paths stored, choropleth shown."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from monev.indicators.models import BoundarySet

pytestmark = pytest.mark.django_db


def square(code_key: str, code: str, x: float, y: float) -> dict[str, Any]:
    ring = [[x, y], [x + 1, y], [x + 1, y + 1], [x, y + 1], [x, y]]
    return {
        "type": "Feature",
        "properties": {code_key: code},
        "geometry": {"type": "Polygon", "coordinates": [ring]},
    }


def write(tmp_path: Path, features: list[dict[str, Any]], name: str = "b.geojson") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    return path


def test_province_boundaries_turn_the_map_into_a_choropleth(
    tmp_path: Path, sample: Any, client_for: Any, capsys: Any
) -> None:
    features = [
        square("kode", c, 100 + i, -2 - i) for i, c in enumerate(["15", "16", "17", "18", "19"])
    ]
    features.append(square("kode", "99", 140, 0))
    call_command(
        "regions", "load-boundaries", str(write(tmp_path, features)), "--level", "province"
    )
    out = capsys.readouterr().out
    assert "5 wilayah" in out and "99" in out
    boundary = BoundarySet.objects.get(is_current=True, level="province")
    assert set(boundary.paths) == {"15", "16", "17", "18", "19"} and boundary.paths[
        "16"
    ].startswith("M")
    page = client_for("sumbagsel").get("/dasbor/kanwil/SUMBAGSEL/").content.decode()
    assert 'class="map choropleth"' in page and 'class="area" data-code="16"' in page


def test_regency_boundaries_with_a_four_digit_code_property(
    tmp_path: Path, sample: Any, client_for: Any
) -> None:
    features = [
        square("KDPKAB", c.replace(".", ""), 103 + i * 0.5, -3)
        for i, c in enumerate(["16.01", "16.04", "16.71"])
    ]
    path = write(tmp_path, features)
    call_command(
        "regions", "load-boundaries", str(path), "--level", "regency", "--code-property", "KDPKAB"
    )
    page = client_for("sumbagsel").get("/dasbor/provinsi/16/").content.decode()
    assert 'data-code="16.04"' in page and 'class="map choropleth"' in page


@pytest.mark.parametrize(
    ("content", "code"),
    [
        ("not json", 3),
        ('{"type": "Feature"}', 3),
        (
            '{"type": "FeatureCollection", "features": [{"properties": {"kode": "99"}, '
            '"geometry": {"type": "Polygon", "coordinates": [[[0,0],[1,0],[1,1],[0,0]]]}}]}',
            3,
        ),
    ],
)
def test_bad_files_are_rejected_and_change_nothing(tmp_path: Path, content: str, code: int) -> None:
    path = tmp_path / "bad.geojson"
    path.write_text(content)
    with pytest.raises(CommandError) as info:
        call_command("regions", "load-boundaries", str(path))
    assert info.value.returncode == code
    assert not BoundarySet.objects.exists()


def test_usage_errors(tmp_path: Path) -> None:
    with pytest.raises(CommandError) as info:
        call_command("regions", "load-boundaries")
    assert info.value.returncode == 2
    with pytest.raises(CommandError) as info:
        call_command("regions", "load-boundaries", str(tmp_path / "missing.geojson"))
    assert info.value.returncode == 2
    path = write(tmp_path, [square("kode", "16", 0, 0)])
    with pytest.raises(CommandError) as info:
        call_command("regions", "load-boundaries", str(path), "--level", "district")
    assert info.value.returncode == 2
