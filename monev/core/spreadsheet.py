"""Cells that a spreadsheet will not execute (CSV/formula injection, OWASP).

A text cell that starts with `= + - @`, a tab or a carriage return is run as a formula by
Excel and LibreOffice when the CSV is opened: a name typed as `=HYPERLINK(...)` in a roster
would become a live link in the gap list a Pemda downloads. Such a cell gets a leading `'`
(shown by spreadsheets as plain text). Numbers, and text that is only a number
(`-3,5`, `+12`), are left as they are.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"^[+-]?[0-9][0-9.,]*%?$")


def safe_text(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(_FORMULA_START) and not _NUMBER.match(value):
        return "'" + value
    return value


def safe_row(row: Iterable[Any]) -> list[Any]:
    return [safe_text(value) for value in row]


def safe_dict(row: Mapping[str, Any]) -> dict[str, Any]:
    return {key: safe_text(value) for key, value in row.items()}


class _SafeWriter:
    """A csv.writer or csv.DictWriter whose rows go through `safe_row`/`safe_dict`."""

    def __init__(self, writer: Any) -> None:
        self._writer = writer

    def writeheader(self) -> Any:
        return self._writer.writeheader()

    def writerow(self, row: Any) -> Any:
        clean = safe_dict(row) if isinstance(row, Mapping) else safe_row(row)
        return self._writer.writerow(clean)

    def writerows(self, rows: Iterable[Any]) -> None:
        for row in rows:
            self.writerow(row)


def safe_writer(writer: Any) -> Any:
    """Wrap `csv.writer(...)` or `csv.DictWriter(...)` so no cell runs as a formula."""
    return _SafeWriter(writer)
