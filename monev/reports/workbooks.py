"""The XLSX side of each report: sheets of tables built from the same data dict as the PDF."""

from __future__ import annotations

from typing import Any

from monev.reports.render import Column, Sheet, Table


def _pemda_columns(categories: list[tuple[str, str]]) -> list[Column]:
    columns = [
        Column("Kode", "code", width=8),
        Column("Pemda", "name", width=30),
        Column("Pekerja terdata", "headcount", "int"),
        Column("Terlindungi", "protected", "int"),
        Column("Cakupan", "coverage", "pct", 10),
    ]
    for cat, label in categories:
        columns += [
            Column(f"{label}: terdata", f"{cat}_headcount", "int"),
            Column(f"{label}: terlindungi", f"{cat}_protected", "int"),
            Column(f"{label}: cakupan", f"{cat}_coverage", "pct", 10),
        ]
    return [
        *columns,
        Column("Anggaran (Rp)", "budget", "rupiah", 16),
        Column("Biaya setahun menutup kesenjangan (Rp)", "cost", "rupiah", 18),
        Column("Status anggaran", "budget_status", width=18),
        Column("Jumlah regulasi", "regulations", "int", 10),
        Column("Regulasi terakhir", "regulation_latest", width=24),
        Column("Skor", "score", "dec1", 8),
        Column("Peringkat", "rank", "int", 9),
    ]


_FINDINGS = [
    Column("Kode Pemda", "pemda_code", width=10),
    Column("Pemda", "pemda_name", width=28),
    Column("Tingkat", "severity", width=8),
    Column("Temuan", "text", width=80),
]
_ITEMS = [
    Column("Pemilik", "owner", width=28),
    Column("Tindak lanjut", "what", width=60),
    Column("Tenggat", "due_on", width=12),
    Column("Status", "status_label", width=14),
    Column("Eskalasi", "escalation", width=10),
]


def _cover(data: dict[str, Any], lines: list[str]) -> Sheet:
    return Sheet(
        "Ringkasan",
        heading=data["title"],
        lines=[
            *lines,
            f"Disusun {data['generated_at']:%d-%m-%Y %H:%M} oleh {data['generated_by']}",
        ],
    )


def kanwil_pack(data: dict[str, Any]) -> list[Sheet]:
    t = data["totals"]
    cover = _cover(data, [f"Periode data: {data['period']}", f"Kanwil: {data['kanwil']['name']}"])
    cover.tables.append(
        Table(
            "Ringkasan per provinsi",
            [
                Column("Provinsi", "name", width=30),
                Column("Pemda", "pemda", "int", 8),
                Column("Pekerja terdata", "headcount", "int"),
                Column("Terlindungi", "protected", "int"),
                Column("Cakupan", "coverage", "pct", 10),
                Column("Anggaran (Rp)", "budget", "rupiah", 18),
                Column("Biaya setahun (Rp)", "cost", "rupiah", 18),
                Column("Belum menganggarkan", "not_budgeted", "int", 12),
                Column("Tanpa regulasi", "no_regulation", "int", 12),
            ],
            [{"name": p["name"], **p["totals"]} for p in data["provinces"]]
            + [{"name": "JUMLAH", **t}],
        )
    )
    cover.chart = {"table": 0, "category": "name", "values": "coverage", "title": "Cakupan"}
    sheets = [cover]
    for province in data["provinces"]:
        sheet = Sheet(province["name"][:31], heading=province["name"])
        sheet.tables.append(
            Table("Per Pemda", _pemda_columns(data["categories"]), province["pemdas"])
        )
        sheets.append(sheet)
    wf = data["workforce"]
    definition = wf["definition"] or {}
    sheets.append(
        Sheet(
            "Angkatan kerja",
            heading="Cakupan angkatan kerja",
            lines=[
                f"Definisi: {definition.get('name', '-')}",
                f"Pembilang: {definition.get('numerator', '-')}",
                f"Penyebut: {definition.get('denominator_text', '-')}",
                f"Periode: {wf['period']}",
            ],
            tables=[
                Table(
                    "Per provinsi",
                    [
                        Column("Kode", "code", width=8),
                        Column("Provinsi", "name", width=30),
                        Column("Peserta aktif", "participants", "int", 16),
                        Column("Penduduk bekerja", "employed", "int", 16),
                        Column("Cakupan", "coverage", "pct", 10),
                    ],
                    wf["rows"],
                )
            ],
        )
    )
    sheets.append(Sheet("Temuan", tables=[Table("Temuan", _FINDINGS, data["findings"])]))
    sheets.append(
        Sheet("Tindak lanjut", tables=[Table("Tindak lanjut terbuka", _ITEMS, data["open_items"])])
    )
    return sheets


def scorecard(data: dict[str, Any]) -> list[Sheet]:
    own = data["pemda"]
    cover = _cover(data, [f"Periode data: {data['period']}"])
    cover.tables.append(Table("Angka utama", _pemda_columns(data["categories"]), [own]))
    cover.tables.append(
        Table(
            "Cakupan per kelompok pekerja",
            [
                Column("Kelompok", "label", width=24),
                Column("Terdata", "headcount", "int"),
                Column("Terlindungi", "protected", "int"),
                Column("Cakupan", "coverage", "pct", 10),
            ],
            [
                {"label": label, **own["cats"].get(cat, {"headcount": 0, "protected": 0})}
                for cat, label in data["categories"]
            ],
        )
    )
    findings = [f | {"pemda_name": own["name"]} for f in data["findings"]]
    return [
        cover,
        Sheet("Temuan", tables=[Table("Temuan", _FINDINGS, findings)]),
        Sheet("Tindak lanjut", tables=[Table("Tindak lanjut terbuka", _ITEMS, data["open_items"])]),
    ]


_SEMESTER_COLUMNS = [
    Column("Kode", "code", width=10),
    Column("Wilayah", "name", width=30),
    Column("Pemda", "pemda", "int", 8),
    Column("Pekerja terdata", "headcount", "int"),
    Column("Terlindungi", "protected", "int"),
    Column("Cakupan", "coverage", "pct", 10),
    Column("Cakupan semester lalu", "coverage_prev", "pct", 12),
    Column("Anggaran (Rp)", "budget", "rupiah", 18),
    Column("Belum menganggarkan", "not_budgeted", "int", 12),
    Column("Tanpa regulasi", "no_regulation", "int", 12),
]


def semester(data: dict[str, Any]) -> list[Sheet]:
    cover = _cover(
        data,
        [
            f"Semester: {data['semester']} (data periode {data['period']})",
            f"Pembanding: {data['previous_semester']} (periode {data['previous_period'] or '-'})",
        ],
    )
    cover.tables.append(Table("Per Kanwil", _SEMESTER_COLUMNS, data["kanwils"]))
    cover.chart = {"table": 0, "category": "name", "values": "coverage", "title": "Cakupan"}
    provinces = [p for k in data["kanwils"] for p in k["provinces"]]
    return [
        cover,
        Sheet("Provinsi", tables=[Table("Per provinsi", _SEMESTER_COLUMNS, provinces)]),
        Sheet("Temuan utama", tables=[Table("Temuan utama", _FINDINGS, data["top_findings"])]),
    ]
