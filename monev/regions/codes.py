"""Parsing of Kemendagri region codes and periods, shared by every interface."""

from __future__ import annotations

import re

_CODE = re.compile(r"^\d{2}(\.\d{2}(\.\d{2,3}(\.\d{4})?)?)?$", re.ASCII)
_PERIOD = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$", re.ASCII)


def parse_region_code(raw: str) -> str:
    """`16`, `16.71`, `16.71.01` (also `1671`, `167101` without dots) → dotted code."""
    code = (raw or "").strip()
    if code.isascii() and code.isdigit() and len(code) in (4, 6):
        code = ".".join(code[i : i + 2] for i in range(0, len(code), 2))
    if not _CODE.match(code):
        raise ValueError(f"kode wilayah {raw!r} tidak sah (contoh: 16, 16.71, 16.71.01)")
    return code


def parse_period(raw: str) -> str:
    """`YYYY-MM` with a real month."""
    value = (raw or "").strip()
    if not _PERIOD.match(value):
        raise ValueError(f"periode {raw!r} tidak sah (format YYYY-MM, misalnya 2024-06)")
    return value
