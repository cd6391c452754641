# Worker rows move from the database to one immutable Parquet file per roster version
# (monev.rosters.store): a 3 M-row version is written in about a second there, against
# 13 s of COPY into an indexed table (docs/formats/roster.md).

from django.db import migrations, models


def rows_to_files(apps, schema_editor):
    """Write each existing version's rows to its files, NIKs re-sealed as one block, and
    give the workers in stored match results their new ids."""
    from monev.core import pii
    from monev.rosters import store

    _results_renumber(apps)
    version_model = apps.get_model("rosters", "RosterVersion")
    worker_model = apps.get_model("rosters", "Worker")
    fields = (
        "row_number", "nik_hash", "nik_cipher", "name", "category", "position", "wage",
        "funding_source", "desa_code", "birth_date", "sex",
    )  # fmt: skip
    for version in version_model.objects.select_related("pemda").iterator():
        records = []
        for row in worker_model.objects.filter(version_id=version.pk).values(*fields):
            row["nik"] = pii.nik_decrypt(row.pop("nik_cipher"))
            records.append(row)
        version.rows_file = store.records_write(
            records, pemda_code=version.pemda.code, period=version.period, upload_id=0
        )
        version.save(update_fields=["rows_file"])


def _results_renumber(apps):
    """Match results name workers by id: old row id → version id × 2³² + row number."""
    from pathlib import Path

    import polars as pl
    from django.conf import settings

    from monev.core.files import atomic_path

    worker_model = apps.get_model("rosters", "Worker")
    run_model = apps.get_model("coverage", "MatchRun")
    runs = [r for r in run_model.objects.exclude(results_path="") if r.results_path]
    if not runs:
        return
    ids = pl.DataFrame(
        list(worker_model.objects.values_list("id", "version_id", "row_number")),
        schema={"worker_id": pl.Int64, "version_id": pl.Int64, "row_number": pl.Int64},
        orient="row",
    ).select("worker_id", new_id=pl.col("version_id") * (1 << 32) + pl.col("row_number"))
    for run in runs:
        path = Path(settings.DATA_DIR) / run.results_path
        if not path.exists():
            continue
        results = pl.read_parquet(path)
        columns = results.columns
        renumbered = (
            results.join(ids, on="worker_id", how="left")
            .with_columns(worker_id=pl.coalesce("new_id", "worker_id"))
            .select(columns)
        )
        with atomic_path(path) as partial:
            renumbered.write_parquet(partial, compression="lz4", statistics=True)


def files_to_rows(apps, schema_editor):
    """Back: the rows from each version's files into the table again."""
    from monev.core import pii
    from monev.rosters import store

    version_model = apps.get_model("rosters", "RosterVersion")
    worker_model = apps.get_model("rosters", "Worker")
    for version in version_model.objects.exclude(rows_file="").iterator():
        niks = dict(store.version_niks(version).iter_rows())
        rows = store.version_rows(version).collect()
        worker_model.objects.bulk_create(
            [
                worker_model(
                    version_id=version.pk,
                    row_number=r["row_number"],
                    nik_hash=pii.nik_hash(niks[r["row_number"]]),
                    nik_cipher=pii.nik_encrypt(niks[r["row_number"]]),
                    nik_masked=r["nik_masked"],
                    name=r["name"],
                    category=r["category"],
                    position=r["position"] or "",
                    wage=r["wage"],
                    funding_source=r["funding_source"] or "",
                    desa_code=r["desa_code"] or "",
                    birth_date=r["birth_date"],
                    sex=r["sex"] or "",
                )
                for r in rows.iter_rows(named=True)
            ],
            batch_size=2000,
        )


class Migration(migrations.Migration):
    dependencies = [
        ("rosters", "0004_worker_version_index"),
        ("coverage", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="rosterversion",
            name="rows_file",
            field=models.CharField(blank=True, max_length=255),
        ),
        migrations.RunPython(rows_to_files, files_to_rows),
        migrations.DeleteModel(name="Worker"),
    ]
