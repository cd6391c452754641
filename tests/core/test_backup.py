"""`monev backup` / `monev restore` as an operator runs them, on the suite's engine: import and
match (the demo data), back up, wipe, restore into an empty home and database, and every
number, the audit trail and the registration export are as before. A corrupt or partial
archive, or a target that is not empty, is refused with a clear message and changes nothing.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.processes import BIN, clean_env, scratch_database

KEYS = {
    "MONEV_SECRET_KEY": "kunci-rahasia-django-untuk-uji-cadangan-0001",
    "MONEV_NIK_KEY": "kunci-hmac-nik-untuk-uji-cadangan-yang-panjang-sekali-0002",
    "MONEV_ENCRYPTION_KEY": "kunci-enkripsi-nik-untuk-uji-cadangan-0003",
}
AUDIT = (
    "import json, django; django.setup(); from monev.core.models import AuditEvent;"
    "print(json.dumps([[e.pk, e.at.isoformat(), e.action, e.actor_name, e.object_id,"
    " e.pemda_code, e.changes] for e in AuditEvent.objects.order_by('pk')], default=str))"
)
EXPORT = (
    "import json, django; django.setup(); from monev.core.scope import SYSTEM;"
    "from monev.coverage.services import registration_export;"
    "print(json.dumps([list(r) for r in registration_export(pemda_code='16.71',"
    " period='2024-06', by=SYSTEM)], default=str))"
)
TABLES = (
    "import django; django.setup(); from django.db import connection;"
    "print(len(connection.introspection.table_names()))"
)


def _env(home: Path, database: str) -> dict[str, str]:
    return clean_env(MONEV_HOME=str(home), DATABASE_URL=database, **KEYS)


def _monev(
    home: Path, database: str, *args: str, ok: bool = True
) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(  # noqa: S603 - the project's own command
        [str(BIN / "monev"), *args],
        env=_env(home, database),
        cwd=home,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    if ok:
        assert result.returncode == 0, f"{args}\n{result.stdout}\n{result.stderr}"
    return result


def _python(home: Path, database: str, code: str) -> str:
    env = _env(home, database) | {"DJANGO_SETTINGS_MODULE": "monev.settings"}
    result = subprocess.run(  # noqa: S603 - our interpreter, our code
        [str(BIN / "python"), "-c", code],
        env=env,
        cwd=home,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def _facts(home: Path, database: str) -> dict[str, object]:
    coverage = _monev(
        home, database, "coverage", "--period", "2024-06", "--level", "pemda", "--format", "json"
    ).stdout
    files = {
        p.relative_to(home / "data").as_posix(): p.read_bytes()
        for p in sorted((home / "data").rglob("*"))
        if p.is_file()
    }
    return {
        "coverage": json.loads(coverage),
        "audit": json.loads(_python(home, database, AUDIT)),
        "files": files,
    }


def _empty(home: Path, database: str) -> bool:
    data = home / "data"
    no_files = not data.exists() or not [p for p in data.rglob("*") if p.is_file()]
    return no_files and _python(home, database, TABLES).strip() == "0"


def test_backup_wipe_restore_gives_the_same_numbers_audit_and_export(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    archive = tmp_path / "monev-cadangan.tar"
    with scratch_database(home) as database:
        _monev(home, database, "demo", "--no-serve", "--scale", "0.02", "--periods", "2")
        export_before = json.loads(_python(home, database, EXPORT))  # audited read
        before = _facts(home, database)
        out = _monev(home, database, "backup", "--out", str(archive)).stdout
        assert "cadangan" in out and archive.stat().st_size > 0
    assert export_before, "the demo gives Kota Palembang unprotected workers to register"
    assert before["files"], "the demo wrote Parquet files"

    fresh = tmp_path / "fresh"  # a wiped server: new home, new empty database, same keys
    fresh.mkdir()
    with scratch_database(fresh) as database:
        _refusals(tmp_path, archive, fresh, database)
        restored = _monev(fresh, database, "restore", str(archive))
        assert "dipulihkan" in restored.stdout
        after = _facts(fresh, database)
        assert after["coverage"] == before["coverage"]
        assert after["audit"] == before["audit"]
        assert after["files"] == before["files"]
        assert json.loads(_python(fresh, database, EXPORT)) == export_before
        again = _monev(fresh, database, "restore", str(archive), ok=False)
        assert again.returncode == 3 and "tidak kosong" in again.stderr


def _refusals(tmp_path: Path, archive: Path, fresh: Path, database: str) -> None:
    """A partial and a corrupt archive are refused; the target stays empty."""
    partial = tmp_path / "terpotong.tar"
    partial.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])
    corrupt = tmp_path / "rusak.tar"
    shutil.copy(archive, corrupt)
    raw = bytearray(corrupt.read_bytes())
    middle = len(raw) // 3
    raw[middle : middle + 64] = bytes(b ^ 0xFF for b in raw[middle : middle + 64])
    corrupt.write_bytes(bytes(raw))
    for bad, words in ((partial, ("tidak lengkap", "terpotong")), (corrupt, ("rusak",))):
        result = _monev(fresh, database, "restore", str(bad), ok=False)
        assert result.returncode == 3, result.stderr
        assert any(word in result.stderr for word in words), result.stderr
        assert "Tidak ada yang diubah" in result.stderr
        assert "Traceback" not in result.stderr
        assert _empty(fresh, database)


@pytest.mark.parametrize("args", [["backup"], ["restore", "/tidak/ada.tar"]])
def test_backup_and_restore_usage_errors_exit_2(tmp_path: Path, args: list[str]) -> None:
    with scratch_database(tmp_path) as database:
        result = _monev(tmp_path, database, *args, ok=False)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
