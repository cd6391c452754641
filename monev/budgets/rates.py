"""The contribution calculator: dated rate rows in, integer Rupiah out.

Rounding (docs/rates.md): every share (employer, worker, government) of every programme is
computed exactly with `Decimal` from the integer wage base and the row's percentage, then
rounded half-up to a whole Rupiah. A discount or deferral is applied to each rounded share
and the payable part is again rounded half-up. Totals are sums of rounded shares, so a
total always equals the sum of the figures shown. No floats anywhere.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from monev.budgets.models import ContributionRate, Programme, RateKind, RiskClass, Segment

EARLIEST_DATE = dt.date(2015, 7, 1)  # BPJS Ketenagakerjaan full operation (PP 44–46/2015)
MAX_WAGE = 1_000_000_000_000  # Rp1 trillion a month: anything above is a typing error
DEFAULT_RISK = RiskClass.VERY_LOW  # Pemda and village employers (domain.md §3.1)
PROGRAMME_ORDER = [p.value for p in Programme]


class ContributionInputError(ValueError):
    """A request the calculator cannot answer; the message says why, in Indonesian."""


def round_rupiah(value: Decimal) -> int:
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def percent_of(amount: int, percent: Decimal) -> int:
    return round_rupiah(Decimal(amount) * percent / 100)


@dataclass
class RowUsed:
    key: str
    kind: str
    legal_basis: str
    confidence: str
    valid_from: str
    valid_to: str | None


@dataclass
class ProgrammeShare:
    programme: str
    wage_base: int
    employer: int = 0
    worker: int = 0
    government: int = 0
    deferred: int = 0
    # JKP: the employer part moved here from another programme's share (PP 37/2021)
    recomposed: dict[str, int] = field(default_factory=dict)
    rows: list[RowUsed] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.employer + self.worker + self.government

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["total"] = self.total
        data["legal_basis"] = sorted({row.legal_basis for row in self.rows})
        return data


@dataclass
class Contribution:
    segment: str
    wage: int
    date: dt.date
    risk: str
    sector: str
    programmes: list[ProgrammeShare]

    def total(self, part: str = "total") -> int:
        return sum(getattr(share, part) for share in self.programmes)

    def as_dict(self) -> dict[str, Any]:
        parts = ["employer", "worker", "government", "deferred", "total"]
        return {
            "segment": self.segment,
            "wage": self.wage,
            "date": self.date.isoformat(),
            "risk": self.risk,
            "sector": self.sector,
            "programmes": [share.as_dict() for share in self.programmes],
            "totals": {part: self.total(part) for part in parts},
            "rounding": _("dibulatkan ke rupiah terdekat per bagian"),
        }


class RateTable:
    """The rate rows in force on one day, loaded once and reused for many wages."""

    def __init__(self, day: dt.date, rows: Iterable[ContributionRate]):
        self.day = day
        self.rows = list(rows)

    @classmethod
    def on(cls, day: dt.date) -> RateTable:
        return cls(day, ContributionRate.objects.effective_on(day))

    def _pick(
        self, programme: str, segment: str, kinds: set[str], sector: str, risk: str = ""
    ) -> ContributionRate | None:
        candidates = [
            row
            for row in self.rows
            if row.programme == programme
            and row.segment == segment
            and row.kind in kinds
            and row.sector in ("", sector)
            and row.risk_class in ("", risk)
        ]
        # Most specific first: a sector row beats a general one, a risk row a general one.
        candidates.sort(
            key=lambda r: (r.sector == "", r.risk_class == "", -r.valid_from.toordinal())
        )
        return candidates[0] if candidates else None

    def base_row(
        self, programme: str, segment: str, sector: str, risk: str
    ) -> ContributionRate | None:
        return self._pick(programme, segment, {RateKind.RATE, RateKind.FLAT}, sector, risk)

    def default_programmes(self, segment: str, sector: str, risk: str) -> list[str]:
        out = []
        for programme in PROGRAMME_ORDER:
            row = self.base_row(programme, segment, sector, risk)
            if row is not None and not row.optional:
                out.append(programme)
        return out

    def share(
        self, programme: str, segment: str, wage: int, sector: str, risk: str
    ) -> ProgrammeShare:
        base = self.base_row(programme, segment, sector, risk)
        if base is None:
            raise ContributionInputError(
                _("Program %(p)s tidak tersedia untuk segmen %(s)s pada %(d)s.")
                % {"p": programme, "s": segment, "d": self.day.isoformat()}
            )
        used = [base]
        wage_base = wage
        floor = self._pick(programme, segment, {RateKind.WAGE_FLOOR}, sector)
        if floor is not None and wage_base < floor.amount:
            wage_base = floor.amount
            used.append(floor)
        cap = self._pick(programme, segment, {RateKind.WAGE_CAP}, sector)
        if cap is not None and wage_base > cap.amount:
            wage_base = cap.amount
            used.append(cap)
        share = ProgrammeShare(
            programme=programme,
            wage_base=wage_base,
            employer=percent_of(wage_base, base.employer_percent) + base.employer_amount,
            worker=percent_of(wage_base, base.worker_percent) + base.worker_amount,
            government=percent_of(wage_base, base.government_percent),
        )
        self._relief(share, programme, segment, sector, used)
        for row in self._recompositions(programme, segment, sector):
            moved = percent_of(wage_base, row.percent)
            share.recomposed[row.from_programme] = moved
            share.employer += moved
            used.append(row)
        share.rows = [_row_used(row) for row in used]
        return share

    def _recompositions(self, programme: str, segment: str, sector: str) -> list[ContributionRate]:
        return [
            row
            for row in self.rows
            if row.kind == RateKind.RECOMPOSITION
            and row.programme == programme
            and row.segment == segment
            and row.sector in ("", sector)
        ]

    def _relief(
        self,
        share: ProgrammeShare,
        programme: str,
        segment: str,
        sector: str,
        used: list[ContributionRate],
    ) -> None:
        relief = self._pick(programme, segment, {RateKind.DISCOUNT, RateKind.DEFERRAL}, sector)
        if relief is None:
            return
        used.append(relief)
        keep = (100 - relief.percent) / 100
        for part in ("employer", "worker", "government"):
            full = getattr(share, part)
            payable = round_rupiah(Decimal(full) * keep)
            setattr(share, part, payable)
            if relief.kind == RateKind.DEFERRAL:
                share.deferred += full - payable


def _row_used(row: ContributionRate) -> RowUsed:
    return RowUsed(
        key=row.key,
        kind=row.kind,
        legal_basis=row.legal_basis,
        confidence=row.confidence,
        valid_from=row.valid_from.isoformat(),
        valid_to=row.valid_to.isoformat() if row.valid_to else None,
    )


def parse_wage(raw: Any) -> int:
    """A whole positive number of Rupiah; `3000000`, `3.000.000` and `3,000,000` are accepted."""
    text = str(raw).strip().replace(".", "").replace(",", "").replace("_", "")
    if text.startswith("-"):
        raise ContributionInputError(_("Upah tidak boleh negatif: %(v)s.") % {"v": raw})
    if not (text.isascii() and text.isdigit()):
        raise ContributionInputError(_("Upah harus bilangan bulat rupiah: %(v)s.") % {"v": raw})
    return check_wage(int(text))


def check_wage(wage: int) -> int:
    if wage < 0:
        raise ContributionInputError(_("Upah tidak boleh negatif: %(v)s.") % {"v": wage})
    if wage == 0:
        raise ContributionInputError(_("Upah harus lebih dari nol."))
    if wage > MAX_WAGE:
        raise ContributionInputError(
            _("Upah %(v)s tidak wajar (di atas Rp1 triliun).") % {"v": wage}
        )
    return wage


def parse_date(raw: str | dt.date | None) -> dt.date:
    if raw is None or raw == "":
        return timezone.localdate()
    if isinstance(raw, dt.date):
        day = raw
    else:
        try:
            day = dt.date.fromisoformat(str(raw).strip())
        except ValueError:
            raise ContributionInputError(
                _("Tanggal %(v)s tidak sah (format YYYY-MM-DD).") % {"v": raw}
            ) from None
    if day < EARLIEST_DATE:
        raise ContributionInputError(
            _("Tidak ada tarif sebelum %(d)s (BPJS Ketenagakerjaan beroperasi penuh).")
            % {"d": EARLIEST_DATE.isoformat()}
        )
    return day


def parse_programmes(raw: str | Iterable[str] | None) -> list[str] | None:
    if raw is None or raw == "":
        return None
    items = raw.split(",") if isinstance(raw, str) else list(raw)
    out = [item.strip().upper() for item in items if item.strip()]
    unknown = [item for item in out if item not in PROGRAMME_ORDER]
    if unknown:
        raise ContributionInputError(
            _("Program tidak dikenal: %(v)s (pilih dari %(ok)s).")
            % {"v": ", ".join(unknown), "ok": ", ".join(PROGRAMME_ORDER)}
        )
    return out or None


def check_choice(value: str, choices: type[Segment] | type[RiskClass], what: str) -> str:
    allowed = [c.value for c in choices]
    if value not in allowed:
        raise ContributionInputError(
            _("%(what)s %(v)s tidak dikenal (pilih dari %(ok)s).")
            % {"what": what, "v": value, "ok": ", ".join(allowed)}
        )
    return value


def contribution_calculate(
    *,
    segment: str,
    wage: int,
    day: dt.date | str | None = None,
    risk: str = DEFAULT_RISK,
    programmes: list[str] | str | None = None,
    sector: str = "",
    table: RateTable | None = None,
) -> Contribution:
    """The monthly contribution for one worker, per programme, with the rows used."""
    segment = check_choice((segment or "").upper(), Segment, _("Segmen"))
    risk = check_choice(risk or DEFAULT_RISK, RiskClass, _("Kelas risiko"))
    wage = check_wage(wage)
    when = parse_date(day)
    table = table if table is not None and table.day == when else RateTable.on(when)
    wanted = parse_programmes(programmes) or table.default_programmes(segment, sector, risk)
    if not wanted:
        raise ContributionInputError(
            _("Tidak ada tarif %(s)s yang berlaku pada %(d)s.") % {"s": segment, "d": when}
        )
    shares = [table.share(p, segment, wage, sector, risk) for p in wanted]
    _recompose(shares)
    return Contribution(segment, wage, when, risk, sector, shares)


def _recompose(shares: list[ProgrammeShare]) -> None:
    """Move each recomposed part out of the programme it comes from (JKK/JKM into JKP), so
    the employer's bill is the same with or without the receiving programme."""
    by_programme = {share.programme: share for share in shares}
    for share in shares:
        for source, amount in share.recomposed.items():
            giver = by_programme.get(source)
            if giver is None:
                raise ContributionInputError(
                    _("%(p)s dihitung bersama %(s)s: sebagian iurannya dialihkan dari %(s)s.")
                    % {"p": share.programme, "s": source}
                )
            giver.employer -= amount
