"""The Parquet lake: one file per table per run, hive-partitioned by ingest date, and the run's staging area.

Layout under the lake folder:
  <table>/ingest_date=YYYY-MM-DD/<run_id>.parquet   the rows a completed run loaded (what readers glob)
  _staging/<run_id>/<table>/part-NNNNNN-CCCC.parquet  batch (and chunk) output of a run in progress
                                                     (never part of the lake)

Every file is written under a temporary name and renamed, so no reader ever sees half a file. A run's staging
folder is removed once its rows are in the warehouse and its lake files are published; a folder left by a killed
run is found by `stale_runs` and cleaned up by the next run.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import uuid
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

STAGING = "_staging"


def _write_atomic(table: pa.Table, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.tmp")
    try:
        pq.write_table(table, tmp, compression="zstd")
        os.replace(tmp, path)  # readers never see half a file
    finally:
        tmp.unlink(missing_ok=True)
    return path


def write_table(lake: Path, name: str, table: pa.Table, run_id: str, ingest_date: dt.date) -> Path:
    """Write one table of a run as zstd Parquet under `<lake>/<name>/ingest_date=YYYY-MM-DD/`."""
    return _write_atomic(table, lake_file(lake, name, run_id, ingest_date))


def lake_file(lake: Path, name: str, run_id: str, ingest_date: dt.date) -> Path:
    """Where a run's file of one table lives in the lake."""
    return Path(lake) / name / f"ingest_date={ingest_date.isoformat()}" / f"{run_id}.parquet"


def staging_dir(lake: str | Path, run_id: str) -> Path:
    """The folder a run's batches write to before the load."""
    return Path(lake) / STAGING / run_id


def write_part(stage: Path, name: str, table: pa.Table, part: int, chunk: int = 0) -> Path:
    """Write one batch chunk's table into a run's staging folder (names sort in batch, then chunk order)."""
    return _write_atomic(table, Path(stage) / name / f"part-{part:06d}-{chunk:04d}.parquet")


def has_parts(stage: Path, name: str) -> bool:
    """True when the staging folder holds at least one file of that table."""
    folder = Path(stage) / name
    return folder.is_dir() and any(p.suffix == ".parquet" and not p.name.startswith(".") for p in folder.iterdir())


def stale_runs(lake: str | Path) -> list[str]:
    """Run ids whose staging folder is still there (a run in progress, or one that was killed)."""
    root = Path(lake) / STAGING
    return sorted(p.name for p in root.iterdir() if p.is_dir()) if root.is_dir() else []


def remove_staging(lake: str | Path, run_id: str) -> None:
    """Delete a run's staging folder."""
    shutil.rmtree(staging_dir(lake, run_id), ignore_errors=True)
