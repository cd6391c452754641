"""Reading small CSV/XLSX tables (budgets, workforce figures) as strings with clean headers."""

from __future__ import annotations

import io
from collections import Counter
from pathlib import PurePath

import polars as pl
from django.utils.translation import gettext as _

MAX_TABLE_BYTES = 20 * 1024 * 1024
MAX_COLUMNS = 200  # the widest table monev reads has a dozen columns


class TableError(ValueError):
    """The file as a whole cannot be read; the message says why."""


def _header(name: str) -> str:
    key = name.replace("\ufeff", "").strip().lower()
    return "_".join(key.replace("-", " ").replace("/", " ").split())


def read_table(data: bytes, filename: str) -> pl.DataFrame:
    """Every cell as a stripped string (empty → null), plus `row` (header = row 1)."""
    if len(data) > MAX_TABLE_BYTES:
        raise TableError(_("File terlalu besar (maksimal 20 MB)."))
    if not data.strip():
        raise TableError(_("File kosong."))
    suffix = PurePath(filename).suffix.lower()
    try:
        if suffix in (".csv", ".txt"):
            separator = _separator(data)
            _check_width(data, separator)
            frame = pl.read_csv(io.BytesIO(data), infer_schema=False, separator=separator)
        elif suffix in (".xlsx", ".xlsm"):
            import fastexcel

            sheet = fastexcel.read_excel(data).load_sheet(0, dtypes="string")
            frame = pl.DataFrame(sheet.to_polars())
        else:
            raise TableError(_("Format file %(s)r tidak didukung (CSV atau XLSX).") % {"s": suffix})
    except TableError:
        raise
    except Exception as exc:  # polars/fastexcel raise many kinds for broken files
        raise TableError(_("File tidak dapat dibaca: %(e)s") % {"e": str(exc)[:200]}) from None
    headers = [_header(c) for c in frame.columns]
    duplicated = sorted(h for h, n in Counter(headers).items() if n > 1)
    if duplicated or "row" in headers:
        raise TableError(
            _("Kolom ganda atau terlarang: %(c)s") % {"c": ", ".join(duplicated or ["row"])}
        )
    frame = frame.rename(dict(zip(frame.columns, headers, strict=True)))
    frame = frame.select(
        pl.int_range(2, frame.height + 2, dtype=pl.Int64).alias("row"),
        *[pl.col(c).cast(pl.String).str.strip_chars().replace("", None) for c in frame.columns],
    )
    return frame.filter(pl.any_horizontal(pl.col(c).is_not_null() for c in frame.columns[1:]))


def _check_width(data: bytes, separator: str) -> None:
    """Limits before parsing: a header of thousands of columns is refused at once."""
    first = data[: 64 * 1024].split(b"\n", 1)[0]
    if first.count(separator.encode()) + 1 > MAX_COLUMNS:
        raise TableError(
            _("File punya terlalu banyak kolom (maksimal %(n)d).") % {"n": MAX_COLUMNS}
        )


def _separator(data: bytes) -> str:
    first = data[:4096].decode("utf-8", errors="ignore").lstrip("\ufeff").split("\n", 1)[0]
    return ";" if first.count(";") > first.count(",") else ","


def require_columns(frame: pl.DataFrame, required: list[str]) -> None:
    missing = [c for c in required if c not in frame.columns]
    if missing:
        raise TableError(_("Kolom wajib tidak ada: %(c)s") % {"c": ", ".join(missing)})


def parse_rupiah(raw: str | None, *, blank: int | None = 0) -> int | None:
    """`1.944.000`, `1,944,000`, `1944000` → 1944000; ValueError otherwise."""
    if raw is None or raw == "":
        if blank is None:
            return None
        return blank
    text = raw.replace(".", "").replace(",", "").replace(" ", "")
    if text.startswith("-"):
        raise ValueError(_("nilai %(v)r negatif") % {"v": raw})
    if not (text.isascii() and text.isdigit()):
        raise ValueError(_("nilai %(v)r bukan rupiah bulat") % {"v": raw})
    return int(text)
