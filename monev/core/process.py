"""Child processes that stop when they should: with their parent, and on one signal.

`monev serve` runs the HTTP server (Granian's main process and its workers) as a child in
a session of its own and forwards SIGINT and SIGTERM to that child's main process only.
Granian stops its workers itself; a terminal's Ctrl+C sent to every worker at once made
Granian restart the first worker that quit, then wait 15 s for the new one to stop.
"""

from __future__ import annotations

import ctypes
import os
import signal
import subprocess
import sys
from types import FrameType

PR_SET_PDEATHSIG = 1


def stop_with_parent(parent: int) -> None:
    """Ask Linux for SIGTERM when `parent` dies, and exit now if it already has."""
    if sys.platform == "linux":
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, int(signal.SIGTERM))
    if os.getppid() != parent:
        raise SystemExit(0)


def supervise(argv: list[str]) -> int:
    """Run `argv` in its own session until it exits; SIGINT or SIGTERM to this process
    becomes one SIGTERM to the child. Returns the child's exit code."""
    child = subprocess.Popen(argv, start_new_session=True)  # noqa: S603 - our own argv

    def forward(signum: int, frame: FrameType | None) -> None:
        if child.poll() is None:
            child.send_signal(signal.SIGTERM)

    previous = {sig: signal.signal(sig, forward) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        return child.wait()
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        if child.poll() is None:
            child.kill()
            child.wait()
