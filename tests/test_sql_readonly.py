"""`broadsheet sql` only reads: every statement that could write, load code or change settings is refused."""

import hashlib
import subprocess
import sys
import time

import duckdb
import pytest
from typer.testing import CliRunner

from flows.cli import app
from warehouse.db import connect

runner = CliRunner()


@pytest.fixture
def place(tmp_path, monkeypatch):
    """A warehouse with one article and a lake with one Parquet file, in a temp working folder."""
    monkeypatch.chdir(tmp_path)
    con = connect(tmp_path / "data" / "broadsheet.duckdb")
    con.execute("create table notes as select 'kept' as note")
    con.close()
    (tmp_path / "data" / "lake" / "articles").mkdir(parents=True)
    duckdb.sql("copy (select 42 as answer) to 'data/lake/articles/run1.parquet'")
    (tmp_path / "data" / "secret.txt").write_text("not for sql")
    return tmp_path


def _digest(place):
    return hashlib.sha256((place / "data" / "broadsheet.duckdb").read_bytes()).hexdigest()


def _files(place):
    return sorted(p.relative_to(place).as_posix() for p in place.rglob("*"))


def sql(*args):
    return runner.invoke(app, ["sql", *args])


def test_queries_and_lake_reads_work(place):
    out = sql("select note from notes", "--format", "csv")
    assert out.exit_code == 0, out.output
    assert out.output.splitlines() == ["note", "kept"]
    lake = sql("select answer from read_parquet('data/lake/**/*.parquet')", "--format", "csv")
    assert lake.exit_code == 0, lake.output
    assert lake.output.splitlines() == ["answer", "42"]
    for q in ("describe notes", "show tables", "summarize notes", "pragma table_info('notes')",
              "explain select * from notes", "with n as (select * from notes) select count(*) from n"):
        assert sql(q).exit_code == 0, q


@pytest.mark.parametrize("query", [
    "copy notes to 'out.csv'",
    "copy (select 'x') to 'data/broadsheet.duckdb'",
    "copy (select '<script>alert(1)</script>') to 'data/report.html'",
    "copy notes to 'data/lake/articles/evil.parquet'",  # inside the readable lake: still refused
    "explain analyze copy (select 1) to 'data/lake/x.csv'",
    "export database 'dump'",
    "attach 'other.duckdb' as other",
    "attach 'other.duckdb' (read_write); create table other.t as select 1",
    "detach broadsheet",
    "install httpfs",
    "load httpfs",
    "set enable_external_access = true",
    "set threads = 1",
    "reset threads",
    "pragma threads = 1",
    "pragma enable_profiling",
    "import database 'dump'",
    "use memory",
    "create temp table t as select 1",
    "delete from notes",
    "select 1; copy notes to 'out.csv'",  # one bad statement refuses the whole input, the first never runs
])
def test_writes_loads_and_settings_are_refused(place, query):
    before_files, before = _files(place), _digest(place)
    out = sql(query)
    assert out.exit_code == 1
    assert "refused, nothing was run" in out.output
    assert _files(place) == before_files
    assert _digest(place) == before


@pytest.mark.parametrize("query", [
    "select * from read_text('/etc/passwd')",
    "select * from read_text('data/secret.txt')",  # next to the warehouse, outside the lake
    "select * from glob('/etc/*')",
    "select * from read_parquet('data/lake/../../../etc/hostname')",
])
def test_files_outside_the_lake_cannot_be_read(place, query):
    out = sql(query)
    assert out.exit_code == 1
    assert "Permission Error" in " ".join(out.output.split())


def test_several_statements_print_every_result(place):
    out = sql("select 1 as a; select 'two' as b", "--format", "csv")
    assert out.exit_code == 0, out.output
    assert out.output.splitlines() == ["a", "1", "", "b", "two"]
    js = sql("select 1 as a; select 2 as b", "--format", "json")
    assert js.exit_code == 0 and js.output.replace(" ", "").replace("\n", "") == '[[{"a":1}],[{"b":2}]]'


def test_sql_and_report_on_a_warehouse_being_written_say_busy(place):
    holder = subprocess.Popen([sys.executable, "-c", (
        "import duckdb, sys, time; con = duckdb.connect('data/broadsheet.duckdb'); "
        "print('locked', flush=True); time.sleep(60)")], cwd=place, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        for args in (["sql", "select 1"], ["report"]):
            t0 = time.monotonic()
            out = runner.invoke(app, args)
            assert out.exit_code == 4, out.output
            said = " ".join(out.output.split())
            assert "is busy: a run is loading it" in said and "Traceback" not in said
            assert time.monotonic() - t0 < 30
    finally:
        holder.kill()
        holder.wait()
