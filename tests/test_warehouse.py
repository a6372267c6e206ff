"""DuckDB warehouse: DDL matches the Arrow schemas, loads are idempotent and all-or-nothing."""

import datetime as dt
from dataclasses import replace

import duckdb
import pyarrow as pa
import pytest

from transforms.record import BODY, BOILERPLATE, CAPTION, Article, Caption, Document, Line, make_article_id
from warehouse.db import connect
from warehouse.lake import write_part, write_table
from warehouse.load import STAGED, DuplicateKeys, known_files, record_run, run_history
from warehouse.load import load_run as load_staged
from warehouse.schemas import SCHEMAS, apply_validation, build_tables, table_from_rows

NOW = dt.datetime(2026, 11, 22, 12, 0, tzinfo=dt.UTC)

ARROW_TO_DUCK = {
    "string": "VARCHAR", "int64": "BIGINT", "int32": "INTEGER", "date32[day]": "DATE", "bool": "BOOLEAN",
    "double": "DOUBLE", "timestamp[us, tz=UTC]": "TIMESTAMP WITH TIME ZONE", "list<item: string>": "VARCHAR[]",
    "binary": "BLOB",

}


def make_doc(doc_id: str, n_articles: int = 1, source: str = "a.txt") -> Document:
    articles = tuple(
        Article(
            article_id=make_article_id(doc_id, i), doc_id=doc_id, source_file=source, position=i,
            title=f"Headline {i}", subtitle=None, authors=("Jane Doe",), published=dt.date(2022, 1, 15),
            published_raw="January 15, 2022", site="example.com", url=None, language="en",
            paragraphs=("First paragraph of the story.", "Second paragraph."),
            captions=(Caption("A photo", "Getty Images"),),
        )
        for i in range(n_articles)
    )
    lines = (
        Line(0, "Share:", BOILERPLATE, "share_widget"),
        Line(1, "A photo © Getty Images", CAPTION, "photo_credit"),
        Line(2, "First paragraph of the story.", BODY),
    )
    return Document(doc_id, source, "txt", 100, doc_id, NOW, "utf-8", text="x", lines=lines, articles=articles)


@pytest.fixture
def con(tmp_path):
    c = connect(tmp_path / "wh.duckdb")
    yield c
    c.close()


def run_row(run_id: str, started_at: dt.datetime = NOW, documents: int = 1, articles: int = 1) -> pa.Table:
    return table_from_rows("runs", [{
        "run_id": run_id, "flow_run_id": None, "inbox": "in", "started_at": started_at, "finished_at": started_at,
        "status": "completed", "files_seen": 1, "files_skipped": 0, "documents_read": documents,
        "articles_extracted": articles, "articles_loaded": 1, "records_quarantined": 0, "boilerplate_lines": 1,
        "seconds_read": 0.1, "seconds_transform": 0.1, "seconds_validate": 0.1, "seconds_load": None,
        "seconds_total": 0.5,
    }])


def load_run(con, tables, row, parts=None):
    """Stage the tables as one batch part (or several: `parts` splits them) and load them as the flow does."""
    import tempfile
    from pathlib import Path

    stage = Path(tempfile.mkdtemp())
    for part, group in enumerate(parts or [tables]):
        files = {}
        for name in ("documents", "quarantine"):
            for r in group[name].to_pylist():
                path = r["source_file"].split(":")[0]
                files[path] = {"path": path, "bytes": 1, "mtime_ns": 1, "file_sha256": r.get("file_sha256"),
                               "changed": True, "problem": None, "run_id": r["run_id"]}
        group = {**group, "inbox_files": table_from_rows("inbox_files", list(files.values()))}
        for name in STAGED:
            write_part(stage, name, group[name], part)
    return load_staged(con, stage, tables["dq_results"], lambda counts: row)


def tables_for(docs, rejected=None, run_id="r1"):
    tables = apply_validation(build_tables(docs, run_id, NOW), rejected or {}, run_id, NOW)
    tables["dq_results"] = table_from_rows("dq_results", [])
    return tables


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_duckdb_ddl_matches_the_arrow_schema(con, name):
    cols = con.execute(
        "select column_name, data_type from information_schema.columns where table_name = ? "
        "order by ordinal_position", [name]
    ).fetchall()
    expected = [(f.name, ARROW_TO_DUCK[str(f.type)]) for f in SCHEMAS[name]]
    got = [(c, "VARCHAR" if t == "JSON" else t) for c, t in cols]
    assert got == expected


def test_load_is_idempotent_and_replaces_by_document(con):
    docs = [make_doc("d1", 2), make_doc("d2", 1, "b.txt")]
    load_run(con, tables_for(docs), run_row("r1"))
    load_run(con, tables_for(docs, run_id="r2"), run_row("r2"))
    counts = {t: con.execute(f"select count(*) from {t}").fetchall()[0][0]
              for t in ("documents", "articles", "paragraphs", "captions", "boilerplate", "runs")}
    assert counts == {"documents": 2, "articles": 3, "paragraphs": 6, "captions": 3, "boilerplate": 4, "runs": 2}
    assert {path: sha for path, (_, _, sha, _) in known_files(con).items()} == {"a.txt": "d1", "b.txt": "d2"}


def test_rejected_articles_go_to_quarantine_with_the_whole_record(con):
    doc = make_doc("d1", 2)
    bad = doc.articles[1].article_id
    load_run(con, tables_for([doc], {bad: ("failed_expectations", "title_present", ("title_present",))}), run_row("r1"))
    assert con.execute("select count(*) from articles").fetchall()[0][0] == 1
    stage, reason, detail, title = con.execute(
        "select stage, reason, detail, record->>'$.title' from quarantine"
    ).fetchall()[0]
    assert (stage, reason, detail, title) == ("validate", "failed_expectations", "title_present", "Headline 1")
    record = con.execute("select record from quarantine").fetchall()[0][0]
    assert '"paragraphs": ["First paragraph of the story.", "Second paragraph."]' in record
    assert '"credit": "Getty Images"' in record
    assert con.execute("select count(*) from paragraphs").fetchall()[0] == (2,)  # only the loaded article's
    assert con.execute("select status, articles_extracted, article_count from documents").fetchall() == [
        ("partly_quarantined", 2, 1)]


def test_a_record_fixed_in_a_later_run_leaves_quarantine(con):
    doc = make_doc("d1", 1)
    load_run(con, tables_for([doc], {doc.articles[0].article_id: ("failed_expectations", "x", ("x",))}), run_row("r1"))
    assert con.execute("select count(*) from quarantine").fetchall()[0][0] == 1
    load_run(con, tables_for([doc], run_id="r2"), run_row("r2"))
    assert con.execute("select count(*) from quarantine").fetchall()[0][0] == 0
    assert con.execute("select count(*) from articles").fetchall()[0][0] == 1


def test_a_fixed_file_at_the_same_path_replaces_its_quarantined_version(con):
    old = make_doc("v1", 1, source="story.txt")
    load_run(con, tables_for([old], {old.articles[0].article_id: ("failed_expectations", "x", ("x",))}),
             run_row("r1"))
    load_run(con, tables_for([make_doc("v2", 1, source="story.txt")], run_id="r2"), run_row("r2"))
    assert con.execute("select count(*) from quarantine").fetchall()[0] == (0,)
    assert con.execute("select doc_id from documents").fetchall() == [("v2",)]
    assert con.execute("select doc_id from articles").fetchall() == [("v2",)]


def test_a_failing_load_leaves_nothing_behind(con):
    good = tables_for([make_doc("d1", 1)])
    broken = dict(good)
    # two rows with the same primary key make the articles insert fail half-way through the load
    broken["articles"] = pa.concat_tables([good["articles"], good["articles"]])
    with pytest.raises(duckdb.ConstraintException):
        load_run(con, broken, run_row("r1"))
    for t in ("documents", "articles", "boilerplate", "runs", "inbox_files"):
        assert con.execute(f"select count(*) from {t}").fetchall()[0][0] == 0


@pytest.mark.parametrize("table", ["paragraphs", "captions", "boilerplate"])
def test_a_run_that_would_load_a_child_key_twice_loads_nothing(con, table):
    # the child tables have no primary key (its in-memory index outgrew the load's memory): the load checks them
    load_run(con, tables_for([make_doc("d0", 1, "old.txt")]), run_row("r0"))
    before = {t: con.execute(f"select count(*) from {t}").fetchall()[0][0]
              for t in ("documents", "articles", "paragraphs", "captions", "boilerplate", "runs", "inbox_files")}
    good = tables_for([make_doc("d1", 1)], run_id="r1")
    broken = {**good, table: pa.concat_tables([good[table], good[table].slice(0, 1)])}
    with pytest.raises(DuplicateKeys, match=f"{table}: 1 key"):
        load_run(con, broken, run_row("r1"))
    after = {t: con.execute(f"select count(*) from {t}").fetchall()[0][0] for t in before}
    assert after == before


def test_a_duplicate_quote_key_fails_the_load(con):
    from transforms.record import Quote

    doc = make_doc("d1", 1)
    quoted = replace(doc.articles[0], quotes=(Quote("We will build it.", "Jane Doe", 0, 0, 17, "after"),))
    tables = tables_for([replace(doc, articles=(quoted,))])
    assert tables["quotes"].num_rows == 1
    with pytest.raises(DuplicateKeys, match="quotes"):
        load_run(con, {**tables, "quotes": pa.concat_tables([tables["quotes"]] * 2)}, run_row("r1"))
    assert con.execute("select count(*) from quotes").fetchall() == [(0,)]
    load_run(con, tables, run_row("r1"))
    assert con.execute("select count(*) from quotes").fetchall() == [(1,)]


def test_a_new_version_of_a_file_replaces_exactly_its_own_child_rows(con):
    load_run(con, tables_for([make_doc("a1", 2, "a.txt"), make_doc("b1", 1, "b.txt")]), run_row("r1"))
    children = ("paragraphs", "captions", "boilerplate")

    def rows(table, doc_id):
        return sorted(con.execute(f"select * from {table} where doc_id = ?", [doc_id]).fetchall())

    of_b = {t: rows(t, "b1") for t in children}
    load_run(con, tables_for([make_doc("a2", 1, "a.txt")], run_id="r2"), run_row("r2"))
    for table in children:
        assert rows(table, "b1") == of_b[table], table  # the other file's rows are untouched
        assert con.execute(f"select distinct doc_id from {table} order by 1").fetchall() == [("a2",), ("b1",)]
    # the new version's rows, once each: 2 paragraphs and 1 caption of its one article, 2 boilerplate lines
    assert [len(rows(t, "a2")) for t in children] == [2, 1, 2]


def test_a_copy_in_another_batch_is_a_duplicate_row_not_a_second_document(con):
    good = tables_for([make_doc("d1", 1)])
    copy = tables_for([make_doc("d1", 1, source="copy.txt")])
    load_run(con, good, run_row("r1"), parts=[good, copy])
    assert con.execute("select count(*), any_value(source_file) from documents").fetchall() == [(1, "a.txt")]
    assert con.execute("select count(*) from articles").fetchall() == [(1,)]
    assert con.execute("select source_file, reason, detail from quarantine").fetchall() == [
        ("copy.txt", "duplicate_content", "same bytes as a.txt")]
    # a later run that reads the copy alone (the original unchanged) still finds the bytes loaded under a.txt
    load_run(con, tables_for([make_doc("d1", 1, source="copy.txt")], run_id="r2"), run_row("r2"))
    assert con.execute("select source_file from documents").fetchall() == [("a.txt",)]
    assert con.execute("select count(*) from quarantine").fetchall() == [(1,)]


def test_rejected_documents_are_quarantined_and_still_listed(con):
    bad = Document("e1", "empty.txt", "txt", 0, "e1", NOW).reject("read", "empty_file", "0 bytes")
    load_run(con, tables_for([bad]), run_row("r1"))
    assert con.execute("select status, article_count from documents").fetchall()[0] == ("quarantined", 0)
    assert con.execute("select stage, reason from quarantine").fetchall()[0] == ("read", "empty_file")


def test_lake_files_are_zstd_parquet_readable_by_duckdb(tmp_path):
    tables = tables_for([make_doc("d1", 2)])
    path = write_table(tmp_path / "lake", "articles", tables["articles"], "r1", NOW.date())
    assert path.parent.name == "ingest_date=2026-11-22"
    rows = duckdb.sql(
        f"select count(*), any_value(ingest_date) from read_parquet('{tmp_path}/lake/articles/*/*.parquet', "
        "hive_partitioning = true)"
    ).fetchall()[0]
    assert rows[0] == 2 and str(rows[1]) == "2026-11-22"
    import pyarrow.parquet as pq

    meta = pq.ParquetFile(path).metadata
    assert meta.row_group(0).column(0).compression == "ZSTD"
    assert pq.read_schema(path).equals(SCHEMAS["articles"], check_metadata=False)


def test_a_warehouse_from_an_earlier_version_is_migrated(tmp_path):
    path = tmp_path / "old.duckdb"
    old = duckdb.connect(str(path))
    old.execute("""create table articles (  -- as the first version created it: no dateline, no domain
        article_id varchar primary key, doc_id varchar not null, source_file varchar not null,
        position integer not null, title varchar, subtitle varchar, authors varchar[] not null, published date,
        published_raw varchar, site varchar, url varchar, language varchar, body varchar not null,
        word_count integer not null, paragraph_count integer not null, run_id varchar not null)""")
    old.execute("insert into articles values ('a1', 'd1', 'a.txt', 0, 'Old headline', null, [], null, null, "
                "null, null, 'en', 'Body.', 1, 1, 'r0')")
    old.close()
    con = connect(path)
    try:
        cols = {c for (c,) in con.execute(
            "select column_name from information_schema.columns where table_name = 'articles'").fetchall()}
        assert {"dateline", "domain"} <= cols
        assert con.execute("select title, domain from articles").fetchall() == [("Old headline", None)]
        con.execute("select * from source_quality").fetchall()  # the marts bind against the migrated table
    finally:
        con.close()


def test_a_warehouse_whose_child_tables_have_primary_keys_is_rebuilt_without_them(tmp_path):
    path = tmp_path / "old.duckdb"
    first = connect(path)
    load_run(first, tables_for([make_doc("d1", 2)]), run_row("r1"))
    first.close()
    old = duckdb.connect(str(path))  # make the child tables what earlier versions created: keyed
    for table, key in (("paragraphs", "article_id, position"), ("captions", "article_id, position"),
                       ("quotes", "article_id, position"), ("boilerplate", "doc_id, position")):
        old.execute(f"create table {table}_copy as select * from {table}")
        old.execute(f"drop table {table}")
        ddl = old.execute(f"select sql from duckdb_tables() where table_name = '{table}_copy'").fetchall()[0][0]
        old.execute(ddl.replace(f"{table}_copy", table).replace(");", f", primary key ({key}));"))
        old.execute(f"insert into {table} select * from {table}_copy")
        old.execute(f"drop table {table}_copy")
    keyed = "select table_name from duckdb_constraints() where constraint_type = 'PRIMARY KEY' order by 1"
    assert {"paragraphs", "boilerplate"} <= {t for (t,) in old.execute(keyed).fetchall()}
    rows = {t: sorted(old.execute(f"select * from {t}").fetchall()) for t in ("paragraphs", "captions", "boilerplate")}
    old.close()

    con = connect(path)
    try:
        assert {t for (t,) in con.execute(keyed).fetchall()} == {
            "articles", "documents", "inbox_files", "runs", "story_clusters", "story_signatures"}
        assert {t: sorted(con.execute(f"select * from {t}").fetchall()) for t in rows} == rows
        comment = con.execute("select comment from duckdb_tables() where table_name = 'paragraphs'").fetchall()
        assert comment[0][0]  # the catalog's description is set on the rebuilt table too
        load_run(con, tables_for([make_doc("d1", 2)], run_id="r2"), run_row("r2"))  # a re-run replaces them
        assert {t: sorted(con.execute(f"select * from {t}").fetchall()) for t in ("paragraphs", "captions")} == {
            t: rows[t] for t in ("paragraphs", "captions")}
    finally:
        con.close()


def test_run_history_gives_articles_and_documents_of_runs_that_extracted_any(con):
    for k, (docs, arts) in enumerate([(10, 12), (0, 0), (5, 0), (3, 4)]):
        record_run(con, run_row(f"r{k}", NOW + dt.timedelta(hours=k), documents=docs, articles=arts))
    assert run_history(con) == [(4, 3), (12, 10)]  # newest first; runs that extracted nothing are no baseline
