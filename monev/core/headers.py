"""Header rows of uploaded tables, as people type them, mapped to a format's column names."""

from __future__ import annotations

from collections.abc import Iterable, Mapping


def canonical_headers(columns: Iterable[str], aliases: Mapping[str, str]) -> dict[str, str]:
    """Rename map for a header row: lower case, without a byte-order mark, with spaces,
    dashes, dots and slashes as single underscores, then through `aliases`. A repeated
    column, and one called `row` (the row number the reader adds), are set aside as
    `_ignored_<n>` rather than overwrite a column."""
    mapping: dict[str, str] = {}
    seen: set[str] = set()
    for column in columns:
        key = column.replace("\ufeff", "").strip().lower()
        key = "_".join(key.replace("-", " ").replace(".", " ").replace("/", " ").split())
        key = aliases.get(key, key)
        if key in seen or key == "row":
            key = f"_ignored_{len(mapping)}"
        seen.add(key)
        mapping[column] = key
    return mapping
