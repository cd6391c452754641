"""Extra leak-matrix cases (issue 9): the gap list's CSV and XLSX exports with real match
results behind them (the page itself is registered by tests/coverage/routes.py)."""

from __future__ import annotations

from tests.coverage.routes import gap_marker, with_results
from tests.scope.registry import RouteCase, register

register(
    RouteCase(
        "coverage:gap_list",
        "/cakupan/pemda/{pemda}/celah/?period={period}&format=csv",
        setup=with_results,
        marker=gap_marker,
    ),
    RouteCase(
        "coverage:gap_list",
        "/cakupan/pemda/{pemda}/celah/?period={period}&format=xlsx",
        setup=with_results,
    ),
)

register(
    RouteCase(
        "accounts:otp_setup",
        "/akun/otp/",
        level="none",
        allowed=frozenset({"national", "sumbagsel"}),
    ),
)
