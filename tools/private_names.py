"""An import-linter contract: a module never takes another app's private names.

A name that starts with one underscore (`pii._aead`, `store._rows`) is its module's own
business. Inside an app any module may use it; from another app it is a hidden reach that
no import contract sees, because the import graph records only the module
(`from monev.core.pii import _aead` is an import of `monev.core.pii`). So this contract reads
each module's source and reports:

- `from <other app's module> import _name`, and
- `<alias>._name` where `<alias>` is another app's module bound by an import.

An app is the package right under a container (`monev.rosters`); a module directly in the
container (`monev.settings`) is an app of its own. Configured in pyproject.toml:

    [tool.importlinter]
    contract_types = ["private_names: tools.private_names.PrivateNamesContract"]
"""

from __future__ import annotations

import ast
import importlib.util
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from importlinter.application import output
from importlinter.domain import fields
from importlinter.domain.contract import Contract, ContractCheck


@dataclass(frozen=True)
class Reach:
    importer: str
    name: str  # module.private_name
    line: int


def _private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


class PrivateNamesContract(Contract):
    type_name = "private_names"
    containers = fields.ListField(subfield=fields.StringField())
    ignore = fields.ListField(subfield=fields.StringField(), required=False)

    def check(self, graph: Any, verbose: bool) -> ContractCheck:
        containers: list[str] = list(self.containers)  # type: ignore[call-overload]
        ignored = set(self.ignore or [])  # type: ignore[arg-type]
        reaches = [
            reach
            for container in containers
            for module in sorted(graph.modules)
            if module.startswith(container + ".")
            for reach in _reaches(module, container, graph.modules)
            if f"{reach.importer} -> {reach.name}" not in ignored
        ]
        return ContractCheck(kept=not reaches, metadata={"reaches": reaches})

    def render_broken_contract(self, check: ContractCheck) -> None:
        output.print_error("Private names used outside their app:", bold=False)
        output.new_line()
        for reach in check.metadata["reaches"]:
            output.print_error(f"- {reach.importer} -> {reach.name} (l.{reach.line})", bold=False)
            output.new_line()


def _app(module: str, container: str) -> str:
    parts = module[len(container) + 1 :].split(".")
    return f"{container}.{parts[0]}"


def _source(module: str) -> Path | None:
    spec = importlib.util.find_spec(module)
    if spec is None or spec.origin is None or not spec.origin.endswith(".py"):
        return None
    return Path(spec.origin)


def _reaches(module: str, container: str, modules: set[str]) -> list[Reach]:
    path = _source(module)
    if path is None:
        return []
    tree = ast.parse(path.read_text(encoding="utf-8"))
    app = _app(module, container)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    aliases: dict[str, str] = {}
    found: list[Reach] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname and alias.name.startswith(container + "."):
                    aliases[alias.asname] = alias.name
        elif isinstance(node, ast.ImportFrom):
            source = _absolute(node, package)
            if not source.startswith(container + "."):
                continue
            for alias in node.names:
                if f"{source}.{alias.name}" in modules:
                    aliases[alias.asname or alias.name] = f"{source}.{alias.name}"
                elif _private(alias.name) and _app(source, container) != app:
                    found.append(Reach(module, f"{source}.{alias.name}", node.lineno))
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id in aliases
            and _private(node.attr)
            and _app(aliases[node.value.id], container) != app
        ):
            found.append(Reach(module, f"{aliases[node.value.id]}.{node.attr}", node.lineno))
    return found


def _absolute(node: ast.ImportFrom, package: str) -> str:
    if not node.level:
        return node.module or ""
    base = package.split(".")
    base = base[: len(base) - node.level + 1]
    return ".".join([*base, node.module] if node.module else base)
