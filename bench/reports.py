"""Benchmark: the Kanwil Sumbagsel meeting pack (65 Pemda) from the demo data, PDF and XLSX.

Prints, per format, the time to select the data and to render the file, and the peak
memory of the process, against a floor measured in the same run: WeasyPrint laying out a
bare HTML table of the same Pemda rows (PDF), and XlsxWriter writing the same cells
without formats (XLSX). Goal (issue 7): under 5 s each.

    .venv/bin/python bench/reports.py                 # fresh demo data in a temp MONEV_HOME
    .venv/bin/python bench/reports.py --home DIR      # reuse a MONEV_HOME with `monev demo`
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOAL_S = 5.0

CHILD = r"""
import json, resource, sys, time
import django
django.setup()
from monev.core.scope import SYSTEM
from monev.reports.build import ReportRequest, report_data, render
import weasyprint, xlsxwriter  # noqa: F401 (import cost is not the report's)

mode, fmt, period, repeat = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
req = ReportRequest("kanwil-pack", fmt, {"kanwil": "SUMBAGSEL", "period": period},
                    kanwil_code="SUMBAGSEL")
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
runs = []
for _ in range(repeat):
    t0 = time.perf_counter()
    data = report_data(SYSTEM, req)
    t1 = time.perf_counter()
    if mode == "report":
        out = render(req, data)
    elif fmt == "pdf":
        rows = "".join(
            "<tr>" + "".join(f"<td>{r[k]}</td>" for k in
            ("code", "name", "headcount", "protected", "coverage", "budget", "cost",
             "regulations", "rank", "budget_status")) + "</tr>"
            for r in data["pemdas"])
        out = weasyprint.HTML(string=f"<table>{rows}</table>").write_pdf()
    else:
        import io
        buf = io.BytesIO()
        book = xlsxwriter.Workbook(buf, {"in_memory": True})
        ws = book.add_worksheet()
        for i, r in enumerate(data["pemdas"]):
            for j, v in enumerate(r.values()):
                if isinstance(v, (int, float, str)) or v is None:
                    ws.write(i, j, v)
        book.close()
        out = buf.getvalue()
    t2 = time.perf_counter()
    runs.append({"data_s": t1 - t0, "render_s": t2 - t1, "bytes": len(out)})
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"runs": runs, "peak_mb": peak / 1024, "growth_mb": (peak - base) / 1024,
                  "pemda": len(data["pemdas"])}))
"""


def child(env: dict[str, str], mode: str, fmt: str, period: str, repeat: int) -> dict:
    out = subprocess.run(
        [sys.executable, "-c", CHILD, mode, fmt, period, str(repeat)],
        env=env, cwd=ROOT, check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip
    return dict(json.loads(out.strip().splitlines()[-1]))


def prepare(env: dict[str, str], periods: int) -> None:
    started = time.perf_counter()
    subprocess.run(
        [str(ROOT / ".venv/bin/monev"), "demo", "--no-serve", "--periods", str(periods)],
        env=env, cwd=ROOT, check=True, capture_output=True, text=True,
    )  # fmt: skip
    print(f"demo data ready in {time.perf_counter() - started:.0f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--home", help="MONEV_HOME with demo data (default: fresh temporary)")
    parser.add_argument("--period", default="2024-06")
    parser.add_argument("--periods", type=int, default=3)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    home = Path(args.home) if args.home else Path(tempfile.mkdtemp(prefix="monev-bench-rep-"))
    env = {
        **os.environ,
        "MONEV_HOME": str(home),
        "MONEV_DEBUG": "true",
        "DJANGO_SETTINGS_MODULE": "monev.settings",
        "MONEV_LOG_LEVEL": "WARNING",
        "PYTHONWARNINGS": "ignore",
    }
    print(f"MONEV_HOME={home} database={env.get('DATABASE_URL', 'sqlite')}")
    if not (home / "demo").exists():
        prepare(env, args.periods)
    print("cold = first run in a fresh process (indicator engine computed), warm = best run")
    print(f"\n{'format':<7}{'what':<13}{'data s':>8}{'render s':>10}{'total s':>9}"
          f"{'peak MB':>9}{'+MB':>7}{'bytes':>10}")  # fmt: skip
    verdicts = []
    for fmt in ("pdf", "xlsx"):
        results = {
            mode: child(env, mode, fmt, args.period, args.repeat) for mode in ("floor", "report")
        }
        for mode, r in results.items():
            best = min(r["runs"], key=lambda x: x["data_s"] + x["render_s"])
            for label, run in (("cold", r["runs"][0]), ("warm", best)):
                total = run["data_s"] + run["render_s"]
                print(f"{fmt:<7}{mode + ' ' + label:<13}{run['data_s']:>8.2f}"
                      f"{run['render_s']:>10.2f}{total:>9.2f}{r['peak_mb']:>9.0f}"
                      f"{r['growth_mb']:>7.0f}{run['bytes']:>10,}")  # fmt: skip
            if mode == "report":
                cold = r["runs"][0]
                verdicts.append((fmt, cold["data_s"] + cold["render_s"], r["pemda"]))
        floor = min(x["render_s"] for x in results["floor"]["runs"])
        report = min(x["render_s"] for x in results["report"]["runs"])
        print(f"{fmt:<7}render / floor render = {report / max(floor, 1e-6):.1f}x")
    print()
    for fmt, total, pemda in verdicts:
        status = "OK" if total < GOAL_S else "OVER"
        print(f"{fmt}: {pemda} Pemda in {total:.2f} s cold (goal < {GOAL_S:.0f} s) {status}")
    print(f"load average during the run: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
