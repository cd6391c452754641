from django.contrib import admin

from monev.regions.models import (
    CodeCrosswalk,
    CodeListVersion,
    KantorCabang,
    Kanwil,
    KanwilProvince,
    Pemda,
    Region,
)


class KanwilProvinceInline(admin.TabularInline):
    model = KanwilProvince
    extra = 0


@admin.register(Kanwil)
class KanwilAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]
    inlines = [KanwilProvinceInline]


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "level", "kind", "valid_from", "valid_to"]
    list_filter = ["level", "kind"]
    search_fields = ["code", "name"]
    raw_id_fields = ["parent", "successor"]


@admin.register(Pemda)
class PemdaAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "level", "kanwil", "active"]
    list_filter = ["level", "kanwil", "active"]
    search_fields = ["code", "name"]
    raw_id_fields = ["region"]


admin.site.register(KantorCabang)
admin.site.register(CodeCrosswalk)
admin.site.register(CodeListVersion)
