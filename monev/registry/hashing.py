"""`nik_hash` for tens of millions of NIKs: the same HMAC-SHA256, vectorised.

The fast path is the Rust HMAC of the `polars-hash` plugin. `pii.nik_hash` keys its HMAC
with `sha256("monev-nik-hmac|" + MONEV_NIK_KEY)`; RFC 2104 hashes any key longer than the
64-byte block first, so the plugin given the *text* `"monev-nik-hmac|" + MONEV_NIK_KEY`
computes exactly the same HMAC whenever that text is longer than 64 bytes (every generated
key is: 64 characters). `_text_key` checks the derivation at run time, so a change in `pii`
can never silently split the hashes. For a shorter key the Python path below is used.

`pii.nik_hash_series` costs about 1 µs a row in one process. Here the valid NIKs (always 16
ASCII digits) are packed into one byte string, cut into chunks and hashed by fresh
interpreters (`python -m monev.registry._hashworker`, as many at once as there are cores),
each starting from the precomputed inner/outer SHA-256 states (RFC 2104) and handing the
column back as Arrow IPC (no Python object per row on the way back). Fresh processes, not
fork: a forked copy of a process with a running Polars thread pool can hang. The result
equals `pii.nik_hash` row by row (tests prove it).
"""

from __future__ import annotations

import hashlib
import io
import os
import subprocess
import sys
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import polars as pl
from django.conf import settings

from monev.core import pii
from monev.registry._hashworker import hash_block

NIK_WIDTH = 16
CHUNK_ROWS = 2_000_000
PARALLEL_FROM = 200_000  # below this, the pool's start-up costs more than it saves


HMAC_PREFIX = "monev-nik-hmac|"
SHA256_BLOCK = 64


def _key() -> bytes:
    return pii._hash_key(settings.MONEV_NIK_KEY)


def _text_key() -> str | None:
    """The plugin's text key equal to `pii`'s HMAC key, or None when there is none."""
    text = HMAC_PREFIX + settings.MONEV_NIK_KEY
    raw = text.encode()
    if len(raw) <= SHA256_BLOCK or hashlib.sha256(raw).digest() != _key():
        return None
    return text


def nik_hash_expr(column: str) -> pl.Expr | None:
    """`pii.nik_hash` of `column` as a Polars expression (the Rust HMAC, on all cores), or
    None when the key is one the plugin cannot take (then use `nik_hash_fixed`)."""
    key = _text_key()
    if key is None:
        return None
    try:
        import polars_hash as plh
    except ImportError:  # pragma: no cover - the dependency is declared
        return None
    expr: pl.Expr = plh.col(column).chash.hmac_sha256(key=key)
    return expr


def _workers() -> int:
    return max(1, min(len(os.sched_getaffinity(0)), 8))


def nik_hash_fixed(
    niks: pl.Series,
    *,
    workers: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> pl.Series:
    """HMAC of a column of valid 16-digit NIKs (no nulls), in parallel; returns hex strings."""
    n = len(niks)
    if n == 0:
        return pl.Series(niks.name, [], dtype=pl.String)
    if niks.null_count() or not niks.str.len_bytes().eq(NIK_WIDTH).all():
        raise ValueError("nik_hash_fixed needs 16-character NIKs without nulls")
    expr = nik_hash_expr("nik") if workers is None else None
    if expr is not None:
        hashed = niks.to_frame("nik").select(expr).to_series().alias(niks.name)
        if progress:
            progress(n, n)
        return hashed
    blob = niks.str.join("").item().encode("ascii")
    workers = workers or _workers()
    step = min(CHUNK_ROWS, -(-n // workers)) * NIK_WIDTH
    key = _key()
    jobs = [(key, blob[i : i + step]) for i in range(0, len(blob), step)]
    parts: list[pl.Series] = []
    if n < PARALLEL_FROM or workers == 1:
        for job in jobs:
            parts.append(hash_block(job))
            if progress:
                progress(min(len(parts) * step // NIK_WIDTH, n), n)
    else:
        with ThreadPoolExecutor(max_workers=workers) as pool:
            for part in pool.map(_in_subprocess, jobs):
                parts.append(part)
                if progress:
                    progress(min(len(parts) * step // NIK_WIDTH, n), n)
    return pl.concat(parts).alias(niks.name)


def _in_subprocess(job: tuple[bytes, bytes]) -> pl.Series:
    """Hash one chunk in a fresh interpreter (no fork of a threaded process, no Django)."""
    key, block = job
    done = subprocess.run(
        [sys.executable, "-m", "monev.registry._hashworker"],
        input=key + block,
        capture_output=True,
        check=True,
    )
    return pl.read_ipc(io.BytesIO(done.stdout)).to_series()
