"""`make demo` as a newcomer meets it: one command serves the app with a worker beside it,
the README's commands work in a second terminal, the match button finishes its job, and
Ctrl+C stops everything.

The demo runs as `make demo` runs it: `MONEV_DEBUG=true .venv/bin/monev demo` in a project
root (here a scratch directory with the project's .venv) whose `var/` is the home, on the
suite's engine (SQLite, or a scratch PostgreSQL database), with a small data set.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.processes import (
    BIN,
    ROOT,
    clean_env,
    descendants,
    free_port,
    on_postgres,
    scratch_database,
    stop,
    wait_for_http,
)


@dataclass
class Demo:
    process: subprocess.Popen[bytes]
    base: str
    root: Path


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Demo]:
    root = tmp_path_factory.mktemp("project")
    (root / ".venv").symlink_to(ROOT / ".venv")
    (root / "var").mkdir()
    port = free_port()
    with scratch_database(root / "var") as database:
        env = clean_env(MONEV_DEBUG="true")
        if on_postgres():
            env["DATABASE_URL"] = database
        process = subprocess.Popen(  # noqa: S603 - the project's own command
            [str(BIN / "monev"), "demo", "--scale", "0.02", "--periods", "2", "--port", str(port)],
            cwd=root,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, as in a terminal
        )
        try:
            wait_for_http(f"http://127.0.0.1:{port}/akun/masuk/", process, seconds=300)
            yield Demo(process, f"http://127.0.0.1:{port}", root)
        finally:
            for pid in descendants(process.pid):
                _kill(pid)
            stop(process)


def _kill(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)


def _blocks(doc: str) -> list[str]:
    """The shell blocks of a document, without `make` lines (those start the demo)."""
    text = (ROOT / doc).read_text()
    blocks = re.findall(r"```sh\n(.*?)```", text, flags=re.S)
    return [
        "\n".join(line for line in block.splitlines() if not line.startswith("make "))
        for block in blocks
    ]


@pytest.mark.parametrize("doc", ["README.md", "docs/cli.md"])
def test_documented_commands_work_in_a_second_terminal(demo: Demo, doc: str) -> None:
    blocks = [block for block in _blocks(doc) if block.strip()]
    assert blocks, f"{doc} has no command to try"
    for block in blocks:
        result = subprocess.run(  # noqa: S603 - the documented commands
            ["/bin/bash", "-e", "-c", block],
            cwd=demo.root,
            env=clean_env(),  # a fresh terminal: nothing of the demo's environment
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert result.returncode == 0, f"{block}\n{result.stdout}\n{result.stderr}"
        assert "Traceback" not in result.stderr
        assert result.stdout.strip()


def test_run_match_button_finishes_on_a_fresh_demo(demo: Demo, page: Any) -> None:
    page.goto(f"{demo.base}/akun/masuk/")
    page.fill("input[name=username]", "national")
    page.fill("input[name=password]", "demo-monev-2024")
    page.click("form button[type=submit]")
    page.wait_for_load_state()
    page.goto(f"{demo.base}/cakupan/?period=2024-06")
    page.fill("form[hx-post] input[name=period]", "2024-06")
    before = page.eval_on_selector_all("#jobs .card", "els => els.map(e => e.id)")
    page.click("form[hx-post] button[type=submit]")
    new = page.wait_for_function(
        "ids => [...document.querySelectorAll('#jobs .card')].map(e => e.id)"
        ".find(id => !ids.includes(id))",
        arg=before,
    ).json_value()
    card = page.locator(f"#{new}")
    assert "Antre" in card.inner_text() or "Berjalan" in card.inner_text()
    card.locator(".value", has_text="Selesai").wait_for(timeout=90_000)
    assert "terlindungi" in card.inner_text()


def test_ctrl_c_stops_server_and_worker(demo: Demo) -> None:
    children = descendants(demo.process.pid)
    assert any(b"monev\x00worker" in _cmdline(pid) for pid in children), "no worker runs"
    started = time.monotonic()
    os.killpg(demo.process.pid, signal.SIGINT)  # what Ctrl+C in the terminal sends
    demo.process.wait(timeout=40)
    deadline = time.monotonic() + 10
    while [pid for pid in children if _exists(pid)] and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not [pid for pid in children if _exists(pid)], "a process outlived Ctrl+C"
    assert time.monotonic() - started < 30


def _cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


def _exists(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"
