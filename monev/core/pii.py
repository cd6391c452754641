"""Personal data by construction: the keyed NIK hash, the encrypted copy, the masked form.

- `nik_hash`: HMAC-SHA256 under MONEV_NIK_KEY, hex. Every match and join uses it.
- `nik_encrypt` / `nik_decrypt`: AES-256-GCM under a key derived from MONEV_ENCRYPTION_KEY;
  the ciphertext carries a key id so keys can rotate (docs/privacy.md).
- `nik_mask`: `1671********0001`, the only form a page, log or report shows.

The `*_series` variants do the same over a Polars column, for files of millions of rows.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import io
import os
from functools import lru_cache

import polars as pl
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings

KEY_ID = b"k1"
NONCE_BYTES = 12


@lru_cache(maxsize=4)
def _hash_key(secret: str) -> bytes:
    return hashlib.sha256(b"monev-nik-hmac|" + secret.encode()).digest()


@lru_cache(maxsize=4)
def _aead(secret: str) -> AESGCM:
    return AESGCM(hashlib.sha256(b"monev-nik-aead|" + secret.encode()).digest())


def nik_hash(nik: str) -> str:
    key = _hash_key(settings.MONEV_NIK_KEY)
    return hmac.new(key, nik.encode("ascii"), hashlib.sha256).hexdigest()


@lru_cache(maxsize=4)
def _hmac_states(secret: str) -> tuple[hashlib._Hash, hashlib._Hash]:
    key = _hash_key(secret).ljust(64, b"\0")  # 32-byte key padded to SHA-256's block
    inner = hashlib.sha256(bytes(b ^ 0x36 for b in key))
    outer = hashlib.sha256(bytes(b ^ 0x5C for b in key))
    return inner, outer


def nik_hash_series(niks: pl.Series) -> pl.Series:
    """HMAC of every NIK in the column (nulls stay null).

    Uses precomputed inner/outer SHA-256 states (RFC 2104), about 1 µs a row; equal to
    `nik_hash` row by row (a test proves it).
    """
    inner, outer = _hmac_states(settings.MONEV_NIK_KEY)

    def one(value: str | None) -> str | None:
        if value is None:
            return None
        h_in = inner.copy()
        h_in.update(value.encode("ascii"))
        h_out = outer.copy()
        h_out.update(h_in.digest())
        return h_out.hexdigest()

    return pl.Series(niks.name, [one(v) for v in niks.to_list()], dtype=pl.String)


def nik_encrypt(nik: str) -> str:
    """Base64 of key-id ‖ nonce ‖ AES-GCM(nik), with the key id bound as associated data."""
    aead = _aead(settings.MONEV_ENCRYPTION_KEY)
    nonce = os.urandom(NONCE_BYTES)
    sealed = aead.encrypt(nonce, nik.encode("ascii"), KEY_ID)
    return base64.b64encode(KEY_ID + nonce + sealed).decode("ascii")


def nik_decrypt(token: str) -> str:
    """Decrypt a stored NIK. Raises `cryptography.exceptions.InvalidTag` when tampered."""
    raw = base64.b64decode(token)
    key_id, nonce, sealed = raw[:2], raw[2 : 2 + NONCE_BYTES], raw[2 + NONCE_BYTES :]
    if key_id != KEY_ID:
        raise ValueError(f"unknown NIK key id {key_id!r}")
    aead = _aead(settings.MONEV_ENCRYPTION_KEY)
    return aead.decrypt(nonce, sealed, KEY_ID).decode("ascii")


def nik_encrypt_series(niks: pl.Series) -> pl.Series:
    return niks.map_elements(nik_encrypt, return_dtype=pl.String, skip_nulls=True)


def nik_mask(nik: str) -> str:
    """`1671********0001`: province+regency and the serial, never the birth date."""
    if len(nik) != 16:
        return "*" * len(nik)
    return f"{nik[:4]}********{nik[-4:]}"


def nik_mask_expr(column: str) -> pl.Expr:
    col = pl.col(column)
    return (
        pl.when(col.str.len_chars() == 16)
        .then(col.str.slice(0, 4) + pl.lit("********") + col.str.slice(12, 4))
        .otherwise(pl.lit("****************"))
    )


# The NIKs of a whole roster version, sealed as one block: one AES-GCM call for millions of
# rows instead of one per row (0.6 µs each, under the GIL). The plaintext is the Arrow IPC
# stream of (row_number, nik), LZ4-compressed (0.13 s per 3 M rows; CSV took 0.4 s); the
# associated data binds the key id and what the block is for.
BLOCK_AAD = KEY_ID + b"|roster-niks"


def niks_seal(frame: pl.DataFrame) -> bytes:
    """key-id ‖ nonce ‖ AES-GCM(Arrow IPC of `row_number`, `nik`) under MONEV_ENCRYPTION_KEY."""
    buffer = io.BytesIO()
    frame.select(pl.col("row_number").cast(pl.Int64), pl.col("nik").cast(pl.String)).write_ipc(
        buffer, compression="lz4"
    )
    plain = buffer.getbuffer()  # no second copy of the plaintext
    nonce = os.urandom(NONCE_BYTES)
    sealed = _aead(settings.MONEV_ENCRYPTION_KEY).encrypt(nonce, plain, BLOCK_AAD)
    return KEY_ID + nonce + sealed


def niks_unseal(block: bytes) -> pl.DataFrame:
    """`row_number`, `nik` of a sealed block. Raises `InvalidTag` when tampered with."""
    key_id, nonce, sealed = block[:2], block[2 : 2 + NONCE_BYTES], block[2 + NONCE_BYTES :]
    if key_id != KEY_ID:
        raise ValueError(f"unknown NIK key id {key_id!r}")
    plain = _aead(settings.MONEV_ENCRYPTION_KEY).decrypt(nonce, sealed, BLOCK_AAD)
    return pl.read_ipc(io.BytesIO(plain))
