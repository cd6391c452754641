"""Privacy scan: look for NIKs in clear anywhere monev keeps data.

Given the NIKs that went in (from the input files), scan every text column of every table
and every file under MONEV_HOME and in the data store (Parquet columns read as text, other
files as bytes) and
report where any of them appears in clear. The audited registration export is streamed
to the requester and never written under MONEV_HOME, so the expected result is zero hits.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.db import models

NIK_RUN = re.compile(rb"(?<![0-9])[0-9]{16}(?![0-9])")


@dataclass(frozen=True)
class Hit:
    where: str  # "db:<table>.<column>" or a file path
    count: int


def niks_in_files(paths: Iterable[Path]) -> set[str]:
    """Every 16-digit run in the given input files (CSV, XLSX cells, Parquet)."""
    found: set[bytes] = set()
    for path in _files(paths):
        for chunk in _text_chunks(path):
            found.update(NIK_RUN.findall(chunk))
    return {n.decode() for n in found}


def scan_database(niks: set[str]) -> list[Hit]:
    needles = {n.encode() for n in niks}
    hits: list[Hit] = []
    for model in apps.get_models():
        fields = [
            f.name
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField | models.JSONField)
        ]
        if not fields:
            continue
        table = model._meta.db_table
        for column in fields:
            count = _count_in_column(model, column, needles)
            if count:
                hits.append(Hit(f"db:{table}.{column}", count))
    return hits


def _count_in_column(model: type[models.Model], column: str, needles: set[bytes]) -> int:
    count = 0
    values = model._default_manager.using("default").values_list(column, flat=True)
    for value in values.iterator(chunk_size=5000):
        if value is None:
            continue
        text = str(value).encode()
        count += sum(1 for run in NIK_RUN.findall(text) if run in needles)
    return count


def scan_files(root: Path, niks: set[str], *, exclude: Iterable[Path] = ()) -> list[Hit]:
    needles = {n.encode() for n in niks}
    skipped = {p.resolve() for p in exclude}
    hits: list[Hit] = []
    for path in _files([root]):
        if path.resolve() in skipped or any(parent in skipped for parent in path.parents):
            continue
        count = sum(
            1 for chunk in _text_chunks(path) for run in NIK_RUN.findall(chunk) if run in needles
        )
        if count:
            hits.append(Hit(str(path), count))
    return hits


def scan_store(niks: set[str], *, home: Path) -> list[Hit]:
    """Every object of the data store (monev/core/storage.py) that is not already under
    `home` (an S3 bucket, or a directory elsewhere), scanned like a file."""
    import tempfile

    from monev.core import storage

    if not storage.is_remote():
        root = storage.local_path("x").parent.resolve()
        if root == home.resolve() or home.resolve() in root.parents:
            return []
        return [Hit(f"store:{h.where}", h.count) for h in scan_files(root, niks)]
    hits: list[Hit] = []
    with tempfile.TemporaryDirectory() as scratch:
        for key, _size in storage.listing():
            local = Path(scratch) / Path(key).name
            storage.get_file(key, local)
            found = scan_files(local, niks)
            local.unlink()
            if found:
                hits.append(Hit(f"store:{key}", found[0].count))
    return hits


def _files(paths: Iterable[Path]) -> Iterator[Path]:
    for path in paths:
        if path.is_dir():
            yield from (p for p in sorted(path.rglob("*")) if p.is_file())
        elif path.is_file():
            yield path


def _text_chunks(path: Path) -> Iterator[bytes]:
    """The file's content as text: Parquet and XLSX decoded, anything else as raw bytes."""
    suffix = path.suffix.lower()
    if suffix == ".parquet":
        import polars as pl

        frame = pl.read_parquet(path)
        for name, dtype in frame.schema.items():
            if dtype == pl.String:
                yield "\n".join(v for v in frame[name].to_list() if v).encode()
        return
    if suffix == ".xlsx":
        import zipfile

        with zipfile.ZipFile(path) as archive:
            for member in archive.namelist():
                if member.endswith(".xml"):
                    yield archive.read(member)
        return
    with path.open("rb") as handle:
        while chunk := handle.read(8 * 1024 * 1024):
            yield chunk
