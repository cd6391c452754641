"""Faults: SIGKILL in the middle of a roster validation job, a registry import and a match;
check the previous state is intact, what became of the job, and that a re-run gives the
same result as an uninterrupted run.

    .venv/bin/python bench/faults.py                       # SQLite in a temp MONEV_HOME
    .venv/bin/python bench/faults.py --postgres postgres://postgres@127.0.0.1:5432/postgres

Each scenario: (1) control run to completion, record the result and the state; (2) start
the same work again, SIGKILL the process (the `monev worker`, or the `monev import registry`
command) mid-way; (3) the state (current roster versions, registry snapshots, match runs)
must equal the state after the control run; (4) restart a worker (`--batch`) and read the
job's state: failed or done is fine, `running` forever is reported as STUCK; (5) re-run and
compare the result with the control run. Prints one line per scenario; exit 1 on a failure.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"

STATE = """
import json
from monev.rosters.models import RosterVersion
from monev.registry.models import RegistrySnapshot
from monev.coverage.models import MatchRun
from monev.core.models import Job
def ids(qs): return sorted(qs.values_list("pk", flat=True))
print(json.dumps({
  "roster_versions": ids(RosterVersion.objects.all()),
  "registry_current": ids(RegistrySnapshot.objects.filter(is_current=True)),
  "match_current": ids(MatchRun.objects.filter(is_current=True)),
  "jobs": {str(j.pk): [j.kind, j.state] for j in Job.objects.all()},
}))
"""

ENQUEUE_ROSTER = """
import json
from pathlib import Path
from monev.core.scope import SYSTEM
from monev.regions.models import Pemda
from monev.rosters import services
data = Path(%(path)r).read_bytes()
upload = services.roster_upload_create(pemda=Pemda.objects.get(code="16.71"), period="2024-06",
    data=data, filename="daftar.csv", mode="accept_valid", by=SYSTEM)
upload = services.roster_upload_start(upload=upload, by=SYSTEM)
from monev.core.models import Job
job = Job.objects.filter(kind__icontains="roster").order_by("-pk").first()
print(json.dumps({"job": job.pk}))
"""

ENQUEUE_MATCH = """
import json
from monev.core.scope import SYSTEM
from monev.coverage.services import match_enqueue
print(json.dumps({"job": match_enqueue(period="2024-06", by=SYSTEM).pk}))
"""

JOB = """
import json
from monev.core.models import Job
j = Job.objects.get(pk=%(pk)d)
d = (j.finished_at - j.started_at).total_seconds() if j.finished_at and j.started_at else None
print(json.dumps({"state": j.state, "result": j.result, "seconds": d, "progress": j.progress}))
"""


class Env:
    def __init__(self, home: Path, database_url: str | None) -> None:
        self.env = {**os.environ, "MONEV_HOME": str(home), "MONEV_DEBUG": "true"}
        if database_url:
            self.env["DATABASE_URL"] = database_url
        self.home = home

    def monev(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(BIN / "monev"), *args], env=self.env, capture_output=True, text=True, check=check
        )

    def shell(self, code: str) -> Any:
        out = self.monev("shell", "-c", code).stdout.strip().splitlines()
        return json.loads(out[-1])

    def start(self, *args: str) -> subprocess.Popen[bytes]:
        return subprocess.Popen(
            [str(BIN / "monev"), *args],
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )


def _kill(process: subprocess.Popen[bytes]) -> None:
    os.killpg(process.pid, signal.SIGKILL)  # the worker and anything it started
    process.wait()


def _state(env: Env) -> dict[str, Any]:
    state = env.shell(STATE)
    state.pop("jobs")
    return state


def _job(env: Env, pk: int) -> dict[str, Any]:
    return env.shell(JOB % {"pk": pk})


def _job_state(env: Env, pk: int) -> str:
    """Read the job's state straight from the database (a `monev shell` takes a second)."""
    url = env.env.get("DATABASE_URL")
    if url:
        import psycopg

        with psycopg.connect(url) as c:
            row = c.execute("SELECT state FROM core_job WHERE id = %s", (pk,)).fetchone()
    else:
        import sqlite3

        with sqlite3.connect(env.home / "monev.sqlite3", timeout=30) as c:
            row = c.execute("SELECT state FROM core_job WHERE id = ?", (pk,)).fetchone()
    return str(row[0]) if row else "missing"


def _wait_running(env: Env, pk: int, timeout: float = 120) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if _job_state(env, pk) != "queued":
            return
        time.sleep(0.02)
    raise RuntimeError(f"job {pk} never started")


def _run_job(env: Env, enqueue: str) -> dict[str, Any]:
    pk = env.shell(enqueue)["job"]
    env.monev("worker", "--batch")
    return {"pk": pk, **_job(env, pk)}


def _stable(result: dict[str, Any]) -> dict[str, Any]:
    """The result without run ids and timings."""
    return {
        k: v
        for k, v in (result or {}).items()
        if not any(t in k for t in ("id", "second", "time", "timing", "started", "finished", "run"))
    }


def restart_postgres() -> None:
    """Restart the machine's PostgreSQL cluster (fast shutdown) and wait until it accepts."""
    version = sorted(os.listdir("/etc/postgresql"))[-1]
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "restart", "-m", "fast"],
        check=True,
        capture_output=True,
    )
    subprocess.run([str(ROOT / "scripts" / "ensure-postgres")], check=True)


def worker_scenario(
    env: Env, name: str, enqueue: str, kill_fraction: float, *, restart_db: bool = False
) -> list[str]:
    """Kill the worker mid-job; with `restart_db`, restart PostgreSQL under it first and give
    the worker a moment to notice before it is killed (whatever it did by then)."""
    problems: list[str] = []
    control = _run_job(env, enqueue)
    if control["state"] != "done":
        return [f"{name}: control run ended {control['state']}"]
    # A second run can be much faster than the control (the match caches each roster
    # version as Parquet): a job that finished before the kill tested nothing, so try
    # again, earlier.
    fractions = [kill_fraction, kill_fraction / 4, 0.0]
    for attempt, fraction in enumerate(fractions):
        before = _state(env)
        pk = env.shell(enqueue)["job"]
        worker = env.start("worker")
        _wait_running(env, pk)
        time.sleep(max(0.0, (control["seconds"] or 1.0) * fraction))
        if restart_db:
            restart_postgres()
            time.sleep(3)
        _kill(worker)
        killed = _job(env, pk)
        if restart_db or killed["state"] != "done" or attempt == len(fractions) - 1:
            break
        print(f"  {name}: finished before the kill at {fraction:.0%}; again, earlier", flush=True)
    after = _state(env)
    finished_anyway = restart_db and killed["state"] == "done"
    if after != before and not finished_anyway:
        problems.append(f"{name}: state changed by the killed run: {before} -> {after}")
    env.monev("worker", "--batch")
    restarted = _job(env, pk)
    verdict = {"done": "resumed", "failed": "marked failed"}.get(restarted["state"], "STUCK")
    if verdict == "STUCK":
        problems.append(f"{name}: job {pk} is '{restarted['state']}' after the worker restart")
    rerun = _run_job(env, enqueue)
    same = rerun["state"] == "done" and _stable(rerun["result"]) == _stable(control["result"])
    if not same and rerun["pk"] == pk:
        problems.append(
            f"{name}: the re-run was given the stuck job {pk} again (an enqueue that reuses a "
            "queued/running job), so the work cannot run again until that row is fixed by hand"
        )
    elif not same:
        problems.append(
            f"{name}: re-run {rerun['state']} {_stable(rerun['result'])} "
            f"!= control {_stable(control['result'])}"
        )
    print(
        f"  {name}: killed at state '{killed['state']}' (progress {killed['progress']}); "
        f"previous state {'intact' if after == before else 'CHANGED'}; after restart: {verdict}; "
        f"re-run {'same result' if same else 'DIFFERENT'}",
        flush=True,
    )
    return problems


def registry_scenario(env: Env, path: Path, fractions: list[float]) -> list[str]:
    """Kill `monev import registry` at several points of its run (startup, reading,
    hashing, writing, committing); each time the state must be the previous one or the
    whole new snapshot, and a re-run must give the control run's result."""
    problems: list[str] = []
    args = ("import", "registry", str(path), "--period", "2024-06", "--format", "json")
    keys = ("committed", "rows", "accepted", "rejected", "active", "by_segment", "error_counts")
    started = time.perf_counter()
    control = json.loads(env.monev(*args).stdout)
    seconds = time.perf_counter() - started
    for fraction in fractions:
        before = _state(env)
        process = env.start(*args)
        time.sleep(seconds * fraction)
        _kill(process)
        after = _state(env)
        # Intact: the previous state, or (the kill came after the commit) exactly one new
        # current snapshot replacing the previous one, nothing else touched.
        committed = {**before, "registry_current": after["registry_current"]} == after and len(
            after["registry_current"]
        ) == len(before["registry_current"])
        if after != before and not committed:
            problems.append(f"registry: state changed by the import killed at {fraction:.0%}")
        rerun = json.loads(env.monev(*args).stdout)
        same = all(control[k] == rerun[k] for k in keys)
        if not same:
            problems.append(f"registry: re-run after the kill at {fraction:.0%} differs")
        state = "intact" if after == before else "committed whole" if committed else "CHANGED"
        print(
            f"  registry import: killed at {fraction:.0%} of {seconds:.1f} s; state {state}; "
            f"re-run {'same result' if same else 'DIFFERENT'}",
            flush=True,
        )
    return problems


def _roster_file(home: Path, rows: int) -> Path:
    lines = ["nik,nama,kategori,jabatan,upah,sumber_dana,kode_desa"]
    for i in range(rows):
        nik = f"167101{(i % 28) + 1:02d}{(i % 12) + 1:02d}{80 + i % 19:02d}{(i % 9999) + 1:04d}"
        lines.append(f"{nik},Pekerja {i},PPU,Staf,3000000,APBD,")
    path = home / "faults-roster.csv"
    path.write_text("\n".join(lines) + "\n")
    return path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--postgres", help="server URL; a temp database is created on it")
    parser.add_argument("--roster-rows", type=int, default=200_000)
    parser.add_argument("--kill-at", type=float, default=0.5, help="fraction of the control run")
    parser.add_argument(
        "--restart-postgres",
        action="store_true",
        help="with --postgres: also restart the machine's PostgreSQL cluster under a running "
        "match (disturbs everything else using that cluster)",
    )
    args = parser.parse_args()

    tmp = tempfile.TemporaryDirectory(prefix="monev-faults-")
    home = Path(tmp.name)
    database_url = None
    dbname = f"monev_faults_{uuid.uuid4().hex[:8]}"
    if args.postgres:
        import psycopg

        with psycopg.connect(args.postgres, autocommit=True) as c:
            c.execute(f'CREATE DATABASE "{dbname}"')
        database_url = args.postgres.rsplit("/", 1)[0] + "/" + dbname
    env = Env(home, database_url)
    problems: list[str] = []
    scenarios = 3
    try:
        print(f"faults: {database_url or 'sqlite'} in {home}; preparing the demo …", flush=True)
        env.monev("demo", "--no-serve", "--scale", "0.2", "--periods", "2")
        roster = _roster_file(home, args.roster_rows)
        problems += worker_scenario(
            env, "roster validation job", ENQUEUE_ROSTER % {"path": str(roster)}, args.kill_at
        )
        problems += worker_scenario(env, "match job", ENQUEUE_MATCH, args.kill_at)
        registry = sorted((home / "demo" / "registry").glob("*2024-06*"))[0]
        problems += registry_scenario(env, registry, [0.3, 0.5, 0.7, 0.9, args.kill_at])
        if args.postgres and args.restart_postgres:
            scenarios += 1
            problems += worker_scenario(
                env, "match job, PostgreSQL restarted", ENQUEUE_MATCH, 0.3, restart_db=True
            )
    finally:
        if args.postgres:
            import psycopg

            with psycopg.connect(args.postgres, autocommit=True) as c:
                c.execute(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)')
        tmp.cleanup()
    for line in problems:
        print(f"  PROBLEM {line}")
    failed = len({p.split(":")[0] for p in problems})
    print(f"faults: {scenarios - failed}/{scenarios} scenarios survived")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
