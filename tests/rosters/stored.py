"""What the roster store holds, for assertions: every version's rows read from its files."""

from __future__ import annotations

import polars as pl

from monev.rosters import store
from monev.rosters.models import RosterVersion


def stored_rows(*versions: RosterVersion) -> pl.DataFrame:
    """The rows of the given versions (all versions when none is given), with `version_id`."""
    chosen = list(versions) or list(RosterVersion.objects.select_related("pemda").order_by("pk"))
    return store.versions_rows(chosen).collect()


def stored_count(*versions: RosterVersion) -> int:
    return stored_rows(*versions).height
