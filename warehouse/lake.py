"""The Parquet lake: one file per table per run, hive-partitioned by ingest date."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq


def write_table(lake: Path, name: str, table: pa.Table, run_id: str, ingest_date: dt.date) -> Path:
    """Write one table of a run as zstd Parquet under `<lake>/<name>/ingest_date=YYYY-MM-DD/`."""
    folder = lake / name / f"ingest_date={ingest_date.isoformat()}"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{run_id}.parquet"
    tmp = path.with_suffix(".parquet.tmp")
    pq.write_table(table, tmp, compression="zstd")
    tmp.replace(path)  # readers never see half a file
    return path
