"""Dashboard benchmark: every dashboard level under concurrent clients on loopback.

    .venv/bin/python bench/dashboard.py                        # 50 clients, 60 s, SQLite
    .venv/bin/python bench/dashboard.py --clients 20 --seconds 10
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/monev_bench_dash .venv/bin/python bench/dashboard.py

Builds the national data set in a fresh MONEV_HOME (552 Pemda × 24 monthly periods of
coverage aggregates, roster versions, budgets, regulations and workforce figures, through
`monev.indicators.sample`; the full `monev demo --all` path would need tens of millions of
NIK rows for the same aggregates), starts `monev serve` (Granian, one worker process per core) in its own process,
logs in the cast (national, Kanwil Sumbagsel, Pemda Lahat), and then N client threads
with keep-alive connections request, round robin, the national, Kanwil, province and
Pemda dashboards (with a period chosen among the 24 at random) for the given time.

Prints, per level and overall: requests, errors, p50/p95/p99 in ms, and the floor of the
same run: a static file served by the same server under the same load (what the server and
the client threads cost without any page work). Goal: p95 < 150 ms, zero errors.
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGES = {
    "nasional": ("national", "/dasbor/"),
    "kanwil": ("sumbagsel", "/dasbor/kanwil/SUMBAGSEL/"),
    "provinsi": ("sumbagsel", "/dasbor/provinsi/16/"),
    "pemda": ("lahat", "/dasbor/pemda/16.04/"),
}
FLOOR = "/static/monev/monev.css"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def prepare(env: dict[str, str], periods: int) -> dict[str, str]:
    """Initialise the database, generate the data and return a session cookie per user."""
    code = f"""
import django, json
django.setup()
from django.core.management import call_command
call_command("init", verbosity=0)
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from monev.accounts.models import User
from monev.accounts.services import user_create
from monev.coverage.models import CoverageStat
from monev.indicators.sample import sample_generate
cast = {{"national": {{"role": "national"}}, "sumbagsel": {{"role": "kanwil", "kanwil": "SUMBAGSEL"}},
        "lahat": {{"role": "pemda", "pemda": "16.04"}}}}
for name, spec in cast.items():
    if not User.objects.filter(username=name).exists():
        user_create(username=name, password="bench-password-panjang-1", **spec)
if not CoverageStat.objects.exists():
    print(json.dumps({{"generated": sample_generate(last="2024-06", count={periods})}}))
cookies = {{}}
for user in User.objects.filter(username__in=cast):
    s = SessionStore()
    s[SESSION_KEY] = str(user.pk)
    s[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    s[HASH_SESSION_KEY] = user.get_session_auth_hash()
    s.create()
    cookies[user.username] = s.session_key
print(json.dumps(cookies))
"""
    started = time.perf_counter()
    out = (
        subprocess.run(
            [sys.executable, "-c", code],
            env=env,
            cwd=ROOT,
            check=True,
            capture_output=True,
            text=True,
        )
        .stdout.strip()
        .splitlines()
    )
    print(f"data ready in {time.perf_counter() - started:.1f} s {out[0] if len(out) > 1 else ''}")
    import json

    return dict(json.loads(out[-1]))


def client(
    port: int,
    cookies: dict[str, str],
    periods: list[str],
    deadline: float,
    targets: list[tuple[str, str, str]],
    results: list[tuple[str, float, bool]],
    seed: int,
    think: float = 0.0,
) -> None:
    rng = random.Random(seed)
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    i = seed
    while time.perf_counter() < deadline:
        level, user, path = targets[i % len(targets)]
        i += 1
        url = path if level == "floor" else f"{path}?periode={rng.choice(periods)}"
        headers = {"Cookie": f"sessionid={cookies[user]}"} if user else {}
        started = time.perf_counter()
        ok = False
        try:
            conn.request("GET", url, headers=headers)
            response = conn.getresponse()
            body = response.read()
            ok = response.status == 200 and (level == "floor" or b'id="tabel-peringkat"' in body)
        except (OSError, http.client.HTTPException):
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        results.append((level, (time.perf_counter() - started) * 1000, ok))
        if think:
            time.sleep(rng.expovariate(1 / think))
    conn.close()


def load(
    port: int,
    cookies: dict[str, str],
    periods: list[str],
    clients: int,
    seconds: float,
    targets: list[tuple[str, str, str]],
    think: float = 0.0,
) -> list[tuple[str, float, bool]]:
    results: list[tuple[str, float, bool]] = []
    deadline = time.perf_counter() + seconds
    threads = [
        threading.Thread(
            target=client,
            args=(port, cookies, periods, deadline, targets, results, n, think),
        )
        for n in range(clients)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def report(title: str, results: list[tuple[str, float, bool]], seconds: float) -> float:
    print(f"\n{title}")
    print(
        f"{'level':<10}{'requests':>10}{'errors':>8}{'req/s':>8}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}"
    )
    levels = [*sorted({r[0] for r in results}), "all"]
    p95_all = 0.0
    for level in levels:
        rows = [r for r in results if level in ("all", r[0])]
        times = sorted(r[1] for r in rows)
        if len(times) < 2:
            continue
        q = statistics.quantiles(times, n=100)
        errors = sum(1 for r in rows if not r[2])
        print(
            f"{level:<10}{len(rows):>10}{errors:>8}{len(rows) / seconds:>8.0f}"
            f"{q[49]:>9.1f}{q[94]:>9.1f}{q[98]:>9.1f}"
        )
        if level == "all":
            p95_all = q[94]
    return p95_all


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--periods", type=int, default=24)
    parser.add_argument("--threads", type=int, default=4, help="server threads per worker")
    parser.add_argument("--workers", type=int, help="server worker processes (default: cores)")
    parser.add_argument(
        "--think",
        type=float,
        default=0.0,
        help="mean pause (s) between a client's requests; 0 = back to back (closed loop)",
    )
    parser.add_argument("--home", help="MONEV_HOME to reuse (default: a fresh temporary one)")
    args = parser.parse_args()
    home = Path(args.home) if args.home else Path(tempfile.mkdtemp(prefix="monev-bench-dash-"))
    env = {
        **os.environ,
        "MONEV_HOME": str(home),
        "MONEV_DEBUG": "false",
        "DJANGO_SETTINGS_MODULE": "monev.settings",
        "MONEV_SECURE": "false",
        "MONEV_LOG_LEVEL": "WARNING",
    }
    for name in ("MONEV_SECRET_KEY", "MONEV_NIK_KEY", "MONEV_ENCRYPTION_KEY"):
        env.setdefault(name, f"bench-{name.lower()}-{os.getpid()}-0123456789abcdef")
    print(f"MONEV_HOME={home} database={env.get('DATABASE_URL', 'sqlite')}")
    cookies = prepare(env, args.periods)
    periods = [
        f"{y}-{m:02d}"
        for y in range(2020, 2025)
        for m in range(1, 13)
        if f"{y}-{m:02d}" <= "2024-06"
    ][-args.periods :]
    port = free_port()
    log = (home / "bench-server.log").open("wb")  # a pipe nobody reads would fill and block it
    command = [sys.executable, "-m", "monev", "serve", "--port", str(port)]
    server = subprocess.Popen(
        [*command, "--threads", str(args.threads)]
        + (["--workers", str(args.workers)] if args.workers else []),
        env=env,
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        targets = [(level, user, path) for level, (user, path) in PAGES.items()]
        started = time.perf_counter()
        warm = load(port, cookies, periods, 1, 0.01, targets)  # first hits compute the tables
        for level, (user, path) in PAGES.items():
            for period in periods:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                conn.request(
                    "GET",
                    f"{path}?periode={period}",
                    headers={"Cookie": f"sessionid={cookies[user]}"},
                )
                status = conn.getresponse().status
                conn.close()
                warm.append((level, 0.0, status == 200))
        print(
            f"warm-up (every level × period once): {time.perf_counter() - started:.1f} s, "
            f"errors {sum(1 for w in warm if not w[2])}"
        )
        floor = load(
            port, cookies, periods, args.clients, min(args.seconds, 10), [("floor", "", FLOOR)]
        )
        report(f"floor: static file, {args.clients} clients", floor, min(args.seconds, 10))
        single = load(port, cookies, periods, 1, min(args.seconds, 5), targets)
        report("dashboards: 1 client (service time, no queueing)", single, min(args.seconds, 5))
        results = load(port, cookies, periods, args.clients, args.seconds, targets, args.think)
        title = f"dashboards: {args.clients} clients × {args.seconds:.0f} s, think {args.think} s"
        p95 = report(title, results, args.seconds)
        rate = len(results) / args.seconds
        if not args.think and rate:
            print(
                f"closed loop: {args.clients} clients / {rate:.0f} req/s ⇒ a request waits about "
                f"{args.clients / rate * 1000:.0f} ms in the queue (Little's law); "
                "see --think for users who read the page between clicks"
            )
        errors = sum(1 for r in results if not r[2])
        verdict = "OK" if p95 < 150 and errors == 0 else "ABOVE GOAL"
        print(f"\ngoal p95 < 150 ms and zero errors: p95 {p95:.1f} ms, errors {errors} → {verdict}")
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
