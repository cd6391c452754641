"""`monev import <what> …`: one command, one subcommand per kind of file.

Each subcommand is a module of `monev.console.imports` with `HELP`,
`add_arguments(parser)` and `run(options, stdout) -> exit code`; register it here with one
line. Exit codes: 0 done, 2 usage error, 3 input rejected.
"""

from __future__ import annotations

import sys
from types import ModuleType
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from monev.console.imports import dtsen, participants, registry, rosters, workforce

SUBCOMMANDS: dict[str, ModuleType] = {
    "rosters": rosters,
    "workforce": workforce,
    "participants": participants,
    "registry": registry,
    "dtsen": dtsen,
}


class Command(BaseCommand):
    help = "Impor berkas: rosters | registry | workforce | participants | dtsen."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="what", required=True, metavar="WHAT")
        for name, module in SUBCOMMANDS.items():
            module.add_arguments(sub.add_parser(name, help=module.HELP))

    def handle(self, *args: Any, **options: Any) -> None:
        code = SUBCOMMANDS[options["what"]].run(options, self.stdout)
        if code:
            self.stdout.flush()
            sys.exit(code)
