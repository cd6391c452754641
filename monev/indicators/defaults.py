"""The indicators, targets, score weights and findings rules a new installation starts with.

Loaded by migration 0002 and editable afterwards in the admin (they are data, not code).
Each target names its source document in words (shown to users).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

CATEGORY_LABELS = {
    "NON_ASN": ("Non-ASN", "non-ASN"),
    "PERANGKAT_DESA": ("Perangkat desa", "village officials"),
    "RT_RW": ("Ketua RT/RW", "RT/RW heads"),
    "RENTAN": ("Pekerja rentan", "vulnerable workers"),
}

_ROSTER_DEF = (
    "Pekerja {label} pada daftar pekerja terkini Pemda untuk periode ini yang aktif sebagai "
    "peserta BPJS Ketenagakerjaan (sekurang-kurangnya JKK dan JKM) menurut hasil pencocokan "
    "NIK dengan ekstrak kepesertaan, dibagi seluruh pekerja {label} pada daftar itu."
)


# docs/indicators.md, "Timeliness" (issue 18). Migration 0003 moves the earlier text here.
TIMELINESS_PARAMS = {"deadline_days": 10, "max_age_months": 6}
TIMELINESS_TEXT = {
    "numerator": (
        "Pemda yang daftar pekerjanya yang berlaku untuk periode ini dikirim tepat waktu dan "
        "belum kedaluwarsa"
    ),
    "denominator": "Pemda yang punya daftar pekerja yang berlaku untuk periode ini",
    "definition_id": (
        "Daftar yang berlaku untuk suatu periode adalah daftar terbaru pada atau sebelum "
        "periode itu. 100% bila daftar itu disimpan paling lambat 10 hari setelah akhir bulan "
        "periodenya sendiri dan umurnya tidak lebih dari 6 bulan; 0% bila terlambat atau lebih "
        "tua. Pemda yang belum pernah mengunggah daftar: belum ada data (tidak dihitung 0). "
        "Untuk wilayah: persentase Pemda yang tepat waktu di antara Pemda yang punya daftar."
    ),
    "definition_en": (
        "The list in force for a period is the newest one at or before that period. 100% when "
        "it was committed within 10 days after the end of its own period's month and is at "
        "most 6 months old; 0% when late or older. A Pemda that never uploaded a list has no "
        "value (not 0). For a region: the share of Pemda on time among those with a list."
    ),
}


def _roster(order: int, category: str | None) -> dict[str, Any]:
    label_id, label_en = CATEGORY_LABELS.get(category or "", ("semua kelompok", "all groups"))
    code = f"cakupan-{(category or 'total').lower().replace('_', '-')}"
    return {
        "code": code,
        "name_id": f"Cakupan {label_id.lower() if category else 'daftar pekerja (semua kelompok)'}",
        "name_en": f"Coverage of {label_en}",
        "short_id": label_id if category else "Semua kelompok",
        "kind": "roster_coverage",
        "params": {"category": category} if category else {},
        "numerator": f"Pekerja {label_id.lower()} terlindungi (JKK+JKM aktif)",
        "denominator": f"Pekerja {label_id.lower()} pada daftar Pemda",
        "definition_id": _ROSTER_DEF.format(label=label_id.lower()),
        "definition_en": (
            f"{label_en.capitalize()} on the Pemda's current roster for the period who are "
            "active BPJS Ketenagakerjaan participants (at least JKK and JKM) by NIK match, "
            f"over all {label_en} on that roster."
        ),
        "source": "Daftar pekerja Pemda × ekstrak kepesertaan BPJS TK (Inpres 2/2021)",
        "green_at": 80,
        "amber_at": 50,
        "order": order,
        "headline": category is None,
    }


INDICATORS: list[dict[str, Any]] = [
    _roster(10, None),
    _roster(11, "NON_ASN"),
    _roster(12, "PERANGKAT_DESA"),
    _roster(13, "RT_RW"),
    _roster(14, "RENTAN"),
    {
        "code": "cakupan-angkatan-kerja",
        "name_id": "Cakupan angkatan kerja (peserta aktif / penduduk bekerja)",
        "name_en": "Workforce coverage (active participants / employed population)",
        "short_id": "Angkatan kerja",
        "kind": "workforce_coverage",
        "params": {"definition": "bps"},
        "numerator": "Peserta aktif BPJS TK (PU+BPU+Jakon) di wilayah",
        "denominator": "Penduduk bekerja 15+ (BPS Sakernas), angka terakhir sebelum periode",
        "definition_id": (
            "Peserta aktif BPJS Ketenagakerjaan di wilayah dibagi penduduk bekerja usia 15+ "
            "menurut Sakernas BPS. Dipakai angka Sakernas terakhir "
            "pada atau sebelum periode. Bukan rumus UCJ Kemendagri, yang penyebutnya belum "
            "dipublikasikan; angkanya bisa berbeda jauh."
        ),
        "definition_en": (
            "Active BPJS Ketenagakerjaan participants in the region over the employed "
            "population aged 15+ (BPS Sakernas), using the latest "
            "Sakernas figure on or before the period. Not the Kemendagri UCJ formula."
        ),
        "source": "BPS Sakernas; BPJS TK peserta aktif per wilayah",
        "green_at": 50,
        "amber_at": 30,
        "order": 20,
        "headline": True,
    },
    {
        "code": "kecukupan-anggaran",
        "name_id": "Kecukupan anggaran perlindungan (APBD vs biaya menutup kesenjangan)",
        "name_en": "Budget adequacy (APBD against the cost to close the gap)",
        "short_id": "Anggaran",
        "kind": "budget_adequacy",
        "params": {"fallback_wage": 3000000},
        "numerator": "Pagu tahun anggaran periode (APBD perubahan menggantikan murni, + APBDes, DBH)",
        "denominator": "Biaya setahun untuk melindungi pekerja pada daftar yang belum terlindungi",
        "definition_id": (
            "Pagu perlindungan jaminan sosial ketenagakerjaan tahun anggaran periode ini, dibagi "
            "perkiraan biaya 12 bulan JKK+JKM bagi pekerja pada daftar yang belum terlindungi: "
            "PU (non-ASN, perangkat desa) porsi pemberi kerja atas upah rata-rata daftar, BPU "
            "(RT/RW, rentan) paket minimum. Dibatasi 100% dalam skor. Rincian tepat per pekerja "
            "ada di halaman anggaran Pemda."
        ),
        "definition_en": (
            "The fiscal year's social-security budget over the estimated 12-month JKK+JKM cost "
            "of the unprotected workers on the roster (PU at the roster's mean wage, BPU at the "
            "minimum package). Capped at 100% in the score."
        ),
        "source": "Anggaran Pemda (APBD/APBDes/DBH); tabel iuran",
        "green_at": 100,
        "amber_at": 50,
        "order": 30,
        "headline": True,
    },
    {
        "code": "regulasi",
        "name_id": "Regulasi pelaksanaan Inpres 2/2021",
        "name_en": "Regulation carrying out Inpres 2/2021",
        "short_id": "Regulasi",
        "kind": "regulation",
        "params": {},
        "numerator": "Pemda yang telah menerbitkan Perda/Perkada/SE/instruksi sampai akhir periode",
        "denominator": "Pemda",
        "definition_id": (
            "100% bila Pemda telah menerbitkan sekurang-kurangnya satu regulasi (Perda, Perkada, "
            "SE, instruksi atau keputusan) untuk melaksanakan Inpres 2/2021 pada atau sebelum "
            "akhir periode; untuk wilayah: persentase Pemda yang telah memilikinya."
        ),
        "definition_en": (
            "100% when the Pemda has issued at least one regulation carrying out Inpres 2/2021 "
            "by the end of the period; for a region, the share of its Pemda that have one."
        ),
        "source": "Regulasi yang dicatat Pemda",
        "green_at": 100,
        "amber_at": 50,
        "order": 40,
        "headline": False,
    },
    {
        "code": "ketepatan-waktu",
        "name_id": "Ketepatan waktu pelaporan daftar pekerja",
        "name_en": "Timeliness of roster reporting",
        "short_id": "Tepat waktu",
        "kind": "timeliness",
        "params": TIMELINESS_PARAMS,
        "numerator": TIMELINESS_TEXT["numerator"],
        "denominator": TIMELINESS_TEXT["denominator"],
        "definition_id": TIMELINESS_TEXT["definition_id"],
        "definition_en": TIMELINESS_TEXT["definition_en"],
        "source": "Riwayat unggahan daftar pekerja",
        "green_at": 90,
        "amber_at": 60,
        "order": 50,
        "headline": False,
    },
]

_KEMENDAGRI_2025 = "dikutip Kemendagri, paparan UCJ April 2025"
_MENAKER_2021 = "dikutip Menaker, September 2021"


def _target(indicator: str, definition: str, region: str, year: int | None, value: str,
            kind: str, applies_from: int | None, document: str, date: dt.date,
            confidence: str = "H", note: str = "") -> dict[str, Any]:  # fmt: skip
    return {
        "indicator": indicator, "definition": definition, "region_code": region, "year": year,
        "value": value, "kind": kind, "applies_from": applies_from, "document": document,
        "document_date": date, "confidence": confidence, "note": note,
    }  # fmt: skip


WORKFORCE = "cakupan-angkatan-kerja"
# Each target names the definition of the value it is set for (issue 18): the national
# plan counts active participants over the BPS employed ("bps"); UCJ targets use
# Kemendagri's unpublished base ("ucj") and are never held against the BPS figure.
TARGETS: list[dict[str, Any]] = [
    *[
        _target(
            code,
            "roster",
            "",
            None,
            "100",
            "INPRES",
            None,
            "Inpres 2/2021, instruksi kepada gubernur dan bupati/wali kota",
            dt.date(2021, 3, 25),
            "M",
            "Inpres meminta seluruh pekerja kelompok ini terdaftar; bukan angka tahunan.",
        )
        for code in (
            "cakupan-total",
            "cakupan-non-asn",
            "cakupan-perangkat-desa",
            "cakupan-rt-rw",
            "cakupan-rentan",
        )
    ],
    _target(
        WORKFORCE,
        "bps",
        "",
        2021,
        "29.44",
        "RPJMN",
        2021,
        f"RKP 2021, {_MENAKER_2021}",
        dt.date(2021, 9, 1),
        "M",
    ),
    _target(
        WORKFORCE,
        "bps",
        "",
        2024,
        "37.24",
        "RPJMN",
        2020,
        f"RPJMN 2020–2024 (target 2024), {_MENAKER_2021}",
        dt.date(2021, 9, 1),
        "M",
        "Berlaku 2020–2024; persentase pekerja (penduduk bekerja) yang menjadi peserta.",
    ),
    _target(
        WORKFORCE,
        "bps",
        "",
        2025,
        "32.15",
        "RPJMN",
        2025,
        f"RPJMN 2025–2029, {_KEMENDAGRI_2025}",
        dt.date(2025, 4, 30),
    ),
    _target(
        WORKFORCE,
        "bps",
        "",
        2026,
        "34.99",
        "RPJMN",
        2026,
        f"RKP 2026, {_KEMENDAGRI_2025}",
        dt.date(2025, 4, 30),
    ),
    _target(
        WORKFORCE,
        "bps",
        "",
        2029,
        "43.92",
        "RPJMN",
        2025,
        f"RPJMN 2025–2029, {_KEMENDAGRI_2025}",
        dt.date(2025, 4, 30),
    ),
    _target(
        WORKFORCE,
        "ucj",
        "",
        2025,
        "52.15",
        "UCJ",
        2025,
        f"Target UCJ nasional, {_KEMENDAGRI_2025}",
        dt.date(2025, 4, 30),
        "H",
        "Penyebut UCJ tidak dipublikasikan dan lebih kecil dari penduduk bekerja BPS.",
    ),
    _target(
        WORKFORCE,
        "ucj",
        "15",
        2024,
        "53.00",
        "UCJ",
        2024,
        "Target UCJ Provinsi Jambi akhir 2024, BPJS Ketenagakerjaan Cabang Jambi",
        dt.date(2024, 12, 31),
        "M",
    ),
    _target(
        WORKFORCE,
        "ucj",
        "51",
        2025,
        "67.28",
        "UCJ",
        2025,
        "Target UCJ Provinsi Bali 2025, Kemendagri",
        dt.date(2025, 1, 1),
        "M",
    ),
]

SCORE_SCHEME: dict[str, Any] = {
    "code": "paritrana",
    "name": "Skor kepatuhan gaya Paritrana",
    "weights": {
        "regulasi": 30,
        "kecukupan-anggaran": 25,
        "cakupan-total": 35,
        "ketepatan-waktu": 10,
    },
    "green_at": 70,
    "amber_at": 45,
    "basis": (
        "Bobot resmi Paritrana tidak dipublikasikan. Bobot bawaan mengikuti "
        "kriteria yang dilaporkan: regulasi disebut 'poin tertinggi' (2024) → 30; cakupan "
        "kepesertaan adalah subkategori pertama (2024) dan kriteria 2021 → 35; dukungan "
        "anggaran (2021) → 25; ketepatan pelaporan (kebutuhan monev, bukan kriteria "
        "Paritrana) → 10. Inovasi dan wawancara kepala daerah tidak dapat diukur dari data."
    ),
    "is_default": True,
}

FINDING_RULES: list[dict[str, Any]] = [
    {"code": "belum-menganggarkan", "params": {}},
    {"code": "cakupan-turun", "params": {"min_drop_points": 5}},
    {"code": "biaya-menutup", "params": {"min_workers": 1}},
    {"code": "belum-regulasi", "params": {}},
    {"code": "belum-lapor", "params": {}},
    {"code": "di-bawah-target", "params": {"min_gap_points": 10}},
]


def _has_field(model: Any, name: str) -> bool:
    return any(f.name == name for f in model._meta.get_fields())


def seed(apps: Any) -> None:
    """Create the defaults that do not exist yet (never overwrite an administrator's edit)."""
    indicator_model = apps.get_model("indicators", "Indicator")
    target_model = apps.get_model("indicators", "Target")
    scheme_model = apps.get_model("indicators", "ScoreScheme")
    rule_model = apps.get_model("indicators", "FindingRule")
    for spec in INDICATORS:
        indicator_model.objects.get_or_create(code=spec["code"], defaults=spec)
    for spec in TARGETS:
        fields = dict(spec)
        indicator = indicator_model.objects.get(code=fields.pop("indicator"))
        keys = {k: fields.pop(k) for k in ("region_code", "year", "kind")}
        if not _has_field(target_model, "definition"):  # 0002 runs before the field exists
            fields.pop("definition"), fields.pop("applies_from")
        target_model.objects.get_or_create(indicator=indicator, **keys, defaults=fields)
    scheme_model.objects.get_or_create(code=SCORE_SCHEME["code"], defaults=SCORE_SCHEME)
    for rule in FINDING_RULES:
        rule_model.objects.get_or_create(code=rule["code"], defaults=rule)
