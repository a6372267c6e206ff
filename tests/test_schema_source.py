"""One schema source: warehouse/schemas.py SCHEMAS (Arrow) is the column list; the DDL, the staging views, the
article record and the Article type are checked against it."""

from __future__ import annotations

import dataclasses

import duckdb
import pyarrow as pa
import pytest

from transforms.record import Article
from warehouse.db import run_layer
from warehouse.schemas import SCHEMAS, article_record

# Arrow type -> the DuckDB type the DDL must declare
DUCK_TYPES = {pa.string(): "VARCHAR", pa.int32(): "INTEGER", pa.int64(): "BIGINT", pa.float64(): "DOUBLE",
              pa.bool_(): "BOOLEAN", pa.date32(): "DATE", pa.timestamp("us", tz="UTC"): "TIMESTAMP WITH TIME ZONE",
              pa.list_(pa.string()): "VARCHAR[]", pa.binary(): "BLOB"}
JSON_COLUMNS = {("quarantine", "record")}  # Arrow strings the warehouse stores as DuckDB JSON


@pytest.fixture(scope="module")
def warehouse() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(":memory:")
    run_layer(con, "schema")
    return con


def ddl_columns(con: duckdb.DuckDBPyConnection, table: str) -> list[tuple[str, str, bool]]:
    rows = con.execute("select column_name, data_type, is_nullable from information_schema.columns "
                       "where table_name = ? order by ordinal_position", [table]).fetchall()
    return [(name, kind, nullable == "YES") for name, kind, nullable in rows]


@pytest.mark.parametrize("table", sorted(SCHEMAS))
def test_ddl_declares_the_arrow_schema(warehouse: duckdb.DuckDBPyConnection, table: str) -> None:
    want = {f.name: ("JSON" if (table, f.name) in JSON_COLUMNS else DUCK_TYPES[f.type], f.nullable)
            for f in SCHEMAS[table]}
    got = {name: (kind, nullable) for name, kind, nullable in ddl_columns(warehouse, table)}
    assert got.keys() == want.keys(), f"{table}: DDL columns differ from SCHEMAS"
    for name, (kind, nullable) in want.items():
        assert got[name][0] == kind, f"{table}.{name}: DDL type {got[name][0]}, Arrow says {kind}"
        # a primary key is NOT NULL in DuckDB even when declared without it; the Arrow side may say either
        assert nullable or not got[name][1], f"{table}.{name}: Arrow says NOT NULL, the DDL allows null"


@pytest.mark.parametrize("table", [t for t in sorted(SCHEMAS) if t != "runs"])
def test_staging_views_keep_every_column(warehouse: duckdb.DuckDBPyConnection, table: str) -> None:
    con = duckdb.connect(":memory:")
    for name, schema in SCHEMAS.items():
        con.register(f"incoming_{name}", schema.empty_table())
    run_layer(con, "staging")
    view = f"stg_{table}"
    if not con.execute("select count(*) from duckdb_views() where view_name = ?", [view]).fetchone()[0]:
        pytest.skip(f"no staging view for {table}")
    cols = [d[0] for d in con.execute(f"select * from {view} limit 0").description]
    assert sorted(cols) == sorted(SCHEMAS[table].names), f"{view} columns differ from SCHEMAS[{table!r}]"


def test_article_record_fills_every_articles_column() -> None:
    art = Article("a", "d", "f.txt", 0, "T", None, ("Ann Lee",), None, None, None, None, "en", ("Body text.",))
    assert set(article_record(art)) | {"run_id"} == set(SCHEMAS["articles"].names)
    pa.Table.from_pylist([{**article_record(art), "run_id": "r"}], schema=SCHEMAS["articles"])


def test_every_stored_article_field_is_a_column() -> None:
    """An Article field is a column of its own, or a child table (paragraphs, captions, quotes)."""
    children = {"paragraphs", "captions", "quotes", "sources"}  # sources: the paragraphs table's positions
    fields = {f.name for f in dataclasses.fields(Article)} - children
    assert fields <= set(SCHEMAS["articles"].names)
