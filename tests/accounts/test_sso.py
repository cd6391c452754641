"""Single sign-on against a real OpenID Connect provider (django-oauth-toolkit, run as its
own process on 127.0.0.1 by this module): login, claims mapped to role and regions, a
refused user, a local account never taken over, and logout at both ends."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urljoin, urlparse

import pytest
import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st

from monev.accounts.claims import MappingError, Refused, claims_map, mapping_parse
from monev.accounts.models import ExternalIdentity, User
from monev.core.models import AuditEvent
from monev.core.scope import scope_for
from tests.conftest import PASSWORD
from tests.mailserver import free_port

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
CLIENT_ID, CLIENT_SECRET = "monev-uji", "rahasia-klien-uji-yang-panjang"
MAPPING = {
    "claim": "groups",
    "rules": [
        {"match": "monev-nasional", "role": "national"},
        {"match": "monev-kanwil-(?P<kanwil>[A-Z]+)", "role": "kanwil", "kanwil": "{kanwil}"},
        {
            "match": r"monev-pemda-(?P<pemda>[0-9]{2}(\.[0-9]{2})?)",
            "role": "pemda",
            "pemda": "{pemda}",
        },
    ],
}
USERS = [
    {"username": "ani", "groups": ["staf", "monev-pemda-16.71"], "given_name": "Ani"},
    {"username": "budi", "groups": ["monev-kanwil-SUMBAGSEL"], "given_name": "Budi"},
    {"username": "citra", "groups": ["staf-umum"], "given_name": "Citra"},
    {"username": "dodi", "groups": ["monev-nasional", "monev-pemda-16.04"]},
]
IDP_PASSWORD = "sandi-idp-uji-2024"


@dataclass(frozen=True)
class Provider:
    base: str

    def url(self, path: str) -> str:
        return f"{self.base}{path}"


@pytest.fixture(scope="module")
def provider(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Provider]:
    home = tmp_path_factory.mktemp("idp")
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    (home / "key.pem").write_bytes(pem)
    users = [{**u, "email": f"{u['username']}@idp.test", "password": IDP_PASSWORD} for u in USERS]
    client = {
        "id": CLIENT_ID,
        "secret": CLIENT_SECRET,
        "redirect_uri": "http://testserver/akun/sso/kembali/",
        "post_logout_redirect_uri": "http://testserver/akun/masuk/",
    }
    (home / "seed.json").write_text(json.dumps({"users": users, "client": client}))
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MONEV_", "DJANGO_"))}
    process = subprocess.Popen(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-m", "tests.oidc_provider", str(port)],
        cwd=ROOT,
        env={**env, "OIDC_TEST_HOME": str(home)},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        _wait(process, f"http://127.0.0.1:{port}/o/.well-known/openid-configuration")
        yield Provider(f"http://127.0.0.1:{port}")
    finally:
        process.kill()
        process.wait()


def _wait(process: subprocess.Popen[bytes], url: str) -> None:
    deadline = time.monotonic() + 60
    while True:
        try:
            if requests.get(url, timeout=2).status_code == 200:
                return
        except requests.ConnectionError:
            pass
        if process.poll() is not None:
            out = process.stdout.read().decode() if process.stdout else ""
            raise AssertionError(f"the provider stopped: {out[-2000:]}")
        assert time.monotonic() < deadline, "the provider did not start in 60 s"
        time.sleep(0.2)


@pytest.fixture
def sso(settings: Any, provider: Provider) -> Provider:
    settings.OIDC_RP_CLIENT_ID, settings.OIDC_RP_CLIENT_SECRET = CLIENT_ID, CLIENT_SECRET
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = provider.url("/o/authorize/")
    settings.OIDC_OP_TOKEN_ENDPOINT = provider.url("/o/token/")
    settings.OIDC_OP_USER_ENDPOINT = provider.url("/o/userinfo/")
    settings.OIDC_OP_JWKS_ENDPOINT = provider.url("/o/.well-known/jwks.json")
    settings.MONEV_OIDC_LOGOUT_URL = provider.url("/o/logout/")
    settings.MONEV_OIDC_CLAIM_MAPPING = mapping_parse(MAPPING)
    settings.AUTHENTICATION_BACKENDS = [
        *settings.AUTHENTICATION_BACKENDS,
        "monev.accounts.sso.MonevOIDCBackend",
    ]
    return provider


def idp_login(provider: Provider, authorize_url: str, username: str) -> tuple[Any, str]:
    """What the user's browser does at the provider: log in, come back with a code."""
    browser = requests.Session()
    to_login = browser.get(authorize_url, allow_redirects=False)
    assert to_login.status_code == 302, to_login.text[:300]
    login_url = urljoin(provider.base, to_login.headers["Location"])
    form = browser.get(login_url)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text)
    assert token
    posted = browser.post(
        login_url,
        data={
            "csrfmiddlewaretoken": token[1],
            "username": username,
            "password": IDP_PASSWORD,
            "next": parse_qs(urlparse(login_url).query)["next"][0],
        },
        allow_redirects=False,
    )
    assert posted.status_code == 302, posted.text[:300]
    back = browser.get(urljoin(provider.base, posted.headers["Location"]), allow_redirects=False)
    assert back.status_code == 302, back.text[:300]
    return browser, back.headers["Location"]


def sso_login(client: Client, provider: Provider, username: str) -> tuple[Any, Any]:
    start = client.get("/akun/sso/masuk/")
    assert start.status_code == 302 and start["Location"].startswith(provider.base)
    browser, callback = idp_login(provider, start["Location"], username)
    assert callback.startswith("http://testserver/akun/sso/kembali/?")
    return client.get(callback.removeprefix("http://testserver")), browser


def test_login_maps_groups_to_role_and_region(sso: Provider) -> None:
    client = Client()
    done, _browser = sso_login(client, sso, "ani")

    assert done.status_code == 302 and "/akun/masuk/" not in done["Location"]
    user = User.objects.get(external_identities__subject__isnull=False, username="ani")
    assert (user.role, user.email, user.has_usable_password()) == ("pemda", "ani@idp.test", False)
    assert scope_for(user).pemda_codes == frozenset({"16.71"})
    assert client.get("/dasbor/pemda/16.71/").status_code == 200
    assert client.get("/dasbor/pemda/16.04/").status_code in (403, 404)
    sync = AuditEvent.objects.get(action="auth.sso_sync")
    assert sync.changes["role"] == "pemda" and sync.changes["issuer"].startswith(sso.base)


def test_kanwil_officer_and_second_login_reuses_the_account(sso: Provider) -> None:
    sso_login(Client(), sso, "budi")
    client = Client()
    sso_login(client, sso, "budi")

    [identity] = ExternalIdentity.objects.filter(user__username="budi")
    assert identity.user.role == "kanwil"
    assert "16.04" in scope_for(identity.user).pemda_codes
    assert "32.73" not in scope_for(identity.user).pemda_codes
    assert client.get("/dasbor/kanwil/SUMBAGSEL/").status_code == 200


def test_unmapped_user_is_refused(sso: Provider) -> None:
    client = Client()
    done, _browser = sso_login(client, sso, "citra")

    assert done["Location"] == "/akun/masuk/?sso=ditolak"
    assert not User.objects.filter(username="citra").exists()
    assert client.get("/dasbor/").status_code == 302  # not logged in
    page = client.get(done["Location"]).content.decode()
    assert "belum dipetakan ke peran dan wilayah" in page
    refused = AuditEvent.objects.get(action="auth.sso_refused")
    assert refused.changes["username"] == "citra" and "matches" in refused.changes["reason"]


def test_two_roles_at_once_are_refused(sso: Provider) -> None:
    done, _browser = sso_login(Client(), sso, "dodi")

    assert done["Location"] == "/akun/masuk/?sso=ditolak"
    reason = AuditEvent.objects.get(action="auth.sso_refused").changes["reason"]
    assert "several roles" in reason


def test_a_local_account_with_the_same_name_is_not_taken_over(sso: Provider) -> None:
    from monev.accounts.services import user_create

    local = user_create(username="ani", password=PASSWORD, role="pemda", pemda="16.04")

    sso_login(Client(), sso, "ani")

    linked = ExternalIdentity.objects.get().user
    assert linked.username == "ani-2" and linked.pk != local.pk
    local.refresh_from_db()
    assert local.check_password(PASSWORD) and scope_for(local).pemda_codes == {"16.04"}


def test_logout_ends_both_sessions(sso: Provider) -> None:
    client = Client()
    _done, browser = sso_login(client, sso, "ani")

    out = client.post("/akun/keluar/")

    assert out.status_code == 302 and out["Location"].startswith(sso.url("/o/logout/?"))
    assert "id_token_hint=" in out["Location"]
    back = browser.get(out["Location"], allow_redirects=False)
    assert back.status_code == 302 and back.headers["Location"] == "http://testserver/akun/masuk/"
    assert client.get("/dasbor/").status_code == 302
    again = client.get("/akun/sso/masuk/")["Location"]
    assert "/login/" in browser.get(again, allow_redirects=False).headers["Location"]


def test_password_login_still_works_beside_sso(sso: Provider) -> None:
    client = Client()
    page = client.get("/akun/masuk/").content.decode()
    assert 'id="masuk-sso"' in page and "Masuk dengan SSO" in page

    response = client.post("/akun/masuk/", {"username": "palembang", "password": PASSWORD})

    assert response.status_code == 302 and client.get("/dasbor/").status_code in (200, 302)
    assert User.objects.get(username="palembang").role == "pemda"


def test_sso_pages_answer_404_when_off(client: Client) -> None:
    assert client.get("/akun/sso/masuk/").status_code == 404
    assert client.get("/akun/sso/kembali/?code=x&state=y").status_code == 404
    assert "masuk-sso" not in client.get("/akun/masuk/").content.decode()


@given(st.lists(st.text(max_size=30), max_size=4) | st.text(max_size=30) | st.none())
def test_any_claim_value_maps_or_is_refused(groups: Any) -> None:
    mapping = mapping_parse(MAPPING)
    try:
        mapped = claims_map(claims={"groups": groups}, mapping=mapping)
    except Refused:
        return
    assert mapped.role in ("national", "kanwil", "pemda")


@pytest.mark.parametrize(
    ("data", "says"),
    [
        ({}, "claim"),
        ({"claim": "groups", "rules": []}, "non-empty"),
        ({"claim": "groups", "rules": [{"match": "x", "role": "raja"}]}, "role must be"),
        ({"claim": "groups", "rules": [{"match": "(", "role": "pemda"}]}, "regular expression"),
        (
            {"claim": "g", "rules": [{"match": "p-(?P<a>.+)", "role": "pemda", "pemda": "{b}"}]},
            "{b}",
        ),
    ],
)
def test_broken_mapping_is_refused_with_a_reason(data: Any, says: str) -> None:
    with pytest.raises(MappingError, match=re.escape(says)):
        mapping_parse(data)


def test_server_refuses_to_start_with_half_an_sso_configuration(tmp_path: Path) -> None:
    env = {
        "PATH": "/usr/bin:/bin",
        "MONEV_HOME": str(tmp_path),
        "MONEV_DEBUG": "true",
        "MONEV_OIDC_CLIENT_ID": "monev",
    }
    result = subprocess.run(
        [sys.executable, "-m", "monev", "check"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode != 0
    assert "MONEV_OIDC_CLIENT_SECRET" in result.stderr
