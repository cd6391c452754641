"""One truth (issue 18): every surface shows the same number as the facts layer.

Over a small demo (the generator, the ordinary imports and the match; 3 monthly periods,
every demo Pemda, budgets and regulations) this compares, for every Pemda × period ×
category, each machine-readable surface with the indicators engine's table — the one
facts layer: coverage rollups, the coverage API and `monev coverage`, the gap list, the
budget summary and its API, the indicator API, the Kanwil pack XLSX, the scorecard, the
semester report, meeting findings, letters and open data — then a sample of rendered pages
and PDF text. Every difference is collected and reported at once.
"""

from __future__ import annotations

import contextlib
import io
import json
import re
from collections import defaultdict
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.core.management import call_command

from monev.console.demo.facts import demo_facts_load
from monev.console.demo.files import demo_generate, demo_load, demo_pemda
from monev.core import formatting
from monev.core.scope import SYSTEM
from monev.regions.models import Pemda
from tests.conftest import bearer
from tests.pdf import pdf_text

pytestmark = pytest.mark.django_db
PERIODS = ["2024-04", "2024-05", "2024-06"]
LAST = PERIODS[-1]


@pytest.fixture
def demo(rates: None, tmp_path: Path) -> dict[str, Any]:
    files = demo_generate(out_dir=tmp_path / "demo", periods=PERIODS, scale=0.02, background=0.2)
    demo_load(files, say=lambda _line: None)
    reporting = [p for p in demo_pemda() if p.code not in files.missing]
    demo_facts_load(pemdas=reporting, fiscal_year=2024)
    return {"missing": files.missing, "late": files.late}


class Diff:
    def __init__(self) -> None:
        self.lines: list[str] = []

    def eq(self, where: str, got: Any, want: Any) -> None:
        if got != want:
            self.lines.append(f"{where}: {got!r} != {want!r}")

    def check(self) -> None:
        assert not self.lines, f"{len(self.lines)} differences:\n" + "\n".join(self.lines[:60])


def engine_rows(period: str) -> Any:
    from monev.indicators import selectors

    return selectors.table(period).rows


def test_every_surface_agrees_with_the_facts_layer(
    demo: dict[str, Any], client_for: Any, token_for: Any, tmp_path: Path
) -> None:
    diff = Diff()
    codes = sorted(Pemda.objects.filter(kanwil__code="SUMBAGSEL").values_list("code", flat=True))
    for period in PERIODS:
        rows = engine_rows(period)
        _coverage_surfaces(diff, rows, codes, period, client_for, token_for)
        _indicator_api(diff, rows, codes, period, client_for, token_for)
    rows = engine_rows(LAST)
    _absent(diff, rows, demo["missing"])
    _budget_surfaces(diff, rows, codes, client_for, token_for)
    _kanwil_pack(diff, rows, codes)
    _scorecard_and_semester(diff, rows, codes)
    _findings_meeting_letter(diff, codes)
    _open_data(diff, rows, client_for)
    _workforce(diff, rows)
    _rendered(diff, rows, client_for, tmp_path)
    diff.check()


def _counts(rows: Any, code: str) -> dict[str, tuple[int, int]]:
    return dict(rows[code].detail["counts"]) if code in rows else {}


def _coverage_surfaces(
    diff: Diff, rows: Any, codes: list[str], period: str, client_for: Any, token_for: Any
) -> None:
    from monev.coverage import selectors as coverage
    from monev.coverage.selectors import GapFilters

    api = client_for("national").get(
        f"/api/v1/coverage?level=pemda&period={period}", **bearer(token_for("national"))
    )
    by_api = {r["code"]: (r["headcount"], r["protected"]) for r in api.json()}
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        call_command("coverage", period=period, level="pemda", format="json", stdout=out)
    by_cli = {r["code"]: (r["headcount"], r["protected"]) for r in json.loads(out.getvalue())}
    for code in codes:
        counts = _counts(rows, code)
        total = (sum(h for h, _p in counts.values()), sum(p for _h, p in counts.values()))
        want = total if counts else None
        diff.eq(f"{period} {code} API /coverage", by_api.get(code), want)
        diff.eq(f"{period} {code} monev coverage", by_cli.get(code), want)
        for stat in coverage.coverage_by_category(user=SYSTEM, pemda_code=code, period=period):
            diff.eq(
                f"{period} {code} {stat.category} coverage page",
                (stat.headcount, stat.protected),
                counts.get(stat.category),
            )
        if period == LAST and counts:
            gap = coverage.gap_list(
                user=SYSTEM, pemda_code=code, period=period, filters=GapFilters()
            )
            per_category: dict[str, int] = defaultdict(int)
            for row in gap:
                per_category[row["category"]] += 1
            for category, (headcount, protected) in counts.items():
                diff.eq(
                    f"{period} {code} {category} gap list",
                    per_category.get(category, 0),
                    headcount - protected,
                )


def _indicator_api(
    diff: Diff, rows: Any, codes: list[str], period: str, client_for: Any, token_for: Any
) -> None:
    auth = bearer(token_for("national"))
    client = client_for("national")
    for code in [*codes[:: max(1, len(codes) // 12)], "16.71"]:
        got = client.get(
            f"/api/v1/indicators/values?level=pemda&code={code}&period={period}", **auth
        ).json()
        values = {f["indicator"]: f["value"] for f in got["figures"]}
        for spec_code, cell in rows[code].cells.items():
            want = None if cell is None else cell.value
            diff.eq(f"{period} {code} {spec_code} API values", values.get(spec_code), want)
        diff.eq(f"{period} {code} API score", got["score"], rows[code].score)


def _absent(diff: Diff, rows: Any, missing: list[str]) -> None:
    for code in missing:
        row = rows[code]
        diff.eq(f"{code} (sent nothing) score", row.score, None)
        diff.eq(f"{code} (sent nothing) ranks", row.ranks, {})
        diff.eq(f"{code} (sent nothing) values", {v for v in row.cells.values()}, {None})


def _budget_surfaces(
    diff: Diff, rows: Any, codes: list[str], client_for: Any, token_for: Any
) -> None:
    from monev.budgets.selectors import budget_summary

    auth = bearer(token_for("national"))
    for code in codes:
        if not _counts(rows, code):
            continue
        detail = rows[code].detail
        summary = budget_summary(user=SYSTEM, pemda_code=code, fiscal_year=2024)
        diff.eq(f"{code} budget page period", summary.period, LAST)
        diff.eq(
            f"{code} budget page cost", summary.gap.monthly_cost * 12, sum(detail["cost"].values())
        )
        unprotected = sum(h - p for h, p in detail["counts"].values())
        diff.eq(f"{code} budget page workers", summary.gap.workers, unprotected)
        diff.eq(
            f"{code} budget page budget",
            summary.comparison[0].budget,
            sum(detail["budget"].values()),
        )
        api = client_for("national").get(f"/api/v1/budgets/{code}/2024", **auth).json()
        diff.eq(f"{code} budget API cost", api["gap"]["yearly_cost"], summary.gap.monthly_cost * 12)
        diff.eq(f"{code} budget API match", api["gap"]["match_period"], LAST)


def _kanwil_pack(diff: Diff, rows: Any, codes: list[str]) -> None:
    from monev.reports.build import build, report_params

    request = report_params("kanwil-pack", "xlsx", {"kanwil": "SUMBAGSEL", "period": LAST})
    data, _meta = build(SYSTEM, request)
    book = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    seen = 0
    for sheet in book.worksheets:
        header: list[Any] | None = None
        for line in sheet.iter_rows(values_only=True):
            if line and line[0] == "Kode":
                header = list(line) if "Pekerja terdata" in line else None
                continue
            if header is None or not line or line[0] not in rows:
                continue
            record = dict(zip(header, line, strict=False))
            code = str(line[0])
            counts = _counts(rows, code)
            seen += 1
            diff.eq(f"pack {code} headcount", record.get("Pekerja terdata") or 0,
                    sum(h for h, _p in counts.values()))  # fmt: skip
            diff.eq(f"pack {code} protected", record.get("Terlindungi") or 0,
                    sum(p for _h, p in counts.values()))  # fmt: skip
            cost = rows[code].detail["gap"]
            diff.eq(f"pack {code} cost", record.get("Biaya setahun menutup kesenjangan (Rp)"),
                    None if cost is None else cost.monthly_cost * 12)  # fmt: skip
            diff.eq(f"pack {code} budget", record.get("Anggaran (Rp)") or 0,
                    sum(rows[code].detail["budget"].values()))  # fmt: skip
            score = rows[code].score
            diff.eq(f"pack {code} score", record.get("Skor"),
                    None if score is None else round(score, 1))  # fmt: skip
    diff.eq("pack Pemda rows", seen >= len([c for c in codes if _counts(rows, c)]), True)


def _scorecard_and_semester(diff: Diff, rows: Any, codes: list[str]) -> None:
    from monev.reports.selectors import scorecard_data, semester_data

    for code in ("16.71", "16.04"):
        own = scorecard_data(user=SYSTEM, pemda=code, period=LAST)["pemda"]
        counts = _counts(rows, code)
        diff.eq(f"scorecard {code} workers", (own["headcount"], own["protected"]),
                (sum(h for h, _p in counts.values()), sum(p for _h, p in counts.values())))  # fmt: skip
        row = rows[code]
        diff.eq(f"scorecard {code} score", own["score"],
                None if row.score is None else round(row.score, 1))  # fmt: skip
        rank = row.ranks.get("kanwil", (None, None))
        diff.eq(f"scorecard {code} rank", (own["rank"], own["rank_of"]), rank)
    semester = semester_data(user=SYSTEM, semester="2024-H1")
    all_counts = [v for c in codes for v in _counts(rows, c).values()]
    diff.eq("semester headcount", semester["totals"]["headcount"], sum(h for h, _p in all_counts))
    diff.eq("semester protected", semester["totals"]["protected"], sum(p for _h, p in all_counts))


def _findings_meeting_letter(diff: Diff, codes: list[str]) -> None:
    from monev.indicators import selectors
    from monev.meetings import services
    from monev.meetings.letters import letter_issue
    from monev.meetings.sources import findings_for

    place = selectors.place_get(user=SYSTEM, level="kanwil", code="SUMBAGSEL")
    before = selectors.table(PERIODS[-2])  # meetings compare with the previous period too
    found = selectors.findings(user=SYSTEM, place=place, t=selectors.table(LAST), before=before)
    want = sorted({(f.pemda_code, f.text) for f in found if f.pemda_code == "16.71"})
    got = sorted(
        {(f["pemda_code"], f["text"]) for f in findings_for(pemda_codes=["16.71"], period=LAST)}
    )
    diff.eq("meeting findings 16.71", got, want)
    import datetime as dt

    meeting = services.meeting_create(
        title="Rapat monev uji", starts_on=dt.date(2024, 7, 15), ends_on=dt.date(2024, 7, 16),
        place="Palembang", period=LAST, pemda_codes=["16.71"], agencies=["BPJS"], by=SYSTEM,
    )  # fmt: skip
    letter = letter_issue(meeting=meeting, pemda=Pemda.objects.get(code="16.71"), by=SYSTEM)
    in_letter = sorted(f["text"] for f in letter.content["findings"])
    diff.eq("letter findings 16.71", in_letter, sorted(text for _c, text in want))


def _open_data(diff: Diff, rows: Any, client_for: Any) -> None:
    got = client_for("national").get(f"/api/v1/open/coverage?level=provinsi&period={LAST}").json()
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for row in rows.values():
        for headcount, protected in row.detail["counts"].values():
            totals[row.meta.province_code][0] += headcount
            totals[row.meta.province_code][1] += protected
    for item in got:
        if item["kelompok"] != "TOTAL" or item["disembunyikan"]:
            continue
        diff.eq(f"open data {item['kode']}", [item["jumlah_pekerja"], item["terlindungi"]],
                totals[item["kode"]])  # fmt: skip


def _workforce(diff: Diff, rows: Any) -> None:
    """The workforce page and the dashboards' workforce indicator: one figure per province."""
    from decimal import ROUND_HALF_UP, Decimal

    from monev.workforce.selectors import latest_period, workforce_coverage

    period = latest_period()
    diff.eq("workforce period", period, "2023-08")
    _spec, page = workforce_coverage(user=SYSTEM, period=str(period), level="province")
    for row in page:
        if row.region_code not in rows or row.coverage_percent is None:
            continue
        cell = rows[row.region_code].cells.get("cakupan-angkatan-kerja")
        exact = (
            None if cell is None or not cell.den else Decimal(cell.num) * 100 / Decimal(cell.den)
        )
        want = None if exact is None else exact.quantize(Decimal("0.01"), ROUND_HALF_UP)
        diff.eq(f"workforce {row.region_code}", Decimal(row.coverage_percent), want)


def _rendered(diff: Diff, rows: Any, client_for: Any, tmp_path: Path) -> None:
    from monev.reports.build import build, report_params

    counts = _counts(rows, "16.71")
    headcount = sum(h for h, _p in counts.values())
    protected = sum(p for _h, p in counts.values())
    share = formatting.percent(protected * 100 / headcount)
    pages = {
        "dashboard": client_for("palembang").get(f"/dasbor/pemda/16.71/?periode={LAST}"),
        "coverage": client_for("palembang").get(f"/cakupan/pemda/16.71/?period={LAST}"),
    }
    for name, response in pages.items():
        text = " ".join(response.content.decode().split())
        diff.eq(f"{name} page shows {share}", share in text, True)
        diff.eq(f"{name} page shows {formatting.number(headcount)}",
                formatting.number(headcount) in text, True)  # fmt: skip
    coverage = " ".join(pages["coverage"].content.decode().split())
    diff.eq("coverage page names each category's list", "April 2024 (versi 1)" in coverage, True)
    budget = client_for("palembang").get("/anggaran/pemda/16.71/2024/").content.decode()
    cost = rows["16.71"].detail["gap"].monthly_cost
    diff.eq("budget page monthly cost", formatting.rupiah(cost) in budget, True)
    request = report_params("scorecard", "pdf", {"pemda": "16.71", "period": LAST})
    data, _meta = build(SYSTEM, request)
    text = pdf_text(data, tmp_path)
    diff.eq(f"scorecard PDF shows {share}", share in text, True)
    diff.eq("scorecard PDF shows headcount", formatting.number(headcount) in text, True)


INTERNAL = re.compile(
    r"\b(NOT_FOUND|OTHER_ROSTER|NON_ASN|RT_RW|PERANGKAT_DESA|RENTAN|APBD_KABKOTA|APBD_PROV"
    r"|APBD_MURNI|APBD_PERUBAHAN|APBDES_ADD|DANA_DESA|PROTECTED|PARTIAL|LAPSED|in_progress"
    r"|NEWLY_PROTECTED|NEWLY_LAPSED|not_budgeted|no_roster|no_gap|kabkota_sum)\b"
    r"|domain\.md|\[S\d|docs/|\w+\.md\b|§|\d\.\d+ ?%"
)
PAGES = {
    "national": [
        "/dasbor/", "/dasbor/kanwil/SUMBAGSEL/", "/dasbor/provinsi/16/", "/dasbor/pemda/16.71/",
        "/dasbor/definisi/", "/cakupan/", "/cakupan/kanwil/SUMBAGSEL/", "/cakupan/pemda/16.71/",
        "/anggaran/", "/anggaran/pemda/16.71/2024/", "/anggaran/tarif/", "/anggaran/regulasi/",
        "/anggaran/iuran/?segment=PU&wage=6000000&risk=very_low&date=2023-06-01&programs=JKK%2CJKM%2CJKP",
        "/angkatan-kerja/", "/daftar-pekerja/", "/rapat/", "/rapat/tindak-lanjut/",
        "/laporan/", "/data-terbuka/",
    ],
    "palembang": [
        "/dasbor/pemda/16.71/", "/cakupan/pemda/16.71/", "/cakupan/pemda/16.71/celah/",
        "/anggaran/pemda/16.71/2024/", "/daftar-pekerja/",
    ],
}  # fmt: skip


def visible(html: str) -> str:
    html = re.sub(r"(?s)<(script|style)\b.*?</\1>", " ", html)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_no_internal_codes_or_developer_references_on_any_page_or_report(
    demo: dict[str, Any], client_for: Any, tmp_path: Path
) -> None:
    from monev.reports.build import build, report_params

    found: list[str] = []
    for user, urls in PAGES.items():
        client = client_for(user)
        for url in urls:
            response = client.get(url, follow=True)
            text = visible(response.content.decode())
            found += [f"{user} {url}: {m.group(0)!r} in …{text[max(m.start() - 40, 0) : m.end() + 40]}…"
                      for m in INTERNAL.finditer(text)]  # fmt: skip
    reports = [
        ("kanwil-pack", {"kanwil": "SUMBAGSEL", "period": LAST}),
        ("scorecard", {"pemda": "16.71", "period": LAST}),
        ("semester", {"semester": "2024-H1"}),
    ]
    for kind, params in reports:
        pdf, _meta = build(SYSTEM, report_params(kind, "pdf", params))
        text = pdf_text(pdf, tmp_path)
        found += [f"{kind} PDF: {m.group(0)!r}" for m in INTERNAL.finditer(text)]
        xlsx, _meta = build(SYSTEM, report_params(kind, "xlsx", params))
        book = openpyxl.load_workbook(io.BytesIO(xlsx), data_only=True)
        cells = " ".join(
            str(v) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True)
            for v in row if isinstance(v, str)
        )  # fmt: skip
        found += [f"{kind} XLSX: {m.group(0)!r}" for m in INTERNAL.finditer(cells)]
    summary = sorted({f.split(" in …")[0] for f in found})
    assert not found, f"{len(found)} internal codes or references:\n" + "\n".join(summary)


def test_pages_open_on_the_latest_data_and_the_users_own_region(
    demo: dict[str, Any], client_for: Any
) -> None:
    """Issue 18: /anggaran/ opened on an empty current year, /laporan/ on Kanwil Banten."""
    budget = client_for("national").get("/anggaran/").content.decode()
    assert "2024" in visible(budget)[:600]
    reports = client_for("sumbagsel").get("/laporan/").content.decode()
    assert '<option value="SUMBAGSEL" selected>' in reports
    assert f'name="period" value="{LAST}"' in reports
    assert 'value="2024-H1"' in client_for("national").get("/laporan/").content.decode()
    own = client_for("palembang").get("/laporan/").content.decode()
    assert '<option value="16.71" selected>' in own
