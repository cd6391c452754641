"""Scope-matrix registrations for account pages (personal, no region data)."""

from __future__ import annotations

from tests.scope.registry import RouteCase, exempt, register

_EVERYONE = frozenset({"national", "sumbagsel", "palembang", "auditor"})

register(
    RouteCase("accounts:tokens", "/akun/token/", level="none", allowed=_EVERYONE),
    RouteCase("accounts:password_change", "/akun/sandi/", level="none", allowed=_EVERYONE),
    RouteCase(
        "accounts:password_change_done", "/akun/sandi/selesai/", level="none", allowed=_EVERYONE
    ),
)
exempt("accounts:login", "public login form")
exempt("accounts:logout", "ends the caller's own session")
exempt("accounts:token_revoke", "the caller's own token only; tests/accounts/test_tokens.py")
exempt("accounts:sso_login", "public: starts single sign-on at the identity provider")
exempt("accounts:sso_callback", "public: the provider's answer; tests/accounts/test_sso.py")
