"""Demo data: realistic roster and registry files in the documented formats.

For the 65 Pemda of Kanwil Sumbagsel (or, with `all_pemda`, the 552 of the country): real
kecamatan codes in the NIKs, plausible headcounts per category (Pemprov only non-ASN;
perangkat desa only in kabupaten; more RT/RW heads in kota), a coverage propensity that
differs per Pemda and rises month by month, some lapses, incomplete programme sets for part
of the wage earners, and background participants who are on no roster. Seeded, so the same
arguments give the same files.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl

from monev.core.scope import SYSTEM
from monev.coverage.services import match_run
from monev.regions.models import Pemda, Region
from monev.registry.services import registry_import
from monev.rosters.models import RosterVersion, UploadMode
from monev.rosters.services import roster_import

GIVEN = [
    "Adi",
    "Agus",
    "Ahmad",
    "Andi",
    "Ani",
    "Arif",
    "Ayu",
    "Bambang",
    "Budi",
    "Dedi",
    "Dewi",
    "Dian",
    "Eka",
    "Endang",
    "Fajar",
    "Fitri",
    "Hadi",
    "Hendra",
    "Indah",
    "Joko",
    "Kartini",
    "Lestari",
    "Maya",
    "Muhammad",
    "Nur",
    "Putri",
    "Rahmat",
    "Ratna",
    "Rina",
    "Rudi",
    "Sari",
    "Siti",
    "Slamet",
    "Sri",
    "Taufik",
    "Tri",
    "Wahyu",
    "Wati",
    "Yanti",
    "Yudi",
    "Yusuf",
    "Zainal",
]
FAMILY = [
    "Saputra",
    "Wijaya",
    "Hidayat",
    "Kurniawan",
    "Setiawan",
    "Pratama",
    "Siregar",
    "Lubis",
    "Nasution",
    "Harahap",
    "Simanjuntak",
    "Rahman",
    "Hakim",
    "Santoso",
    "Susanto",
    "Gunawan",
    "Firmansyah",
    "Ramadhan",
    "Syahputra",
    "Utami",
    "Handayani",
    "Permata",
    "Anggraini",
    "Purnama",
    "Kusuma",
    "Halim",
    "Effendi",
    "Manurung",
]
POSITIONS = {
    "NON_ASN": ("Tenaga administrasi", "Guru honorer", "Tenaga kesehatan", "Petugas kebersihan"),
    "PERANGKAT_DESA": ("Sekretaris desa", "Kepala urusan", "Kepala seksi", "Kepala dusun"),
    "RT_RW": ("Ketua RT", "Ketua RW"),
    "RENTAN": ("Petani", "Nelayan", "Pedagang kecil", "Buruh harian"),
}
WAGES = {"NON_ASN": (1_500_000, 4_500_000), "PERANGKAT_DESA": (2_022_000, 3_400_000)}
# PP 11/2019: the fixed income (siltap) of a sekretaris desa is at least Rp2,224,420 and of
# other perangkat desa at least Rp2,022,000 (100% of a civil servant's II/a base salary).
SILTAP_FLOOR = {"Sekretaris desa": 2_224_420}
# Per kecamatan: the demo sizes each list by the Pemda's number of kecamatan, so a large
# kabupaten has more perangkat desa than a small kota.
PER_DISTRICT = {
    "NON_ASN": (25, 70),
    "PERANGKAT_DESA": (60, 100),
    "RT_RW_KOTA": (120, 300),
    "RT_RW": (10, 40),
    "RENTAN": (20, 90),
}
MONTHLY_REACH = 0.012  # registration grows about 1.2 points a month
MISSING_SHARE = 0.08  # Pemda that have sent no list at all
LATE_SHARE = 0.2  # Pemda that sent their list after the deadline


DEMO_USERS_PEMDA = frozenset({"16.71", "16.04"})  # the demo operators' Pemda always report


@dataclass
class DemoFiles:
    rosters: list[tuple[str, str, Path]] = field(default_factory=list)  # pemda, period, file
    registry: list[tuple[str, Path]] = field(default_factory=list)  # period, file
    workers: int = 0
    participants: dict[str, int] = field(default_factory=dict)
    late: set[str] = field(default_factory=set)  # Pemda whose list came after the deadline
    missing: list[str] = field(default_factory=list)  # Pemda that sent no list


def demo_pemda(*, all_pemda: bool = False, kanwil: str = "SUMBAGSEL") -> list[Pemda]:
    rows = Pemda.objects.filter(active=True).select_related("region").order_by("code")
    return list(rows if all_pemda else rows.filter(kanwil__code=kanwil))


def _districts(pemda: Pemda) -> list[str]:
    field_name = "province_code" if pemda.level == "province" else "pemda_code"
    value = pemda.province_code if pemda.level == "province" else pemda.code
    codes = Region.objects.current().districts().filter(**{field_name: value})
    return [c.replace(".", "") for c in codes.values_list("code", flat=True) if len(c) == 8]


def _headcounts(pemda: Pemda, rng: random.Random, scale: float, districts: int) -> dict[str, int]:
    """Headcounts that grow with the Pemda's size (its number of kecamatan)."""

    def n(key: str, factor: float = 1.0) -> int:
        low, high = PER_DISTRICT[key]
        return max(3, int(districts * rng.uniform(low, high) * factor * scale))

    if pemda.level == "province":
        return {"NON_ASN": n("NON_ASN", 0.15)}
    kota = pemda.region.kind == "kota"
    counts = {"NON_ASN": n("NON_ASN"), "RT_RW": n("RT_RW_KOTA" if kota else "RT_RW")}
    counts["RENTAN"] = n("RENTAN")
    if not kota:
        counts["PERANGKAT_DESA"] = n("PERANGKAT_DESA")
    return counts


class _Niks:
    """Unique, valid NIKs: a real kecamatan, a birth date (women +40), a serial 0001–9999."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.seen: set[str] = set()

    def make(self, district: str) -> str:
        while True:
            day, month = self.rng.randint(1, 28), self.rng.randint(1, 12)
            year = self.rng.randint(1966, 2004) % 100
            if self.rng.random() < 0.45:
                day += 40
            serial = self.rng.randint(1, 9999)  # 0000 is never issued; 1000 is
            value = f"{district}{day:02d}{month:02d}{year:02d}{serial:04d}"
            if value not in self.seen:
                self.seen.add(value)
                return value


def _name(rng: random.Random) -> str:
    return f"{rng.choice(GIVEN)} {rng.choice(FAMILY)}"


def _roster_rows(
    pemda: Pemda, districts: list[str], rng: random.Random, niks: _Niks, scale: float
) -> list[dict[str, Any]]:
    rows = []
    funding = "APBD_PROV" if pemda.level == "province" else "APBD_KABKOTA"
    for category, count in _headcounts(pemda, rng, scale, len(districts)).items():
        wage_range = WAGES.get(category)
        for _ in range(count):
            position = rng.choice(POSITIONS[category])
            wage = rng.randrange(*wage_range, 50_000) if wage_range else None
            if wage is not None:
                wage = max(wage, SILTAP_FLOOR.get(position, 0))
            rows.append(
                {
                    "nik": niks.make(rng.choice(districts)),
                    "nama": _name(rng),
                    "kategori": category,
                    "jabatan": position,
                    "upah": str(wage) if wage is not None else "",
                    "sumber_dana": "APBDES" if category == "PERANGKAT_DESA" else funding,
                }
            )
    return rows


def _participant(
    worker: dict[str, Any], period_no: int, propensity: float, rng: random.Random
) -> dict[str, Any] | None:
    """The worker's registry row in the n-th period, or None when not registered."""
    u, churn = worker["_u"], rng.random()
    reach = propensity + MONTHLY_REACH * period_no
    wage_earner = worker["kategori"] in WAGES
    if u >= reach + 0.10:
        return None
    base = {
        "nik": worker["nik"],
        "kpj": worker["_kpj"],
        "segmen": "PU" if wage_earner else "BPU",
        "npp": worker["_npp"] if wage_earner else "",
        "upah": worker["upah"] or "1000000",
        "kode_wilayah": f"{worker['nik'][:2]}.{worker['nik'][2:4]}.{worker['nik'][4:6]}",
    }
    lapsed = u >= reach or churn < 0.03
    full = "JKK,JKM,JHT,JP" if wage_earner else "JKK,JKM"
    program = full if (worker["_full"] or not wage_earner) else "JKK,JKM"
    if not wage_earner and worker["_full"] is False and u < 0.05:
        program = "JKK"
    return {
        **base,
        "program": program,
        "status": "NONAKTIF" if lapsed and churn < 0.5 else "AKTIF",
        "_behind": lapsed,
    }


def _period_name(periods: list[str], i: int) -> str:
    return periods[i]


def _paid_until(period: str, behind: bool) -> str:
    year, month = int(period[:4]), int(period[5:])
    if behind:
        month -= 3
        if month <= 0:
            year, month = year - 1, month + 12
    return f"{year:04d}-{month:02d}"


def _background(
    n: int, districts: list[str], niks: _Niks, rng: random.Random, period: str
) -> list[dict[str, Any]]:
    segments = ("PU", "PU", "PU", "BPU", "JAKON", "PMI")
    rows = []
    for _ in range(n):
        segment = rng.choice(segments)
        district = rng.choice(districts)
        rows.append(
            {
                "nik": niks.make(district),
                "kpj": f"{rng.randrange(10**10, 10**11)}",
                "segmen": segment,
                "program": "JKK,JKM,JHT,JP" if segment == "PU" else "JKK,JKM",
                "npp": f"NPP{rng.randrange(10**7, 10**8)}" if segment == "PU" else "",
                "upah": str(rng.randrange(2_000_000, 9_000_000, 100_000)),
                "status": "AKTIF" if rng.random() < 0.8 else "NONAKTIF",
                "iuran_terakhir": period,
                "kode_wilayah": f"{district[:2]}.{district[2:4]}.{district[4:6]}",
            }
        )
    return rows


def demo_generate(
    *,
    out_dir: Path,
    periods: list[str],
    all_pemda: bool = False,
    scale: float = 1.0,
    background: float = 1.0,
    seed: int = 2022,
) -> DemoFiles:
    """Write one roster CSV per Pemda (first period) and one registry CSV.GZ per period."""
    rng = random.Random(seed)
    niks = _Niks(rng)
    files = DemoFiles()
    (out_dir / "rosters").mkdir(parents=True, exist_ok=True)
    (out_dir / "registry").mkdir(parents=True, exist_ok=True)
    workers: list[tuple[dict[str, Any], float]] = []
    all_districts: list[str] = []
    for pemda in demo_pemda(all_pemda=all_pemda):
        districts = _districts(pemda)
        if not districts:
            continue
        all_districts.extend(districts)
        if pemda.code not in DEMO_USERS_PEMDA and rng.random() < MISSING_SHARE:
            files.missing.append(pemda.code)  # sent nothing: "belum ada data"
            continue
        if pemda.code not in DEMO_USERS_PEMDA and rng.random() < LATE_SHARE:
            files.late.add(pemda.code)
        propensity = rng.uniform(0.12, 0.75)
        rows = _roster_rows(pemda, districts, rng, niks, scale)
        for row in rows:
            row.update(
                _u=rng.random(),
                _full=rng.random() < 0.8,
                _kpj=f"{rng.randrange(10**10, 10**11)}",
                _npp=f"NPP{pemda.code.replace('.', '')}{rng.randint(1, 40):03d}",
            )
            workers.append((row, propensity))
        target = out_dir / "rosters" / f"daftar-{pemda.code}-{periods[0]}.csv"
        pl.DataFrame(rows).select(
            "nik", "nama", "kategori", "jabatan", "upah", "sumber_dana"
        ).write_csv(target)
        files.rosters.append((pemda.code, periods[0], target))
    files.workers = len(workers)
    extra = _background(int(len(workers) * background), all_districts, niks, rng, periods[0])
    for i, period in enumerate(periods):
        rows = []
        for worker, propensity in workers:
            found = _participant(worker, i, propensity, rng)
            if found is not None:
                behind = found.pop("_behind")
                found["iuran_terakhir"] = _paid_until(period, behind)
                rows.append(found)
        rows.extend({**r, "iuran_terakhir": period} for r in extra)
        target = out_dir / "registry" / f"registri-{period}.csv.gz"
        frame = pl.DataFrame(rows).select(
            "nik",
            "kpj",
            "segmen",
            "program",
            "npp",
            "upah",
            "status",
            "iuran_terakhir",
            "kode_wilayah",
        )
        _write_csv_gz(frame, target)
        files.registry.append((period, target))
        files.participants[period] = frame.height
    return files


def _write_csv_gz(frame: pl.DataFrame, target: Path) -> None:
    frame.write_csv(target, compression="gzip", compression_level=3)


def _backdate(version: Any, late: bool) -> None:
    """Give a demo list the commit date a real one would have: within the 10-day deadline
    after its period, or (late Pemda) weeks after it."""
    rng = random.Random(f"sent-{version.pemda_id}-{version.period}")
    year, month = int(version.period[:4]), int(version.period[5:7])
    month_end = dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)
    days = rng.randint(15, 45) if late else rng.randint(2, 9)
    sent = dt.datetime.combine(month_end + dt.timedelta(days=days), dt.time(10), tzinfo=dt.UTC)
    RosterVersion.objects.filter(pk=version.pk).update(created_at=sent)


def demo_load(files: DemoFiles, *, say: Any = print) -> dict[str, Any]:
    """Import the rosters and registry extracts, then match every period in order."""
    pemdas = {p.code: p for p in Pemda.objects.filter(code__in=[r[0] for r in files.rosters])}
    started = time.perf_counter()
    for code, period, path in files.rosters:
        upload = roster_import(
            pemda=pemdas[code],
            period=period,
            data=path.read_bytes(),
            filename=path.name,
            mode=UploadMode.ACCEPT_VALID,
            by=SYSTEM,
        )
        if upload.rows_invalid:
            say(f"  {code}: {upload.rows_invalid} baris ditolak")
        if upload.version is not None:
            _backdate(upload.version, code in files.late)
    say(
        f"daftar pekerja: {len(files.rosters)} Pemda, {files.workers} pekerja "
        f"({time.perf_counter() - started:.1f} d)"
    )
    runs = {}
    for period, path in files.registry:
        result = registry_import(period=period, path=path, by=SYSTEM, accept_valid=True)
        run = match_run(period=period, by=SYSTEM)
        runs[period] = run.counts
        say(
            f"registri {period}: {result.rows_accepted} peserta; pencocokan: "
            f"{run.counts.get('protected', 0)}/{run.counts.get('headcount', 0)} terlindungi"
        )
    return runs
