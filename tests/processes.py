"""Helpers for tests that run monev as separate processes, the way an operator does.

`scratch_database()` gives each such test a database of its own on the engine the suite runs
on: a SQLite file under the scratch home, or a fresh PostgreSQL database next to the test
database (dropped afterwards). Servers bind a free port chosen at run time.
"""

from __future__ import annotations

import os
import socket
import subprocess
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parents[1]
BIN = ROOT / ".venv" / "bin"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def clean_env(**extra: str) -> dict[str, str]:
    """The environment without any monev setting of the test run, plus `extra`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MONEV_", "DATABASE_URL"))}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.update(extra)
    return env


def on_postgres() -> bool:
    return os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))


@contextmanager
def scratch_database(home: Path) -> Iterator[str]:
    """A DATABASE_URL for a new, empty database of the suite's engine."""
    if not on_postgres():
        yield f"sqlite:///{home / 'monev.sqlite3'}"
        return
    import psycopg

    base = urlparse(os.environ["DATABASE_URL"])
    name = f"{base.path.lstrip('/') or 'monev'}_{uuid.uuid4().hex[:8]}"
    admin = urlunparse(base._replace(scheme="postgresql", path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as c:
        c.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urlunparse(base._replace(path=f"/{name}"))
    finally:
        with psycopg.connect(admin, autocommit=True) as c:
            c.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def http_get(url: str, *, timeout: float = 10) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 - loopback
            return int(response.status), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def wait_for_http(url: str, process: subprocess.Popen[bytes], *, seconds: float) -> None:
    """Wait until `url` answers; fail with the process's output if it died or took too long."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            http_get(url, timeout=2)
            return
        except OSError:
            if process.poll() is not None:
                out = process.stdout.read().decode(errors="replace") if process.stdout else ""
                raise AssertionError(f"exited {process.returncode}:\n{out[-3000:]}") from None
            if time.monotonic() > deadline:
                raise AssertionError(f"{url} did not answer in {seconds:.0f} s") from None
            time.sleep(0.25)


def stop(process: subprocess.Popen[bytes], *, seconds: float = 30) -> None:
    """Kill what a test left running (the test itself checks clean stops where it matters)."""
    if process.poll() is None:
        process.kill()
        process.wait(timeout=seconds)


def descendants(pid: int) -> list[int]:
    """Living descendants of `pid` (from /proc), whatever session they moved to."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if fields[0] != "Z":
                children.setdefault(int(fields[1]), []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found
