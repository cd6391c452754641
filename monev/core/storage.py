"""The one place monev keeps files: a local directory or an S3-compatible object store.

`MONEV_DATA_URL` chooses it: empty (the default) is `MONEV_HOME/data`, a path or `file://…`
is that directory, and `s3://bucket/prefix` is a bucket on any S3-compatible store (MinIO,
Ceph, AWS; `MONEV_S3_ENDPOINT`, `MONEV_S3_ACCESS_KEY`, `MONEV_S3_SECRET_KEY`,
`MONEV_S3_REGION`). Every file is addressed by a key relative to that root
(`registry/2024-06/ekstrak-….parquet`, `private/rosters/12/source.enc`, `media/…`).

Files are written once under a new key and never changed; a database row names the key
that is current (`RegistrySnapshot.parquet_path`, `MatchRun.results_path`,
`RosterVersion.rows_file`), so publishing is switching that row in one transaction, with no
rename. On a local disk a write still goes through `.partial` and a rename, so a crash
never leaves half a file under a final name; an S3 PUT is whole or absent by itself.

Polars reads and writes Parquet at `uri(key)` directly, with `polars_options()`.
"""

from __future__ import annotations

import io
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import IO, Any
from urllib.parse import urlparse

import polars as pl
from django.conf import settings
from django.core.files import File
from django.core.files.storage import Storage
from django.utils.deconstruct import deconstructible


class StoreError(Exception):
    """The store refused or lost an object (the message names the key)."""


@dataclass(frozen=True)
class Location:
    scheme: str  # "file" or "s3"
    root: str  # a directory, or "bucket/prefix"

    @property
    def bucket(self) -> str:
        return self.root.split("/", 1)[0]

    @property
    def prefix(self) -> str:
        parts = self.root.split("/", 1)
        return parts[1].strip("/") + "/" if len(parts) > 1 and parts[1].strip("/") else ""


def location() -> Location:
    raw = str(getattr(settings, "MONEV_DATA_URL", "") or "")
    if not raw:
        return Location("file", str(Path(settings.DATA_DIR)))
    parsed = urlparse(raw)
    if parsed.scheme == "s3":
        return Location("s3", f"{parsed.netloc}{parsed.path}".rstrip("/"))
    if parsed.scheme == "file":
        return Location("file", parsed.path)
    return Location("file", str(Path(raw)))


def is_remote() -> bool:
    return location().scheme == "s3"


def describe() -> str:
    where = location()
    return f"s3://{where.root}" if where.scheme == "s3" else f"file://{where.root}"


def _check(key: str) -> str:
    key = key.strip("/")
    if not key or ".." in key.split("/"):
        raise StoreError(f"invalid key {key!r}")
    return key


# ------------------------------------------------------------------------------- local disk


def local_path(key: str) -> Path:
    """The file of `key` on the local disk (local store only)."""
    where = location()
    if where.scheme != "file":
        raise StoreError("the data store is not a local directory")
    return Path(where.root) / _check(key)


# ---------------------------------------------------------------------------------------- S3


@lru_cache(maxsize=4)
def _client(endpoint: str, region: str, access: str, secret: str) -> Any:
    import boto3
    from botocore.config import Config

    return boto3.client(
        "s3",
        endpoint_url=endpoint or None,
        region_name=region,
        aws_access_key_id=access or None,
        aws_secret_access_key=secret or None,
        config=Config(retries={"max_attempts": 5, "mode": "standard"}),
    )


def s3() -> Any:
    return _client(
        settings.MONEV_S3_ENDPOINT,
        settings.MONEV_S3_REGION,
        settings.MONEV_S3_ACCESS_KEY,
        settings.MONEV_S3_SECRET_KEY,
    )


def _object(key: str) -> tuple[str, str]:
    where = location()
    return where.bucket, where.prefix + _check(key)


def polars_options() -> dict[str, str] | None:
    """`storage_options` for Polars' readers and writers (None on a local disk)."""
    if not is_remote():
        return None
    options = {"aws_region": settings.MONEV_S3_REGION}
    if settings.MONEV_S3_ENDPOINT:
        options["aws_endpoint_url"] = settings.MONEV_S3_ENDPOINT
        if settings.MONEV_S3_ENDPOINT.startswith("http://"):
            options["aws_allow_http"] = "true"
    if settings.MONEV_S3_ACCESS_KEY:
        options["aws_access_key_id"] = settings.MONEV_S3_ACCESS_KEY
        options["aws_secret_access_key"] = settings.MONEV_S3_SECRET_KEY
    return options


# ------------------------------------------------------------------------------ the module API


def uri(key: str) -> str:
    """Where Polars finds `key`: a local path or `s3://bucket/prefix/key`."""
    if is_remote():
        bucket, name = _object(key)
        return f"s3://{bucket}/{name}"
    return str(local_path(key))


def put(key: str, data: bytes) -> None:
    if is_remote():
        bucket, name = _object(key)
        s3().put_object(Bucket=bucket, Key=name, Body=data)
        return
    target = local_path(key)
    _atomic_write(target, lambda partial: partial.write_bytes(data))


def put_file(key: str, source: Path) -> None:
    """Copy a local file into the store under `key`."""
    if is_remote():
        bucket, name = _object(key)
        s3().upload_file(str(source), bucket, name)
        return
    _atomic_write(local_path(key), lambda partial: shutil.copyfile(source, partial))


def get(key: str) -> bytes:
    if is_remote():
        bucket, name = _object(key)
        try:
            return bytes(s3().get_object(Bucket=bucket, Key=name)["Body"].read())
        except s3().exceptions.NoSuchKey:
            raise FileNotFoundError(key) from None
    return local_path(key).read_bytes()


def open_read(key: str) -> IO[bytes]:
    """A readable binary stream of `key` (a whole download on S3, read lazily on disk)."""
    if is_remote():
        return io.BytesIO(get(key))
    return local_path(key).open("rb")


def get_file(key: str, target: Path) -> None:
    """Copy `key` to a local file."""
    if is_remote():
        bucket, name = _object(key)
        s3().download_file(bucket, name, str(target))
        return
    shutil.copyfile(local_path(key), target)


def exists(key: str) -> bool:
    if is_remote():
        bucket, name = _object(key)
        try:
            s3().head_object(Bucket=bucket, Key=name)
        except Exception as exc:  # botocore ClientError 404
            if getattr(exc, "response", {}).get("Error", {}).get("Code") in {"404", "NoSuchKey"}:
                return False
            raise
        return True
    return local_path(key).is_file()


def size(key: str) -> int:
    if is_remote():
        bucket, name = _object(key)
        return int(s3().head_object(Bucket=bucket, Key=name)["ContentLength"])
    return local_path(key).stat().st_size


def delete(key: str) -> None:
    if is_remote():
        bucket, name = _object(key)
        s3().delete_object(Bucket=bucket, Key=name)
        return
    local_path(key).unlink(missing_ok=True)


def delete_prefix(prefix: str) -> None:
    for key, _size in listing(prefix):
        delete(key)
    if not is_remote():
        shutil.rmtree(local_path(prefix), ignore_errors=True)


def listing(prefix: str = "") -> Iterator[tuple[str, int]]:
    """(key, size) of every object under `prefix`, in key order; no `.partial` leftovers."""
    for item in objects(prefix):
        yield item.key, item.size


@dataclass(frozen=True)
class StoredObject:
    key: str
    size: int
    modified: float  # seconds since the epoch


def objects(prefix: str = "", *, partial: bool = False) -> Iterator[StoredObject]:
    """Every object under `prefix` with its size and time; `partial=True` also lists the
    `.partial` files an interrupted local write left (for the purge)."""
    prefix = prefix.strip("/")
    if is_remote():
        where = location()
        start = where.prefix + (prefix + "/" if prefix else "")
        pages = s3().get_paginator("list_objects_v2").paginate(Bucket=where.bucket, Prefix=start)
        for page in pages:
            for item in page.get("Contents", []):
                key = item["Key"][len(where.prefix) :]
                yield StoredObject(key, int(item["Size"]), item["LastModified"].timestamp())
        return
    root = Path(location().root)
    base = root / prefix if prefix else root
    if not base.is_dir():
        return
    for path in sorted(base.rglob("*")):
        if path.is_file() and (partial or not path.name.endswith(".partial")):
            stat = path.stat()
            yield StoredObject(path.relative_to(root).as_posix(), stat.st_size, stat.st_mtime)


def write_parquet(frame: pl.DataFrame, key: str, **options: Any) -> None:
    if is_remote():
        frame.write_parquet(uri(key), storage_options=polars_options(), **options)
        return
    _atomic_write(local_path(key), lambda partial: frame.write_parquet(partial, **options))


def sink_parquet(lazy: pl.LazyFrame, key: str, **options: Any) -> None:
    if is_remote():
        lazy.sink_parquet(uri(key), storage_options=polars_options(), **options)
        return
    _atomic_write(local_path(key), lambda partial: lazy.sink_parquet(partial, **options))


def scan_parquet(key: str, **options: Any) -> pl.LazyFrame:
    return pl.scan_parquet(uri(key), storage_options=polars_options(), **options)


def read_parquet(key: str, **options: Any) -> pl.DataFrame:
    return pl.read_parquet(uri(key), storage_options=polars_options(), **options)


# Engines take a place to read or write (a local path, or `uri(key)`), so the benchmarks can
# hand them plain paths; these helpers read and write either.


def polars_kwargs(place: str | Path) -> dict[str, Any]:
    """Keyword arguments for a Polars reader or writer of `place`."""
    return {"storage_options": polars_options()} if str(place).startswith("s3://") else {}


def scan_at(place: str | Path, **options: Any) -> pl.LazyFrame:
    return pl.scan_parquet(str(place), **polars_kwargs(place), **options)


@contextmanager
def writing_at(place: str | Path) -> Iterator[str]:
    """Where to write `place`: an object URI as it is (a PUT is whole or absent), or a
    `.partial` path renamed over a local file when the block succeeds."""
    if str(place).startswith("s3://"):
        yield str(place)
        return
    target = Path(place)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f"{target.name}.{uuid.uuid4().hex[:8]}.partial")
    try:
        yield str(partial)
        partial.replace(target)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise


@contextmanager
def writing(key: str) -> Iterator[Path]:
    """A local file to write `key`'s content to, stored under `key` when the block succeeds
    (for writers that need the bytes on disk anyway, e.g. to checksum them)."""
    if not is_remote():
        with writing_at(local_path(key)) as partial:
            yield Path(partial)
        return
    scratch = Path(settings.MONEV_HOME) / "tmp"
    scratch.mkdir(parents=True, exist_ok=True)
    local = scratch / f"{uuid.uuid4().hex}-{Path(key).name}"
    try:
        yield local
        put_file(key, local)
    finally:
        local.unlink(missing_ok=True)


def probe() -> None:
    """Write, read back and delete a small object; raise when the store cannot."""
    key = f".probe/{uuid.uuid4().hex}"
    put(key, b"monev")
    try:
        if get(key) != b"monev":
            raise StoreError("the data store returned other bytes than were written")
    finally:
        delete(key)


def _atomic_write(target: Path, write: Any) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f"{target.name}.{uuid.uuid4().hex[:8]}.partial")
    try:
        write(partial)
        partial.replace(target)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise


# ------------------------------------------------------------------- Django's file storage


@deconstructible
class StoreFiles(Storage):
    """Django's default storage (report files, letters, evidence, regulation documents) kept in
    the data store under `media/`, so every server and the worker see the same files. Never
    served by URL: views stream them after their scope check."""

    prefix = "media"

    def _key(self, name: str) -> str:
        return f"{self.prefix}/{_check(name)}"

    def _open(self, name: str, mode: str = "rb") -> File:
        if "w" in mode or "a" in mode:
            raise StoreError("files in the store are written once, through save()")
        return File(open_read(self._key(name)), name=name)

    def _save(self, name: str, content: File) -> str:
        content.seek(0)
        put(self._key(name), content.read())
        return name

    def get_available_name(self, name: str, max_length: int | None = None) -> str:
        # Unique without asking the store: a short random part before the extension.
        stem, dot, extension = name.rpartition(".")
        unique = (
            f"{stem}-{uuid.uuid4().hex[:8]}.{extension}"
            if dot
            else f"{name}-{uuid.uuid4().hex[:8]}"
        )
        return super().get_available_name(unique, max_length)

    def delete(self, name: str) -> None:
        delete(self._key(name))

    def exists(self, name: str) -> bool:
        return exists(self._key(name))

    def size(self, name: str) -> int:
        return size(self._key(name))

    def url(self, name: str | None) -> str:
        raise NotImplementedError("files in the store are served by their views, not by URL")

    def path(self, name: str) -> str:
        raise NotImplementedError("files in the store may not be on this disk")
