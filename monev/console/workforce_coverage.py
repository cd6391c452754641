"""`monev coverage workforce --period 2022-08 --level province [--kanwil SUMBAGSEL]
[--definition bps] --format csv|json`: the workforce sub-mode of `monev coverage`.

The `coverage` command hands the words after `workforce` to `main(argv, stdout)`; the
exit code follows the house rule (0, 2, 3).
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from monev.core.scope import SYSTEM
from monev.regions.codes import parse_period
from monev.regions.models import Kanwil
from monev.workforce.selectors import UnknownDefinition, definition_dict, workforce_coverage

HELP = "Cakupan angkatan kerja: peserta aktif terhadap penduduk bekerja (atau definisi lain)."
CSV_COLUMNS = [
    "region_code", "region_name", "level", "period", "definition", "numerator", "denominator",
    "coverage_percent", "numerator_basis", "denominator_basis", "numerator_sources",
    "denominator_sources",
]  # fmt: skip


def add_arguments(parser: Any) -> None:
    parser.add_argument("--period", required=True, help="YYYY-MM, misalnya 2022-08")
    parser.add_argument("--level", choices=["province", "regency"], default="province")
    parser.add_argument("--kanwil", default=None, help="kode Kanwil, misalnya SUMBAGSEL")
    parser.add_argument("--definition", default="bps", help="bps | potensi | ucj")
    parser.add_argument("--format", choices=["csv", "json"], default="csv")


def run(options: dict[str, Any], stdout: Any) -> int:
    try:
        period = parse_period(options["period"])
    except ValueError as exc:
        stdout.write(f"Kesalahan: {exc}\n")
        return 2
    kanwil = (options.get("kanwil") or "").upper() or None
    if kanwil and not Kanwil.objects.filter(code=kanwil).exists():
        stdout.write(f"Kesalahan: Kanwil {kanwil!r} tidak dikenal\n")
        return 2
    try:
        spec, rows = workforce_coverage(
            user=SYSTEM, period=period, level=options["level"], kanwil=kanwil,
            definition=options.get("definition") or "bps",
        )  # fmt: skip
    except UnknownDefinition as exc:
        stdout.write(f"Kesalahan: {exc}\n")
        return 2
    if options["format"] == "json":
        body = {"definition": definition_dict(spec), "rows": [r.as_dict() for r in rows]}
        stdout.write(json.dumps(body, ensure_ascii=False, indent=1) + "\n")
        return 0
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        data = row.as_dict()
        data["numerator_sources"] = "; ".join(data["numerator_sources"])
        data["denominator_sources"] = "; ".join(data["denominator_sources"])
        writer.writerow(data)
    stdout.write(buffer.getvalue())
    return 0


def main(argv: list[str], stdout: Any) -> int:
    """Parse `argv` (the words after `monev coverage workforce`) and run; argparse errors exit 2."""
    import argparse

    parser = argparse.ArgumentParser(prog="monev coverage workforce", description=HELP)
    add_arguments(parser)
    return run(vars(parser.parse_args(argv)), stdout)
