"""Evidence documents: size limit and type checked by the file's first bytes, not its name."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import IO

from django.utils.translation import gettext as _

MAX_BYTES = 10 * 1024 * 1024

# (magic prefix, content type, extension)
_SIGNATURES: tuple[tuple[bytes, str, str], ...] = (
    (b"%PDF-", "application/pdf", "pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
    (b"PK\x03\x04", "application/zip", "zip"),  # XLSX, DOCX, ODS, ODT are zip containers
)
_OFFICE = {
    b"xl/": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    b"word/": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"),
}


class EvidenceRejected(ValueError):
    """The file is too large, empty or of a type we do not accept."""


@dataclass(frozen=True)
class CheckedFile:
    content_type: str
    extension: str
    size: int
    sha256: str


def check_document(stream: IO[bytes], *, max_bytes: int = MAX_BYTES) -> CheckedFile:
    """Read `stream` once (up to the limit), hash it and identify it by its magic bytes."""
    digest, size, head = hashlib.sha256(), 0, b""
    stream.seek(0)
    while chunk := stream.read(1 << 16):
        size += len(chunk)
        if size > max_bytes:
            limit = max_bytes // (1024 * 1024)
            raise EvidenceRejected(_("Berkas terlalu besar (batas %(mb)s MB).") % {"mb": limit})
        if len(head) < 65536:
            head += chunk[: 65536 - len(head)]
        digest.update(chunk)
    stream.seek(0)
    if size == 0:
        raise EvidenceRejected(_("Berkas kosong."))
    content_type, extension = _identify(head)
    return CheckedFile(content_type, extension, size, digest.hexdigest())


def _identify(head: bytes) -> tuple[str, str]:
    for magic, content_type, extension in _SIGNATURES:
        if head.startswith(magic):
            if extension == "zip":
                return _office_kind(head)
            return content_type, extension
    raise EvidenceRejected(_("Jenis berkas tidak diterima. Unggah PDF, JPG, PNG, XLSX atau DOCX."))


def _office_kind(head: bytes) -> tuple[str, str]:
    for marker, kind in _OFFICE.items():
        if marker in head:
            return kind
    raise EvidenceRejected(_("Berkas ZIP bukan dokumen XLSX atau DOCX."))
