"""The database's bulk path for worker rows, inside the caller's transaction.

PostgreSQL: `COPY … FROM STDIN (FORMAT csv)` fed by Polars-written CSV chunks (psycopg 3
`cursor.copy`). SQLite: `executemany` of one INSERT in batches of 50,000 rows — the same
statement `bulk_create` issues, without building a model object per row.
"""

from __future__ import annotations

import io

import polars as pl
from django.db import connection

from monev.rosters.engine import STORED_COLUMNS
from monev.rosters.models import Worker

CHUNK_ROWS = 200_000
SQLITE_BATCH = 50_000


def _columns() -> list[str]:
    return ["version_id", *STORED_COLUMNS]


def workers_insert(version_id: int, prepared: pl.DataFrame) -> int:
    # `prepared` comes sorted by nik_hash (engine.prepare_rows): the index fills in order.
    frame = prepared.select(
        pl.lit(version_id, dtype=pl.Int64).alias("version_id"),
        *STORED_COLUMNS,
    ).with_columns(pl.col("birth_date").cast(pl.String))
    if connection.vendor == "postgresql":
        _copy(frame)
    else:
        _executemany(frame)
    return frame.height


def _copy(frame: pl.DataFrame) -> None:
    table = Worker._meta.db_table
    sql = f"COPY {table} ({', '.join(_columns())}) FROM STDIN WITH (FORMAT csv)"
    with connection.cursor() as cursor:
        raw = cursor.cursor  # the psycopg 3 cursor under Django's wrapper
        with raw.copy(sql) as copy:
            for offset in range(0, frame.height, CHUNK_ROWS):
                buffer = io.BytesIO()
                frame.slice(offset, CHUNK_ROWS).write_csv(buffer, include_header=False)
                copy.write(buffer.getvalue())


def _executemany(frame: pl.DataFrame) -> None:
    table = Worker._meta.db_table
    columns = _columns()
    marks = ", ".join(["%s"] * len(columns))
    sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})"  # noqa: S608
    with connection.cursor() as cursor:
        # A larger page cache for this connection: random inserts into the nik_hash index
        # otherwise spill to disk many times over (64 MB; SQLite's default is 2 MB).
        cursor.execute("PRAGMA cache_size = -65536")
        for offset in range(0, frame.height, SQLITE_BATCH):
            cursor.executemany(sql, frame.slice(offset, SQLITE_BATCH).rows())
