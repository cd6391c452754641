"""Row and file error messages of registry imports, in the user's language."""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext_lazy as _

MESSAGES = {
    "nik_missing": _("NIK kosong."),
    "nik_excel_number": _("NIK rusak menjadi angka (format Excel); simpan kolom NIK sebagai teks."),
    "nik_not_digits": _("NIK hanya boleh berisi angka."),
    "nik_length": _("NIK harus 16 angka."),
    "nik_serial": _(
        "Empat digit terakhir NIK (nomor urut) 0000 tidak pernah diterbitkan; periksa NIK ini."
    ),
    "nik_region_unknown": _("Enam angka pertama NIK bukan kode kecamatan yang dikenal."),
    "nik_birth_date": _("Tanggal lahir dalam NIK tidak sah."),
    "duplicate": _("Baris ganda: NIK, segmen dan NPP yang sama sudah ada pada baris lain."),
    "segment_unknown": _("Segmen harus PU, BPU, JAKON atau PMI."),
    "program_unknown": _("Program harus daftar dari JKK, JKM, JHT, JP, JKP (mis. JKK,JKM)."),
    "wage_invalid": _("Upah harus bilangan bulat Rupiah antara 0 dan 1 miliar."),
    "status_unknown": _("Status harus AKTIF atau NONAKTIF."),
    "paid_until_invalid": _("Iuran terakhir harus berformat YYYY-MM."),
    "region_code_invalid": _("Kode wilayah tidak sah (contoh 16.71.01)."),
    "file_type": _("Jenis berkas tidak didukung; gunakan CSV, CSV.GZ atau Parquet."),
    "file_unreadable": _("Berkas tidak dapat dibaca."),
    "file_empty": _("Berkas tidak berisi baris data."),
    "column_missing": _("Kolom wajib tidak ada"),
}


def message_for(code: str, detail: str = "", language: str | None = None) -> str:
    with translation.override(language or translation.get_language() or "id"):
        text = str(MESSAGES.get(code, code))
    return f"{text} ({detail})" if detail else text
