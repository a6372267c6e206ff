"""DuckDB connection factory and the runner for the SQL files under warehouse/sql."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import duckdb

SQL_ROOT = resources.files("warehouse") / "sql"


def sql_files(layer: str) -> list[str]:
    """The SQL statements of one layer (schema, staging, load, marts), in file-name order."""
    folder = SQL_ROOT / layer
    names = sorted(p.name for p in folder.iterdir() if p.name.endswith(".sql"))
    return [(folder / name).read_text(encoding="utf-8") for name in names]


def connect(path: str | Path, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open the warehouse; a writable connection also creates missing tables and views."""
    path = Path(path)
    if read_only:
        if not path.exists():
            raise FileNotFoundError(f"no warehouse at {path}: run `broadsheet run INBOX` first")
        return duckdb.connect(str(path), read_only=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(path))
    run_layer(con, "schema")
    run_layer(con, "marts")
    return con


def run_layer(con: duckdb.DuckDBPyConnection, layer: str) -> None:
    """Execute every SQL file of a layer on a connection."""
    for sql in sql_files(layer):
        con.execute(sql).fetchall()  # duckdb 2 keeps an undrained result open on the connection


def read_query(name: str) -> str:
    """The text of a named query under warehouse/sql/queries."""
    return (SQL_ROOT / "queries" / f"{name}.sql").read_text(encoding="utf-8")
