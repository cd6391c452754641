"""E-mail tests start a real SMTP server (tests/mailserver.py)."""

from tests.mailserver import smtp_server

__all__ = ["smtp_server"]
