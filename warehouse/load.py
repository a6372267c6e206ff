"""Load one run into DuckDB in a single transaction, streaming its staged Parquet files with read_parquet."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pyarrow as pa

from transforms.record import DUPLICATE_REASON
from warehouse.db import read_query, run_layer
from warehouse.lake import has_parts, lake_file, remove_staging, stale_runs
from warehouse.schemas import DOC_TABLES, SCHEMAS

# the tables a worker writes for each batch into the run's staging folder
STAGED = (*DOC_TABLES, "inbox_files")
# the warehouse tables a completed run is published to the lake from, with the rows that belong to a run
LAKE_ROWS = {
    "documents": "run_id = $run",
    "articles": "run_id = $run",
    "paragraphs": "doc_id in (select doc_id from documents where run_id = $run)",
    "captions": "doc_id in (select doc_id from documents where run_id = $run)",
    "quotes": "doc_id in (select doc_id from documents where run_id = $run)",
    "boilerplate": "run_id = $run",
    "quarantine": "run_id = $run",
    "dq_results": "run_id = $run",
}


class DuplicateKeys(duckdb.ConstraintException):
    """The run would load two child rows under one key (paragraphs, captions, quotes, boilerplate have no primary
    key, so the load checks it); the load is rolled back, as on a key violation."""


@dataclass(frozen=True, slots=True)
class LoadCounts:
    """What a load added: rows of documents, articles, quarantine and boilerplate, and files pruned."""

    documents: int = 0
    articles: int = 0
    quarantined: int = 0
    boilerplate: int = 0
    pruned_files: int = 0


def load_run(
    con: duckdb.DuckDBPyConnection,
    stage: Path | None,
    dq_results: pa.Table,
    run_row: Callable[[LoadCounts], pa.Table],
    before_commit: Callable[[], None] | None = None,
    pruned: int = 0,
) -> LoadCounts:
    """Publish a run's staged batches (replacing the documents it re-read), its dq results and its runs row in
    one transaction: all or nothing. `run_row` builds the runs row from the counts. `stage` None: nothing was
    staged (nothing new)."""
    staged = stage is not None and all(has_parts(stage, name) for name in STAGED)
    con.register("incoming_dq_results", dq_results)
    try:
        con.execute("begin transaction").fetchall()
        counts = LoadCounts(pruned_files=pruned)
        if staged:
            con.execute("set variable stage = ?", [str(stage)]).fetchall()
            con.execute("set variable duplicate_reason = ?", [DUPLICATE_REASON]).fetchall()
            con.execute(read_query("file_of")).fetchall()
            run_layer(con, "incoming")
            run_layer(con, "staging")
            run_layer(con, "load")
            _check_keys(con)
            counts = LoadCounts(*con.execute(read_query("run_counts")).fetchall()[0], pruned_files=pruned)
        else:
            con.execute("insert into dq_results by name select * from incoming_dq_results").fetchall()
        _insert_run(con, run_row(counts))
        if before_commit is not None:
            before_commit()
        con.execute("commit").fetchall()
    except BaseException:  # a KeyboardInterrupt or SystemExit must not leave the transaction open either
        con.execute("rollback").fetchall()
        raise
    finally:
        con.unregister("incoming_dq_results")
    return counts


def _check_keys(con: duckdb.DuckDBPyConnection) -> None:
    duplicates = con.execute(read_query("duplicate_keys")).fetchall()
    if duplicates:
        raise DuplicateKeys("duplicate keys in the run's rows: " + "; ".join(
            f"{table}: {n} key(s) twice, e.g. {example}" for table, n, example in duplicates))


def prune_files(con: duckdb.DuckDBPyConnection, seen_paths: Iterable[str]) -> int:
    """Drop, in one transaction, the documents of files the inbox no longer has; returns how many files went."""
    con.register("seen_paths", pa.table({"path": pa.array(sorted(set(seen_paths)), pa.string())}))
    try:
        con.execute("begin transaction").fetchall()
        con.execute("set variable duplicate_reason = ?", [DUPLICATE_REASON]).fetchall()
        con.execute(read_query("file_of")).fetchall()
        run_layer(con, "prune")
        gone = con.execute("select count(*) from gone_files").fetchall()[0][0]
        con.execute("commit").fetchall()
    except BaseException:
        con.execute("rollback").fetchall()
        raise
    finally:
        con.unregister("seen_paths")
    return gone


def _insert_run(con: duckdb.DuckDBPyConnection, run_row: pa.Table) -> None:
    con.register("incoming_runs", run_row)
    try:
        run_layer(con, "runs")
    finally:
        con.unregister("incoming_runs")


def record_run(con: duckdb.DuckDBPyConnection, run_row: pa.Table) -> None:
    """Insert or update the row of one run (final timings, or a run that failed before its load)."""
    _insert_run(con, run_row)


def publish_lake(con: duckdb.DuckDBPyConnection, lake: Path, run_id: str, ingest_date: dt.date) -> list[Path]:
    """Write a loaded run's rows to the lake (one zstd Parquet file per table, temp name then rename), then drop
    its staging folder. The lake thus holds exactly what the warehouse loaded; re-running this is safe."""
    written = []
    for name, where in LAKE_ROWS.items():
        n = con.execute(f"select count(*) from {name} where {where}", {"run": run_id}).fetchall()[0][0]
        if not n:
            continue
        path = lake_file(lake, name, run_id, ingest_date)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.tmp")
        con.execute(f"copy (select * from {name} where {where}) to '{_quote(tmp)}' (format parquet, "
                    "compression zstd)", {"run": run_id}).fetchall()
        tmp.replace(path)
        written.append(path)
    remove_staging(lake, run_id)
    return written


def clean_stale_runs(con: duckdb.DuckDBPyConnection, lake: Path, keep: str = "") -> list[str]:
    """Finish or discard what killed runs left in the lake's staging area: a run the warehouse recorded as loaded
    gets its lake files published; any other run's staged files are deleted (they never reached the warehouse)."""
    done = []
    for run_id in stale_runs(lake):
        if run_id == keep:
            continue
        rows = con.execute("select status, started_at from runs where run_id = ?", [run_id]).fetchall()
        row = rows[0] if rows else None
        if row and row[0] in ("loaded", "completed"):
            publish_lake(con, lake, run_id, row[1].date())
        else:
            remove_staging(lake, run_id)
        done.append(run_id)
    return done


def known_files(con: duckdb.DuckDBPyConnection) -> dict[str, tuple[int, int, str | None, str | None]]:
    """path -> (bytes, mtime_ns, sha256, problem) of every dump file the warehouse has seen."""
    return {row[0]: tuple(row[1:]) for row in con.execute(read_query("known_files")).fetchall()}


def run_history(con: duckdb.DuckDBPyConnection) -> list[tuple[int, int]]:
    """(articles extracted, documents read) of the last runs that extracted any, newest first."""
    return [(row[0], row[1]) for row in con.execute(read_query("run_history")).fetchall()]


def empty_table(name: str) -> pa.Table:
    """A table of a known schema with no rows."""
    return SCHEMAS[name].empty_table()


def _quote(path: Path) -> str:
    return str(path).replace("'", "''")

