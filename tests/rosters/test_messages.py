"""Every code the engine can emit has a message in both languages, and no message leaks a NIK."""

from __future__ import annotations

import re
from pathlib import Path

from monev.core.nik import CODES
from monev.rosters.messages import MESSAGES, message_for

ROOT = Path(__file__).resolve().parents[2] / "monev"


def emitted_codes() -> set[str]:
    sources = (ROOT / "rosters" / "engine.py").read_text()
    quoted = set(re.findall(r'"([a-z]+(?:_[a-z]+)+)"', sources))
    return (quoted & set(MESSAGES)) | set(CODES) | {"nik_duplicate", "nik_other_pemda"}


def test_every_code_has_indonesian_and_english_text() -> None:
    for code in emitted_codes() | set(MESSAGES):
        indonesian, english = MESSAGES[code]
        assert indonesian and english and indonesian != english, code


def test_message_language_switch() -> None:
    assert message_for("nik_missing", None, "id") == "NIK kosong."
    assert message_for("nik_missing", None, "en") == "NIK is empty."
    assert message_for("nik_length", "15", "en-us") == "A NIK must have 16 digits (found 15)."
    assert message_for("unknown_code", None, "id") == "unknown_code"
