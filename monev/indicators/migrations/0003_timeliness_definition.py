"""Timeliness reads the list in force for the period (issue 18): new text and parameters
for the shipped indicator row, unless an administrator has changed its definition."""

from typing import Any

from django.db import migrations

OLD_DEFINITION_START = "100% bila versi pertama daftar pekerja untuk periode ini disimpan"


def forward(apps: Any, schema_editor: Any) -> None:
    from monev.indicators.defaults import TIMELINESS_PARAMS, TIMELINESS_TEXT

    indicator = apps.get_model("indicators", "Indicator")
    row = indicator.objects.filter(code="ketepatan-waktu").first()
    if row is None or not row.definition_id.startswith(OLD_DEFINITION_START):
        return
    for name, value in TIMELINESS_TEXT.items():
        setattr(row, name, value)
    row.params = {**TIMELINESS_PARAMS, **{"deadline_days": row.params.get("deadline_days", 10)}}
    row.save()


class Migration(migrations.Migration):
    dependencies = [("indicators", "0002_defaults")]
    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
