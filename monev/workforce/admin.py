"""Coverage definitions are data an administrator may correct (e.g. once the UCJ formula is known)."""

from django.contrib import admin

from monev.workforce.models import CoverageDefinition


@admin.register(CoverageDefinition)
class CoverageDefinitionAdmin(admin.ModelAdmin[CoverageDefinition]):
    list_display = ("code", "name", "denominator", "confidence", "source")
