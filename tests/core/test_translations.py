"""The English catalogue is complete, keeps every placeholder, and the committed .mo matches it.

Installs do not compile messages, so the committed `django.mo` is what English users get:
an entry left untranslated or fuzzy shows Indonesian, a lost `%(n)s` raises at render time,
and a stale .mo silently serves yesterday's text. After `make messages`, translate the new
entries and commit both files.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import polib
import pytest
from django.conf import settings
from django.test import Client

import monev

LOCALE = Path(monev.__file__).resolve().parent / "locale" / "en" / "LC_MESSAGES"
PO = LOCALE / "django.po"
MO = LOCALE / "django.mo"

# %(name)s-style (with optional flags/width), bare %s/%d, and str.format {name}; `%%` is a
# literal percent and is removed first. "{kode indikator: bobot}" is prose, not a field.
PLACEHOLDER = re.compile(r"%\(\w+\)[#0\- +]*\d*(?:\.\d+)?[sdifrx]|%[sdifr]|\{\w*\}")


def placeholders(text: str) -> set[str]:
    return set(PLACEHOLDER.findall(text.replace("%%", "")))


@pytest.fixture(scope="module")
def po() -> polib.POFile:
    return polib.pofile(str(PO))


def live(po: polib.POFile) -> list[polib.POEntry]:
    return [e for e in po if not e.obsolete]


def test_no_untranslated_entries(po: polib.POFile) -> None:
    missing = [e.msgid for e in live(po) if not e.translated() and "fuzzy" not in e.flags]
    assert not missing, f"{len(missing)} untranslated, e.g. {missing[:5]}"


def test_no_fuzzy_entries(po: polib.POFile) -> None:
    fuzzy = [e.msgid for e in live(po) if "fuzzy" in e.flags]
    assert not fuzzy, f"{len(fuzzy)} fuzzy (Django ignores them), e.g. {fuzzy[:5]}"


def test_plural_entries_have_every_form(po: polib.POFile) -> None:
    assert "nplurals=2" in po.metadata.get("Plural-Forms", "")
    for e in live(po):
        if e.msgid_plural:
            assert sorted(e.msgstr_plural) == [0, 1], e.msgid
            assert all(e.msgstr_plural.values()), e.msgid


def test_translations_keep_placeholders(po: polib.POFile) -> None:
    wrong = []
    for e in live(po):
        if e.msgid_plural:
            pairs = [
                (e.msgid, e.msgstr_plural.get(0, "")),
                (e.msgid_plural, e.msgstr_plural.get(1, "")),
            ]
        else:
            pairs = [(e.msgid, e.msgstr)]
        for source, target in pairs:
            if target and placeholders(source) != placeholders(target):
                wrong.append((source, target))
    assert not wrong, wrong


def test_placeholder_pattern() -> None:
    assert placeholders("Pekerja %%") == set()
    assert placeholders("%(n)d baris · %(p)s") == {"%(n)d", "%(p)s"}
    assert placeholders("{kode indikator: bobot}") == set()
    assert placeholders("Upah '{detail}'") == {"{detail}"}


def catalogue(mo: polib.MOFile) -> dict[tuple[Any, ...], Any]:
    out: dict[tuple[Any, ...], Any] = {}
    for e in mo:
        key = (e.msgctxt, e.msgid, e.msgid_plural)
        out[key] = tuple(sorted(e.msgstr_plural.items())) if e.msgid_plural else e.msgstr
    return out


def test_committed_mo_is_up_to_date(po: polib.POFile, tmp_path: Path) -> None:
    fresh = tmp_path / "django.mo"
    po.save_as_mofile(str(fresh))
    committed = catalogue(polib.mofile(str(MO)))
    expected = catalogue(polib.mofile(str(fresh)))
    stale = {k for k in committed.keys() | expected.keys() if committed.get(k) != expected.get(k)}
    assert not stale, f"django.mo is stale; run compilemessages. Differs on {sorted(stale)[:5]}"


@pytest.mark.django_db
def test_english_cookie_renders_english(client: Client) -> None:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get("/akun/masuk/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Log in" in body
    assert "Masuk ke Monev Jamsostek" not in body
    assert response["Content-Language"] == "en"


@pytest.mark.django_db
def test_no_cookie_renders_indonesian(client: Client) -> None:
    response = client.get("/akun/masuk/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Masuk" in body
    assert "Log in" not in body
    assert response["Content-Language"] == "id"


@pytest.mark.django_db
def test_english_page_for_a_signed_in_user(client_for: Any) -> None:
    client = client_for("palembang")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    body = client.get("/daftar-pekerja/").content.decode()
    assert "Worker lists" in body
    assert "Log out" in body
    assert "Unggah daftar" not in body
