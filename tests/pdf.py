"""The text of a generated PDF, as poppler's pdftotext lays it out, whitespace collapsed."""

from __future__ import annotations

import subprocess
from pathlib import Path


def pdf_text(data: bytes, tmp_path: Path) -> str:
    path = tmp_path / "document.pdf"
    path.write_bytes(data)
    out = subprocess.run(  # noqa: S603 (fixed arguments)
        ["pdftotext", "-layout", str(path), "-"],  # noqa: S607
        capture_output=True,
        check=True,
        text=True,
    )
    return " ".join(out.stdout.split())
