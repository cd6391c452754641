"""Settings come only from the environment, fail loudly, and are all documented."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from monev.env import ConfigError, env_bool, env_int, env_secret, parse_database_url

ROOT = Path(__file__).resolve().parents[2]


def test_every_variable_read_in_settings_is_documented() -> None:
    source = (ROOT / "monev/settings.py").read_text()
    read = set(re.findall(r'env_(?:str|bool|int|list|secret)\(\s*"([A-Z_]+)"', source))
    documented = set(re.findall(r"`([A-Z_]+)`", (ROOT / "docs/configuration.md").read_text()))
    assert read, "no variables found: the pattern broke"
    assert read <= documented, f"undocumented: {sorted(read - documented)}"


def test_bad_boolean_names_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MONEV_DEBUG", "perhaps")
    with pytest.raises(ConfigError, match="MONEV_DEBUG"):
        env_bool("MONEV_DEBUG", False)


def test_bad_integer_names_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MONEV_SESSION_SECONDS", "8h")
    with pytest.raises(ConfigError, match="MONEV_SESSION_SECONDS"):
        env_int("MONEV_SESSION_SECONDS", 1)


def test_missing_secret_refused_in_production(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("MONEV_NIK_KEY", raising=False)
    with pytest.raises(ConfigError, match="MONEV_NIK_KEY"):
        env_secret("MONEV_NIK_KEY", home=tmp_path, generate=False)


def test_short_secret_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MONEV_NIK_KEY", "short")
    with pytest.raises(ConfigError, match="32"):
        env_secret("MONEV_NIK_KEY", home=tmp_path, generate=True)


def test_generated_secret_is_kept_between_starts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("MONEV_NIK_KEY", raising=False)
    with pytest.warns(UserWarning, match="MONEV_NIK_KEY"):
        first = env_secret("MONEV_NIK_KEY", home=tmp_path, generate=True)
    assert env_secret("MONEV_NIK_KEY", home=tmp_path, generate=True) == first
    assert (tmp_path / "secrets/MONEV_NIK_KEY").stat().st_mode & 0o077 == 0


def test_production_server_refuses_to_start_without_keys(tmp_path: Path) -> None:
    env = {"PATH": "/usr/bin:/bin", "MONEV_HOME": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-m", "monev", "check"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    # One line that names the variable, not a traceback.
    assert result.stderr.strip().splitlines() == [
        "monev: MONEV_SECRET_KEY is not set. Production refuses to start without it "
        "(see docs/configuration.md)."
    ]


def test_settings_file_in_home_fills_what_the_environment_leaves_unset(tmp_path: Path) -> None:
    (tmp_path / "monev.env").write_text(
        "# demo\nMONEV_DEBUG=true\nexport MONEV_LOG_LEVEL='ERROR'\nMONEV_API_RATE=1/min\n"
    )
    code = "from django.conf import settings as s; print(s.DEBUG, s.NINJA_DEFAULT_THROTTLE_RATES['user'])"
    env = {"PATH": "/usr/bin:/bin", "MONEV_HOME": str(tmp_path), "MONEV_API_RATE": "9/min"}
    env["DJANGO_SETTINGS_MODULE"] = "monev.settings"
    result = subprocess.run(  # noqa: S603 - our interpreter, our code
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.stdout.split() == ["True", "9/min"], result.stderr


def test_malformed_settings_file_line_is_named(tmp_path: Path) -> None:
    from monev.env import env_file_load

    (tmp_path / "monev.env").write_text("MONEV_DEBUG=true\nnot a setting\n")
    with pytest.raises(ConfigError, match=r"monev\.env:2"):
        env_file_load(tmp_path / "monev.env")


def test_database_urls() -> None:
    assert parse_database_url("sqlite:////tmp/x.db")["NAME"] == "/tmp/x.db"
    assert parse_database_url("sqlite:///var/x.db")["NAME"] == "var/x.db"
    pg = parse_database_url("postgres://u:p%40ss@db:6543/monev")
    assert (pg["USER"], pg["PASSWORD"], pg["HOST"], pg["PORT"], pg["NAME"]) == (
        "u",
        "p@ss",
        "db",
        "6543",
        "monev",
    )
    with pytest.raises(ConfigError, match="mysql"):
        parse_database_url("mysql://x")


@given(st.text(alphabet=st.characters(blacklist_characters="\x00", blacklist_categories=["Cs"])))
def test_env_bool_either_parses_or_names_the_variable(raw: str) -> None:
    import os

    os.environ["MONEV_FUZZ_BOOL"] = raw
    try:
        assert env_bool("MONEV_FUZZ_BOOL", False) in (True, False)
    except ConfigError as exc:
        assert "MONEV_FUZZ_BOOL" in str(exc)
    finally:
        del os.environ["MONEV_FUZZ_BOOL"]
