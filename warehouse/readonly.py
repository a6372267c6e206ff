"""Connections for ad-hoc SQL that cannot write a file, reach the network or change another database."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb

# PRAGMAs that only read; every other PRAGMA (IMPORT DATABASE parses as one) is refused.
READ_PRAGMAS = frozenset({
    "table_info", "show_tables", "show_tables_expanded", "show", "database_size", "database_list", "storage_info",
    "version", "platform", "functions", "collations", "metadata_info", "user_agent",
})
_PRAGMA_NAME = re.compile(r"^\s*pragma\s+(\w+)", re.I)
_EXPLAIN = re.compile(r"^\s*explain\s+(?:analyze\s+|\(\s*[^)]*\)\s*)?", re.I)


class RefusedStatement(ValueError):
    """A statement `broadsheet sql` does not run: it would write, load code or change settings."""


def _why_refused(con: duckdb.DuckDBPyConnection, stmt: duckdb.Statement, depth: int = 0) -> str | None:
    kind = stmt.type
    if kind in (duckdb.StatementType.SELECT, duckdb.StatementType.MULTI):  # MULTI: PIVOT's statements
        return None
    if kind == duckdb.StatementType.EXPLAIN and depth == 0:
        # EXPLAIN ANALYZE runs its statement: judge what it explains
        inner = con.extract_statements(_EXPLAIN.sub("", stmt.query, count=1))
        return next((why for s in inner if (why := _why_refused(con, s, depth + 1))), None)
    if kind == duckdb.StatementType.PRAGMA:
        match = _PRAGMA_NAME.match(stmt.query)
        if match and match.group(1).lower() in READ_PRAGMAS:
            return None
        return "only PRAGMAs that read (table_info, show_tables, database_size, ...) are allowed"
    reasons = {
        duckdb.StatementType.COPY: "COPY writes or reads files",
        duckdb.StatementType.EXPORT: "EXPORT DATABASE writes files",
        duckdb.StatementType.ATTACH: "ATTACH opens another database",
        duckdb.StatementType.DETACH: "DETACH changes the attached databases",
        duckdb.StatementType.LOAD: "INSTALL/LOAD bring in extension code",
        duckdb.StatementType.SET: "SET/RESET/USE change the session's settings",
    }
    return reasons.get(kind, f"{kind.name} statements are not allowed; only queries (SELECT, DESCRIBE, SHOW, "
                             "SUMMARIZE, EXPLAIN, read-only PRAGMA)")


def check_statements(con: duckdb.DuckDBPyConnection, query: str) -> list[duckdb.Statement]:
    """Parse `query` into statements; raise RefusedStatement naming the first one that is not a read."""
    statements = con.extract_statements(query)
    for number, stmt in enumerate(statements, start=1):
        why = _why_refused(con, stmt)
        if why:
            text = " ".join(stmt.query.split())[:80]
            raise RefusedStatement(f"statement {number} refused ({why}): {text}")
    return statements


def connect_sandboxed(warehouse: str | Path, readable: list[str | Path]) -> duckdb.DuckDBPyConnection:
    """A read-only connection that can read files only under `readable` folders, with its settings locked."""
    path = Path(warehouse)
    if not path.exists():
        raise FileNotFoundError(f"no warehouse at {path}: run `broadsheet run INBOX` first")
    con = duckdb.connect(str(path), read_only=True,
                         config={"autoload_known_extensions": False, "autoinstall_known_extensions": False})
    try:
        folders = [str(Path(p).resolve()).rstrip("/") + "/" for p in readable]
        con.execute("set allowed_directories = ?", [folders])
        con.execute("set enable_external_access = false")
        con.execute("set lock_configuration = true")
    except BaseException:
        con.close()
        raise
    return con
