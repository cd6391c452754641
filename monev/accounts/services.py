"""Writes on accounts: users, scopes and API tokens, each audited."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from monev.accounts.models import ApiToken, Role, ScopeKind, User, UserScope
from monev.core.audit import audit_record
from monev.regions.models import Kanwil, Pemda


class AccountError(ValueError):
    pass


def user_create(
    *,
    username: str,
    password: str,
    role: str,
    kanwil: str | None = None,
    pemda: str | None = None,
    province: str | None = None,
    email: str = "",
    full_name: str = "",
    all_regions: bool = False,
    superuser: bool = False,
    by: Any = None,
) -> User:
    """Create a user with a role and the region grant that role needs."""
    if role not in Role.values:
        raise AccountError(f"peran {role!r} tidak dikenal (pilihan: {', '.join(Role.values)})")
    if User.objects.filter(username=username).exists():
        raise AccountError(f"pengguna {username!r} sudah ada")
    grants = _grants(
        role=role, kanwil=kanwil, pemda=pemda, province=province, all_regions=all_regions
    )
    with transaction.atomic():
        user = User.objects.create_user(
            username=username,
            password=password,
            email=email,
            role=role,
            all_regions=all_regions or role == Role.NATIONAL,
            is_superuser=superuser,
            is_staff=superuser,
        )
        if full_name:
            first, _, last = full_name.partition(" ")
            user.first_name, user.last_name = first, last
            user.save(update_fields=["first_name", "last_name"])
        for grant in grants:
            grant.user = user
            grant.save()
        audit_record(
            actor=by,
            action="user.create",
            obj=user,
            changes={"role": role, "scopes": [str(g) for g in grants]},
        )
    return user


def _grants(
    *, role: str, kanwil: str | None, pemda: str | None, province: str | None, all_regions: bool
) -> list[UserScope]:
    grants: list[UserScope] = []
    if kanwil:
        found = Kanwil.objects.filter(code=kanwil.upper()).first()
        if found is None:
            raise AccountError(f"Kanwil {kanwil!r} tidak dikenal")
        grants.append(UserScope(kind=ScopeKind.KANWIL, kanwil=found))
    for code, kind in ((province, ScopeKind.PROVINCE), (pemda, ScopeKind.PEMDA)):
        if code:
            found_pemda = Pemda.objects.filter(code=code, active=True).first()
            if found_pemda is None:
                raise AccountError(f"Pemda {code!r} tidak dikenal")
            if kind == ScopeKind.PROVINCE and found_pemda.level != "province":
                raise AccountError(f"{code!r} bukan kode provinsi")
            grants.append(UserScope(kind=kind, pemda=found_pemda))
    needs_grant = role in {Role.KANWIL, Role.PEMDA} or (role == Role.AUDITOR and not all_regions)
    if needs_grant and not grants:
        raise AccountError(
            "peran ini memerlukan cakupan wilayah (--kanwil, --province atau --pemda)"
        )
    if role == Role.PEMDA and (kanwil or len(grants) != 1):
        raise AccountError("operator Pemda dicakup tepat satu Pemda (--pemda atau --province)")
    return grants


def api_token_create(*, user: User, name: str, days: int | None = 365) -> tuple[ApiToken, str]:
    """Create a token; the secret is returned once and only its digest is stored."""
    if not name.strip():
        raise AccountError("nama token wajib diisi")
    raw = ApiToken.new_secret()
    expires = timezone.now() + dt.timedelta(days=days) if days else None
    token = ApiToken.objects.create(
        user=user,
        name=name.strip()[:100],
        prefix=raw[:12],
        digest=ApiToken.digest_of(raw),
        expires_at=expires,
    )
    audit_record(actor=user, action="api_token.create", obj=token)
    return token, raw


def api_token_revoke(*, token: ApiToken, by: Any) -> None:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_record(actor=by, action="api_token.revoke", obj=token)


def api_token_authenticate(raw: str) -> User | None:
    """The active user owning `raw`, or None. Malformed tokens are simply unknown."""
    if not raw.startswith(ApiToken.PREFIX) or len(raw) > 100:
        return None
    token = (
        ApiToken.objects.usable()
        .select_related("user")
        .filter(digest=ApiToken.digest_of(raw))
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token.user
