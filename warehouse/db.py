"""DuckDB connection factory and the runner for the SQL files under warehouse/sql."""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path

import duckdb

from warehouse.catalog import apply_comments

SQL_ROOT = resources.files("warehouse") / "sql"
# DuckDB's memory for the clustering and the search index update (they run after the load, in the flow process):
# at 512 MB the first clustering of 100,000 articles peaked at 909 MB, at 256 MB at 696 MB in about the same time
# (python bench/clusters.py speed --memory M)
INDEX_MEMORY = "256MB"
# child tables that earlier versions gave a composite primary key: DuckDB keeps a key's index in memory and it grows
# with the warehouse (at 100,000 dumps the load ran out of 256 MB), so the load checks their keys instead
UNKEYED = ("paragraphs", "captions", "quotes", "boilerplate")


def sql_files(layer: str) -> list[str]:
    """The SQL statements of one layer (schema, staging, load, marts), in file-name order."""
    folder = SQL_ROOT / layer
    names = sorted(p.name for p in folder.iterdir() if p.name.endswith(".sql"))
    return [(folder / name).read_text(encoding="utf-8") for name in names]


def connect(path: str | Path, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open the warehouse; a writable connection also creates missing tables and views and sets their comments."""
    path = Path(path)
    if read_only:
        if not path.exists():
            raise FileNotFoundError(f"no warehouse at {path}: run `broadsheet run INBOX` first")
        return duckdb.connect(str(path), read_only=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(path))
    run_layer(con, "schema")
    _drop_child_keys(con)
    run_layer(con, "marts")
    apply_comments(con)  # catalog.toml's descriptions, on new and existing warehouses alike
    return con


def _drop_child_keys(con: duckdb.DuckDBPyConnection) -> None:
    """Rebuild, once and in one transaction, the UNKEYED tables of a warehouse that still has their primary keys
    (DuckDB cannot drop a constraint)."""
    keyed = [t for (t,) in con.execute(
        "select distinct table_name from duckdb_constraints() where constraint_type = 'PRIMARY KEY' "
        "and schema_name = 'main' and database_name = current_database() and list_contains(?, table_name) "
        "order by table_name", [list(UNKEYED)]).fetchall()]
    if not keyed:
        return
    con.execute("begin transaction").fetchall()
    try:
        for table in keyed:
            con.execute(f"alter table {table} rename to {table}_keyed").fetchall()
        run_layer(con, "schema")  # creates them again, without the keys
        for table in keyed:
            con.execute(f"insert into {table} by name select * from {table}_keyed").fetchall()
            con.execute(f"drop table {table}_keyed").fetchall()
        con.execute("commit").fetchall()
    except BaseException:
        con.execute("rollback").fetchall()
        raise


def run_layer(con: duckdb.DuckDBPyConnection, layer: str) -> None:
    """Execute every SQL file of a layer on a connection."""
    for sql in sql_files(layer):
        con.execute(sql).fetchall()  # duckdb 2 keeps an undrained result open on the connection


def read_query(name: str, folder: str = "queries") -> str:
    """The text of a named query under warehouse/sql/<folder> (queries, report, search, clusters, explain)."""
    return (SQL_ROOT / folder / f"{name}.sql").read_text(encoding="utf-8")


class WarehouseBusy(RuntimeError):
    """Another run holds the warehouse's writer lock."""


@contextmanager
def writer_lock(path: str | Path, wait: float = 0.0) -> Iterator[None]:
    """Hold the one-writer lock of a warehouse (`<file>.lock`, an flock the OS drops when the holder dies, even
    by kill -9) for a whole run; wait up to `wait` seconds for it, then raise WarehouseBusy."""
    lock = Path(f"{path}.lock")
    lock.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o644)
    deadline = time.monotonic() + wait
    try:
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    holder = os.pread(fd, 64, 0).decode(errors="replace").strip() or "?"
                    raise WarehouseBusy(f"warehouse busy: {path} is being written by another broadsheet run "
                                        f"(pid {holder}); try again later or pass --wait SECONDS") from None
                time.sleep(0.2)
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode(), 0)
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock
