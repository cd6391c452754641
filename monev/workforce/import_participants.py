"""`monev import participants FILE` (docs/formats/participants.md)."""

from __future__ import annotations

from typing import Any

from monev.workforce.import_common import add_file_arguments, run_import
from monev.workforce.services import participants_import

HELP = "Impor jumlah peserta aktif BPJS TK per wilayah, periode dan (opsional) segmen."


def add_arguments(parser: Any) -> None:
    add_file_arguments(parser)


def run(options: dict[str, Any], stdout: Any) -> int:
    return run_import(options, stdout, participants_import)
