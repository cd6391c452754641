"""The default follow-up letter template; an administrator edits it in the admin."""

from django.db import migrations

DEFAULT = {
    "code": "tindak-lanjut",
    "issuer": "Kementerian Koordinator Bidang Pembangunan Manusia dan Kebudayaan",
    "issuer_unit": "Deputi Bidang Koordinasi Peningkatan Kesejahteraan Sosial",
    "address": "Jalan Medan Merdeka Barat Nomor 3, Jakarta Pusat 10110",
    "number_format": "{seq:03d}/{code}/{kanwil}/{roman_month}/{year}",
    "number_code": "PMK.MONEV",
    "city": "Jakarta",
    "signatory_name": "[Nama Pejabat]",
    "signatory_position": "Deputi Bidang Koordinasi Peningkatan Kesejahteraan Sosial",
    "signatory_id": "",
    "opening": (
        "Menindaklanjuti {rapat} yang diselenggarakan di {tempat} pada {tanggal} dalam rangka "
        "pelaksanaan Instruksi Presiden Nomor 2 Tahun 2021 tentang Optimalisasi Pelaksanaan "
        "Program Jaminan Sosial Ketenagakerjaan, bersama ini kami sampaikan hasil monitoring "
        "dan evaluasi serta tindak lanjut yang perlu dilaksanakan."
    ),
    "closing": (
        "Kami mohon Saudara dapat melaksanakan tindak lanjut tersebut sesuai tenggat dan "
        "mengunggah bukti pelaksanaannya melalui aplikasi Monev Jamsostek. Atas perhatian dan "
        "kerja sama Saudara, kami ucapkan terima kasih."
    ),
    "carbon_copies": [
        "Menteri Koordinator Bidang Pembangunan Manusia dan Kebudayaan",
        "Menteri Dalam Negeri",
        "Direktur Utama BPJS Ketenagakerjaan",
    ],
}


def forward(apps, schema_editor):
    LetterTemplate = apps.get_model("meetings", "LetterTemplate")
    LetterTemplate.objects.get_or_create(code=DEFAULT["code"], defaults=DEFAULT)


def backward(apps, schema_editor):
    pass


class Migration(migrations.Migration):
    dependencies = [("meetings", "0001_initial")]
    operations = [migrations.RunPython(forward, backward)]
