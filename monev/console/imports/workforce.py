"""`monev import workforce FILE` (docs/formats/workforce.md)."""

from __future__ import annotations

from typing import Any

from monev.console.imports.figures import add_file_arguments, run_import
from monev.workforce.services import workforce_import

HELP = "Impor penduduk bekerja (BPS Sakernas) per wilayah dan periode."


def add_arguments(parser: Any) -> None:
    add_file_arguments(parser)


def run(options: dict[str, Any], stdout: Any) -> int:
    return run_import(options, stdout, workforce_import)
