"""Row-error messages in Bahasa Indonesia and English, one entry per error code.

The engine only emits codes (plus a short `detail`); the message is rendered in the user's
language when shown, so the same stored report reads in either language. A test checks that
every code the engine can emit has both texts (tests/rosters/test_messages.py).
"""

from __future__ import annotations

from django.utils import translation

# code: (Bahasa Indonesia, English). `{detail}` is the engine's detail for the row.
MESSAGES: dict[str, tuple[str, str]] = {
    "file_format": (
        "Jenis berkas tidak didukung ({detail}). Unggah CSV atau XLSX.",
        "Unsupported file type ({detail}). Upload a CSV or XLSX file.",
    ),
    "file_unreadable": (
        "Berkas tidak dapat dibaca: {detail}",
        "The file cannot be read: {detail}",
    ),
    "file_empty": (
        "Berkas tidak berisi baris data.",
        "The file has no data rows.",
    ),
    "column_missing": (
        "Kolom wajib '{detail}' tidak ada di baris judul.",
        "Required column '{detail}' is missing from the header row.",
    ),
    "nik_missing": ("NIK kosong.", "NIK is empty."),
    "nik_excel_number": (
        "NIK telah diubah Excel menjadi angka ({detail}); digit terakhir hilang. Format kolom "
        "NIK sebagai Teks, ketik ulang NIK, lalu unggah lagi.",
        "Excel turned the NIK into a number ({detail}); its last digits are lost. Format the "
        "NIK column as Text, re-enter the NIKs and upload again.",
    ),
    "nik_not_digits": (
        "NIK hanya boleh berisi angka.",
        "A NIK may contain digits only.",
    ),
    "nik_length": (
        "NIK harus 16 digit (ada {detail}).",
        "A NIK must have 16 digits (found {detail}).",
    ),
    "nik_serial": (
        "Empat digit terakhir NIK (nomor urut) 0000 tidak pernah diterbitkan; periksa NIK ini.",
        "The last four digits of the NIK (the serial) 0000 are never issued; check this NIK.",
    ),
    "nik_region_unknown": (
        "Enam digit pertama NIK ({detail}) bukan kode kecamatan yang pernah ada.",
        "The first six digits of the NIK ({detail}) are not a known kecamatan code.",
    ),
    "nik_birth_date": (
        "Tanggal lahir dalam NIK tidak sah (tanggal 01–31, perempuan 41–71; bulan 01–12).",
        "The birth date in the NIK is not a real date (day 01–31, women 41–71; month 01–12).",
    ),
    "nik_age": (
        "Umur menurut NIK ({detail} tahun) di luar usia kerja 15–80 tahun.",
        "The age from the NIK ({detail} years) is outside working age 15–80.",
    ),
    "nik_duplicate": (
        "NIK sama dengan baris {detail} dalam berkas ini.",
        "Same NIK as row {detail} of this file.",
    ),
    "nik_other_pemda": (
        "Peringatan: NIK ini juga ada di daftar pekerja Pemda {detail} (kemungkinan pembiayaan "
        "ganda). Baris tetap diterima.",
        "Warning: this NIK is also on the current roster of Pemda {detail} (possible double "
        "financing). The row is still accepted.",
    ),
    "name_missing": ("Nama kosong.", "Name is empty."),
    "name_too_long": (
        "Nama lebih dari 200 karakter.",
        "Name is longer than 200 characters.",
    ),
    "position_too_long": (
        "Jabatan lebih dari 200 karakter.",
        "Position is longer than 200 characters.",
    ),
    "category_missing": (
        "Kategori kosong (NON_ASN, PERANGKAT_DESA, RT_RW atau RENTAN).",
        "Category is empty (NON_ASN, PERANGKAT_DESA, RT_RW or RENTAN).",
    ),
    "category_unknown": (
        "Kategori '{detail}' tidak dikenal (NON_ASN, PERANGKAT_DESA, RT_RW atau RENTAN).",
        "Unknown category '{detail}' (NON_ASN, PERANGKAT_DESA, RT_RW or RENTAN).",
    ),
    "wage_missing": (
        "Upah wajib diisi untuk kategori penerima upah (NON_ASN, PERANGKAT_DESA).",
        "Wage is required for wage-earner categories (NON_ASN, PERANGKAT_DESA).",
    ),
    "wage_invalid": (
        "Upah '{detail}' bukan bilangan bulat Rupiah yang sah (1 sampai 1.000.000.000).",
        "Wage '{detail}' is not a valid whole Rupiah amount (1 to 1,000,000,000).",
    ),
    "funding_source_unknown": (
        "Sumber dana '{detail}' tidak dikenal (APBD_PROV, APBD_KABKOTA, APBDES, DANA_DESA, "
        "DBHCHT, DBH_SAWIT, CSR, MANDIRI).",
        "Unknown funding source '{detail}' (APBD_PROV, APBD_KABKOTA, APBDES, DANA_DESA, "
        "DBHCHT, DBH_SAWIT, CSR, MANDIRI).",
    ),
    "desa_code_invalid": (
        "Kode desa '{detail}' tidak sah (format 16.71.01.1001 atau 10 digit).",
        "Village code '{detail}' is not valid (format 16.71.01.1001 or 10 digits).",
    ),
    "desa_code_other_pemda": (
        "Kode desa '{detail}' bukan wilayah Pemda ini.",
        "Village code '{detail}' is outside this Pemda.",
    ),
}


def message_for(code: str, detail: str | None = None, language: str | None = None) -> str:
    """The message for `code` in `language` (default: the active language)."""
    lang = (language or translation.get_language() or "id")[:2]
    texts = MESSAGES.get(code)
    if texts is None:
        return code
    template = texts[1] if lang == "en" else texts[0]
    return template.format(detail=detail if detail is not None else "")
