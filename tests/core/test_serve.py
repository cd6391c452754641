"""`monev serve`: the production server starts its workers, serves pages and static files,
stops on SIGTERM, and refuses nonsense options with a message."""

from __future__ import annotations

import http.cookiejar
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MONEV_", "DATABASE_URL"))}
    env.update(MONEV_HOME=str(home), MONEV_DEBUG="true", MONEV_LOG_LEVEL="WARNING")
    return env


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - loopback
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def _failed_login(base: str) -> int:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    form = opener.open(f"{base}/akun/masuk/", timeout=10).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form)
    assert token
    data = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": token.group(1), "username": "nobody", "password": "salah-sandi"}
    ).encode()
    request = urllib.request.Request(  # noqa: S310 - loopback
        f"{base}/akun/masuk/", data=data, headers={"Referer": f"{base}/akun/masuk/"}
    )
    try:
        with opener.open(request, timeout=10) as response:
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return exc.code


@contextmanager
def _server(args: list[str], env: dict[str, str]) -> Iterator[tuple[subprocess.Popen[bytes], str]]:
    """Start `python <args>` (a server on `_free_port`, appended as the last argument's
    value by the caller), wait until it answers, and kill it if the test did not stop it."""
    server = subprocess.Popen(  # noqa: S603 - our own interpreter and module
        [sys.executable, *args], env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    base = f"http://127.0.0.1:{args[-1]}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                _get(f"{base}/akun/masuk/")
                break
            except OSError:
                assert server.poll() is None, server.stdout.read().decode() if server.stdout else ""
                assert time.monotonic() < deadline, "server did not start in 60 s"
                time.sleep(0.2)
        yield server, base
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()


def test_serve_runs_workers_serves_pages_and_stops_on_sigterm(tmp_path: Path) -> None:
    args = ["-m", "monev", "serve", "--workers", "2", "--port", str(_free_port())]
    with _server(args, _env(tmp_path)) as (server, base):
        status, body = _get(f"{base}/akun/masuk/")
        assert status == 200
        assert b"Masuk" in body
        css_status, css = _get(f"{base}/static/monev/monev.css")
        assert css_status == 200 and len(css) > 100
        # Several requests in a row, so both workers answer (a dead worker shows as errors).
        assert {_get(f"{base}/akun/masuk/")[0] for _ in range(20)} == {200}
        server.send_signal(signal.SIGTERM)
        out, _ = server.communicate(timeout=30)
        assert "2 proses" in out.decode()


SERVE_AFTER_WORK = (
    "import django, os, sys; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'monev.settings');"
    "django.setup(); from django.db import connection;"
    "connection.cursor().execute('SELECT COUNT(*) FROM regions_region');"
    "import polars as pl; pl.DataFrame({'a': range(2_000_000)}).sort('a');"
    "from django.core.management import call_command;"
    "call_command('serve', workers=2, port=int(sys.argv[1]))"
)


def test_serve_after_the_database_was_used_serves_queries_and_stops_on_ctrl_c(
    tmp_path: Path,
) -> None:
    """What `monev demo` does: use the database and Polars, then serve from the same
    process. (Workers forked from the demo failed every login with "unable to open database
    file"; they are now spawned fresh.) Reads, writes and Ctrl+C must work."""
    env = _env(tmp_path)
    subprocess.run(
        [sys.executable, "-m", "monev", "migrate", "-v", "0"], env=env, cwd=ROOT, check=True
    )
    with _server(["-c", SERVE_AFTER_WORK, str(_free_port())], env) as (server, base):
        # The open-data page reads the database in whichever worker answers; a failed
        # login writes to it (the attempt and its audit event).
        assert {_get(f"{base}/data-terbuka/")[0] for _ in range(20)} == {200}
        assert {_failed_login(base) for _ in range(2)} == {200}
        server.send_signal(signal.SIGINT)
        server.communicate(timeout=30)
        try:
            _get(f"{base}/akun/masuk/")
            raise AssertionError("a worker still answers after Ctrl+C")
        except OSError:
            pass


def test_serve_refuses_zero_workers(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "monev", "serve", "--workers", "0"],
        env=_env(tmp_path),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode != 0
    assert "--workers" in result.stderr
