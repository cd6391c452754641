"""`monev createuser USERNAME --role national|kanwil|pemda|auditor [--kanwil K | --province P | --pemda P]`"""

from __future__ import annotations

import getpass
import os
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from monev.accounts.models import Role
from monev.accounts.services import AccountError, user_create
from monev.core.scope import SYSTEM


class Command(BaseCommand):
    help = "Buat pengguna dengan peran dan cakupan wilayah."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("username")
        parser.add_argument("--role", required=True, choices=Role.values)
        parser.add_argument("--kanwil", help="kode Kanwil (petugas BPJS), misalnya SUMBAGSEL")
        parser.add_argument(
            "--province", help="kode provinsi: Pemda provinsi dan kab/kota di dalamnya"
        )
        parser.add_argument("--pemda", help="kode Pemda (operator), misalnya 16.71")
        parser.add_argument(
            "--all-regions", action="store_true", help="auditor untuk semua wilayah"
        )
        parser.add_argument("--email", default="")
        parser.add_argument("--name", default="", help="nama lengkap")
        parser.add_argument("--superuser", action="store_true", help="juga administrator Django")
        parser.add_argument(
            "--password-env",
            default="MONEV_PASSWORD",
            help="variabel lingkungan yang berisi kata sandi (jika tidak ada: ditanyakan)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        password = os.environ.get(options["password_env"]) or self._ask()
        try:
            validate_password(password)
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages), returncode=2) from None
        try:
            user = user_create(
                username=options["username"],
                password=password,
                role=options["role"],
                kanwil=options["kanwil"],
                province=options["province"],
                pemda=options["pemda"],
                email=options["email"],
                full_name=options["name"],
                all_regions=options["all_regions"],
                superuser=options["superuser"],
                by=SYSTEM,
            )
        except AccountError as exc:
            raise CommandError(str(exc), returncode=2) from None
        self.stdout.write(f"Pengguna {user.username} ({user.get_role_display()}) dibuat.")

    def _ask(self) -> str:
        first = getpass.getpass("Kata sandi: ")
        if first != getpass.getpass("Ulangi kata sandi: "):
            raise CommandError("kata sandi tidak sama", returncode=2)
        return first
