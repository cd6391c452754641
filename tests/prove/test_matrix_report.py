"""The leak matrix (tests/scope) covers exports, reports, job results and file downloads
with real objects behind their ids; print its size for the closing note."""

from __future__ import annotations

from typing import Any

import tests.scope.test_scope_matrix  # noqa: F401  (loads every app's routes.py)
from tests.scope.registry import CASES, EXEMPT

KINDS = {
    "export": ("export", "registration", "csv", "celah"),
    "report": ("report",),
    "job result": ("job",),
    "file download": ("download", "pdf", "document", "errors", "evidence"),
}
ROLES = 5  # national, sumbagsel (Kanwil), palembang, lahat (Pemda), auditor


def _cases(words: tuple[str, ...]) -> list[str]:
    return sorted(c.name for c in CASES if any(w in c.name.lower() for w in words))


def test_sensitive_routes_are_in_the_matrix_with_real_objects(capsys: Any) -> None:
    for kind, words in KINDS.items():
        names = _cases(words)
        assert names, f"no {kind} route in the scope matrix"
        with_object = [c.name for c in CASES if c.name in names and c.setup is not None]
        assert with_object, f"no {kind} route is checked against a real object"
    object_routes = sum(1 for c in CASES if c.setup is not None)
    checks = len(CASES) * (ROLES + 2 + 1)  # own region × 5 roles, 2 other-region pairs, anonymous
    with capsys.disabled():
        print(
            f"\nleak matrix: {len(CASES)} routes ({object_routes} with a real object) × {ROLES} "
            f"roles × own / other region / anonymous ≈ {checks} requests; "
            f"{len(EXEMPT)} routes exempt with a reason"
        )
        for kind, words in KINDS.items():
            print(f"  {kind}: {', '.join(_cases(words))}")
