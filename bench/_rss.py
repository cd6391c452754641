"""Peak memory of the calling benchmark process."""

from __future__ import annotations

import resource
from pathlib import Path


def peak_rss_gb() -> float:
    """This process's own high-water mark (VmHWM). `ru_maxrss` would include the parent's:
    Linux carries it across fork and exec, and a benchmark's parent may have generated the
    data in memory (a 5 GB parent made every child of bench/match.py report 5.1 GB)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024 / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 / 1024
