"""Shared pieces of the `monev import <kind>` subcommands: arguments, output, error lines.

Exit codes stay those of docs/cli.md: a bad period or a missing file is a usage error (2).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO

from django.core.management.base import CommandError

from monev.regions.codes import parse_period

TABLE_ERRORS = 50


def period_arg(raw: str) -> str:
    try:
        return parse_period(raw)
    except ValueError as exc:
        raise CommandError(str(exc), returncode=2) from None


def file_arg(raw: str) -> Path:
    path = Path(raw)
    if not path.is_file():
        raise CommandError(f"berkas {path} tidak ditemukan", returncode=2)
    return path


def emit(
    data: dict[str, Any],
    *,
    fmt: str,
    out: TextIO,
    summary: Callable[[dict[str, Any], TextIO], None],
) -> None:
    """JSON, or a table: the app's summary lines, then the first row errors and the report."""
    if fmt == "json":
        out.write(json.dumps(data, ensure_ascii=False) + "\n")
        return
    summary(data, out)
    if data["file_error"]:
        return
    for e in data["errors"][:TABLE_ERRORS]:
        out.write(f"{e['row']:>10}  {e['column']:<14} {e['code']:<20} {e['message']}\n")
    if len(data["errors"]) > TABLE_ERRORS:
        out.write("… lihat laporan lengkap\n")
    if data["report"]:
        out.write(f"laporan: {data['report']}\n")


def status_lines(data: dict[str, Any], out: TextIO) -> bool:
    """The stored/rejected line; False when the file as a whole was unusable."""
    status = "DISIMPAN" if data["committed"] else "DITOLAK"
    if data["file_error"]:
        out.write(f"{status}: {data['file_error']}\n")
        return False
    out.write(
        f"{status}: {data['rows']} baris, {data['accepted']} diterima, {data['rejected']} ditolak\n"
    )
    return True
