"""Login, throttling, tokens, `monev createuser`, and what each role may do."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from monev.accounts.models import ApiToken, User
from monev.core.models import AuditEvent
from monev.core.scope import scope_for
from tests.conftest import PASSWORD, bearer

pytestmark = pytest.mark.django_db


def test_login_and_logout() -> None:
    client = Client()
    response = client.post("/akun/masuk/", {"username": "palembang", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/wilayah/16.71/").status_code == 200
    client.post("/akun/keluar/")
    assert client.get("/wilayah/16.71/").status_code == 302


def test_wrong_password_shows_message_in_indonesian() -> None:
    response = Client().post("/akun/masuk/", {"username": "palembang", "password": "salah"})
    assert response.status_code == 200
    assert "Nama pengguna atau kata sandi salah" in response.content.decode()


def test_repeated_failures_lock_the_account_for_that_address() -> None:
    client = Client()
    for _ in range(5):
        client.post("/akun/masuk/", {"username": "lahat", "password": "salah"})
    response = client.post("/akun/masuk/", {"username": "lahat", "password": PASSWORD})
    assert response.status_code == 429
    assert "Terlalu banyak percobaan masuk" in response.content.decode()


def test_scope_of_each_cast_member(cast: dict[str, User]) -> None:
    assert scope_for(cast["national"]).all_regions
    assert len(scope_for(cast["sumbagsel"]).pemda_codes) == 65
    assert scope_for(cast["palembang"]).pemda_codes == {"16.71"}
    assert scope_for(cast["lahat"]).pemda_codes == {"16.04"}
    auditor = cast["auditor"]
    assert scope_for(auditor).all_regions
    assert not scope_for(auditor, "change").allows("16.71", "change")


def test_token_page_shows_secret_once_and_stores_only_digest(client_for: Any) -> None:
    client = client_for("palembang")
    page = client.post("/akun/token/", {"name": "skrip"}).content.decode()
    token = ApiToken.objects.get(user__username="palembang", name="skrip")
    start = page.index(ApiToken.PREFIX)
    raw = page[start : start + 47].split("<")[0].strip()
    assert token.digest == ApiToken.digest_of(raw)
    assert raw not in client.get("/akun/token/").content.decode()
    assert Client().get("/api/v1/pemda", **bearer(raw)).status_code == 200


def test_revoked_token_stops_working(client_for: Any, token_for: Any) -> None:
    raw = token_for("palembang")
    token = ApiToken.objects.get(digest=ApiToken.digest_of(raw))
    client_for("palembang").post(f"/akun/token/{token.pk}/cabut/")
    assert Client().get("/api/v1/pemda", **bearer(raw)).status_code == 401


def test_cannot_revoke_someone_elses_token(client_for: Any, token_for: Any) -> None:
    raw = token_for("lahat")
    token = ApiToken.objects.get(digest=ApiToken.digest_of(raw))
    response = client_for("palembang").post(f"/akun/token/{token.pk}/cabut/")
    assert response.status_code == 404
    assert Client().get("/api/v1/pemda", **bearer(raw)).status_code == 200


def test_createuser_command_makes_a_scoped_audited_user(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MONEV_PASSWORD", "kata-sandi-yang-cukup-panjang")
    call_command("createuser", "op_muaraenim", "--role", "pemda", "--pemda", "16.03")
    user = User.objects.get(username="op_muaraenim")
    assert scope_for(user).pemda_codes == {"16.03"}
    assert AuditEvent.objects.filter(action="user.create", object_id=str(user.pk)).exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--role", "pemda", "--pemda", "99.99"], "tidak dikenal"),
        (["--role", "kanwil", "--kanwil", "NOWHERE"], "tidak dikenal"),
        (["--role", "kanwil"], "cakupan wilayah"),
        (["--role", "pemda", "--kanwil", "SUMBAGSEL"], "tepat satu Pemda"),
    ],
)
def test_createuser_bad_input_is_usage_error(
    monkeypatch: pytest.MonkeyPatch, args: list[str], message: str
) -> None:
    monkeypatch.setenv("MONEV_PASSWORD", "kata-sandi-yang-cukup-panjang")
    with pytest.raises(CommandError, match=message) as error:
        call_command("createuser", "baru", *args)
    assert error.value.returncode == 2
    assert not User.objects.filter(username="baru").exists()


def test_createuser_rejects_weak_password(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MONEV_PASSWORD", "123")
    with pytest.raises(CommandError) as error:
        call_command("createuser", "lemah", "--role", "national")
    assert error.value.returncode == 2


def test_login_logout_and_failures_are_audited() -> None:
    client = Client()
    client.post("/akun/masuk/", {"username": "auditor", "password": "salah"})
    client.post("/akun/masuk/", {"username": "auditor", "password": PASSWORD})
    client.post("/akun/keluar/")
    actions = list(
        AuditEvent.objects.filter(action__startswith="auth.").values_list("action", flat=True)
    )
    assert {"auth.login_failed", "auth.login", "auth.logout"} <= set(actions)
    failed = AuditEvent.objects.get(action="auth.login_failed")
    assert failed.changes == {"username": "auditor"}


def test_password_change_is_audited(client_for: Any) -> None:
    client = client_for("lahat")
    response = client.post(
        "/akun/sandi/",
        {
            "old_password": PASSWORD,
            "new_password1": "sandi-baru-yang-panjang-99",
            "new_password2": "sandi-baru-yang-panjang-99",
        },
    )
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action="auth.password_change", actor_name="lahat").exists()
