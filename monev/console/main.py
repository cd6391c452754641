"""The `monev` command: every subcommand is a Django management command.

`monev init`, `monev regions …`, `monev import …` and friends are thin wrappers over the
services; see docs/cli.md. Exit codes: 0 done, 2 usage error, 3 input rejected.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "monev.settings")
    from django.core.management import execute_from_command_line

    from monev.env import ConfigError

    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in {"-h", "--help"}:
        args = ["help", "--commands"] if not args else ["help"]
    try:
        execute_from_command_line(["monev", *args])
    except ConfigError as exc:
        # A missing key or a malformed variable: one line that names it, not a traceback.
        sys.stderr.write(f"monev: {exc}\n")
        sys.exit(2)


if __name__ == "__main__":
    main()
