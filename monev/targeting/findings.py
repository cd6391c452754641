"""Findings of the targeting for meetings and indicators.

`targeting_findings(*, pemda, period)` is the interface other apps call (the indicators and
meetings issues): a list of `Finding`, empty when there is nothing to say or no current run.
It reads the current run's figures, so it is cheap; scope is the caller's job (it takes a
Pemda code, not a user).

Rules (docs/targeting.md, "Findings"):
- `poor_workers_unprotected`: eligible poor working-age residents not protected. Red when
  under half of the eligible are protected, amber otherwise.
- `rentan_registration_backlog`: targets already on the Pemda's RENTAN roster (registration
  or payment pending). Amber.
- `poor_workers_not_listed`: targets on no roster at all. Amber.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from monev.targeting.models import TargetStat

RED_BELOW = 0.5


@dataclass(frozen=True)
class Finding:
    code: str
    severity: str  # red | amber
    pemda_code: str
    period: str
    text: str  # one sentence in the active language
    values: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _rupiah(amount: int) -> str:
    return f"Rp{amount:,}".replace(",", ".")


def targeting_findings(*, pemda: Any, period: str) -> list[Finding]:
    """Findings for one Pemda (a `Pemda` or its code) in one period."""
    code = getattr(pemda, "code", pemda)
    stat = TargetStat.objects.current().filter(pemda_code=code, period=period).first()
    if stat is None or stat.targets == 0:
        return []
    reach = stat.reach or 0.0
    found = [
        Finding(
            code="poor_workers_unprotected",
            severity="red" if reach < RED_BELOW else "amber",
            pemda_code=code,
            period=period,
            text=_(
                "%(n)s pekerja miskin usia kerja (desil 1–%(d)s) belum terlindungi BPJS "
                "Ketenagakerjaan; biaya paket BPU %(cost)s per tahun."
            )
            % {
                "n": f"{stat.targets:,}".replace(",", "."),
                "d": stat.run.rule.get("max_desil", 4),
                "cost": _rupiah(stat.yearly_cost),
            },
            values={
                "targets": stat.targets,
                "eligible": stat.eligible,
                "reach": reach,
                "yearly_cost": stat.yearly_cost,
            },
        )
    ]
    if stat.backlog:
        found.append(
            Finding(
                code="rentan_registration_backlog",
                severity="amber",
                pemda_code=code,
                period=period,
                text=_(
                    "%(n)s pekerja miskin sudah ada di daftar pekerja rentan Pemda tetapi belum "
                    "aktif di BPJS Ketenagakerjaan (tunggakan pendaftaran)."
                )
                % {"n": f"{stat.backlog:,}".replace(",", ".")},
                values={"backlog": stat.backlog},
            )
        )
    if stat.no_roster:
        found.append(
            Finding(
                code="poor_workers_not_listed",
                severity="amber",
                pemda_code=code,
                period=period,
                text=_(
                    "%(n)s pekerja miskin yang belum terlindungi belum masuk daftar pekerja "
                    "mana pun; unduh daftar sasaran sebagai daftar pekerja rentan."
                )
                % {"n": f"{stat.no_roster:,}".replace(",", ".")},
                values={"no_roster": stat.no_roster},
            )
        )
    return found
