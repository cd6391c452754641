"""Private files of an upload, in the data store under `private/rosters/<upload id>/` (never
served; monev/core/storage.py: MONEV_HOME/data, or the S3 bucket every server shares, so the
worker that validates an upload and the server that confirms it find the same files).

- `source.enc`: the file as uploaded, AES-256-GCM encrypted (it holds NIKs in clear), kept
  for the error workbook until the upload is purged;
- `errors.parquet`: row, column, code, severity, detail (no NIK in clear: details are masked);
- `prepared.parquet` and `prepared.nik`: the valid rows as they will be stored (join key,
  mask; the NIKs sealed, `pii.niks_seal`), until the operator confirms.
"""

from __future__ import annotations

import hashlib
import os
from functools import lru_cache

import polars as pl
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings

from monev.core import storage
from monev.rosters.engine import Prepared

_NONCE = 12


@lru_cache(maxsize=4)
def _aead(secret: str) -> AESGCM:
    return AESGCM(hashlib.sha256(b"monev-upload-file|" + secret.encode()).digest())


def _prefix(upload_id: int) -> str:
    return f"private/rosters/{upload_id}"


def source_save(upload_id: int, data: bytes) -> None:
    nonce = os.urandom(_NONCE)
    sealed = _aead(settings.MONEV_ENCRYPTION_KEY).encrypt(nonce, data, str(upload_id).encode())
    storage.put(f"{_prefix(upload_id)}/source.enc", nonce + sealed)


def source_load(upload_id: int) -> bytes:
    raw = storage.get(f"{_prefix(upload_id)}/source.enc")
    aead = _aead(settings.MONEV_ENCRYPTION_KEY)
    return aead.decrypt(raw[:_NONCE], raw[_NONCE:], str(upload_id).encode())


def frame_save(upload_id: int, name: str, frame: pl.DataFrame) -> None:
    storage.write_parquet(frame, f"{_prefix(upload_id)}/{name}.parquet")


def frame_load(upload_id: int, name: str) -> pl.DataFrame | None:
    key = f"{_prefix(upload_id)}/{name}.parquet"
    return storage.read_parquet(key) if storage.exists(key) else None


def frame_delete(upload_id: int, name: str) -> None:
    storage.delete(f"{_prefix(upload_id)}/{name}.parquet")


def prepared_save(upload_id: int, prepared: Prepared) -> None:
    frame_save(upload_id, "prepared", prepared.rows)
    storage.put(f"{_prefix(upload_id)}/prepared.nik", prepared.sealed)


def prepared_load(upload_id: int) -> Prepared | None:
    rows = frame_load(upload_id, "prepared")
    key = f"{_prefix(upload_id)}/prepared.nik"
    if rows is None or not storage.exists(key):
        return None
    return Prepared(rows=rows, sealed=storage.get(key))


def prepared_delete(upload_id: int) -> None:
    frame_delete(upload_id, "prepared")
    storage.delete(f"{_prefix(upload_id)}/prepared.nik")


def upload_exists(upload_id: int) -> bool:
    return next(storage.listing(_prefix(upload_id)), None) is not None


def upload_purge(upload_id: int) -> None:
    storage.delete_prefix(_prefix(upload_id))
