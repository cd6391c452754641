"""Load: N concurrent users mixing dashboard reads, exports and roster uploads against
`monev serve` on loopback for a bounded time.

    .venv/bin/python bench/load.py                 # 50 users, 600 s (the check-security run)
    .venv/bin/python bench/load.py --seconds 60    # the short run
    .venv/bin/python bench/load.py --home DIR      # reuse a MONEV_HOME that has the demo data

Prepares a temp MONEV_HOME with `monev demo --no-serve` (SQLite, debug settings so the keys
are generated), starts `monev serve`, logs every virtual user in through the login form,
and runs `monev worker` (so uploads are validated), then loops: 60 % dashboard pages, 25 % CSV/XLSX exports, 15 % roster uploads (Pemda
operators only; others read instead). Prints p50/p95/p99 per kind, the errors (5xx,
transport errors and unexpected 4xx) and the server's RSS after warm-up and at the end.

The bound: zero errors, and RSS growth after the first minute (or a sixth of a short run)
at most --rss-bound-mb (default 300 MB; the demo's dashboards and exports hold Polars frames
per request, so the first requests grow the heap, later ones must not). Exit 1 otherwise.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
PASSWORD = "load-test-sandi-7Q"
CAST = {  # username -> the Pemda whose pages it reads
    "national": "16.71",
    "sumbagsel": "16.71",
    "palembang": "16.71",
    "lahat": "16.04",
    "auditor": "16.71",
}
UPLOADERS = {"palembang", "lahat"}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _rss_mb(pid: int) -> float:
    total = 0
    for child in [pid, *_children(pid)]:
        try:
            for line in Path(f"/proc/{child}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except FileNotFoundError:
            pass
    return total / 1024


def _children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except FileNotFoundError:
        return []
    return [int(p) for p in text.split()]


def _roster_csv(pemda: str, rows: int = 50) -> bytes:
    prefix = {"16.71": "167101", "16.04": "160401"}[pemda]
    lines = ["nik,nama,kategori,jabatan,upah,sumber_dana,kode_desa"]
    for i in range(rows):
        nik = f"{prefix}{(i % 28) + 1:02d}{(i % 12) + 1:02d}{80 + i % 19:02d}{(i % 9000) + 1:04d}"
        lines.append(f"{nik},Pekerja Uji {i},PPU,Staf,3000000,APBD,")
    return ("\n".join(lines) + "\n").encode()


class User:
    def __init__(self, base: str, username: str) -> None:
        self.base, self.username, self.pemda = base, username, CAST[username]
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def _csrf(self) -> str:
        return next((c.value for c in self.jar if c.name == "csrftoken"), "")

    def open(
        self, path: str, data: bytes | None = None, headers: dict[str, str] | None = None
    ) -> int:
        request = urllib.request.Request(self.base + path, data=data, headers=headers or {})
        try:
            with self.opener.open(request, timeout=120) as response:
                response.read()
                return int(response.status)
        except urllib.error.HTTPError as exc:
            exc.read()
            return int(exc.code)

    def login(self) -> None:
        self.open("/akun/masuk/")
        body = urllib.parse.urlencode(
            {"username": self.username, "password": PASSWORD, "csrfmiddlewaretoken": self._csrf()}
        ).encode()
        status = self.open("/akun/masuk/", body, {"Referer": self.base + "/akun/masuk/"})
        if status != 200 or not any(c.name == "sessionid" for c in self.jar):
            raise RuntimeError(f"login failed for {self.username}: {status}")

    def upload(self) -> int:
        self.open("/daftar-pekerja/unggah/")
        boundary = uuid.uuid4().hex
        fields = {"pemda": self.pemda, "period": "2024-06", "mode": "accept_valid"}
        fields["csrfmiddlewaretoken"] = self._csrf()
        parts = [
            f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
            for k, v in fields.items()
        ]
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
            f'filename="daftar.csv"\r\nContent-Type: text/csv\r\n\r\n'.encode()
            + _roster_csv(self.pemda)
            + b"\r\n"
        )
        body = b"".join(parts) + f"--{boundary}--\r\n".encode()
        headers = {
            "Content-Type": f"multipart/form-data; boundary={boundary}",
            "Referer": self.base + "/daftar-pekerja/unggah/",
        }
        return self.open("/daftar-pekerja/unggah/", body, headers)


def _reads(pemda: str) -> list[str]:
    return ["/cakupan/", f"/cakupan/pemda/{pemda}/", "/cakupan/kanwil/SUMBAGSEL/", "/dasbor/"]


def _exports(pemda: str) -> list[str]:
    return [
        f"/cakupan/pemda/{pemda}/celah/?format=csv",
        f"/cakupan/pemda/{pemda}/celah/?format=xlsx",
    ]


def run_user(
    user: User, deadline: float, results: dict[str, list[float]], errors: list[str]
) -> None:
    rng = random.Random(user.username + str(threading.get_ident()))
    while time.monotonic() < deadline:
        roll = rng.random()
        started = time.perf_counter()
        try:
            if roll < 0.15 and user.username in UPLOADERS:
                kind, status, path = "upload", user.upload(), "/daftar-pekerja/unggah/"
            elif roll < 0.40:
                path = rng.choice(_exports(user.pemda))
                kind, status = "export", user.open(path)
            else:
                path = rng.choice(_reads(user.pemda))
                kind, status = "read", user.open(path)
        except Exception as exc:  # transport errors count as errors
            errors.append(f"{user.username} {type(exc).__name__}: {exc}")
            continue
        results[kind].append(time.perf_counter() - started)
        if status >= 400:
            errors.append(f"{user.username} {kind} {path} -> {status}")


def prepare(home: Path) -> None:
    env = {**os.environ, "MONEV_HOME": str(home), "MONEV_DEBUG": "true"}
    env["MONEV_DEMO_PASSWORD"] = PASSWORD
    subprocess.run(
        [str(BIN / "monev"), "demo", "--no-serve", "--scale", "0.2", "--periods", "2"],
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _quantiles(values: list[float]) -> str:
    if len(values) < 2:
        return f"n={len(values)}"
    q = statistics.quantiles(values, n=100, method="inclusive")
    return f"n={len(values)} p50={q[49] * 1000:.0f}ms p95={q[94] * 1000:.0f}ms p99={q[98] * 1000:.0f}ms"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=600)
    parser.add_argument("--threads", type=int, default=8, help="server threads")
    parser.add_argument("--home", type=Path, help="MONEV_HOME with the demo data already loaded")
    parser.add_argument("--rss-bound-mb", type=float, default=300.0)
    args = parser.parse_args()

    tmp = None
    home = args.home
    if home is None:
        tmp = tempfile.TemporaryDirectory(prefix="monev-load-")
        home = Path(tmp.name)
        print(f"load: preparing the demo in {home} …", flush=True)
        prepare(home)
    port = _free_port()
    env = {**os.environ, "MONEV_HOME": str(home), "MONEV_DEBUG": "true"}
    server = subprocess.Popen(
        [str(BIN / "monev"), "serve", "--port", str(port), "--threads", str(args.threads)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    worker = subprocess.Popen(
        [str(BIN / "monev"), "worker"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(base + "/akun/masuk/", timeout=2).read()
                break
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.5)
        names = list(CAST)
        users = [User(base, names[i % len(names)]) for i in range(args.users)]
        for user in users:
            user.login()
        results: dict[str, list[float]] = defaultdict(list)
        errors: list[str] = []
        deadline = time.monotonic() + args.seconds
        threads = [
            threading.Thread(target=run_user, args=(u, deadline, results, errors), daemon=True)
            for u in users
        ]
        for t in threads:
            t.start()
        warm = min(60.0, args.seconds / 6)
        time.sleep(warm)
        rss_warm = _rss_mb(server.pid)
        for t in threads:
            t.join()
        rss_end = _rss_mb(server.pid)
    finally:
        for process in (server, worker):
            process.terminate()
            process.wait(timeout=30)
        if tmp is not None:
            tmp.cleanup()

    total = sum(len(v) for v in results.values())
    every = [x for v in results.values() for x in v]
    print(f"load: {args.users} users, {args.seconds} s, {args.threads} server threads, loopback")
    print(f"  all     {_quantiles(every)}  ({total / args.seconds:.1f} req/s)")
    for kind in ("read", "export", "upload"):
        print(f"  {kind:<7} {_quantiles(results[kind])}")
    print(f"  errors  {len(errors)}")
    for line in sorted(set(errors))[:20]:
        print(f"    {line}")
    growth = rss_end - rss_warm
    print(
        f"  server RSS after warm-up {rss_warm:.0f} MB, at end {rss_end:.0f} MB, "
        f"growth {growth:+.0f} MB (bound {args.rss_bound_mb:.0f} MB)"
    )
    ok = not errors and growth <= args.rss_bound_mb
    print("load: OK" if ok else "load: FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
