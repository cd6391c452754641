"""Users, their role and the regions they may see."""

from __future__ import annotations

import hashlib
import secrets

from django.contrib.auth.models import AbstractUser
from django.db import connection, models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from monev.core.scope import NOTHING, Action, Scope
from monev.regions.models import Pemda


class Role(models.TextChoices):
    NATIONAL = "national", _("Koordinator nasional")
    KANWIL = "kanwil", _("Petugas BPJS Kanwil/Cabang")
    PEMDA = "pemda", _("Operator Pemda")
    AUDITOR = "auditor", _("Auditor")


class User(AbstractUser):
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.PEMDA)
    all_regions = models.BooleanField(
        default=False,
        help_text=_("Melihat seluruh wilayah (koordinator nasional dan auditor)."),
    )
    language = models.CharField(max_length=5, default="id", choices=[("id", "ID"), ("en", "EN")])

    @property
    def is_read_only(self) -> bool:
        return self.role == Role.AUDITOR

    def region_scope(self, action: Action) -> Scope:
        """The regions this user may act on (`core.scope.scope_for` caches it per request).
        Auditors read and never change."""
        can_change = self.is_superuser or self.role != Role.AUDITOR
        if action == "change" and not can_change:
            return NOTHING
        if self.is_superuser or self.all_regions:
            return Scope(all_regions=True, pemda_codes=frozenset(), can_change=can_change)
        return Scope(all_regions=False, pemda_codes=_granted_codes(self.pk), can_change=can_change)


class ScopeKind(models.TextChoices):
    KANWIL = "kanwil", _("Kanwil")
    PROVINCE = "province", _("Provinsi dan kab/kota di dalamnya")
    PEMDA = "pemda", _("Satu Pemda")


class UserScope(models.Model):
    """One grant of regions to a user; a user's scope is the union of their grants."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="scopes")
    kind = models.CharField(max_length=10, choices=ScopeKind.choices)
    kanwil = models.ForeignKey("regions.Kanwil", null=True, blank=True, on_delete=models.CASCADE)
    pemda = models.ForeignKey("regions.Pemda", null=True, blank=True, on_delete=models.CASCADE)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(kind="kanwil", kanwil__isnull=False, pemda__isnull=True)
                    | models.Q(
                        kind__in=["province", "pemda"], kanwil__isnull=True, pemda__isnull=False
                    )
                ),
                name="userscope_target_matches_kind",
            )
        ]

    def __str__(self) -> str:
        target = self.kanwil if self.kind == ScopeKind.KANWIL else self.pemda
        return f"{self.get_kind_display()}: {target}"


def _granted_codes(user_id: int) -> frozenset[str]:
    """The Pemda codes a user's grants cover (a Kanwil's Pemda, a province and its kab/kota,
    one Pemda), in one query: it runs on every request, so it skips the ORM."""
    pemda, grant = Pemda._meta.db_table, UserScope._meta.db_table
    sql = (
        f"SELECT p.code FROM {pemda} p JOIN {grant} g ON g.user_id = %s "  # noqa: S608
        "WHERE (g.kind = %s AND p.kanwil_id = g.kanwil_id) "
        f"OR (g.kind = %s AND p.province_code = (SELECT q.province_code FROM {pemda} q "
        "WHERE q.id = g.pemda_id)) "
        "OR (g.kind = %s AND p.id = g.pemda_id)"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [user_id, ScopeKind.KANWIL, ScopeKind.PROVINCE, ScopeKind.PEMDA])
        return frozenset(row[0] for row in cursor.fetchall())


def _token_digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def usable(self) -> ApiTokenQuerySet:
        now = timezone.now()
        return self.filter(revoked_at__isnull=True).filter(
            models.Q(expires_at__isnull=True) | models.Q(expires_at__gt=now)
        )


class ApiToken(models.Model):
    """A personal API token; only its SHA-256 digest is stored."""

    PREFIX = "mnv_"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=12, db_index=True)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @classmethod
    def new_secret(cls) -> str:
        return cls.PREFIX + secrets.token_urlsafe(32)

    @staticmethod
    def digest_of(raw: str) -> str:
        return _token_digest(raw)


class ExternalIdentity(models.Model):
    """The identity provider's account (issuer + subject) a single-sign-on user logs in as.

    Linked by the provider's stable subject, never by e-mail: a local account with the same
    address is not taken over.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="external_identities")
    issuer = models.CharField(max_length=300)
    subject = models.CharField(max_length=255)
    created_at = models.DateTimeField(auto_now_add=True)
    last_login_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["issuer", "subject"], name="external_identity_once")
        ]

    def __str__(self) -> str:
        return f"{self.issuer} {self.subject}"
