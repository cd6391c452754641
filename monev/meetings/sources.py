"""Findings from the data, as of a period: what a meeting starts from.

The findings are the indicators app's (the same the dashboards show), each turned into a
plain dict {"pemda_code", "code", "severity", "text", "data"} so a meeting can snapshot
it as JSON.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from monev.core.scope import SYSTEM
from monev.indicators import selectors as ind


def findings_for(*, pemda_codes: Iterable[str], period: str) -> list[dict[str, Any]]:
    codes = sorted(set(pemda_codes))
    found = _from_indicators(codes, period)
    return sorted(found, key=lambda f: (f["pemda_code"], _rank(f["severity"]), f["code"]))


def _rank(severity: str) -> int:
    return {"red": 0, "amber": 1}.get(severity, 2)


def _from_indicators(codes: list[str], period: str) -> list[dict[str, Any]]:
    table = ind.table(period)
    earlier = [p for p in ind.periods() if p < period]
    before = ind.table(earlier[0]) if earlier else None
    place = ind.Place("meeting", ",".join(codes), "", frozenset(codes))
    found = ind.findings(user=SYSTEM, place=place, t=table, before=before)
    return [_from_finding(f) for f in found]


_SEVERITY = {1: "red", 2: "amber", 3: "info"}


def _from_finding(f: Any) -> dict[str, Any]:
    return {
        "pemda_code": f.pemda_code,
        "code": f.rule,
        "severity": _SEVERITY.get(f.severity, "amber"),
        "text": f.text,
        "data": {"link": f.href, "weight": f.weight},
    }
