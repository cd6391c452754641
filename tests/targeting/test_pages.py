"""Pages, exports and API of the targeting: what each role sees, the audited clear-NIK
exports, the roster file round trip, bad input as clear 4xx."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest

from monev.core.models import AuditEvent
from monev.core.scope import SYSTEM
from monev.regions.models import Pemda
from monev.targeting import selectors
from monev.targeting.services import target_run
from tests.conftest import bearer
from tests.coverage.factories import import_registry
from tests.targeting.factories import import_register, nik, person

pytestmark = pytest.mark.django_db
PERIOD = "2025-03"


@pytest.fixture
def run(tmp_path: Path, rates: None) -> Any:
    people = [
        person(1, "Ani Lahat", pekerjaan="Petani"),
        person(2, "Budi Lahat", region="16.04.06.2003", kecamatan="160406"),
        person(3, "Citra Palembang", region="16.71.01.1001", kecamatan="167101"),
        person(4, "Dedi Terlindungi"),
    ]
    import_register(tmp_path, "2025-01", people)
    import_registry(tmp_path, PERIOD, [{"nik": nik(4), "segmen": "BPU"}])
    return target_run(period=PERIOD, by=SYSTEM)


def test_pemda_sees_only_its_own_residents(run: Any, cast: dict[str, Any], client_for: Any) -> None:
    lahat = [s.pemda_code for s in selectors.target_stat_list(user=cast["lahat"], period=PERIOD)]
    assert lahat == ["16.04"]
    page = client_for("lahat").get("/sasaran/").content.decode()
    assert "16.04" in page and "sasaran-16.71" not in page
    detail = client_for("lahat").get(f"/sasaran/16.04/?periode={PERIOD}").content.decode()
    assert "Ani Lahat" in detail and "Budi Lahat" in detail
    assert "Citra" not in detail and "Dedi" not in detail
    assert nik(1) not in detail and "1604********0001" in detail
    read = AuditEvent.objects.filter(action="targeting.read").latest("id")
    assert read.actor.username == "lahat" and read.changes["rows"] == 2
    assert read.changes["via"] == "page" and read.pemda_code == "16.04"
    assert client_for("lahat").get(f"/sasaran/16.71/?periode={PERIOD}").status_code == 404
    national = [
        s.pemda_code for s in selectors.target_stat_list(user=cast["national"], period=PERIOD)
    ]
    assert national == ["16", "16.04", "16.71"]  # ordered by targets, then code


def test_pemprov_rolls_up_its_kab_kota(run: Any, cast: dict[str, Any], client_for: Any) -> None:
    province = selectors.target_stat_get(user=cast["national"], pemda_code="16", period=PERIOD)
    assert province.level == "province"
    assert (province.eligible, province.protected, province.targets) == (4, 1, 3)
    assert province.yearly_cost == 3 * 16_800 * 12
    assert province.by_desil == {"2": 3}
    people, total = selectors.target_people(stat=province)
    assert total == 3 and set(people["pemda_code"]) == {"16.04", "16.71"}
    layer = selectors.targeting_layer(user=cast["national"], period=PERIOD, level="province")
    assert layer[0]["targets"] == 3  # the Pemprov row is not counted twice
    page = client_for("national").get(f"/sasaran/?periode={PERIOD}").content.decode()
    assert 'sasaran-16"' in page
    assert client_for("lahat").get(f"/sasaran/16/?periode={PERIOD}").status_code == 404


def test_filters_on_the_page(run: Any, client_for: Any) -> None:
    client = client_for("lahat")
    page = client.get(f"/sasaran/16.04/?periode={PERIOD}&desa=16.04.06").content.decode()
    assert "Budi Lahat" in page and "Ani Lahat" not in page
    for bad in ("desil=11", "daftar=X", "status=PROTECTED", "dari=-1", "periode=2025-13"):
        response = client.get(f"/sasaran/16.04/?periode={PERIOD}&{bad}")
        assert response.status_code == 400, bad
    assert client.get("/sasaran/?periode=abc").status_code == 400


def test_masked_csv_for_every_role_in_scope(run: Any, client_for: Any) -> None:
    body = client_for("auditor").get(f"/sasaran/16.04/sasaran.csv?periode={PERIOD}")
    text = body.content.decode()
    assert body.status_code == 200 and "Ani Lahat" in text and nik(1) not in text


def test_roster_export_is_audited_and_uploads_as_a_roster(run: Any, client_for: Any) -> None:
    from monev.rosters.services import roster_import

    response = client_for("lahat").get(f"/sasaran/16.04/daftar-rentan.csv?periode={PERIOD}")
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    data = response.content
    rows = list(csv.DictReader(io.StringIO(data.decode())))
    assert [(r["nik"], r["kategori"], r["kode_desa"]) for r in rows] == [
        (nik(1), "RENTAN", "16.04.01.2001"),
        (nik(2, kecamatan="160406"), "RENTAN", "16.04.06.2003"),
    ]
    event = AuditEvent.objects.get(action="targeting.export_roster")
    assert event.pemda_code == "16.04" and event.changes["rows"] == 2
    assert event.actor.username == "lahat" and nik(1) not in repr(event.changes)
    upload = roster_import(
        pemda=Pemda.objects.get(code="16.04"),
        period=PERIOD,
        data=data,
        filename="daftar-rentan.csv",
        by=event.actor,
    )
    assert upload.version is not None and upload.version.rows_accepted == 2


def test_registration_export_roles(run: Any, client_for: Any, token_for: Any) -> None:
    url = f"/sasaran/16.04/registrasi.csv?periode={PERIOD}"
    for username in ("national", "auditor", "palembang"):
        assert client_for(username).get(url).status_code in (403, 404), username
    assert not AuditEvent.objects.filter(action="targeting.export_registration").exists()
    response = client_for("sumbagsel").get(url)
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [r["nik"] for r in rows] == [nik(1), nik(2, kecamatan="160406")]
    assert rows[0]["paket_bpu_per_bulan"] == "16800"
    assert AuditEvent.objects.filter(action="targeting.export_registration").count() == 1
    api = f"/api/v1/targeting/16.04/registration?period={PERIOD}"
    refused = client_for("national").get(api, **bearer(token_for("national")))
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "forbidden"
    ok = client_for("lahat").get(api, **bearer(token_for("lahat")))
    assert ok.status_code == 200 and nik(1) in ok.content.decode()
    assert AuditEvent.objects.filter(action="targeting.export_registration").count() == 2


def test_api(run: Any, client_for: Any, token_for: Any) -> None:
    client, auth = client_for("lahat"), bearer(token_for("lahat"))
    listed = client.get("/api/v1/targeting", **auth).json()
    assert [s["pemda"] for s in listed] == ["16.04"]
    detail = client.get("/api/v1/targeting/16.04", **auth).json()
    assert detail["targets"] == 2 and detail["yearly_cost"] == 2 * 16_800 * 12
    assert detail["by_roster_status"]["NO_ROSTER"] == 2
    people = client.get("/api/v1/targeting/16.04/people?limit=1", **auth).json()
    assert people["total"] == 2 and len(people["people"]) == 1
    assert "nik_hash" not in people["people"][0]
    findings = client.get("/api/v1/targeting/16.04/findings", **auth).json()
    assert findings[0]["code"] == "poor_workers_unprotected"
    layer = client.get("/api/v1/targeting/layer?level=province", **auth).json()
    assert layer == [
        {
            "code": "16",
            "targets": 2,
            "eligible": 3,
            "protected": 1,
            "backlog": 0,
            "yearly_cost": 2 * 16_800 * 12,
            "reach": pytest.approx(1 / 3),
        }
    ]
    for bad, code in (
        ("/api/v1/targeting/16.04?period=2025-13", 400),
        ("/api/v1/targeting/xx", 400),
        ("/api/v1/targeting/16.71", 404),
        ("/api/v1/targeting/16.04/people?limit=0", 400),
        ("/api/v1/targeting/16.04/people?desil=12", 400),
        ("/api/v1/targeting/16.04/people?status=PROTECTED", 422),
        ("/api/v1/targeting?period=2020-01", 200),
    ):
        assert client.get(bad, **auth).status_code == code, bad


def test_no_run_yet(client_for: Any, token_for: Any) -> None:
    assert "Belum ada hasil" in client_for("lahat").get("/sasaran/").content.decode()
    response = client_for("lahat").get("/api/v1/targeting", **bearer(token_for("lahat")))
    assert response.status_code == 404 and response.json()["error"]["code"] == "no_run"


def test_run_from_the_web_and_staleness(
    tmp_path: Path,
    rates: None,
    client_for: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    from monev.core.models import Job
    from monev.targeting.models import TargetRun

    import_register(tmp_path, "2025-01", [person(1, "Ani Lahat")])
    import_registry(tmp_path, PERIOD, [{"nik": nik(9), "segmen": "BPU"}])
    assert client_for("lahat").post("/sasaran/jalankan/", {"periode": PERIOD}).status_code == 403
    assert client_for("national").post("/sasaran/jalankan/", {"periode": "x"}).status_code == 400
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for("national").post("/sasaran/jalankan/", {"periode": PERIOD})
    assert response.status_code == 302
    job = Job.objects.get(kind="targeting.run")
    assert job.state == "done" and job.result["targets"] == 1
    run = TargetRun.objects.get(is_current=True)
    assert not selectors.run_is_stale(run)
    import_registry(tmp_path, PERIOD, [{"nik": nik(1), "segmen": "BPU"}])
    assert selectors.run_is_stale(run)
    page = client_for("lahat").get(f"/sasaran/16.04/?periode={PERIOD}").content.decode()
    assert "perlu dihitung ulang" in page
    with django_capture_on_commit_callbacks(execute=True):
        client_for("national").post("/sasaran/jalankan/", {"periode": "2024-01"})
    failed = Job.objects.filter(kind="targeting.run").latest("id")
    assert failed.state == "failed" and "DTSEN" in failed.error


def test_overview_query_budget(
    run: Any, client_for: Any, django_assert_max_num_queries: Any
) -> None:
    client = client_for("national")
    client.get("/sasaran/")  # warm the session and scope
    with django_assert_max_num_queries(15):
        response = client.get(f"/sasaran/?periode={PERIOD}")
    assert response.status_code == 200 and "sasaran-16.71" in response.content.decode()
