"""One consistent archive of everything monev keeps, and its all-or-nothing restore.

An archive is an uncompressed tar (the Parquet inside is compressed already):

    database/monev.sqlite3   SQLite's online backup (readers and the worker go on meanwhile)
    database/monev.pgdump    or `pg_dump --format=custom` (one snapshot transaction)
    data/…                   every object of the data store (a directory or an S3 bucket):
                             Parquet extracts, roster row files with their sealed NIKs, match
                             and targeting results, uploads waiting for confirmation
                             (encrypted), documents and generated reports
    manifest.json            last: version, engine, applied migrations, every member's size
                             and SHA-256

The database is copied first and the files after it. Files are written once under new names
and published by switching a database row, so every file the copied database names is
already there when the files are copied; files newer than the copy are harmless extras.

Restore checks the whole archive (manifest present, every member's size and checksum)
before it touches anything, refuses a target that is not empty, stages the files next to
their place, restores the database in one transaction, then moves the files in. A failure
at any step leaves the target as empty as it was. The keys are not in the archive: they are
backed up separately (docs/operations.md).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder

from monev.core import storage

FORMAT = "monev-backup/1"
CHUNK = 1 << 20
# `data/…`: every object of the data store (monev/core/storage.py, local or S3).


class BackupError(Exception):
    """The archive cannot be written or restored; the message says why, for the operator."""


@dataclass(frozen=True)
class BackupResult:
    path: Path
    files: int
    bytes: int
    engine: str


def _home() -> Path:
    return Path(settings.MONEV_HOME)


def _store_keys() -> Iterator[tuple[str, int]]:
    for key, size in storage.listing():
        if not key.startswith(".probe/"):
            yield key, size


def _engine() -> str:
    return "postgresql" if connection.vendor == "postgresql" else "sqlite"


def _pg_env() -> dict[str, str]:
    db = connection.settings_dict
    env = dict(os.environ)
    env.update(
        PGHOST=str(db.get("HOST") or ""),
        PGPORT=str(db.get("PORT") or ""),
        PGUSER=str(db.get("USER") or ""),
        PGPASSWORD=str(db.get("PASSWORD") or ""),
        PGDATABASE=str(db["NAME"]),
    )
    return {k: v for k, v in env.items() if v != ""}


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(f"{name} tidak ditemukan: pasang klien PostgreSQL (postgresql-client).")
    return path


def _dump_database(target: Path) -> str:
    """Copy the database to `target`; return the member name it goes under."""
    if _engine() == "sqlite":
        # Through Django's own connection: a consistent copy even while it is in use.
        connection.ensure_connection()
        copy = sqlite3.connect(str(target))
        try:
            connection.connection.backup(copy)
        finally:
            copy.close()
        return "database/monev.sqlite3"
    result = subprocess.run(  # noqa: S603 - fixed program, arguments from settings
        [
            _tool("pg_dump"),
            "--format=custom",
            "--no-owner",
            "--no-privileges",
            "--file",
            str(target),
        ],
        env=_pg_env(),
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise BackupError(f"pg_dump gagal: {result.stderr.strip()[:300]}")
    return "database/monev.pgdump"


def _sha256(handle: IO[bytes]) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    while chunk := handle.read(CHUNK):
        digest.update(chunk)
        size += len(chunk)
    return digest.hexdigest(), size


def _add(tar: tarfile.TarFile, name: str, path: Path) -> dict[str, Any]:
    with path.open("rb") as handle:
        sha, size = _sha256(handle)
    info = tarfile.TarInfo(name)
    info.size = size
    info.mtime = int(path.stat().st_mtime)
    info.mode = 0o600
    with path.open("rb") as handle:
        tar.addfile(info, handle)
    return {"name": name, "size": size, "sha256": sha}


def _add_object(tar: tarfile.TarFile, key: str, scratch: Path) -> dict[str, Any]:
    """An object of the data store, under `data/<key>` (through a local copy on S3)."""
    if not storage.is_remote():
        return _add(tar, f"data/{key}", storage.local_path(key))
    copy = scratch / "object"
    storage.get_file(key, copy)
    try:
        return _add(tar, f"data/{key}", copy)
    finally:
        copy.unlink(missing_ok=True)


def backup_write(*, out: Path) -> BackupResult:
    """Write the archive to `out` (through `out.partial`, renamed when complete)."""
    out = out.resolve()
    partial = out.with_name(out.name + ".partial")
    members: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(dir=_home(), prefix=".backup-") as scratch:
        dump = Path(scratch) / "database"
        database_member = _dump_database(dump)
        applied = sorted(
            f"{app}.{name}" for app, name in MigrationRecorder(connection).applied_migrations()
        )
        try:
            with tarfile.open(partial, "w", format=tarfile.PAX_FORMAT) as tar:
                members.append(_add(tar, database_member, dump))
                for key, _size in _store_keys():
                    members.append(_add_object(tar, key, Path(scratch)))
                manifest = {
                    "format": FORMAT,
                    "created_at": dt.datetime.now(tz=dt.UTC).isoformat(),
                    "engine": _engine(),
                    "migrations": applied,
                    "members": members,
                }
                raw = json.dumps(manifest, indent=1).encode()
                info = tarfile.TarInfo("manifest.json")
                info.size = len(raw)
                info.mode = 0o600
                tar.addfile(info, io.BytesIO(raw))
            partial.chmod(0o600)
            partial.replace(out)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
    return BackupResult(out, len(members), sum(m["size"] for m in members), _engine())


def archive_verify(path: Path) -> dict[str, Any]:
    """The manifest of a whole, uncorrupted archive; BackupError naming the fault otherwise."""
    try:
        with tarfile.open(path, "r:") as tar:
            names = {member.name: member for member in tar.getmembers()}
            if "manifest.json" not in names:
                raise BackupError(
                    "Arsip tidak lengkap: manifest.json tidak ada (cadangan terputus?)."
                )
            handle = tar.extractfile(names["manifest.json"])
            assert handle is not None
            manifest = json.loads(handle.read())
            if manifest.get("format") != FORMAT:
                raise BackupError(f"Format arsip tidak dikenal: {manifest.get('format')!r}.")
            for entry in manifest["members"]:
                member = names.get(entry["name"])
                if member is None:
                    raise BackupError(f"Arsip tidak lengkap: {entry['name']} tidak ada.")
                data = tar.extractfile(member)
                assert data is not None
                sha, size = _sha256(data)
                if (sha, size) != (entry["sha256"], entry["size"]):
                    raise BackupError(f"Arsip rusak: checksum {entry['name']} tidak cocok.")
    except (tarfile.TarError, OSError, EOFError, ValueError, KeyError) as exc:
        raise BackupError(f"Arsip rusak atau terpotong: {exc}") from None
    return manifest


def _target_empty() -> str | None:
    """Why the target is not empty, or None."""
    if connection.introspection.table_names():
        return "basis data tujuan tidak kosong"
    if next(_store_keys(), None) is not None:
        return f"penyimpanan data {storage.describe()} tidak kosong"
    return None


def _restore_database(dump: Path) -> None:
    if _engine() == "sqlite":
        target = Path(str(connection.settings_dict["NAME"]))
        connection.close()
        source = sqlite3.connect(str(dump))
        copy = sqlite3.connect(str(target))
        try:
            source.backup(copy)  # one step: the copy is whole or unchanged
        finally:
            copy.close()
            source.close()
        return
    result = subprocess.run(  # noqa: S603 - fixed program, arguments from settings
        [
            _tool("pg_restore"),
            "--single-transaction",
            "--exit-on-error",
            "--no-owner",
            "--no-privileges",
            "--dbname",
            str(connection.settings_dict["NAME"]),
            str(dump),
        ],
        env=_pg_env(),
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise BackupError(f"pg_restore gagal: {result.stderr.strip()[:300]}")


def backup_restore(*, path: Path) -> dict[str, Any]:
    """Restore the archive at `path` into the empty database and data store."""
    manifest = archive_verify(path)
    if manifest["engine"] != _engine():
        raise BackupError(
            f"Arsip ini dari basis data {manifest['engine']}; tujuan {_engine()}. "
            "Pulihkan ke jenis basis data yang sama."
        )
    reason = _target_empty()
    if reason:
        raise BackupError(f"Pemulihan butuh tujuan kosong: {reason}.")
    staging = _home() / f".restore-{uuid.uuid4().hex[:8]}"
    try:
        with tarfile.open(path, "r:") as tar:
            for entry in manifest["members"]:
                _extract(tar, entry["name"], staging)
        _restore_database(next(staging.glob("database/*")))
        try:
            _store_files(staging)
        except BaseException:
            _wipe()  # the database without its files would be half a restore
            raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return manifest


def _store_files(staging: Path) -> None:
    data = staging / "data"
    if data.is_dir():
        for path in sorted(data.rglob("*")):
            if path.is_file():
                storage.put_file(path.relative_to(data).as_posix(), path)


def _wipe() -> None:
    """Empty the target again after a restore that could not finish."""
    for key, _size in list(storage.listing()):
        storage.delete(key)
    if _engine() == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    else:
        connection.close()
        Path(str(connection.settings_dict["NAME"])).unlink(missing_ok=True)


def _extract(tar: tarfile.TarFile, name: str, staging: Path) -> None:
    target = (staging / name).resolve()
    if not target.is_relative_to(staging.resolve()):
        raise BackupError(f"Arsip berisi nama berkas yang tidak sah: {name}")
    target.parent.mkdir(parents=True, exist_ok=True)
    source = tar.extractfile(name)
    assert source is not None
    with target.open("wb") as handle:
        shutil.copyfileobj(source, handle, CHUNK)
