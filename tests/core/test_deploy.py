"""The deployment files in deploy/ are true: systemd accepts every unit, each variable of the
environment template is documented, and each unit's ExecStart, run as systemd would run it
(the template's environment, SIGTERM to the main process only), starts and stops cleanly."""

from __future__ import annotations

import configparser
import re
import secrets
import shlex
import shutil
import signal
import subprocess
import time
from pathlib import Path

from tests.processes import (
    BIN,
    ROOT,
    clean_env,
    descendants,
    free_port,
    scratch_database,
    stop,
    wait_for_http,
)

DEPLOY = ROOT / "deploy"
INSTALLED = "/opt/monev/venv/bin/"
HOST = "monev.example.go.id"


def _unit(name: str) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read(DEPLOY / name)
    return parser


def _template() -> dict[str, str]:
    pairs = {}
    for line in (DEPLOY / "monev.env.example").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            name, _, value = line.partition("=")
            pairs[name] = value
    return pairs


def test_systemd_accepts_every_unit(tmp_path: Path) -> None:
    for unit in DEPLOY.glob("monev-*.*"):
        text = unit.read_text().replace(INSTALLED, f"{BIN}/")
        text = text.replace("/etc/monev/monev.env", str(DEPLOY / "monev.env.example"))
        (tmp_path / unit.name).write_text(text)
    units = sorted(str(p) for p in tmp_path.iterdir())
    assert len(units) == 8
    result = subprocess.run(  # noqa: S603 - systemd's own checker
        [shutil.which("systemd-analyze") or "systemd-analyze", "verify", *units],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0 and not result.stderr.strip(), result.stderr


def test_every_timer_starts_a_oneshot_service_of_its_name() -> None:
    for timer in DEPLOY.glob("*.timer"):
        service = _unit(timer.name.replace(".timer", ".service"))
        assert service["Service"]["Type"] == "oneshot"
        assert "OnCalendar" in _unit(timer.name)["Timer"]


def test_environment_template_names_only_documented_variables() -> None:
    documented = set(re.findall(r"`([A-Z_]+)`", (ROOT / "docs/configuration.md").read_text()))
    assert set(_template()) <= documented, set(_template()) - documented


def _environment(home: Path, database: str) -> dict[str, str]:
    env = _template()
    env.update(MONEV_HOME=str(home), DATABASE_URL=database)
    for key in ("MONEV_SECRET_KEY", "MONEV_NIK_KEY", "MONEV_ENCRYPTION_KEY"):
        env[key] = secrets.token_urlsafe(48)
    return clean_env(**env)


def _command(unit: str, port: int) -> list[str]:
    line = _unit(unit)["Service"]["ExecStart"]
    assert line.startswith(INSTALLED), line
    return shlex.split(line.replace(INSTALLED, f"{BIN}/").replace("--port 8000", f"--port {port}"))


def _terminate(process: subprocess.Popen[bytes], seconds: float) -> None:
    """What KillMode=mixed does first: SIGTERM to the main process alone."""
    tree = descendants(process.pid)
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=seconds) == 0, process.stdout.read() if process.stdout else b""
    deadline = time.monotonic() + 5
    while [p for p in tree if Path(f"/proc/{p}").exists()] and time.monotonic() < deadline:
        time.sleep(0.1)
    left = [p for p in tree if Path(f"/proc/{p}").exists()]
    assert not left, "processes left for systemd to kill"


def test_each_unit_starts_and_stops_cleanly(tmp_path: Path) -> None:
    home = tmp_path / "var-lib-monev"
    home.mkdir()
    with scratch_database(home) as database:
        env = _environment(home, database)
        subprocess.run(  # noqa: S603 - the installed command
            [str(BIN / "monev"), "init"],
            env=env,
            cwd=home,
            check=True,
            capture_output=True,
            timeout=300,
        )
        port = free_port()
        started = []
        try:
            for unit in ("monev-web.service", "monev-worker.service"):
                started.append(
                    subprocess.Popen(  # noqa: S603 - the unit's own command
                        _command(unit, port),
                        env=env,
                        cwd=home,
                        stdout=subprocess.PIPE,
                        stderr=subprocess.STDOUT,
                    )
                )
            web, worker = started
            base = f"http://127.0.0.1:{port}"
            wait_for_http(f"{base}/healthz", web, seconds=60)
            assert _ready_with_worker(base, worker), "the worker never showed in /readyz"
            _terminate(worker, 30)
            _terminate(web, 30)
            for unit in (
                "monev-escalate.service",
                "monev-purge-uploads.service",
                "monev-deliver.service",
            ):
                result = subprocess.run(  # noqa: S603 - the unit's own command
                    _command(unit, port),
                    env=env,
                    cwd=home,
                    capture_output=True,
                    timeout=120,
                    check=False,
                )
                assert result.returncode == 0, result.stderr
        finally:
            for process in started:
                stop(process)


def _ready_with_worker(base: str, worker: subprocess.Popen[bytes]) -> bool:
    import json

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert worker.poll() is None, worker.stdout.read() if worker.stdout else b""
        status, body = _get_host(f"{base}/readyz")
        if status == 200 and json.loads(body)["checks"]["worker"]["ok"]:
            return True
        time.sleep(0.5)
    return False


def _get_host(url: str) -> tuple[int, bytes]:
    import urllib.request

    request = urllib.request.Request(url, headers={"Host": HOST})  # noqa: S310 - loopback
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return int(response.status), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()
