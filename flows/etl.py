"""The Broadsheet ETL flow: discover dumps, clean and extract, validate, write the lake, load DuckDB."""

from __future__ import annotations

import datetime as dt
import os
import time
import uuid
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import pyarrow as pa
from prefect import flow, get_run_logger, task
from prefect.futures import PrefectFuture
from prefect.runtime import flow_run
from prefect.task_runners import ProcessPoolTaskRunner

from expectations.checks import crosses
from expectations.validate import Validation, validate_run
from flows.progress import report_progress
from transforms.decode import detect_format
from transforms.pipeline import mark_duplicates, process_documents, read_dump, reject_unread
from transforms.record import Document, sha256_hex
from transforms.rules import load_rules
from warehouse.db import connect
from warehouse.lake import write_table
from warehouse.load import known_file_hashes, load_run, record_run, run_history
from warehouse.schemas import apply_validation, build_tables, concat_tables, table_from_rows

os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")

# A news page is a few hundred KB at most; a dump far larger is a mistake (a video, a database dump) and
# would be read whole into memory, so it is quarantined instead.
MAX_DUMP_BYTES = 50_000_000


@dataclass(frozen=True, slots=True)
class RunSettings:
    """One run's settings, built from the flow parameters."""

    inbox: str
    warehouse: str
    lake: str
    batch_size: int
    force: bool
    in_flight: int  # batches read ahead of cleaning (backpressure)
    max_dump_bytes: int

    @property
    def gx_dir(self) -> str:
        """The Great Expectations project, next to the warehouse."""
        return str(Path(self.warehouse).parent / "gx")


@dataclass
class RunSummary:
    """What one run did; printed by the CLI and stored in the `runs` table."""

    run_id: str
    warehouse: str
    lake: str
    files_seen: int = 0
    files_skipped: int = 0
    documents_read: int = 0
    articles_extracted: int = 0
    articles_loaded: int = 0
    records_quarantined: int = 0
    boilerplate_lines: int = 0
    seconds: dict[str, float] = field(default_factory=dict)


@task(retries=2, retry_delay_seconds=1)
def discover_dumps(inbox: str) -> list[str]:
    """Every dump under the inbox (recursively), as paths relative to it, in a stable order."""
    root = Path(inbox)
    if not root.is_dir():
        raise NotADirectoryError(f"inbox {inbox} is not a directory")
    return sorted(
        p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file() and detect_format(p.name)
    )


@task(retries=2, retry_delay_seconds=1)
def warehouse_state(warehouse: str) -> tuple[set[str], list[int]]:
    """Hashes of the dumps the warehouse already holds, and the article counts of its last runs."""
    if not Path(warehouse).exists():
        return set(), []
    con = connect(warehouse, read_only=True)
    try:
        return known_file_hashes(con), run_history(con)
    finally:
        con.close()


@task(retries=2, retry_delay_seconds=1)
def read_batch(
    inbox: str, paths: list[str], skip: set[str], now: dt.datetime, max_bytes: int = MAX_DUMP_BYTES
) -> tuple[list[Document], int]:
    """Read a batch of dumps; unchanged ones (same sha256 as a loaded dump) are skipped, and a file that
    vanished, cannot be read or is too large becomes a rejected document instead of failing the batch."""
    docs: list[Document] = []
    skipped = 0
    for rel in paths:
        path, fmt = Path(inbox) / rel, detect_format(rel) or "txt"
        try:
            size = path.stat().st_size
            if size > max_bytes:
                docs.append(reject_unread(rel, fmt, size, "file_too_large", f"{size:,} bytes > {max_bytes:,}", now))
                continue
            data = path.read_bytes()
        except OSError as exc:
            docs.append(reject_unread(rel, fmt, 0, "unreadable_file", f"{type(exc).__name__}: {exc}", now))
            continue
        if sha256_hex(data) in skip:
            skipped += 1
            continue
        docs.extend(read_dump(data, rel, fmt, now))
    return docs, skipped


@task
def transform_batch(docs: list[Document], run_id: str, now: dt.datetime) -> dict[str, pa.Table]:
    """Clean and extract a batch of documents into its (compact, Arrow) tables."""
    return build_tables(process_documents(docs, load_rules()), run_id, now)


@task
def validate(articles: pa.Table, documents: pa.Table, gx_dir: str, run_id: str, history: list[tuple[int, int]],
             documents_read: int) -> Validation:
    """Run the suites; returns rejected article ids and dq_results rows."""
    return validate_run(articles, documents, Path(gx_dir), load_rules().boilerplate_phrases, run_id, history,
                        documents_read=documents_read)


@task(retries=2, retry_delay_seconds=1)
def write_lake(lake: str, tables: dict[str, pa.Table], run_id: str, day: dt.date) -> list[str]:
    """Write every table of the run to the Parquet lake."""
    return [str(write_table(Path(lake), name, t, run_id, day)) for name, t in tables.items() if t.num_rows]


@task(retries=2, retry_delay_seconds=2)
def load_warehouse(warehouse: str, tables: dict[str, pa.Table], run_row: pa.Table) -> None:
    """Load the run into DuckDB in one transaction."""
    con = connect(warehouse)
    try:
        load_run(con, tables, run_row)
    finally:
        con.close()


@task(retries=2, retry_delay_seconds=2)
def finish_run(warehouse: str, run_row: pa.Table) -> None:
    """Record a run's final timings, or a run that failed before its load."""
    con = connect(warehouse)
    try:
        record_run(con, run_row)
    finally:
        con.close()


def _batches(items: list[str], size: int) -> list[list[str]]:
    return [items[i : i + size] for i in range(0, len(items), size)]


def _new_run_id(now: dt.datetime) -> str:
    return f"{now:%Y%m%dT%H%M%SZ}-{uuid.uuid4().hex[:8]}"


@flow(name="broadsheet-etl", log_prints=True)
def etl_flow(
    inbox: str,
    warehouse: str = "data/broadsheet.duckdb",
    lake: str = "data/lake",
    batch_size: int = 200,
    force: bool = False,
    fail_on: Literal["critical", "warning", "never"] = "never",
    in_flight: int = 2,
    max_dump_bytes: int = MAX_DUMP_BYTES,
) -> dict:
    """Run Broadsheet once over every new dump in `inbox` (`in_flight`: batches read ahead of cleaning)."""
    logger = get_run_logger()
    settings = RunSettings(str(inbox), str(warehouse), str(lake), batch_size, force, max(1, in_flight),
                           max_dump_bytes)
    started = dt.datetime.now(dt.UTC)
    run_id = _new_run_id(started)
    summary = RunSummary(run_id=run_id, warehouse=settings.warehouse, lake=settings.lake)
    t0 = time.perf_counter()

    try:
        validation = _run_stages(settings, summary, started, t0)
    except Exception:
        summary.seconds["total"] = time.perf_counter() - t0
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
    result = summary.__dict__ | {
        "failed_checks": sorted({(r["severity"], r["expectation"]) for r in validation.results if not r["success"]}),
        "fail_on": fail_on,
        "threshold_crossed": crosses(validation.results, fail_on),
    }
    return result


def _run_stages(s: RunSettings, summary: RunSummary, started: dt.datetime, t0: float) -> Validation:
    """The flow's stages in order (called from the flow body); fills `summary` as it goes."""
    run_id = summary.run_id
    load_rules()  # a missing or broken rules tree (or model file) fails the run here, before any dump is read
    paths = discover_dumps(s.inbox)
    known, history = warehouse_state(s.warehouse)
    skip = set() if s.force else known
    summary.files_seen = len(paths)

    # Read batch by batch and hand each to a transform task; at most `in_flight` batches wait at once
    # (backpressure), so only compact Arrow tables accumulate and memory stays flat however large the inbox.
    first: dict[str, str] = {}
    pending: deque[PrefectFuture] = deque()
    parts: list[dict[str, pa.Table]] = []
    read_seconds = 0.0
    n_batches = -(-len(paths) // s.batch_size)
    report_progress("read", 0, len(paths))
    report_progress("clean", 0, n_batches)
    for done, batch in enumerate(_batches(paths, s.batch_size), start=1):
        while len(pending) >= s.in_flight:
            parts.append(pending.popleft().result())
            report_progress("clean", len(parts), n_batches)
        t_read = time.perf_counter()
        docs, skipped = read_batch(s.inbox, batch, skip, started, s.max_dump_bytes)
        docs, first = mark_duplicates(docs, first)
        read_seconds += time.perf_counter() - t_read
        summary.files_skipped += skipped
        summary.documents_read += len(docs)
        pending.append(transform_batch.submit(docs, run_id, started))
        del docs
        report_progress("read", min(done * s.batch_size, len(paths)), len(paths))
    while pending:
        parts.append(pending.popleft().result())
        report_progress("clean", len(parts), n_batches)
    tables = concat_tables(parts)
    del parts
    t2 = time.perf_counter()

    summary.articles_extracted = tables["articles"].num_rows
    report_progress("validate", 0, 1)
    validation = validate(tables["articles"], tables["documents"], s.gx_dir, run_id, history, summary.documents_read)
    report_progress("validate", 1, 1)
    tables = apply_validation(tables, validation.rejected, run_id, started)
    tables["dq_results"] = table_from_rows("dq_results", validation.results)
    t3 = time.perf_counter()

    summary.articles_loaded = tables["articles"].num_rows
    summary.records_quarantined = tables["quarantine"].num_rows
    summary.boilerplate_lines = tables["boilerplate"].num_rows
    write_lake(s.lake, tables, run_id, started.date())
    summary.seconds |= {"read": read_seconds, "transform": t2 - t0 - read_seconds, "validate": t3 - t2}
    report_progress("load", 0, 1)
    load_warehouse(s.warehouse, tables, _run_row(summary, s.inbox, started, "loaded"))
    report_progress("load", 1, 1)
    summary.seconds["load"] = time.perf_counter() - t3
    return validation


def _run_row(summary: RunSummary, inbox: str, started: dt.datetime, status: str) -> pa.Table:
    row = {
        "run_id": summary.run_id, "flow_run_id": str(flow_run.id) if flow_run.id else None,
        "inbox": str(inbox), "started_at": started, "finished_at": dt.datetime.now(dt.UTC),
        "status": status, "files_seen": summary.files_seen, "files_skipped": summary.files_skipped,
        "documents_read": summary.documents_read, "articles_extracted": summary.articles_extracted,
        "articles_loaded": summary.articles_loaded, "records_quarantined": summary.records_quarantined,
        "boilerplate_lines": summary.boilerplate_lines, "seconds_read": summary.seconds.get("read"),
        "seconds_transform": summary.seconds.get("transform"),
        "seconds_validate": summary.seconds.get("validate"), "seconds_load": summary.seconds.get("load"),
        "seconds_total": summary.seconds.get("total"),
    }
    return table_from_rows("runs", [row])


def flow_with_workers(workers: int = 1) -> Any:
    """The ETL flow; with workers > 1 its transform batches run in that many processes (true parallelism)."""
    if workers < 1:
        raise ValueError("workers must be at least 1")
    if workers == 1:
        return etl_flow
    return etl_flow.with_options(task_runner=ProcessPoolTaskRunner(max_workers=workers))


def build_deployment(inbox: str, cron: str, warehouse: str, lake: str, name: str = "broadsheet-inbox",
                     workers: int = 1) -> Any:
    """The flow as a cron-scheduled deployment over one inbox (each run only picks up new dumps)."""
    params = {"inbox": str(Path(inbox).resolve()), "warehouse": str(Path(warehouse).resolve()),
              "lake": str(Path(lake).resolve())}
    return flow_with_workers(workers).to_deployment(
        name=name, cron=cron, parameters=params, description="Broadsheet: new dumps in the inbox to the warehouse.")
