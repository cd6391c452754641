"""Several servers on one database and one object store, as docs/operations.md lays them out:
two `monev serve` with homes of their own and one `monev worker` with a third, sharing the
suite's database and a bucket on a real S3-compatible server (tests/s3server.py).

A Pemda operator uploads a roster to server A; the worker validates it; the operator commits
it on A. BPJS imports the registry extract from the worker's machine. The national
coordinator starts the match on B, sees the coverage on B, and has B generate a scorecard,
which the worker writes and B serves. No file is shared except through the store.
"""

from __future__ import annotations

import json
import secrets
import subprocess
import tarfile
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

from tests.processes import BIN, clean_env, free_port, scratch_database, stop, wait_for_http
from tests.s3server import S3Server

PERIOD = "2024-06"
ROWS = 48_000  # a 2.3 MB file: above the inline limit, so the worker validates it
TOKEN = (
    "import sys, django; django.setup(); from monev.accounts.models import User;"
    "from monev.accounts.services import api_token_create;"
    "print(api_token_create(user=User.objects.get(username=sys.argv[1]), name='uji')[1])"
)


def _nik(i: int) -> str:
    return f"167101{1 + i % 28:02d}{1 + (i // 28) % 12:02d}85{1 + i // 336:04d}"


def _roster(path: Path) -> Path:
    lines = ["nik,nama,kategori,upah"]
    lines += [f"{_nik(i)},Pekerja {i},NON_ASN,{3_000_000 + i}" for i in range(ROWS)]
    path.write_text("\n".join(lines) + "\n")
    return path


def _registry(path: Path) -> Path:
    lines = ["nik,kpj,segmen,program,npp,upah,status,iuran_terakhir,kode_wilayah"]
    lines += [f'{_nik(i)},,PU,"JKK,JKM",,3000000,AKTIF,,' for i in range(0, ROWS, 2)]
    path.write_text("\n".join(lines) + "\n")
    return path


class Api:
    def __init__(self, base: str, token: str) -> None:
        self.base, self.token = base, token

    def call(self, method: str, path: str, body: bytes | None = None, ctype: str = "") -> Any:
        headers = {"Authorization": f"Bearer {self.token}"}
        if ctype:
            headers["Content-Type"] = ctype
        request = urllib.request.Request(  # noqa: S310 - loopback
            self.base + path, data=body, method=method, headers=headers
        )
        try:
            with urllib.request.urlopen(request, timeout=120) as response:  # noqa: S310
                raw = response.read()
                return json.loads(raw) if "json" in response.headers["Content-Type"] else raw
        except urllib.error.HTTPError as exc:
            raise AssertionError(f"{method} {path}: {exc.code} {exc.read()[:500]!r}") from None

    def json(self, method: str, path: str, payload: dict[str, Any]) -> Any:
        return self.call(method, path, json.dumps(payload).encode(), "application/json")

    def upload(self, path: str, file: Path) -> Any:
        boundary = uuid.uuid4().hex
        body = (
            (
                f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
                f'filename="{file.name}"\r\nContent-Type: text/csv\r\n\r\n'
            ).encode()
            + file.read_bytes()
            + f"\r\n--{boundary}--\r\n".encode()
        )
        return self.call("POST", path, body, f"multipart/form-data; boundary={boundary}")


def _until(what: str, check: Any, seconds: float = 90) -> Any:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.5)
    raise AssertionError(f"{what}: not within {seconds:.0f} s")


@contextmanager
def _process(args: list[str], env: dict[str, str], cwd: Path) -> Iterator[subprocess.Popen[bytes]]:
    process = subprocess.Popen(  # noqa: S603 - the project's own command
        [str(BIN / "monev"), *args],
        env=env,
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        yield process
    finally:
        stop(process)


def test_two_servers_and_a_worker_share_the_database_and_the_store(
    s3_server: S3Server, tmp_path: Path
) -> None:
    started = time.monotonic()
    homes = {name: tmp_path / name for name in ("server-a", "server-b", "worker")}
    for home in homes.values():
        home.mkdir()
    keys = {
        k: secrets.token_urlsafe(48)
        for k in ("MONEV_SECRET_KEY", "MONEV_NIK_KEY", "MONEV_ENCRYPTION_KEY")
    }
    with scratch_database(tmp_path) as database, ExitStack() as running:
        shared = {**keys, **s3_server.env(s3_server.bucket()), "DATABASE_URL": database}
        env = {name: clean_env(MONEV_HOME=str(home), **shared) for name, home in homes.items()}

        def monev(name: str, *args: str) -> str:
            result = subprocess.run(  # noqa: S603 - the project's own command
                [str(BIN / "monev"), *args],
                env=env[name],
                cwd=homes[name],
                capture_output=True,
                text=True,
                timeout=300,
                check=False,
            )
            assert result.returncode == 0, f"{args}\n{result.stdout}\n{result.stderr}"
            return result.stdout

        monev("worker", "init")
        password = {"MONEV_PASSWORD": "sandi-uji-multi-server-2024"}
        for user, role in (
            ("op_palembang", ["--role", "pemda", "--pemda", "16.71"]),
            ("koordinator", ["--role", "national"]),
        ):
            env["worker"].update(password)
            monev("worker", "createuser", user, *role)
        tokens = {}
        for user in ("op_palembang", "koordinator"):
            tokens[user] = subprocess.run(  # noqa: S603 - our interpreter, our code
                [str(BIN / "python"), "-c", TOKEN, user],
                env=env["worker"] | {"DJANGO_SETTINGS_MODULE": "monev.settings"},
                cwd=homes["worker"],
                capture_output=True,
                text=True,
                check=True,
                timeout=60,
            ).stdout.strip()

        ports = {"server-a": free_port(), "server-b": free_port()}
        for name, port in ports.items():
            server = running.enter_context(
                _process(["serve", "--port", str(port), "--workers", "1"], env[name], homes[name])
            )
            wait_for_http(f"http://127.0.0.1:{port}/healthz", server, seconds=60)
        worker = running.enter_context(_process(["worker"], env["worker"], homes["worker"]))
        a = Api(f"http://127.0.0.1:{ports['server-a']}", tokens["op_palembang"])
        b = Api(f"http://127.0.0.1:{ports['server-b']}", tokens["koordinator"])

        # The operator uploads on A; the worker (another home) validates from the store.
        upload = a.upload(
            f"/api/v1/rosters/uploads?pemda=16.71&period={PERIOD}", _roster(tmp_path / "daftar.csv")
        )
        assert upload["state"] == "validating"
        _until(
            "validation by the worker",
            lambda: a.call("GET", f"/api/v1/rosters/uploads/{upload['id']}")["state"] == "valid",
        )
        committed = a.call("POST", f"/api/v1/rosters/uploads/{upload['id']}/commit")
        assert committed["state"] == "committed"

        # BPJS imports the extract on the worker's machine; the match starts from B.
        monev(
            "worker",
            "import",
            "registry",
            str(_registry(tmp_path / "registri.csv")),
            "--period",
            PERIOD,
        )
        job = b.call("POST", f"/api/v1/coverage/match?period={PERIOD}")
        _until(
            "match by the worker",
            lambda: b.call("GET", f"/api/v1/coverage/jobs/{job['id']}")["state"] == "done",
        )
        coverage = b.call("GET", f"/api/v1/coverage/pemda/16.71?period={PERIOD}")
        assert json.dumps(coverage).count(str(ROWS)) >= 1, coverage
        assert str(ROWS // 2) in json.dumps(coverage), coverage

        # B asks for a scorecard; the worker writes it to the store; B serves it.
        report = b.json(
            "POST",
            "/api/v1/reports",
            {
                "kind": "scorecard",
                "pemda": "16.71",
                "period": PERIOD,
                "format": "pdf",
                "background": True,
            },
        )
        _until(
            "report by the worker",
            lambda: b.call("GET", f"/api/v1/reports/{report['id']}")["state"] == "done",
        )
        pdf = b.call("GET", f"/api/v1/reports/{report['id']}/download")
        assert pdf.startswith(b"%PDF")

        # The bucket is backed up like a directory: every object, with its checksum.
        archive = tmp_path / "cadangan.tar"
        monev("worker", "backup", "--out", str(archive))
        with tarfile.open(archive) as tar:
            manifest = json.load(tar.extractfile("manifest.json"))  # type: ignore[arg-type]
        names = {m["name"] for m in manifest["members"]}
        assert any(n.startswith("data/rosters/16.71/") for n in names), names
        assert any(n.startswith("data/media/reports/") for n in names), names

        # Nothing but the store holds the files: no data directory in any home.
        for home in homes.values():
            assert not (home / "data").exists() or not any((home / "data").rglob("*.parquet"))
        assert worker.poll() is None
    assert time.monotonic() - started < 120
