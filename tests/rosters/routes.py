"""Scope-matrix registrations for roster pages and the roster API."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from tests.scope.registry import RouteCase, register

CHANGERS = frozenset({"national", "sumbagsel", "palembang"})
EVERYONE = frozenset({"national", "sumbagsel", "palembang", "auditor"})


def _csv(pemda: str) -> bytes:
    return b"nik,nama,kategori\n1671011708850001,Pekerja Satu,RENTAN\n"


def _upload(pemda: str) -> dict[str, Any]:
    from monev.core.scope import SYSTEM
    from monev.regions.models import Pemda
    from monev.rosters import services

    upload = services.roster_upload_create(
        pemda=Pemda.objects.get(code=pemda),
        period="2024-06",
        data=_csv(pemda),
        filename=f"daftar-{pemda}.csv",
        mode="strict",
        by=SYSTEM,
    )
    services.roster_upload_validate(upload=upload)
    return {"upload": upload.pk}


def _version(pemda: str) -> dict[str, Any]:
    from monev.core.scope import SYSTEM
    from monev.regions.models import Pemda
    from monev.rosters import services

    upload = services.roster_import(
        pemda=Pemda.objects.get(code=pemda),
        period="2024-06",
        data=_csv(pemda),
        filename=f"daftar-{pemda}.csv",
        by=SYSTEM,
    )
    assert upload.version is not None
    return {"version": upload.version.pk, "upload": upload.pk}


def _marker(pemda: str) -> str:
    return f"daftar-{pemda}.csv"


register(
    RouteCase("rosters:roster_list", "/daftar-pekerja/", setup=_version, marker=_marker),
    RouteCase(
        "rosters:template_download", "/daftar-pekerja/templat.xlsx", level="none", allowed=EVERYONE
    ),
    RouteCase("rosters:upload_create", "/daftar-pekerja/unggah/", level="none", allowed=CHANGERS),
    RouteCase("rosters:upload_detail", "/daftar-pekerja/unggah/{upload}/", setup=_upload),
    RouteCase(
        "rosters:upload_errors_download",
        "/daftar-pekerja/unggah/{upload}/kesalahan.xlsx",
        setup=_upload,
    ),
    RouteCase(
        "rosters:upload_commit",
        "/daftar-pekerja/unggah/{upload}/simpan/",
        method="POST",
        setup=_upload,
        allowed=CHANGERS,
        ok_status=(302,),
    ),
    RouteCase("rosters:version_detail", "/daftar-pekerja/versi/{version}/", setup=_version),
    RouteCase(
        "POST /api/v1/rosters/uploads",
        "/api/v1/rosters/uploads?pemda={pemda}&period=2024-06",
        api=True,
        method="POST",
        allowed=CHANGERS,
        ok_status=(201,),
        data={"file": SimpleUploadedFile("daftar.csv", _csv("16.71"))},
    ),
    RouteCase(
        "GET /api/v1/rosters/uploads",
        "/api/v1/rosters/uploads",
        api=True,
        setup=_upload,
        marker=_marker,
    ),
    RouteCase(
        "GET /api/v1/rosters/uploads/{upload_id}",
        "/api/v1/rosters/uploads/{upload}",
        api=True,
        setup=_upload,
    ),
    RouteCase(
        "GET /api/v1/rosters/uploads/{upload_id}/errors",
        "/api/v1/rosters/uploads/{upload}/errors",
        api=True,
        setup=_upload,
    ),
    RouteCase(
        "POST /api/v1/rosters/uploads/{upload_id}/commit",
        "/api/v1/rosters/uploads/{upload}/commit",
        api=True,
        method="POST",
        setup=_upload,
        allowed=CHANGERS,
        ok_status=(200, 409),
    ),
    RouteCase(
        "GET /api/v1/rosters/versions",
        "/api/v1/rosters/versions",
        api=True,
        setup=_version,
        marker=_marker,
    ),
    RouteCase(
        "GET /api/v1/rosters/versions/{version_id}",
        "/api/v1/rosters/versions/{version}",
        api=True,
        setup=_version,
    ),
    RouteCase(
        "GET /api/v1/rosters/versions/{version_id}/workers",
        "/api/v1/rosters/versions/{version}/workers",
        api=True,
        setup=_version,
    ),
)
