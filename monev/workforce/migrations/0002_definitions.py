"""The coverage definitions shipped with monev (domain.md §5.1); an administrator edits them."""

from typing import Any

from django.db import migrations

DEFINITIONS = [
    {
        "code": "bps",
        "name": "Cakupan terhadap penduduk bekerja (BPS)",
        "numerator": "Peserta aktif BPJS Ketenagakerjaan (PU + BPU + Jakon)",
        "numerator_segments": ["PU", "BPU", "JAKON"],
        "denominator": "penduduk_bekerja",
        "denominator_text": "Penduduk bekerja usia 15+ (BPS Sakernas Agustus)",
        "exclusions": "Tidak ada pengecualian; PMI tidak dihitung terpisah",
        "source": "domain.md §5.1 definisi A [S29]; BPS Sakernas [S42–S46]",
        "confidence": "H",
        "note": "Indikator yang dikutip rapat monev Palembang 2022 (Sumsel 35%, Bengkulu 23,6%, Lampung 24%)",
    },
    {
        "code": "potensi",
        "name": "Cakupan terhadap potensi peserta (BPJS TK)",
        "numerator": "Peserta aktif BPJS Ketenagakerjaan",
        "numerator_segments": [],
        "denominator": "potensi",
        "denominator_text": "Penduduk bekerja usia ≥17 ber-KTP, tanpa PNS/TNI/Polri",
        "exclusions": "PNS, TNI, Polri, usia di bawah 17 tahun",
        "source": "domain.md §5.1 definisi B [S3, S64]",
        "confidence": "M",
        "note": "Penyebut harus diimpor sebagai kolom 'potensi' (docs/formats/workforce.md)",
    },
    {
        "code": "ucj",
        "name": "Universal Coverage Jamsostek (UCJ)",
        "numerator": "Peserta aktif BPJS Ketenagakerjaan",
        "numerator_segments": [],
        "denominator": "basis_ucj",
        "denominator_text": "Basis pekerja layak UCJ (rumus Kemendagri tidak dipublikasikan)",
        "exclusions": "Tidak diketahui",
        "source": "domain.md §5.1 definisi C [S30, S31]",
        "confidence": "L",
        "note": "Penyebut harus diimpor sebagai kolom 'basis_ucj'; rumus resmi belum diperoleh",
    },
]


def forwards(apps: Any, schema_editor: Any) -> None:
    model = apps.get_model("workforce", "CoverageDefinition")
    for item in DEFINITIONS:
        model.objects.update_or_create(code=item["code"], defaults=item)


class Migration(migrations.Migration):
    dependencies = [("workforce", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
