"""Migration 0005 moves worker rows from the database to files: nothing is lost either way.

Run in a child process on a database of its own (migrating the shared test database back
and forth would need a transactional test that empties it for the tests after).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.rosters.conftest import nik

ROOT = Path(__file__).resolve().parents[2]
NIKS = [nik(i) for i in (1, 2, 3)]

CHILD = """
import json, sys
import django
django.setup()
import polars as pl
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from monev.core import pii
from monev.core import storage as core_storage
from monev.regions.services import reference_load

niks = json.loads(sys.argv[1])
before = [("rosters", "0004_worker_version_index")]
after = [("rosters", "0005_worker_rows_to_files")]

def migrate(target):
    executor = MigrationExecutor(connection)
    executor.migrate(target)
    return MigrationExecutor(connection).loader.project_state(target).apps

call_command("migrate", verbosity=0)
reference_load()
old = migrate(before)
pemda = old.get_model("regions", "Pemda").objects.get(code="16.71")
version = old.get_model("rosters", "RosterVersion").objects.create(
    pemda_id=pemda.pk, period="2024-06", number=1, categories=["NON_ASN"]
)
worker = old.get_model("rosters", "Worker")
worker.objects.bulk_create(
    worker(version_id=version.pk, row_number=i + 2, nik_hash=pii.nik_hash(n),
           nik_cipher=pii.nik_encrypt(n), nik_masked=pii.nik_mask(n), name=f"Pekerja {i}",
           category="NON_ASN", wage=2_000_000 + i)
    for i, n in enumerate(niks)
)
new = migrate(after)
from monev.rosters import store
# the model as of 0005 (later migrations add columns this state has not)
moved = new.get_model("rosters", "RosterVersion").objects.select_related("pemda").get(pk=version.pk)
rows = store.version_rows(moved).sort("row_number").collect()
keys = pl.DataFrame({"h": [pii.nik_hash(n) for n in niks]}).select(
    pl.col("h").str.slice(0, 31).str.to_integer(base=16, dtype=pl.Int128)
)["h"].to_list()
sealed = store.version_niks(moved).sort("row_number")["nik"].to_list()
files = sorted("." + k.rsplit(".", 1)[1] for k, _ in core_storage.listing(store.PREFIX))
back = migrate(before)
restored = back.get_model("rosters", "Worker").objects.order_by("row_number")
print(json.dumps({
    "names": rows["name"].to_list(),
    "wages": rows["wage"].to_list(),
    "keys_match": rows["nik_key"].to_list() == keys,
    "sealed": sealed,
    "files": files,
    "back_niks": [pii.nik_decrypt(w.nik_cipher) for w in restored],
    "back_hashes_match": [w.nik_hash for w in restored] == [pii.nik_hash(n) for n in niks],
}))
"""


def test_worker_rows_move_to_files_with_their_niks_and_back(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "MONEV_HOME": str(tmp_path),
        "MONEV_DEBUG": "1",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'migration.sqlite3'}",
        "DJANGO_SETTINGS_MODULE": "monev.settings",
        "PYTHONPATH": str(ROOT),
        "PYTHONWARNINGS": "ignore",
    }
    done = subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, "-c", CHILD, json.dumps(NIKS)],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["names"] == ["Pekerja 0", "Pekerja 1", "Pekerja 2"]
    assert result["wages"] == [2_000_000, 2_000_001, 2_000_002]
    assert result["keys_match"]
    assert result["sealed"] == NIKS  # the registration copy survives the move
    assert result["files"] == [".nik", ".parquet"]
    assert result["back_niks"] == NIKS and result["back_hashes_match"]
