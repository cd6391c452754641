"""Regenerates numbers.xlsx: NIKs and wages stored as Excel numbers, as Excel saves them."""

import xlsxwriter

book = xlsxwriter.Workbook("numbers.xlsx")
sheet = book.add_worksheet()
sheet.write_row(0, 0, ["nik", "nama", "kategori", "upah"])
# Excel keeps 15 significant digits: 1671011708850001 typed as a number is saved like this.
sheet.write_row(1, 0, [1671011708850000, "Angka Excel", "NON_ASN", 2500000])
sheet.write_row(2, 0, ["1671011708850002", "Teks", "NON_ASN", 2500000.0])
sheet.write_row(3, 0, ["1671011708850003", "Upah Pecahan", "NON_ASN", 2500000.5])
sheet.write_row(4, 0, [1.67101e15, "Notasi", "RENTAN", None])
# A number cell whose digits look whole is still a number cell: Excel has rounded it.
sheet.write_row(5, 0, [1671011708851230, "Angka Utuh", "RENTAN", None])
# Typed as text, a serial ending in 000 is a real NIK.
sheet.write_row(6, 0, ["1671011708851000", "Seribu Teks", "RENTAN", None])
book.close()
