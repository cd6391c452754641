from typing import Any

from django.db import migrations


def seed(apps: Any, schema_editor: Any) -> None:
    from monev.indicators.defaults import seed as seed_defaults

    seed_defaults(apps)


class Migration(migrations.Migration):
    dependencies = [("indicators", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
