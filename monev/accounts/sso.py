"""Single sign-on by OpenID Connect (mozilla-django-oidc): the provider's claims decide the
role and region grants of the monev account at every login (docs/sso.md).

Accounts are linked to the provider's (issuer, subject), never matched by e-mail, so a local
account is never taken over. Claims that map to no role are refused: the login fails,
the refusal is audited, and a linked account loses its grants.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from monev.accounts.claims import Mapped, Refused, claims_map
from monev.accounts.models import ExternalIdentity, Role, ScopeKind, User, UserScope
from monev.core.audit import audit_record
from monev.regions.models import Kanwil, Pemda


def sso_enabled() -> bool:
    return bool(getattr(settings, "OIDC_RP_CLIENT_ID", ""))


class MonevOIDCBackend(OIDCAuthenticationBackend):
    """Turns a verified ID token and the userinfo claims into a monev user, or refuses."""

    def get_or_create_user(self, access_token: str, id_token: str, payload: Any) -> User | None:
        claims = {**self.get_userinfo(access_token, id_token, payload), **payload}
        issuer = str(payload.get("iss", ""))
        try:
            return sso_user_sync(issuer=issuer, claims=claims)
        except Refused as exc:
            sso_refuse(issuer=issuer, claims=claims, reason=str(exc))
            return None


def sso_user_sync(*, issuer: str, claims: Mapping[str, Any]) -> User:
    """The account for these claims, created or updated to the role and grants they map to."""
    subject = str(claims.get("sub") or "")
    if not issuer or not subject:
        raise Refused("the token has no issuer or subject")
    mapping = settings.MONEV_OIDC_CLAIM_MAPPING
    if mapping is None:
        raise Refused("no claim mapping is configured")
    mapped = claims_map(claims=claims, mapping=mapping)
    grants = _grants(mapped)
    identity = ExternalIdentity.objects.filter(issuer=issuer, subject=subject).first()
    if identity is not None and not identity.user.is_active:
        raise Refused("the linked account is deactivated")
    with transaction.atomic():
        user = identity.user if identity else _new_user(claims)
        _apply(user, claims, mapped, grants)
        if identity is None:
            identity = ExternalIdentity.objects.create(user=user, issuer=issuer, subject=subject)
        ExternalIdentity.objects.filter(pk=identity.pk).update(last_login_at=timezone.now())
        audit_record(
            actor=user,
            action="auth.sso_sync",
            obj=user,
            changes={"issuer": issuer, "role": mapped.role, "scopes": [str(g) for g in grants]},
        )
    return user


def _grants(mapped: Mapped) -> list[UserScope]:
    grants = [UserScope(kind=ScopeKind.KANWIL, kanwil=k) for k in _kanwils(mapped.kanwils)]
    for code in sorted(mapped.provinces):
        grants.append(UserScope(kind=ScopeKind.PROVINCE, pemda=_pemda(code, province=True)))
    for code in sorted(mapped.pemdas):
        grants.append(UserScope(kind=ScopeKind.PEMDA, pemda=_pemda(code, province=False)))
    everywhere = mapped.role == Role.NATIONAL or mapped.all_regions
    if mapped.role == Role.PEMDA and (mapped.kanwils or len(grants) != 1):
        raise Refused("a Pemda operator needs exactly one Pemda or province")
    if not everywhere and not grants:
        raise Refused(f"role {mapped.role} needs a region grant")
    return grants


def _kanwils(codes: frozenset[str]) -> list[Kanwil]:
    found = list(Kanwil.objects.filter(code__in=[c.upper() for c in codes]))
    if len(found) != len(codes):
        raise Refused(f"unknown Kanwil in {sorted(codes)}")
    return found


def _pemda(code: str, *, province: bool) -> Pemda:
    found = Pemda.objects.filter(code=code, active=True).first()
    if found is None or (province and found.level != "province"):
        raise Refused(f"unknown {'province' if province else 'Pemda'} {code!r}")
    return found


def _new_user(claims: Mapping[str, Any]) -> User:
    base = str(claims.get("preferred_username") or str(claims.get("email", "")).split("@")[0])
    base = re.sub(r"[^\w.@+-]", "", base)[:140] or "sso"
    name, n = base, 1
    while User.objects.filter(username=name).exists():  # never reuse a local account
        n += 1
        name = f"{base}-{n}"
    user = User(username=name)
    user.set_unusable_password()
    return user


def _apply(user: User, claims: Mapping[str, Any], mapped: Mapped, grants: list[UserScope]) -> None:
    user.role = mapped.role
    user.all_regions = mapped.role == Role.NATIONAL or mapped.all_regions
    user.email = str(claims.get("email") or user.email)[:254]
    user.first_name = str(claims.get("given_name") or user.first_name)[:150]
    user.last_name = str(claims.get("family_name") or user.last_name)[:150]
    user.save()
    user.scopes.all().delete()
    for grant in grants:
        grant.user = user
        grant.save()
    user.__dict__.pop("_monev_scope", None)


def sso_refuse(*, issuer: str, claims: Mapping[str, Any], reason: str) -> None:
    """Record a refused login; an account linked to these claims loses its grants."""
    subject = str(claims.get("sub") or "")
    identity = ExternalIdentity.objects.filter(issuer=issuer, subject=subject).first()
    with transaction.atomic():
        if identity is not None:
            identity.user.scopes.all().delete()
            User.objects.filter(pk=identity.user_id).update(all_regions=False)
        audit_record(
            actor=None,
            action="auth.sso_refused",
            obj=identity.user if identity else None,
            changes={
                "issuer": issuer,
                "subject": subject[:100],
                "username": str(claims.get("preferred_username", ""))[:150],
                "reason": reason[:300],
            },
        )
