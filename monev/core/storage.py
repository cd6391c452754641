"""Where monev keeps its files: the data store under DATA_DIR (MONEV_HOME/data)."""

from __future__ import annotations

import uuid
from pathlib import Path

from django.conf import settings


def root() -> Path:
    return Path(settings.DATA_DIR)


def describe() -> str:
    return f"file://{root()}"


def probe() -> None:
    """Write, read back and delete a small object; raise when the store cannot."""
    target = root() / ".probe" / uuid.uuid4().hex
    target.parent.mkdir(parents=True, exist_ok=True)
    payload = b"monev"
    target.write_bytes(payload)
    try:
        if target.read_bytes() != payload:
            raise OSError("data store returned other bytes than were written")
    finally:
        target.unlink(missing_ok=True)
