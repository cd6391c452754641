"""The mapping from an identity provider's claims to a monev role and region grants.

Plain Python (no models), so settings can load and check the mapping file at start and
refuse to run with a broken one. The file is JSON (docs/sso.md):

    {"claim": "groups",
     "rules": [
       {"match": "monev-nasional", "role": "national"},
       {"match": "monev-kanwil-(?P<kanwil>[A-Z]+)", "role": "kanwil", "kanwil": "{kanwil}"},
       {"match": "monev-pemda-(?P<pemda>[0-9.]+)", "role": "pemda", "pemda": "{pemda}"}]}

Each value of the claim (a string or a list of strings) is matched in full against the
rules in order; the first rule that matches gives a role and a grant. Nothing matched, or
two different roles, is a refusal: the user is not let in.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROLES = ("national", "kanwil", "pemda", "auditor")
_TARGETS = ("kanwil", "pemda", "province")


class MappingError(ValueError):
    """The mapping file is malformed; the message says where."""


class Refused(Exception):
    """The claims map to no role (or to several); the message says why, for the audit."""


@dataclass(frozen=True)
class Rule:
    pattern: re.Pattern[str]
    role: str
    targets: tuple[tuple[str, str], ...] = ()  # ("pemda", "{pemda}") …
    all_regions: bool = False


@dataclass(frozen=True)
class ClaimMapping:
    claim: str
    rules: tuple[Rule, ...]


@dataclass(frozen=True)
class Mapped:
    """What the claims grant: one role, its regions (Kanwil, province and Pemda codes)."""

    role: str
    all_regions: bool
    kanwils: frozenset[str]
    provinces: frozenset[str]
    pemdas: frozenset[str]


def mapping_load(path: str) -> ClaimMapping:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise MappingError(f"{path}: {exc}") from None
    return mapping_parse(data)


def mapping_parse(data: Any) -> ClaimMapping:
    if not isinstance(data, Mapping) or not isinstance(data.get("claim"), str):
        raise MappingError('the mapping needs "claim" (the claim to read) and "rules"')
    rules = data.get("rules")
    if not isinstance(rules, list) or not rules:
        raise MappingError('"rules" must be a non-empty list')
    return ClaimMapping(data["claim"], tuple(_rule(i, r) for i, r in enumerate(rules, 1)))


def _rule(number: int, raw: Any) -> Rule:
    where = f"rule {number}"
    if not isinstance(raw, Mapping) or raw.get("role") not in ROLES:
        raise MappingError(f"{where}: role must be one of {', '.join(ROLES)}")
    try:
        pattern = re.compile(str(raw.get("match", "")))
    except re.error as exc:
        raise MappingError(f"{where}: match is not a regular expression ({exc})") from None
    if not pattern.pattern:
        raise MappingError(f"{where}: match is empty")
    targets = tuple((key, str(raw[key])) for key in _TARGETS if raw.get(key))
    for _key, template in targets:
        names = set(re.findall(r"{(\w+)}", template))
        if not names <= set(pattern.groupindex):
            raise MappingError(f"{where}: {template!r} names a group the pattern lacks")
    return Rule(pattern, raw["role"], targets, bool(raw.get("all_regions", False)))


def claims_map(*, claims: Mapping[str, Any], mapping: ClaimMapping) -> Mapped:
    """The role and grants `claims` give under `mapping`; raises Refused otherwise."""
    raw = claims.get(mapping.claim)
    values = [raw] if isinstance(raw, str) else raw if isinstance(raw, list) else []
    hits = [hit for v in values if isinstance(v, str) for hit in _first_hit(v, mapping)]
    if not hits:
        raise Refused(f"no value of claim {mapping.claim!r} matches a rule")
    roles = {rule.role for rule, _groups in hits}
    if len(roles) > 1:
        raise Refused(f"claim {mapping.claim!r} gives several roles: {', '.join(sorted(roles))}")
    found: dict[str, set[str]] = {key: set() for key in _TARGETS}
    for rule, groups in hits:
        for key, template in rule.targets:
            found[key].add(template.format(**groups))
    return Mapped(
        role=roles.pop(),
        all_regions=any(rule.all_regions for rule, _groups in hits),
        kanwils=frozenset(found["kanwil"]),
        provinces=frozenset(found["province"]),
        pemdas=frozenset(found["pemda"]),
    )


def _first_hit(value: str, mapping: ClaimMapping) -> list[tuple[Rule, dict[str, str]]]:
    for rule in mapping.rules:
        match = rule.pattern.fullmatch(value)
        if match:
            groups = {k: v or "" for k, v in match.groupdict().items()}
            return [(rule, groups)]
    return []
