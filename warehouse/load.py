"""Load one run's tables into DuckDB in a single transaction."""

from __future__ import annotations

import duckdb
import pyarrow as pa

from warehouse.db import read_query, run_layer
from warehouse.schemas import DOC_TABLES

# every table of a run that the staging views read: the per-document tables, and the run's dq results
INCOMING = (*DOC_TABLES, "dq_results")


def load_run(con: duckdb.DuckDBPyConnection, tables: dict[str, pa.Table], run_row: pa.Table) -> None:
    """Replace the run's documents and everything derived from them, then record the run; all or nothing."""
    for name in INCOMING:
        con.register(f"incoming_{name}", tables[name])
    con.register("incoming_runs", run_row)
    try:
        con.execute("begin transaction")
        run_layer(con, "staging")
        run_layer(con, "load")
        run_layer(con, "runs")
        con.execute("commit")
    except Exception:
        con.execute("rollback")
        raise
    finally:
        for name in (*INCOMING, "runs"):
            con.unregister(f"incoming_{name}")


def known_file_hashes(con: duckdb.DuckDBPyConnection) -> set[str]:
    """sha256 of every dump already in the warehouse, to skip unchanged files cheaply."""
    return {row[0] for row in con.execute(read_query("known_file_hashes")).fetchall()}


def record_run(con: duckdb.DuckDBPyConnection, run_row: pa.Table) -> None:
    """Insert or update the row of one run (final timings, or a run that failed before its load)."""
    con.register("incoming_runs", run_row)
    try:
        run_layer(con, "runs")
    finally:
        con.unregister("incoming_runs")


def run_history(con: duckdb.DuckDBPyConnection) -> list[tuple[int, int]]:
    """(articles extracted, documents read) of the last runs that extracted any, newest first."""
    return [(row[0], row[1]) for row in con.execute(read_query("run_history")).fetchall()]
