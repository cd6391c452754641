"""The wheel is the product an operator installs: built from the tree, installed into a new
virtual environment far from the repository, it initialises a database and serves every page
with every asset it links (htmx included, with no node_modules anywhere).

The scratch environment takes the wheel's dependencies from the project's own environment (a
path entry, so its editable monev is not seen) instead of downloading them again: the test
stays offline and bounded in time, and `pip check` proves the wheel's declared requirements
are met by what is there.
"""

from __future__ import annotations

import re
import signal
import subprocess
import sys
import sysconfig
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.processes import (
    ROOT,
    clean_env,
    free_port,
    http_get,
    scratch_database,
    stop,
    wait_for_http,
)


def _run(args: list[str], **kwargs: object) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(  # noqa: S603 - our own tools
        args, capture_output=True, text=True, timeout=300, check=False, **kwargs
    )
    assert result.returncode == 0, f"{args}\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}"
    return result


@pytest.fixture(scope="module")
def venv(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    dist = tmp_path_factory.mktemp("dist")
    _run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(dist)],
        cwd=ROOT,
    )
    (wheel,) = dist.glob("monev-*.whl")
    target = tmp_path_factory.mktemp("scratch") / "venv"
    _run([sys.executable, "-m", "venv", str(target)])
    site = Path(
        _run(
            [
                str(target / "bin/python"),
                "-c",
                "import sysconfig; print(sysconfig.get_path('purelib'))",
            ]
        ).stdout.strip()
    )
    (site / "project_dependencies.pth").write_text(sysconfig.get_path("purelib") + "\n")
    _run(
        [
            str(target / "bin/python"),
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--no-index",
            str(wheel),
        ]
    )
    yield target


def test_wheel_installs_far_from_the_repository(venv: Path, tmp_path: Path) -> None:
    where = _run(
        [str(venv / "bin/python"), "-c", "import monev, django_htmx; print(monev.__file__)"],
        cwd=tmp_path,
        env=clean_env(),
    ).stdout.strip()
    assert where.startswith(str(venv)), where
    _run([str(venv / "bin/python"), "-m", "pip", "check"], cwd=tmp_path, env=clean_env())


def test_installed_wheel_initialises_and_serves_pages_with_their_assets(
    venv: Path, tmp_path: Path
) -> None:
    home = tmp_path / "home"
    home.mkdir()
    with scratch_database(home) as database:
        env = clean_env(MONEV_HOME=str(home), MONEV_DEBUG="true", DATABASE_URL=database)
        _init_and_serve(venv, tmp_path, env)


def _init_and_serve(venv: Path, tmp_path: Path, env: dict[str, str]) -> None:
    init = _run([str(venv / "bin/monev"), "init"], cwd=tmp_path, env=env)
    assert "Data referensi dimuat" in init.stdout
    port = free_port()
    server = subprocess.Popen(  # noqa: S603 - the installed command
        [str(venv / "bin/monev"), "serve", "--port", str(port), "--workers", "1"],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for_http(f"{base}/akun/masuk/", server, seconds=60)
        assets: set[str] = set()
        for page in ("/akun/masuk/", "/data-terbuka/"):
            status, body = http_get(base + page)
            assert status == 200, page
            assets |= set(re.findall(r'(?:src|href)="(/static/[^"]+)"', body.decode()))
        assert any("htmx" in asset for asset in assets), assets
        for asset in sorted(assets):
            status, body = http_get(base + asset)
            assert status == 200 and len(body) > 100, asset
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    finally:
        stop(server)
