"""The HTTP server process `monev serve` supervises: Granian's main process, which spawns
the WSGI workers (`python -m monev.core.httpserver HOST PORT WORKERS THREADS PARENT_PID`).

Workers start as fresh interpreters, not forks: a fork would inherit an open SQLite
connection (unsafe across processes) and Polars' threads (a forked copy can hang on a lock
one of them held). One that dies is started again; one that does not stop within 15 s of
SIGTERM is killed.
"""

from __future__ import annotations

import multiprocessing
import sys

from monev.core.process import stop_with_parent


def run(*, host: str, port: int, workers: int, threads: int) -> None:
    from granian import Granian
    from granian.constants import Interfaces
    from granian.log import LogLevels

    multiprocessing.set_start_method("spawn", force=True)
    Granian(
        "monev.wsgi:application",
        address=host,
        port=port,
        interface=Interfaces.WSGI,
        workers=workers,
        blocking_threads=threads,
        respawn_failed_workers=True,
        workers_kill_timeout=15,
        log_level=LogLevels.warning,
    ).serve()


if __name__ == "__main__":
    host, port, workers, threads, parent = sys.argv[1:6]
    stop_with_parent(int(parent))
    run(host=host, port=int(port), workers=int(workers), threads=int(threads))
