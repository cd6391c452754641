"""Region browser: national → Kanwil → province → Pemda, each listing its children."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from monev.core.http import is_htmx
from monev.core.scope import get_scoped_or_404
from monev.regions import selectors
from monev.regions.models import Pemda, Region, RegionLevel


@login_required
def national(request: HttpRequest) -> HttpResponse:
    rows = selectors.kanwil_list(user=request.user)
    return render(request, "regions/national.html", {"rows": rows})


@login_required
def kanwil_detail(request: HttpRequest, code: str) -> HttpResponse:
    try:
        kanwil = selectors.kanwil_get(user=request.user, code=code)
    except selectors.UnknownKanwil:
        raise Http404("kanwil") from None
    provinces = selectors.region_list(
        user=request.user,
        filters=selectors.RegionFilters(level=RegionLevel.PROVINCE, kanwil=kanwil.code),
    )
    pemda = selectors.pemda_list(user=request.user, kanwil=kanwil.code)
    return render(
        request,
        "regions/kanwil_detail.html",
        {"kanwil": kanwil, "provinces": provinces, "n_pemda": pemda.count()},
    )


@login_required
def region_detail(request: HttpRequest, code: str) -> HttpResponse:
    region = get_scoped_or_404(Region.objects.current(), request.user, code=code)
    assert isinstance(region, Region)
    child_level = {
        RegionLevel.PROVINCE: RegionLevel.REGENCY,
        RegionLevel.REGENCY: RegionLevel.DISTRICT,
    }.get(RegionLevel(region.level))
    children = (
        selectors.region_list(
            user=request.user,
            filters=selectors.RegionFilters(level=child_level, parent=region.code),
        )
        if child_level
        else Region.objects.none()
    )
    pemda = Pemda.objects.filter(region=region).select_related("kanwil").first()
    template = "regions/region_table.html" if is_htmx(request) else "regions/region_detail.html"
    return render(
        request,
        template,
        {"region": region, "children": children, "pemda": pemda, "ancestors": _ancestors(region)},
    )


def _ancestors(region: Region) -> list[Region]:
    chain: list[Region] = []
    node = region.parent
    while node is not None:
        chain.insert(0, node)
        node = node.parent
    return chain
