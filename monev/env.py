"""Typed helpers that read configuration from the environment and fail loudly.

Every variable read here is documented in docs/configuration.md; a test checks that.
"""

from __future__ import annotations

import os
import secrets
import warnings
from pathlib import Path
from urllib.parse import unquote, urlparse


class ConfigError(RuntimeError):
    """A configuration value is missing or malformed."""


def env_str(name: str, default: str) -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ConfigError(f"{name} must be a boolean (true/false), got {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ConfigError(f"{name} must be an integer, got {raw!r}") from None


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_networks(name: str, default: list[str]) -> list[str]:
    """A comma-separated list of IP addresses or networks (`10.0.0.0/8`, `::1`)."""
    import ipaddress

    values = env_list(name, default)
    for value in values:
        try:
            ipaddress.ip_network(value, strict=False)
        except ValueError:
            raise ConfigError(f"{name}: {value!r} is not an IP address or network") from None
    return values


def env_secret(name: str, *, home: Path, generate: bool, min_length: int = 32) -> str:
    """Return the secret in `name`.

    In debug/demo mode (`generate=True`) a missing secret is generated once and kept in
    `MONEV_HOME/secrets/<name>` with a warning, so restarts keep the same keys. In
    production a missing or short secret refuses to start.
    """
    raw = os.environ.get(name, "")
    if raw:
        if len(raw) < min_length:
            raise ConfigError(f"{name} must be at least {min_length} characters long")
        return raw
    if not generate:
        raise ConfigError(
            f"{name} is not set. Production refuses to start without it "
            "(see docs/configuration.md)."
        )
    path = home / "secrets" / name
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    value = secrets.token_urlsafe(48)
    path.write_text(value)
    path.chmod(0o600)
    warnings.warn(
        f"{name} is not set; generated one and stored it in {path} (debug/demo only).",
        stacklevel=2,
    )
    return value


def env_file_load(path: Path) -> None:
    """Put the `NAME=value` lines of `path` into the environment where it has no value.

    `monev demo` writes its settings to `MONEV_HOME/monev.env`, so every later `monev`
    command with the same home runs as the demo does; an operator may keep settings there
    too (the systemd environment file has the same format). The environment always wins.
    """
    if not path.is_file():
        return
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        name, sep, value = line.partition("=")
        name = name.strip().removeprefix("export ").strip()
        if not sep or not name.isidentifier():
            raise ConfigError(f"{path}:{number}: expected NAME=value, got {line[:40]!r}")
        os.environ.setdefault(name, value.strip().strip("'\""))


def parse_database_url(url: str) -> dict[str, object]:
    """Turn a DATABASE_URL into a Django DATABASES entry (sqlite:/// or postgres://)."""
    parsed = urlparse(url)
    if parsed.scheme == "sqlite":
        name = unquote(url.removeprefix("sqlite:").removeprefix("///"))
        if not name:
            raise ConfigError("DATABASE_URL sqlite:/// needs a file path")
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": name,
            # WAL: a long import in the worker does not block the web pages' reads, nor
            # they it. Connections persist across requests like PostgreSQL's below: opening
            # one and setting it up cost more than a cached dashboard page.
            "OPTIONS": {
                "timeout": 30,
                "transaction_mode": "IMMEDIATE",
                "init_command": "PRAGMA journal_mode=WAL;",
            },
            "CONN_MAX_AGE": 600,
            "CONN_HEALTH_CHECKS": True,
        }
    if parsed.scheme in {"postgres", "postgresql"}:
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": unquote(parsed.path.lstrip("/")) or "postgres",
            "USER": unquote(parsed.username or ""),
            "PASSWORD": unquote(parsed.password or ""),
            "HOST": parsed.hostname or "",
            "PORT": str(parsed.port or ""),
            "CONN_MAX_AGE": 60,
            "CONN_HEALTH_CHECKS": True,
        }
    raise ConfigError(
        f"DATABASE_URL scheme {parsed.scheme!r} is not supported (use sqlite:/// or postgres://)"
    )
