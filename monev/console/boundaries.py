"""`monev regions load-boundaries FILE --level province|regency [--code-property P]`.

Called from the regions command so the command name stays `monev regions`; the work is
`indicators.boundaries.boundary_load`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandError

from monev.core.scope import SYSTEM
from monev.indicators.boundaries import BoundaryError, boundary_load


def load_boundaries(options: dict[str, Any], stdout: Any, stderr: Any) -> None:
    file = options.get("file")
    if not file:
        raise CommandError(
            "sebutkan FILE: monev regions load-boundaries FILE --level province|regency",
            returncode=2,
        )
    path = Path(file)
    if not path.is_file():
        raise CommandError(f"file {file!r} tidak ada", returncode=2)
    level = options.get("level") or "province"
    if level not in ("province", "regency"):
        raise CommandError("--level untuk batas wilayah: province atau regency", returncode=2)
    try:
        result = boundary_load(
            data=path.read_bytes(),
            level=level,
            source=path.name,
            licence=options.get("licence") or "",
            code_property=options.get("code_property"),
            by=SYSTEM,
        )
    except BoundaryError as exc:
        for error in exc.errors:
            stderr.write(error)
        raise CommandError(
            "file batas wilayah ditolak; tidak ada yang diubah", returncode=3
        ) from None
    stdout.write(f"Batas wilayah {level} dimuat: {result.matched} wilayah")
    if result.unmatched:
        stdout.write(f"Kode tidak dikenal (diabaikan): {', '.join(result.unmatched[:20])}")
