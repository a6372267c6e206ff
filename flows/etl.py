"""The Broadsheet ETL flow: discover dumps, then per batch clean, validate and stage Parquet; load DuckDB once.

A run streams: each batch is read, cleaned, validated by the critical suite and written to the run's staging
folder where it runs (a thread, a process, or a Dask worker on another machine), and only counters come back.
The flow process then runs the warning suite on those aggregates and publishes the staged files into DuckDB in
one transaction (`INSERT ... SELECT ... FROM read_parquet(...)`), then to the lake, and brings the search index
beside the warehouse in step.
"""

from __future__ import annotations

import datetime as dt
import os
import time
import uuid
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any, Literal

import duckdb
import pyarrow as pa
from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.futures import PrefectFuture
from prefect.runtime import flow_run
from prefect.task_runners import ProcessPoolTaskRunner

from expectations.checks import crosses, gx_project
from expectations.run_level import RunAggregates
from expectations.runner import warm_up
from expectations.validate import merge_results, validate_aggregates
from flows.batch import BatchResult, run_batch
from flows.faults import hold
from flows.progress import report_progress
from flows.reaper import rearm
from transforms.clusters import ClusterRules
from transforms.ranker_model import MODELS_DIR
from transforms.rules import RULES_DIR, load_rules
from warehouse.clusters import ClusterCounts, cluster_articles
from warehouse.db import INDEX_MEMORY, connect, writer_lock
from warehouse.inbox import InboxFile, discover, unchanged
from warehouse.lake import remove_staging, staging_dir, stale_runs
from warehouse.load import (
    LoadCounts,
    clean_stale_runs,
    known_files,
    load_run,
    prune_files,
    publish_lake,
    record_run,
    run_history,
)
from warehouse.schemas import table_from_rows
from warehouse.search import IndexUpdate, update_beside

os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")

# A news page is a few hundred KB at most; a dump far larger is a mistake (a video, a database dump) and
# would be read whole into memory, so it is quarantined instead.
MAX_DUMP_BYTES = 50_000_000
# DuckDB's memory for the load (it spills to disk beyond it), so the flow process stays bounded; enough since the
# child tables lost their primary keys (python bench/load.py: 100,000 dumps load at 256 MB, not at 192)
LOAD_MEMORY = "256MB"
RUNNERS = ("threads", "processes", "dask")
# Documents per batch when a run does not say: one Prefect task, and one chunk cleaned, validated and staged at once
# (flows.batch.run_batch). Each chunk pays about 0.09 s of Great Expectations set-up whatever its size, so larger
# is faster; a worker holds one chunk at a time, the threads runner up to `in_flight` of them in the flow process.
# Each is the largest measured size that keeps its process in bounds (bench/README.md, "Batch size"): a Dask
# worker carries about 50 MB more than a pool process (590 MB at 350 documents, 601 MB at 500; the bound is 600).
THREAD_BATCH_SIZE = 200
BATCH_SIZES = MappingProxyType({"threads": THREAD_BATCH_SIZE, "processes": 500, "dask": 350})


@dataclass(frozen=True, slots=True)
class RunSettings:
    """One run's settings, built from the flow parameters."""

    inbox: str
    warehouse: str
    lake: str
    batch_size: int  # files per batch (one task) and documents per chunk cleaned and validated at once
    force: bool
    in_flight: int  # batches in progress at once (backpressure)
    max_dump_bytes: int
    prune: bool = False
    rules_dir: str = str(RULES_DIR)  # the rules tree and model files every batch is cleaned with
    models_dir: str = str(MODELS_DIR)

    @property
    def gx_dir(self) -> str:
        """The Great Expectations project, next to the warehouse."""
        return str(gx_project(self.warehouse))


@dataclass
class RunSummary:
    """What one run did; printed by the CLI and stored in the `runs` table."""

    run_id: str
    warehouse: str
    lake: str
    files_seen: int = 0
    files_skipped: int = 0
    files_pruned: int = 0
    documents_read: int = 0
    articles_extracted: int = 0
    articles_loaded: int = 0
    records_quarantined: int = 0
    boilerplate_lines: int = 0
    warc_records_skipped: dict[str, int] = field(default_factory=dict)  # WARC records that are not pages, per reason
    seconds: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Discovered:
    """A task's list of discovered files in one object: Prefect links each item of a returned list to the task's
    state for the rest of the flow run (100,000 files: about 20 MB kept), but not the items of a field."""

    files: list[InboxFile]


@task(retries=2, retry_delay_seconds=1, cache_policy=NO_CACHE)
def discover_inbox(inbox: str) -> Discovered:
    """Every dump under the inbox (recursively, never leaving it), in a stable order."""
    return Discovered(discover(inbox))


@task(retries=2, retry_delay_seconds=1, cache_policy=NO_CACHE)
def warehouse_state(warehouse: str, lake: str) -> tuple[dict[str, tuple], list[tuple[int, int]]]:
    """What the warehouse knows of each file, and the sizes of its last runs; finishes or discards what killed
    runs left in the lake's staging area (the caller holds the writer lock)."""
    if not Path(warehouse).exists():
        for run_id in stale_runs(lake):
            remove_staging(lake, run_id)
        return {}, []
    con = connect(warehouse, read_only=True)
    try:
        cleaned = clean_stale_runs(con, Path(lake))
        if cleaned:
            get_run_logger().info("cleaned the staging files of %d interrupted run(s)", len(cleaned))
        has_files = con.execute("select count(*) from information_schema.tables where table_name = 'inbox_files'"
                                ).fetchall()[0][0]
        return (known_files(con) if has_files else {}), run_history(con)
    finally:
        con.close()


@task(retries=2, retry_delay_seconds=2, cache_policy=NO_CACHE)
def prune_warehouse(warehouse: str, seen: list[str]) -> int:
    """--prune: drop the documents of files the inbox no longer has, before anything is read."""
    if not Path(warehouse).exists():
        return 0
    con = connect(warehouse)
    try:
        return prune_files(con, seen)
    finally:
        con.close()


@task(cache_policy=NO_CACHE)
def process_batch(inbox: str, files: list[InboxFile], known_sha: dict[str, str], part: int, stage: str,
                  run_id: str, now: dt.datetime, max_bytes: int, rules_dir: str, models_dir: str,
                  chunk_documents: int) -> BatchResult:
    """Read, clean, validate per record and stage one batch as Parquet (in a worker when there are workers)."""
    return run_batch(inbox, files, known_sha, part, stage, run_id, now, max_bytes, rules_dir, models_dir,
                     chunk_documents)


@task(cache_policy=NO_CACHE)
def validate_run_level(agg: RunAggregates, gx_dir: str, run_id: str, history: list[tuple[int, int]],
                       documents_read: int) -> list[dict]:
    """The run-level (warning) suite, from the aggregates the batches sent back."""
    return validate_aggregates(agg, Path(gx_dir), run_id, history, documents_read)


def _bulk_writer(warehouse: str, memory: str = LOAD_MEMORY) -> duckdb.DuckDBPyConnection:
    """A writable connection for the load and the clustering: bounded memory, insertion order not kept."""
    con = connect(warehouse)
    try:
        con.execute(f"set memory_limit = '{memory}'").fetchall()
        con.execute("set preserve_insertion_order = false").fetchall()
    except BaseException:
        con.close()
        raise
    return con


@task(retries=2, retry_delay_seconds=2, cache_policy=NO_CACHE)
def load_warehouse(warehouse: str, lake: str, stage: str | None, dq_results: pa.Table,
                   run_row: Callable[[LoadCounts], pa.Table], pruned: int, run_id: str, day: dt.date) -> LoadCounts:
    """Publish the staged run into DuckDB in one transaction (streamed from Parquet), then to the lake."""
    con = _bulk_writer(warehouse)
    try:
        counts = load_run(con, Path(stage) if stage else None, dq_results, run_row,
                          before_commit=lambda: hold("loading"), pruned=pruned)
        hold("publishing")
        publish_lake(con, Path(lake), run_id, day)
        return counts
    finally:
        con.close()


@task(retries=2, retry_delay_seconds=2, cache_policy=NO_CACHE)
def cluster_stories(warehouse: str, rules: ClusterRules) -> ClusterCounts:
    """Put the articles not clustered yet into story clusters (MinHash LSH against the warehouse's band keys)."""
    con = _bulk_writer(warehouse, INDEX_MEMORY)
    try:
        return cluster_articles(con, rules)
    finally:
        con.close()


@task(retries=2, retry_delay_seconds=2, cache_policy=NO_CACHE)
def update_search(warehouse: str) -> IndexUpdate | None:
    """Bring the search index beside the warehouse in step with what is loaded now (the run holds the lock)."""
    return update_beside(warehouse, INDEX_MEMORY)


@task(retries=2, retry_delay_seconds=2, cache_policy=NO_CACHE)
def finish_run(warehouse: str, run_row: pa.Table) -> None:
    """Record a run's final timings, or a run that failed before its load."""
    con = connect(warehouse)
    try:
        record_run(con, run_row)
    finally:
        con.close()


def _batches(items: list, size: int) -> list[list]:
    return [items[i : i + size] for i in range(0, len(items), size)]


def _new_run_id(now: dt.datetime) -> str:
    return f"{now:%Y%m%dT%H%M%SZ}-{uuid.uuid4().hex[:8]}"


@flow(name="broadsheet-etl", log_prints=True)
def etl_flow(
    inbox: str,
    warehouse: str = "data/broadsheet.duckdb",
    lake: str = "data/lake",
    batch_size: int = THREAD_BATCH_SIZE,
    force: bool = False,
    fail_on: Literal["critical", "warning", "never"] = "never",
    in_flight: int = 2,
    max_dump_bytes: int = MAX_DUMP_BYTES,
    prune: bool = False,
    wait: float = 0.0,
) -> dict:
    """Run Broadsheet once over every new dump in `inbox` (`in_flight`: batches in progress at once; `prune`:
    drop documents whose file left the inbox; `wait`: seconds to wait for a busy warehouse)."""
    rearm()  # under `broadsheet run`: SIGTERM stops the run's whole process group at once
    logger = get_run_logger()
    settings = RunSettings(str(inbox), str(warehouse), str(lake), batch_size, force, max(1, in_flight),
                           max_dump_bytes, prune)
    with writer_lock(settings.warehouse, wait):  # one writer per warehouse: a second run gets WarehouseBusy
        started = dt.datetime.now(dt.UTC)
        run_id = _new_run_id(started)
        summary = RunSummary(run_id=run_id, warehouse=settings.warehouse, lake=settings.lake)
        t0 = time.perf_counter()
        try:
            results = _run_stages(settings, summary, started)
        except BaseException:
            summary.seconds["total"] = time.perf_counter() - t0
            remove_staging(settings.lake, run_id)  # never loaded: its staged files are not part of the lake
            try:
                finish_run(warehouse, _run_row(summary, inbox, started, "failed"))
            except Exception as record_error:  # never hide the error that failed the run
                logger.warning("could not record failed run %s: %s", run_id, record_error)
            raise
        summary.seconds["total"] = time.perf_counter() - t0
        finish_run(warehouse, _run_row(summary, inbox, started, "completed"))
    logger.info(
        "run %s: %d files (%d unchanged), %d documents, %d articles loaded, %d quarantined",
        run_id, summary.files_seen, summary.files_skipped, summary.documents_read,
        summary.articles_loaded, summary.records_quarantined,
    )
    return summary.__dict__ | {
        "failed_checks": sorted({(r["severity"], r["expectation"]) for r in results if not r["success"]}),
        "fail_on": fail_on,
        "threshold_crossed": crosses(results, fail_on),
    }


def _run_stages(s: RunSettings, summary: RunSummary, started: dt.datetime) -> list[dict]:
    """The flow's stages in order (called from the flow body); fills `summary`, returns the dq_results rows."""
    t0 = time.perf_counter()
    run_id = summary.run_id
    # A missing or broken rules tree (or model file) fails the run here, before any dump is read.
    rules = load_rules(Path(s.rules_dir), Path(s.models_dir))
    files = discover_inbox(s.inbox).files
    pruned = prune_warehouse(s.warehouse, [f.path for f in files]) if s.prune else 0
    known, history = warehouse_state(s.warehouse, s.lake)
    if s.force:
        known = {}
    todo, summary.files_skipped = unchanged(files, known)
    summary.files_seen = len(files)
    stage = staging_dir(s.lake, run_id)
    t1 = time.perf_counter()

    # Each batch is read, cleaned, validated and staged where it runs; at most `in_flight` are in progress at
    # once and only counters come back, so the flow's memory does not grow with the inbox.
    pending: deque[PrefectFuture] = deque()
    critical: list[list[dict]] = []
    agg = RunAggregates()
    seen_docs: set[bytes] = set()
    worker_seconds: dict[str, float] = {}
    batches = _batches(todo, s.batch_size)
    report_progress("clean", 0, len(batches))
    # the run-level suite's GX import is paid while the workers clean, not after them with every worker idle
    gx_import = warm_up() if todo else None

    def collect(result: BatchResult) -> None:
        summary.documents_read += result.documents
        summary.files_skipped += result.skipped
        summary.articles_extracted += result.articles
        critical.append(result.critical)
        for reason, n in result.warc_skipped.items():
            summary.warc_records_skipped[reason] = summary.warc_records_skipped.get(reason, 0) + n
        for doc_id, n, bodies in result.doc_stats:
            key = bytes.fromhex(doc_id)[:16] if len(doc_id) == 64 else doc_id.encode()
            if key in seen_docs:  # a copy of a document already counted (resolved at the load)
                continue
            seen_docs.add(key)
            agg.add_documents(1, n > 0)
            agg.add_articles(bodies)
        for k, v in result.seconds.items():
            worker_seconds[k] = worker_seconds.get(k, 0.0) + v
        report_progress("clean", len(critical), len(batches))

    for part, batch in enumerate(batches):
        while len(pending) >= s.in_flight:
            collect(pending.popleft().result())
        known_sha = {f.path: known[f.path][2] for f in batch if f.path in known and known[f.path][2]}
        pending.append(process_batch.submit(s.inbox, batch, known_sha, part, str(stage), run_id, started,
                                            s.max_dump_bytes, s.rules_dir, s.models_dir, s.batch_size))
    while pending:
        collect(pending.popleft().result())
    staged = bool(batches)
    # the file list, per-document keys and body hashes are not needed after the batches
    del files, todo, known
    batches.clear()
    seen_docs.clear()
    agg = agg.counts()
    t2 = time.perf_counter()

    results = merge_results(critical)
    if gx_import is not None:
        gx_import.join()
    if summary.documents_read:  # no validation and no GX setup when nothing new was read
        report_progress("validate", 0, 1)
        results += validate_run_level(agg, s.gx_dir, run_id, history, summary.documents_read)
        report_progress("validate", 1, 1)
    t3 = time.perf_counter()
    summary.seconds |= {"discover": t1 - t0, "batches": t2 - t1, "run_checks": t3 - t2,
                        **{f"worker_{k}": v for k, v in worker_seconds.items()}}
    if staged or pruned:
        report_progress("load", 0, 1)

        def run_row(counts: LoadCounts) -> pa.Table:
            summary.articles_loaded, summary.records_quarantined = counts.articles, counts.quarantined
            summary.boilerplate_lines, summary.files_pruned = counts.boilerplate, counts.pruned_files
            return _run_row(summary, s.inbox, started, "loaded")

        load_warehouse(s.warehouse, s.lake, str(stage) if staged else None, table_from_rows("dq_results", results),
                       run_row, pruned, run_id, started.date())
        report_progress("load", 1, 1)
    summary.seconds["load"] = time.perf_counter() - t3
    # its own transaction, every run: articles a killed or failed clustering left behind are clustered by the next
    if Path(s.warehouse).exists():
        t4 = time.perf_counter()
        clustered = cluster_stories(s.warehouse, rules.clusters)
        summary.seconds["clusters"] = time.perf_counter() - t4
        get_run_logger().info("story clusters: %d articles clustered, %d joined an earlier story",
                              clustered.clustered, clustered.joined)
    t5 = time.perf_counter()
    try:
        update_search(s.warehouse)
    except Exception as exc:  # the load is committed; the index catches up at the next run or `broadsheet search`
        get_run_logger().warning("search index not updated: %s: %s", type(exc).__name__, exc)
    summary.seconds["search_index"] = time.perf_counter() - t5
    return results


def _run_row(summary: RunSummary, inbox: str, started: dt.datetime, status: str) -> pa.Table:
    row = {
        "run_id": summary.run_id, "flow_run_id": str(flow_run.id) if flow_run.id else None,
        "inbox": str(inbox), "started_at": started, "finished_at": dt.datetime.now(dt.UTC),
        "status": status, "files_seen": summary.files_seen, "files_skipped": summary.files_skipped,
        "documents_read": summary.documents_read, "articles_extracted": summary.articles_extracted,
        "articles_loaded": summary.articles_loaded, "records_quarantined": summary.records_quarantined,
        "boilerplate_lines": summary.boilerplate_lines, "seconds_read": summary.seconds.get("worker_read"),
        "seconds_transform": summary.seconds.get("worker_transform"),
        "seconds_validate": (summary.seconds.get("worker_validate", 0.0) + summary.seconds.get("run_checks", 0.0)
                             if "run_checks" in summary.seconds else None),
        "seconds_load": summary.seconds.get("load"),
        "seconds_total": summary.seconds.get("total"),
    }
    return table_from_rows("runs", [row])


def task_runner(runner: str = "threads", workers: int = 1, dask_address: str | None = None) -> Any:
    """The task runner for the batches: threads (one process), a process pool, or Dask (a LocalCluster of
    `workers` processes started for the run, or the scheduler at `dask_address`, e.g. tcp://host:8786)."""
    if workers < 1:
        raise ValueError("workers must be at least 1")
    if dask_address:
        runner = "dask"
    if runner not in RUNNERS:
        raise ValueError(f"runner must be one of {', '.join(RUNNERS)}")
    if runner == "dask":
        from prefect_dask import DaskTaskRunner

        if dask_address:
            return DaskTaskRunner(address=dask_address)
        return DaskTaskRunner(cluster_kwargs={"n_workers": workers, "processes": True, "threads_per_worker": 1,
                                              "dashboard_address": None})
    if runner == "processes":  # one worker too: a separate process, as named (the flow process only orchestrates)
        return ProcessPoolTaskRunner(max_workers=workers)
    return None


def runner_name(workers: int = 1, runner: str | None = None, dask_address: str | None = None) -> str:
    """The runner a run gets: Dask with a scheduler address, else the one named, else a process pool for
    workers > 1 and threads for one."""
    return "dask" if dask_address else runner or ("processes" if workers > 1 else "threads")


def default_batch_size(workers: int = 1, runner: str | None = None, dask_address: str | None = None) -> int:
    """The batch size of a run on this runner (see runner_name) when none is given."""
    return BATCH_SIZES[runner_name(workers, runner, dask_address)]


def flow_with_workers(workers: int = 1, runner: str | None = None, dask_address: str | None = None) -> Any:
    """The ETL flow on a task runner (see task_runner and runner_name)."""
    chosen = task_runner(runner_name(workers, runner, dask_address), workers, dask_address)
    return etl_flow if chosen is None else etl_flow.with_options(task_runner=chosen)


def build_deployment(inbox: str, cron: str, warehouse: str, lake: str, name: str = "broadsheet-inbox",
                     workers: int = 1, runner: str | None = None, dask_address: str | None = None) -> Any:
    """The flow as a cron-scheduled deployment over one inbox (each run only picks up new dumps)."""
    params = {"inbox": str(Path(inbox).resolve()), "warehouse": str(Path(warehouse).resolve()),
              "lake": str(Path(lake).resolve()), "batch_size": default_batch_size(workers, runner, dask_address)}
    # every run holds the warehouse's writer lock: a tick that fires while the previous run still loads fails at
    # once as busy (writing nothing) and its new dumps are picked up by the next tick, so there are never two writers
    return flow_with_workers(workers, runner, dask_address).to_deployment(
        name=name, cron=cron, parameters=params, description="Broadsheet: new dumps in the inbox to the warehouse.")
