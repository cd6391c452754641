"""Row and file error messages of social-register imports, in the user's language.

The engine only emits codes and a short detail (never a clear NIK); the message is rendered
when shown. A test checks every code the engine can emit has a message.
"""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext_lazy as _

MESSAGES = {
    "file_type": _("Jenis berkas tidak didukung; gunakan CSV, CSV.GZ, XLSX atau Parquet."),
    "file_unreadable": _("Berkas tidak dapat dibaca."),
    "file_empty": _("Berkas tidak berisi baris data."),
    "column_missing": _(
        "Kolom wajib tidak ada (wajib: nik, nama, kode_wilayah, desil, status_bekerja)."
    ),
    "nik_missing": _("NIK kosong."),
    "nik_excel_number": _(
        "NIK telah diubah Excel menjadi angka; digit terakhir hilang. Simpan kolom NIK sebagai "
        "teks lalu ekspor ulang."
    ),
    "nik_not_digits": _("NIK hanya boleh berisi angka."),
    "nik_length": _("NIK harus 16 digit."),
    "nik_serial": _(
        "Empat digit terakhir NIK (nomor urut) 0000 tidak pernah diterbitkan; periksa NIK ini."
    ),
    "nik_region_unknown": _("Enam digit pertama NIK bukan kode kecamatan yang pernah ada."),
    "nik_birth_date": _(
        "Tanggal lahir dalam NIK tidak sah (tanggal 01–31, perempuan 41–71; bulan 01–12)."
    ),
    "nik_duplicate": _("NIK sama dengan baris lain dalam berkas ini (nomor baris pertama)."),
    "kk_invalid": _("Nomor KK harus 16 digit (panjang yang ditemukan)."),
    "name_missing": _("Nama kosong."),
    "name_too_long": _("Nama lebih dari 200 karakter."),
    "region_missing": _("Kode wilayah kosong; domisili diambil dari kode wilayah, bukan NIK."),
    "region_code_invalid": _(
        "Kode wilayah tidak sah (contoh 16.04, 16.04.01 atau 16.04.01.2001, atau 4/6/10 digit)."
    ),
    "region_unknown": _("Kode wilayah bukan kabupaten/kota atau kecamatan yang dikenal."),
    "desil_missing": _("Desil kosong."),
    "desil_invalid": _("Desil harus bilangan bulat 1 sampai 10."),
    "work_status_missing": _("Status bekerja kosong."),
    "work_status_unknown": _(
        "Status bekerja tidak dikenal; gunakan 'bekerja' atau 'tidak bekerja' (juga ya/tidak, 1/0)."
    ),
    "occupation_too_long": _("Pekerjaan lebih dari 100 karakter."),
    "birth_date_invalid": _(
        "Tanggal lahir tidak sah atau sesudah bulan data (format YYYY-MM-DD atau DD-MM-YYYY)."
    ),
    "age_invalid": _("Umur harus bilangan bulat 0 sampai 120."),
}


def message_for(code: str, detail: str = "", language: str | None = None) -> str:
    with translation.override(language or translation.get_language() or "id"):
        text = str(MESSAGES.get(code, code))
    return f"{text} ({detail})" if detail else text
