"""The worker side of `hashing.nik_hash_fixed`: imports nothing but hashlib and Polars, so
a spawned process starts fast and never touches Django or a forked Polars thread pool."""

from __future__ import annotations

import hashlib

import polars as pl

NIK_WIDTH = 16


def hash_block(args: tuple[bytes, bytes]) -> pl.Series:
    """Hex HMAC-SHA256 (RFC 2104, precomputed pads) of every 16-byte NIK in `block`."""
    key, block = args
    padded = key.ljust(64, b"\0")
    inner = hashlib.sha256(bytes(b ^ 0x36 for b in padded))
    outer = hashlib.sha256(bytes(b ^ 0x5C for b in padded))
    icopy, ocopy = inner.copy, outer.copy
    view = memoryview(block)
    out: list[str] = []
    append = out.append
    for start in range(0, len(block), NIK_WIDTH):
        h_in = icopy()
        h_in.update(view[start : start + NIK_WIDTH])
        h_out = ocopy()
        h_out.update(h_in.digest())
        append(h_out.hexdigest())
    return pl.Series("nik_hash", out, dtype=pl.String)


def main() -> None:
    """`python -m monev.registry._hashworker`: stdin = 32-byte key ‖ NIKs, stdout = Arrow IPC."""
    import io
    import sys

    data = sys.stdin.buffer.read()
    series = hash_block((data[:32], data[32:]))
    out = io.BytesIO()
    series.to_frame().write_ipc(out, compression="uncompressed")
    sys.stdout.buffer.write(out.getvalue())


if __name__ == "__main__":
    main()
