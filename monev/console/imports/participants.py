"""`monev import participants FILE` (docs/formats/participants.md), or
`monev import participants --from-registry 2024-06` to count them from a loaded extract."""

from __future__ import annotations

import json
from typing import Any

from monev.budgets.services import InputRejected
from monev.console.imports.figures import run_import
from monev.core.scope import SYSTEM
from monev.regions.codes import parse_period
from monev.workforce.services import participants_from_registry, participants_import

HELP = "Impor jumlah peserta aktif BPJS TK per wilayah, periode dan (opsional) segmen."


def add_arguments(parser: Any) -> None:
    parser.add_argument("file", nargs="?", help="CSV atau XLSX")
    parser.add_argument("--from-registry", metavar="PERIOD", help="hitung dari ekstrak registri")
    parser.add_argument("--format", choices=["table", "json"], default="table")


def run(options: dict[str, Any], stdout: Any) -> int:
    if not options.get("from_registry"):
        if not options.get("file"):
            stdout.write("Kesalahan: sebutkan FILE atau --from-registry PERIODE\n")
            return 2
        return run_import(options, stdout, participants_import)
    try:
        period = parse_period(options["from_registry"])
        result = participants_from_registry(period=period, by=SYSTEM)
    except ValueError as exc:
        stdout.write(f"Kesalahan: {exc}\n")
        return 2 if not isinstance(exc, InputRejected) else 3
    body = {
        "status": "ok",
        "rows": result.rows,
        "periods": result.periods,
        "batch": result.batch_id,
    }
    stdout.write(
        json.dumps(body) + "\n"
        if options.get("format") == "json"
        else f"{result.rows} baris disimpan.\n"
    )
    return 0
