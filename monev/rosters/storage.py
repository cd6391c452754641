"""Private files of an upload, under MONEV_HOME/private/rosters/<upload id>/ (never served).

- `source.enc`: the file as uploaded, AES-256-GCM encrypted (it holds NIKs in clear), kept
  for the error workbook until the upload is purged;
- `errors.parquet`: row, column, code, severity, detail (no NIK in clear: details are masked);
- `prepared.parquet` and `prepared.nik`: the valid rows as they will be stored (join key,
  mask; the NIKs sealed, `pii.niks_seal`), until the operator confirms.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from functools import lru_cache
from pathlib import Path

import polars as pl
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings

from monev.rosters.engine import Prepared

_NONCE = 12


@lru_cache(maxsize=4)
def _aead(secret: str) -> AESGCM:
    return AESGCM(hashlib.sha256(b"monev-upload-file|" + secret.encode()).digest())


def upload_dir(upload_id: int) -> Path:
    path = Path(settings.MONEV_HOME) / "private" / "rosters" / str(upload_id)
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def source_save(upload_id: int, data: bytes) -> None:
    nonce = os.urandom(_NONCE)
    sealed = _aead(settings.MONEV_ENCRYPTION_KEY).encrypt(nonce, data, str(upload_id).encode())
    (upload_dir(upload_id) / "source.enc").write_bytes(nonce + sealed)


def source_load(upload_id: int) -> bytes:
    raw = (upload_dir(upload_id) / "source.enc").read_bytes()
    aead = _aead(settings.MONEV_ENCRYPTION_KEY)
    return aead.decrypt(raw[:_NONCE], raw[_NONCE:], str(upload_id).encode())


def frame_save(upload_id: int, name: str, frame: pl.DataFrame) -> None:
    frame.write_parquet(upload_dir(upload_id) / f"{name}.parquet")


def frame_load(upload_id: int, name: str) -> pl.DataFrame | None:
    path = upload_dir(upload_id) / f"{name}.parquet"
    return pl.read_parquet(path) if path.exists() else None


def frame_delete(upload_id: int, name: str) -> None:
    (upload_dir(upload_id) / f"{name}.parquet").unlink(missing_ok=True)


def prepared_save(upload_id: int, prepared: Prepared) -> None:
    frame_save(upload_id, "prepared", prepared.rows)
    (upload_dir(upload_id) / "prepared.nik").write_bytes(prepared.sealed)


def prepared_load(upload_id: int) -> Prepared | None:
    rows = frame_load(upload_id, "prepared")
    sealed = upload_dir(upload_id) / "prepared.nik"
    if rows is None or not sealed.exists():
        return None
    return Prepared(rows=rows, sealed=sealed.read_bytes())


def prepared_delete(upload_id: int) -> None:
    frame_delete(upload_id, "prepared")
    (upload_dir(upload_id) / "prepared.nik").unlink(missing_ok=True)


def upload_exists(upload_id: int) -> bool:
    return (Path(settings.MONEV_HOME) / "private" / "rosters" / str(upload_id)).exists()


def upload_purge(upload_id: int) -> None:
    shutil.rmtree(upload_dir(upload_id), ignore_errors=True)
