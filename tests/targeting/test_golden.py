"""Golden files: each `tests/data/dtsen/<name>.csv` imported gives `<name>.expected.json`."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from monev.console.imports.dtsen import as_json
from monev.core.scope import SYSTEM
from monev.targeting.services import register_import

pytestmark = pytest.mark.django_db
DATA = Path(__file__).resolve().parent.parent / "data" / "dtsen"
CASES = sorted(p.stem for p in DATA.glob("*.csv"))


@pytest.mark.parametrize("name", CASES)
def test_golden(name: str, tmp_path: Path) -> None:
    expected = json.loads((DATA / f"{name}.expected.json").read_text())
    source = tmp_path / f"{name}.csv"
    shutil.copy(DATA / f"{name}.csv", source)
    data = as_json(register_import(as_of="2025-03", path=source, by=SYSTEM))
    got = {
        "committed": data["committed"],
        "rows": data["rows"],
        "accepted": data["accepted"],
        "rejected": data["rejected"],
        "errors": [[e["row"], e["column"], e["code"]] for e in data["errors"]],
    }
    if data["committed"]:
        from monev.targeting.models import SocialRegister

        register = SocialRegister.objects.get(pk=data["register"])
        got["by_pemda"], got["by_desil"] = register.by_pemda, register.by_desil
    assert got == expected


def test_xlsx_is_read_like_csv(tmp_path: Path) -> None:
    import xlsxwriter

    lines = (DATA / "sample.csv").read_text().splitlines()
    path = tmp_path / "sample.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet()
    for r, line in enumerate(lines):
        for c, value in enumerate(line.split(";")):
            sheet.write_string(r, c, value)
    book.close()
    result = register_import(as_of="2025-03", path=path, by=SYSTEM)
    assert result.committed and result.rows_accepted == 6
