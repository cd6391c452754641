from __future__ import annotations

from typing import Any

import pytest

from monev.indicators import engine


@pytest.fixture(autouse=True)
def _fresh_cache() -> Any:
    engine.cache_clear()
    yield
    engine.cache_clear()


@pytest.fixture(autouse=True)
def _rates(request: Any) -> None:
    """The shipped rate table for every database test here: costs come from the calculator."""
    if "db" in request.fixturenames or request.node.get_closest_marker("django_db"):
        request.getfixturevalue("rates")


@pytest.fixture
def sample(db: Any) -> dict[str, int]:
    """Kanwil Sumbagsel plus Kota Bandung (outside it), three monthly periods to 2024-06."""
    from monev.indicators.sample import sample_generate
    from monev.regions.models import Pemda

    codes = list(Pemda.objects.filter(kanwil__code="SUMBAGSEL").values_list("code", flat=True))
    return sample_generate(pemda_codes=[*codes, "32", "32.73"], last="2024-06", count=3)
