from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from monev.accounts.models import ApiToken, User, UserScope


class UserScopeInline(admin.TabularInline):
    model = UserScope
    extra = 0
    autocomplete_fields = ["pemda"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "email", "role", "all_regions", "is_active", "last_login"]
    list_filter = ["role", "all_regions", "is_active"]
    fieldsets = (
        *(BaseUserAdmin.fieldsets or ()),
        ("Monev", {"fields": ("role", "all_regions", "language")}),
    )
    inlines = [UserScopeInline]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "prefix", "created_at", "expires_at", "revoked_at"]
    readonly_fields = ["prefix", "digest", "created_at", "last_used_at"]
