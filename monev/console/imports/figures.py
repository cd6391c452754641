"""Shared body of `monev import workforce|participants FILE`."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from monev.budgets.services import InputRejected
from monev.core.scope import SYSTEM
from monev.workforce.services import ImportResult


def add_file_arguments(parser: Any) -> None:
    parser.add_argument("file", help="CSV atau XLSX")
    parser.add_argument("--format", choices=["table", "json"], default="table")


def run_import(options: dict[str, Any], stdout: Any, service: Callable[..., ImportResult]) -> int:
    path = Path(options["file"])
    if not path.is_file():
        stdout.write(f"Kesalahan: file tidak ditemukan: {path}\n")
        return 2
    try:
        result = service(data=path.read_bytes(), filename=path.name, by=SYSTEM)
    except InputRejected as exc:
        if options.get("format") == "json":
            stdout.write(
                json.dumps({"status": "rejected", "errors": exc.errors}, ensure_ascii=False) + "\n"
            )
        else:
            stdout.write("File ditolak; tidak ada yang disimpan.\n")
            stdout.write("".join(f"  {e}\n" for e in exc.errors))
        return 3
    if options.get("format") == "json":
        body = {
            "status": "ok",
            "rows": result.rows,
            "periods": result.periods,
            "batch": result.batch_id,
        }
        stdout.write(json.dumps(body) + "\n")
    else:
        stdout.write(f"{result.rows} baris disimpan (periode {', '.join(result.periods)}).\n")
    return 0
