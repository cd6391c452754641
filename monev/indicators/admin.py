"""Administrators edit indicator definitions, thresholds, targets, weights and rules here;
each save changes the facts version, so the dashboards follow on the next request."""

from __future__ import annotations

from django.contrib import admin

from monev.indicators.models import BoundarySet, FindingRule, Indicator, ScoreScheme, Target


class TargetInline(admin.TabularInline):
    model = Target
    extra = 0
    fields = ("region_code", "year", "value", "kind", "document", "document_date", "confidence")


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = (
        "code",
        "name_id",
        "kind",
        "unit",
        "direction",
        "green_at",
        "amber_at",
        "headline",
        "active",
        "order",
    )
    list_editable = ("green_at", "amber_at", "headline", "active", "order")
    list_filter = ("kind", "active")
    inlines = [TargetInline]


@admin.register(Target)
class TargetAdmin(admin.ModelAdmin):
    list_display = (
        "indicator",
        "region_code",
        "year",
        "value",
        "kind",
        "document",
        "document_date",
    )
    list_filter = ("kind", "indicator")
    search_fields = ("region_code", "document")


@admin.register(ScoreScheme)
class ScoreSchemeAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "weights", "green_at", "amber_at", "is_default")


@admin.register(FindingRule)
class FindingRuleAdmin(admin.ModelAdmin):
    list_display = ("code", "active", "params")
    list_editable = ("active",)


@admin.register(BoundarySet)
class BoundarySetAdmin(admin.ModelAdmin):
    list_display = ("name", "level", "licence", "is_current", "loaded_at")
    readonly_fields = ("sha256", "paths", "unmatched", "width", "height", "loaded_at")
