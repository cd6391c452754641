"""`monev regions --level province|regency|district [--kanwil CODE] [--province CODE] --format table|csv|json`

Also `monev regions load FILE` to apply an administrator's correction file.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from monev.console.boundaries import load_boundaries
from monev.core.scope import SYSTEM
from monev.regions import selectors
from monev.regions.codes import parse_region_code
from monev.regions.services import CorrectionError, regions_apply_file

COLUMNS = ["code", "name", "level", "kind", "parent", "valid_to"]


class Command(BaseCommand):
    help = "Daftar wilayah (provinsi, kab/kota, kecamatan) atau muat file koreksi wilayah."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "action", nargs="?", choices=["list", "load", "load-boundaries"], default="list"
        )
        parser.add_argument("file", nargs="?", help="file CSV koreksi (untuk 'load')")
        parser.add_argument(
            "--level", choices=["province", "regency", "district"], default="province"
        )
        parser.add_argument("--kanwil", help="kode Kanwil, misalnya SUMBAGSEL")
        parser.add_argument("--province", help="kode provinsi, misalnya 16")
        parser.add_argument("--include-retired", action="store_true", help="sertakan kode lama")
        parser.add_argument("--format", choices=["table", "csv", "json"], default="table")
        parser.add_argument("--code-property", help="properti GeoJSON berisi kode Kemendagri")
        parser.add_argument("--licence", help="lisensi data batas wilayah")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "load-boundaries":
            load_boundaries(options, self.stdout, self.stderr)
            return
        if options["action"] == "load":
            self._load(options["file"])
            return
        province = None
        if options["province"]:
            try:
                province = parse_region_code(options["province"])
            except ValueError as exc:
                raise CommandError(str(exc), returncode=2) from None
        filters = selectors.RegionFilters(
            level=options["level"],
            kanwil=options["kanwil"].upper() if options["kanwil"] else None,
            province=province,
            include_retired=options["include_retired"],
        )
        try:
            rows = [self._row(r) for r in selectors.region_list(user=SYSTEM, filters=filters)]
        except selectors.UnknownKanwil:
            raise CommandError(
                f"Kanwil {options['kanwil']!r} tidak dikenal", returncode=2
            ) from None
        self._write(rows, options["format"])

    def _row(self, region: Any) -> dict[str, Any]:
        return {
            "code": region.code,
            "name": region.name,
            "level": region.level,
            "kind": region.kind,
            "parent": region.parent.code if region.parent else "",
            "valid_to": region.valid_to.isoformat() if region.valid_to else "",
        }

    def _write(self, rows: list[dict[str, Any]], fmt: str) -> None:
        if fmt == "json":
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=1))
        elif fmt == "csv":
            buffer = io.StringIO()
            writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)
            self.stdout.write(buffer.getvalue(), ending="")
        else:
            for row in rows:
                self.stdout.write(f"{row['code']:<10} {row['name']}")
            self.stdout.write(f"({len(rows)} wilayah)")

    def _load(self, file: str | None) -> None:
        if not file:
            raise CommandError("sebutkan FILE: monev regions load FILE", returncode=2)
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"file {file!r} tidak ada", returncode=2)
        try:
            result = regions_apply_file(data=path.read_bytes(), source=path.name)
        except CorrectionError as exc:
            for error in exc.errors:
                self.stderr.write(error)
            raise CommandError(
                "file koreksi ditolak; tidak ada yang diubah", returncode=3
            ) from None
        self.stdout.write(f"Koreksi diterapkan: {result.created} baru, {result.updated} diubah")
