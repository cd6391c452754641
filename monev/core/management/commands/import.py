"""`monev import <what> …`: one command, one subcommand per kind of file.

Each app owns its subcommand in a module with `HELP`, `add_arguments(parser)` and
`run(options, stdout) -> exit code`; register it here with one line.
Exit codes: 0 done, 2 usage error, 3 input rejected.
"""

from __future__ import annotations

import sys
from importlib import import_module
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

SUBCOMMANDS: dict[str, str] = {
    "rosters": "monev.rosters.cli",
    "workforce": "monev.workforce.import_workforce",
    "participants": "monev.workforce.import_participants",
    "registry": "monev.registry.cli",
    "dtsen": "monev.targeting.cli",
}


class Command(BaseCommand):
    help = "Impor berkas: rosters | registry | workforce | participants | dtsen."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="what", required=True, metavar="WHAT")
        for name, path in SUBCOMMANDS.items():
            module = import_module(path)
            module.add_arguments(sub.add_parser(name, help=module.HELP))

    def handle(self, *args: Any, **options: Any) -> None:
        module = import_module(SUBCOMMANDS[options["what"]])
        code = module.run(options, self.stdout)
        if code:
            self.stdout.flush()
            sys.exit(code)
