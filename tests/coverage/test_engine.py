"""The match engine against a plain-Python reference, on random rosters and extracts.

The engine takes shortcuts that only hold under invariants the system keeps (a roster
version's rows never change; results are written in worker order; the import marks every
row of a NIK with several rows). Hypothesis builds rosters, registry extracts and previous
results that keep those invariants — and some that break the optional ones (an extract
without the `nik_repeated` mark, or marked wrongly; a previous file out of order) — and
checks every worker's result and every aggregate against a per-worker count written from
docs/matching.md with dicts and loops.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from monev.coverage import engine
from monev.registry.engine import period_index

PERIOD, PREVIOUS = "2024-06", "2024-05"
CATEGORIES = ("NON_ASN", "PERANGKAT_DESA", "RT_RW", "RENTAN")
NEEDS = {"NON_ASN": 15, "PERANGKAT_DESA": 15, "RT_RW": 3, "RENTAN": 3}
PEMDA = ("16.71", "16.04", "16.72")
SHIFT = 2**32


@dataclass(frozen=True)
class Worker:
    worker_id: int
    pemda: str
    category: str
    key: int


@dataclass(frozen=True)
class Registered:
    key: int
    programs: int
    active: bool
    paid_until: int | None


# --------------------------------------------------------------------------- the reference


def reference(
    workers: list[Worker],
    registry: list[Registered],
    previous: list[dict[str, Any]],
) -> dict[int, tuple[Any, ...]]:
    """worker id -> (status, programs, since, prev_status, change), from docs/matching.md."""
    current = period_index(PERIOD)
    before = {(p["pemda_code"], p["category"], p["nik_key"]): p for p in previous}
    out = {}
    for w in workers:
        rows = [r for r in registry if r.key == w.key]
        active = [r for r in rows if r.active and (r.paid_until is None or r.paid_until >= current)]
        held = 0
        for r in active:
            held |= r.programs
        if not rows:
            status = "NOT_FOUND"
        elif not active:
            status = "LAPSED"
        elif held & NEEDS[w.category] == NEEDS[w.category]:
            status = "PROTECTED"
        else:
            status = "PARTIAL"
        earlier = before.get((w.pemda, w.category, w.key))
        prev_status = earlier["status"] if earlier else None
        since = earlier["since"] if earlier and prev_status == status else PERIOD
        change = None
        if status == "PROTECTED" and prev_status not in (None, "PROTECTED"):
            change = "NEWLY_PROTECTED"
        elif status == "LAPSED" and prev_status in ("PROTECTED", "PARTIAL"):
            change = "NEWLY_LAPSED"
        out[w.worker_id] = (status, held if active else 0, since, prev_status, change)
    return out


# --------------------------------------------------------------------------- the cases

keys = st.integers(min_value=1, max_value=2**124 - 1)


@st.composite
def cases(draw: Any) -> dict[str, Any]:
    people = draw(st.lists(keys, min_size=1, max_size=25, unique=True))
    # roster versions: id -> (pemda, rows as (category, key)); a key at most once per Pemda
    versions: dict[int, tuple[str, list[tuple[str, int]]]] = {}
    for version_id in range(1, draw(st.integers(1, 5)) + 1):
        pemda = draw(st.sampled_from(PEMDA))
        taken = {k for p, rows in versions.values() if p == pemda for _c, k in rows}
        free = [k for k in people if k not in taken]
        chosen = draw(st.lists(st.sampled_from(free), unique=True, max_size=8)) if free else []
        versions[version_id] = (
            pemda,
            [(draw(st.sampled_from(CATEGORIES)), k) for k in chosen],
        )
    listed_ids = draw(
        st.lists(st.sampled_from(sorted(versions)), unique=True, min_size=0, max_size=5)
    )
    # last period: some of today's versions, plus older versions of the same Pemda
    matched_then = [v for v in listed_ids if draw(st.booleans())]
    older: dict[int, tuple[str, list[tuple[str, int]]]] = {}
    for version_id in listed_ids:
        if version_id in matched_then or not draw(st.booleans()):
            continue
        pemda, rows = versions[version_id]
        kept = [row for row in rows if draw(st.booleans())]
        extra = [
            (draw(st.sampled_from(CATEGORIES)), k)
            for k in draw(st.lists(st.sampled_from(people), unique=True, max_size=3))
            if k not in {key for _c, key in rows}
        ]
        older[100 + version_id] = (pemda, draw(st.permutations(kept + extra)))
    registry = [
        Registered(
            key=draw(st.sampled_from(people)) if draw(st.booleans()) else draw(keys),
            programs=draw(st.integers(1, 31)),
            active=draw(st.booleans()),
            paid_until=draw(
                st.none() | st.integers(period_index(PERIOD) - 2, period_index(PERIOD) + 1)
            ),
        )
        for _ in range(draw(st.integers(0, 30)))
    ]
    return {
        "listed": _workers({v: versions[v] for v in listed_ids}),
        "then": _workers({**{v: versions[v] for v in matched_then}, **older}),
        "registry": registry,
        "statuses": draw(st.lists(st.sampled_from(engine.STATUSES), min_size=40, max_size=40)),
        "sinces": draw(st.lists(st.sampled_from(["2024-03", "2024-04", PREVIOUS]), min_size=40)),
        "marking": draw(st.sampled_from(["right", "absent", "none marked"])),
        "previous_order": draw(st.sampled_from(["worker", "shuffled", "no previous"])),
    }


def _workers(versions: dict[int, tuple[str, list[tuple[str, int]]]]) -> list[Worker]:
    workers = [
        Worker(version_id * SHIFT + row, pemda, category, key)
        for version_id, (pemda, rows) in sorted(versions.items())
        for row, (category, key) in enumerate(rows)
    ]
    # one person per Pemda and category in a period (the reference looks them up so)
    seen: set[tuple[str, str, int]] = set()
    unique = []
    for w in workers:
        if (w.pemda, w.category, w.key) not in seen:
            seen.add((w.pemda, w.category, w.key))
            unique.append(w)
    return unique


def _roster(workers: list[Worker]) -> pl.LazyFrame:
    return pl.LazyFrame(
        {
            "worker_id": [w.worker_id for w in workers],
            "pemda_code": [w.pemda for w in workers],
            "category": [w.category for w in workers],
            "nik_key": [w.key for w in workers],
        },
        schema=engine.ROSTER_SCHEMA,
    )


def _write_registry(path: Path, rows: list[Registered], marking: str) -> None:
    counts: dict[int, int] = {}
    for r in rows:
        counts[r.key] = counts.get(r.key, 0) + 1
    frame = pl.DataFrame(
        {
            "nik_key": [r.key for r in rows],
            "programs": [r.programs for r in rows],
            "active": [r.active for r in rows],
            "paid_until": [r.paid_until for r in rows],
            "nik_repeated": [counts[r.key] > 1 and marking == "right" for r in rows],
        },
        schema={
            "nik_key": pl.Int128,
            "programs": pl.UInt8,
            "active": pl.Boolean,
            "paid_until": pl.Int32,
            "nik_repeated": pl.Boolean,
        },
    )
    if marking == "absent":
        frame = frame.drop("nik_repeated")
    frame.write_parquet(path)


def _previous_rows(case: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {
            "worker_id": w.worker_id,
            "pemda_code": w.pemda,
            "category": w.category,
            "nik_key": w.key,
            "status": case["statuses"][i % 40],
            "since": case["sinces"][i % len(case["sinces"])],
        }
        for i, w in enumerate(case["then"])
    ]


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(case=cases())
def test_engine_agrees_with_the_reference(case: dict[str, Any]) -> None:
    previous = [] if case["previous_order"] == "no previous" else _previous_rows(case)
    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp)
        _write_registry(directory / "registry.parquet", case["registry"], case["marking"])
        previous_path = None
        if previous:
            frame = pl.DataFrame(
                previous,
                schema={**engine.ROSTER_SCHEMA, "status": engine.STATUS_ENUM, "since": pl.String},
            )
            if case["previous_order"] == "shuffled":
                frame = frame.sample(fraction=1.0, shuffle=True, seed=3)
            previous_path = directory / "previous.parquet"
            frame.write_parquet(previous_path)
        agg = engine.run_match(
            registry_path=directory / "registry.parquet",
            roster=_roster(case["listed"]),
            previous_path=previous_path,
            period=PERIOD,
            results_path=directory / "results.parquet",
        )
        results = pl.read_parquet(directory / "results.parquet")

    expected = reference(case["listed"], case["registry"], previous)
    got = {
        row["worker_id"]: (
            row["status"],
            row["programs"],
            row["since"],
            row["prev_status"],
            row["change"],
        )
        for row in results.iter_rows(named=True)
    }
    assert got == expected
    assert results["worker_id"].to_list() == sorted(expected), "results in worker order"
    by_worker = {w.worker_id: w for w in case["listed"]}
    assert all(
        (row["pemda_code"], row["category"], row["nik_key"])
        == (by_worker[row["worker_id"]].pemda, by_worker[row["worker_id"]].category, row["nik_key"])
        and row["nik_key"] == by_worker[row["worker_id"]].key
        for row in results.iter_rows(named=True)
    )
    assert _aggregates(agg) == _count(case["listed"], expected)


def _aggregates(agg: pl.DataFrame) -> dict[tuple[str, str], tuple[int, ...]]:
    return {
        (row["pemda_code"], row["category"]): tuple(row[c] for c in engine.AGGREGATE_COLUMNS[2:])
        for row in agg.iter_rows(named=True)
    }


def _count(
    workers: list[Worker], expected: dict[int, tuple[Any, ...]]
) -> dict[tuple[str, str], tuple[int, ...]]:
    counts: dict[tuple[str, str], list[int]] = {}
    for w in workers:
        status, programs, _since, _prev, change = expected[w.worker_id]
        c = counts.setdefault((w.pemda, w.category), [0] * 8)
        c[0] += 1
        c[1 + engine.STATUSES.index(status)] += 1
        c[5] += status in ("PROTECTED", "PARTIAL") and programs & 3 == 3
        c[6] += change == "NEWLY_PROTECTED"
        c[7] += change == "NEWLY_LAPSED"
    return {group: tuple(c) for group, c in counts.items()}


def test_a_lapsed_worker_on_two_pemda_lists_is_counted_once_on_each() -> None:
    """A person with two registry rows (PU lapsed, BPU active) on two Pemda's lists."""
    key = 2**100 + 7
    case_workers = [
        Worker(1 * SHIFT, "16.71", "NON_ASN", key),
        Worker(2 * SHIFT, "16.04", "RT_RW", key),
    ]
    rows = [Registered(key, 15, False, None), Registered(key, 3, True, period_index(PERIOD))]
    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp)
        _write_registry(directory / "registry.parquet", rows, "right")
        agg = engine.run_match(
            registry_path=directory / "registry.parquet",
            roster=_roster(case_workers),
            previous_path=None,
            period=PERIOD,
            results_path=directory / "results.parquet",
        )
        results = pl.read_parquet(directory / "results.parquet")
    assert results["status"].to_list() == ["PARTIAL", "PROTECTED"]
    assert results["programs"].to_list() == [3, 3]
    assert agg["headcount"].to_list() == [1, 1]
