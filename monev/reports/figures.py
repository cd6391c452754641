"""Charts for the PDF reports, drawn from the report's data dict (SVG, see charts.py)."""

from __future__ import annotations

from typing import Any

from monev.reports.charts import hbar_chart, pair_bar_chart


def _short(name: str) -> str:
    from monev.reports.templatetags.report_format import short_name

    return short_name(name)


def with_charts(data: dict[str, Any]) -> dict[str, Any]:
    """A copy of `data` with the SVG charts its template places."""
    charts: dict[str, Any] = {}
    if data["kind"] == "kanwil_pack":
        for province in data["provinces"]:
            rows = [(_short(r["name"]), r["coverage"]) for r in province["pemdas"]]
            charts[f"coverage_{province['code']}"] = hbar_chart(
                rows,
                title=f"Cakupan pekerja terdata — {province['name']}",
                width=480,
                label_width=150,
                bar_height=10,
            )
            money = [(_short(r["name"]), r["budget"], r["cost"] or 0) for r in province["pemdas"]]
            if not any(a or b for _n, a, b in money):
                continue
            charts[f"budget_{province['code']}"] = pair_bar_chart(
                money,
                title=f"Anggaran {data['fiscal_year']} dan biaya setahun — {province['name']}",
                first="Anggaran (APBD)",
                second="Biaya setahun",
                width=480,
                label_width=150,
            )
        wf = [(r["name"], r["coverage"]) for r in data["workforce"]["rows"]]
        charts["workforce"] = hbar_chart(wf, title="Cakupan angkatan kerja per provinsi")
    elif data["kind"] == "scorecard":
        own = data["pemda"]
        rows = [
            (label, own["cats"].get(cat, {}).get("coverage")) for cat, label in data["categories"]
        ]
        charts["categories"] = hbar_chart(rows, title="Cakupan per kelompok pekerja", width=520)
    elif data["kind"] == "semester":
        rows = [(k["name"].removeprefix("Kanwil "), k["coverage"]) for k in data["kanwils"]]
        charts["kanwil"] = hbar_chart(rows, title="Cakupan pekerja terdaftar per Kanwil")
    return data | {"charts": charts}
