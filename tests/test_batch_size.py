"""The batch size: the runner's default, and a batch worked through in chunks of that many documents."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pyarrow.parquet as pq

from flows.batch import run_batch
from flows.etl import BATCH_SIZES, THREAD_BATCH_SIZE, default_batch_size, runner_name
from transforms.ranker_model import MODELS_DIR
from transforms.rules import RULES_DIR
from warehouse.inbox import discover

SAMPLES = Path(__file__).resolve().parents[1] / "samples" / "inbox"


def test_threads_take_the_small_batches_and_worker_processes_the_large_ones() -> None:
    assert THREAD_BATCH_SIZE == BATCH_SIZES["threads"] < BATCH_SIZES["dask"] < BATCH_SIZES["processes"]
    assert default_batch_size() == THREAD_BATCH_SIZE
    assert default_batch_size(4, "threads") == THREAD_BATCH_SIZE
    assert default_batch_size(2) == BATCH_SIZES["processes"]  # several workers, no runner named: a process pool
    assert default_batch_size(1, "processes") == BATCH_SIZES["processes"]
    assert default_batch_size(2, "dask") == BATCH_SIZES["dask"]
    assert default_batch_size(1, None, "tcp://scheduler:8786") == BATCH_SIZES["dask"]
    assert [runner_name(1), runner_name(2), runner_name(2, "threads"), runner_name(1, "processes", "tcp://h:1")] == [
        "threads", "processes", "threads", "dask"]


def _staged(tmp_path: Path, name: str, chunk: int) -> tuple[list[str], dict[str, list]]:
    inbox = tmp_path / "inbox"
    if not inbox.exists():
        shutil.copytree(SAMPLES, inbox)
    stage = tmp_path / name
    now = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    result = run_batch(str(inbox), discover(inbox), {}, 0, str(stage), "r1", now, 10**8, str(RULES_DIR),
                       str(MODELS_DIR), chunk)
    assert result.documents == 5
    parts = sorted(p.name for p in (stage / "documents").glob("*.parquet"))
    rows = {t: sorted(pq.read_table(stage / t).to_pydict()["doc_id" if t == "documents" else "article_id"])
            for t in ("documents", "articles")}
    return parts, rows


def test_a_batch_is_cleaned_and_staged_in_chunks_of_the_given_size_with_the_same_rows(tmp_path) -> None:
    small_parts, small = _staged(tmp_path, "small", 2)
    whole_parts, whole = _staged(tmp_path, "whole", 500)
    assert small_parts == ["part-000000-0000.parquet", "part-000000-0001.parquet", "part-000000-0002.parquet"]
    assert whole_parts == ["part-000000-0000.parquet"]
    assert small == whole
    assert len(whole["articles"]) >= 5
