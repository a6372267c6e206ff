"""Integration: the real Prefect flow on a temp inbox into a temp DuckDB file."""

import duckdb
import pytest

from flows.etl import etl_flow
from tests.conftest import SEEDS as SEEDS_DIR

pytestmark = pytest.mark.integration


def q(con, sql):
    return con.execute(sql).fetchall()


def test_flow_loads_good_dumps_quarantines_bad_ones_and_is_idempotent(prefect_harness, mixed_inbox, tmp_path):
    wh, lake = tmp_path / "wh.duckdb", tmp_path / "lake"
    summary = etl_flow(inbox=str(mixed_inbox), warehouse=str(wh), lake=str(lake), batch_size=4)

    # 5 seeds + 8 extra files + 1 nested copy; the .pdf is not a dump
    assert summary["files_seen"] == 14
    con = duckdb.connect(str(wh), read_only=True)
    try:
        titles = {t for (t,) in q(con, "select title from articles")}
        assert "US assures Balkan allies of support against Russia" in titles
        assert "Harbour council approves new ferry terminal" in titles
        assert "Rail strike called off" in titles
        assert q(con, "select count(*) from articles where source_file = '004_6a8318a25d92f825.txt'") == [(4,)]

        reasons = {(s, r) for s, r in q(con, "select source_file, reason from quarantine")}
        assert ("empty.txt", "empty_file") in reasons
        assert ("junk.txt", "binary_content") in reasons
        assert ("menu_only.txt", "no_article_text") in reasons
        assert q(con, "select stage from quarantine where source_file = 'menu_only.txt'") == [("clean",)]
        assert ("mixed.jsonl:2", "invalid_json_record") in reasons
        assert ("mixed.jsonl:4", "invalid_json_record") in reasons
        assert ("nested/copy_of_001.txt", "duplicate_content") in reasons
        # extracted fine, but dated 2035: validation quarantines it, naming the expectation and the value
        (stage, failed, detail, title), = q(con, """
            select stage, failed_expectations, detail, record->>'$.title' from quarantine
            where source_file = 'future_dated.txt'""")
        assert (stage, failed) == ("validate", ["published_plausible"])
        assert title == "City unveils plan for a second tram line"
        assert "2035-03-14" in detail
        assert ("critical", "published_plausible") in {tuple(c) for c in summary["failed_checks"]}

        # both encodings of the bridge story load, with their curly quotes intact
        bodies = [b for (b,) in q(con, "select body from articles where source_file like 'bridge_%' order by 1")]
        assert len(bodies) == 2 and all("“It connects the two halves of our town,”" in b for b in bodies)
        assert all("Leave a Reply" not in b for b in bodies)
        assert {e for (e,) in q(con, "select encoding from documents where source_file like 'bridge_%'")} == {
            "cp1252", "utf-16"}

        # every document, good or bad, is accounted for: loaded or quarantined, never silently dropped
        docs = q(con, "select count(*) from documents")[0][0]
        accounted = q(con, """
            select count(*) from documents d
            where d.article_count > 0 or exists (select 1 from quarantine q where q.doc_id = d.doc_id)""")[0][0]
        assert docs == accounted
        assert q(con, "select count(*) from boilerplate where reason = 'comment_stub'")[0][0] >= 3
        assert q(con, "select count(*) from dq_results")[0][0] >= 6
        first = {t: q(con, f"select count(*) from {t}")[0][0]
                 for t in ("documents", "articles", "paragraphs", "captions", "quotes", "boilerplate", "quarantine")}
    finally:
        con.close()
    assert summary["articles_loaded"] == first["articles"]

    # the lake has each table as hive-partitioned zstd Parquet that DuckDB reads directly
    lake_articles = duckdb.sql(
        f"select count(*) from read_parquet('{lake}/articles/*/*.parquet', hive_partitioning = true)"
    ).fetchall()[0][0]
    assert lake_articles == first["articles"]

    again = etl_flow(inbox=str(mixed_inbox), warehouse=str(wh), lake=str(lake), batch_size=4)
    assert again["files_skipped"] == 14  # every file, the duplicate copy too: its bytes are loaded
    forced = etl_flow(inbox=str(mixed_inbox), warehouse=str(wh), lake=str(lake), batch_size=50, force=True)
    assert forced["articles_loaded"] == first["articles"]
    con = duckdb.connect(str(wh), read_only=True)
    try:
        after = {t: q(con, f"select count(*) from {t}")[0][0] for t in first}
        assert after == first
        assert q(con, "select count(*) from runs")[0][0] == 3
    finally:
        con.close()


def test_cli_fail_on_sets_the_exit_code(prefect_harness, mixed_inbox, tmp_path):
    from typer.testing import CliRunner

    from flows.cli import app

    runner = CliRunner()
    wh = str(tmp_path / "wh.duckdb")
    lenient = runner.invoke(app, ["run", str(mixed_inbox), "--warehouse", wh, "--lake", str(tmp_path / "lake")])
    assert lenient.exit_code == 0, lenient.output
    assert "articles loaded" in lenient.output
    strict = runner.invoke(app, ["run", str(mixed_inbox), "--warehouse", wh, "--lake", str(tmp_path / "lake"),
                                 "--force", "--fail-on", "critical"])
    assert strict.exit_code == 3, strict.output

    out = runner.invoke(app, ["sql", "select count(*) as n from articles", "--warehouse", wh, "--format", "json"])
    assert out.exit_code == 0 and '"n":' in out.output.replace(" ", "")
    bad = runner.invoke(app, ["sql", "delete from articles", "--warehouse", wh])
    assert bad.exit_code == 1  # the connection is read-only
    report = runner.invoke(app, ["report", "--warehouse", wh])
    assert report.exit_code == 0 and report.output.strip().endswith("report.html")
    docs_index = tmp_path / "gx" / "gx" / "uncommitted" / "data_docs" / "local_site" / "index.html"
    assert docs_index.exists()  # GX Data Docs, built next to the warehouse
    assert 'href="gx/gx/uncommitted/data_docs/local_site/index.html"' in (tmp_path / "report.html").read_text()


def test_serve_builds_a_cron_deployment_over_the_inbox(tmp_path):
    from flows.etl import build_deployment

    dep = build_deployment(str(tmp_path / "inbox"), "*/15 * * * *", str(tmp_path / "wh.duckdb"), str(tmp_path / "lake"))
    assert dep.name == "broadsheet-inbox"
    assert [s.schedule.cron for s in dep.schedules] == ["*/15 * * * *"]
    assert dep.parameters["inbox"] == str((tmp_path / "inbox").resolve())
    assert dep.parameters["warehouse"].endswith("wh.duckdb")
    assert dep.parameters["batch_size"] == 200  # one worker: threads
    pooled = build_deployment(str(tmp_path / "inbox"), "*/15 * * * *", "w", "l", workers=2)
    assert pooled.parameters["batch_size"] == 500  # a process pool takes the larger batches
    with pytest.raises(ValueError):
        build_deployment(str(tmp_path), "not a cron", "w", "l")


def test_a_failed_run_is_recorded_and_loads_nothing(prefect_harness, tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "story.txt").write_bytes((SEEDS_DIR / "000_fd396fc52dfc7800.txt").read_bytes())
    lake = tmp_path / "lake"
    lake.write_text("a file where the lake folder should be")
    wh = tmp_path / "wh.duckdb"
    with pytest.raises((NotADirectoryError, FileExistsError)):
        etl_flow(inbox=str(inbox), warehouse=str(wh), lake=str(lake))
    con = duckdb.connect(str(wh), read_only=True)
    try:
        # the one batch failed where it ran (staging its Parquet), so its counts never reached the flow
        assert q(con, "select status, documents_read from runs") == [("failed", 0)]
        for table in ("documents", "articles", "quarantine", "inbox_files"):
            assert q(con, f"select count(*) from {table}") == [(0,)]
    finally:
        con.close()


def test_process_pool_and_a_dask_local_cluster_load_the_same_warehouse_as_one_process(
        prefect_harness, mixed_inbox, tmp_path, monkeypatch):
    from prefect.settings import PREFECT_API_URL

    from flows.etl import flow_with_workers

    monkeypatch.setenv("PREFECT_API_URL", PREFECT_API_URL.value())  # worker processes report to the harness
    # every table derived from the dumps, without the columns that differ between two runs
    queries = {
        "documents": "select * exclude (run_id, ingested_at) from documents order by all",
        "articles": "select * exclude (run_id) from articles order by all",
        "paragraphs": "select * from paragraphs order by all",
        "captions": "select * from captions order by all",
        "quotes": "select * from quotes order by all",
        "boilerplate": "select * exclude (run_id) from boilerplate order by all",
        "quarantine": "select * exclude (run_id, quarantined_at) from quarantine order by all",
    }
    snapshots = {}
    for runner, workers in (("threads", 1), ("processes", 2), ("dask", 2)):
        wh = tmp_path / f"wh_{runner}.duckdb"
        summary = flow_with_workers(workers, runner)(inbox=str(mixed_inbox), warehouse=str(wh),
                                                     lake=str(tmp_path / f"lake_{runner}"), batch_size=3,
                                                     in_flight=2 * workers)
        assert summary["files_seen"] == 14
        con = duckdb.connect(str(wh), read_only=True)
        try:
            snapshots[runner] = {name: q(con, sql) for name, sql in queries.items()}
        finally:
            con.close()
    assert snapshots["processes"] == snapshots["threads"]
    assert snapshots["dask"] == snapshots["threads"]  # a LocalCluster of 2 process workers
    assert len(snapshots["threads"]["articles"]) > 10


def test_dask_runner_is_built_from_the_options():
    from prefect_dask import DaskTaskRunner

    from flows.etl import task_runner

    local = task_runner("dask", 3)
    assert isinstance(local, DaskTaskRunner) and local.cluster_kwargs["n_workers"] == 3
    assert local.cluster_kwargs["processes"] is True
    remote = task_runner("threads", 1, dask_address="tcp://10.0.0.5:8786")
    assert isinstance(remote, DaskTaskRunner) and remote.address == "tcp://10.0.0.5:8786"
    with pytest.raises(ValueError):
        task_runner("spark", 2)


def test_the_process_runner_with_one_worker_is_one_worker_process_and_threads_stay_in_the_flow_process():
    from prefect.task_runners import ProcessPoolTaskRunner

    from flows.etl import task_runner

    one = task_runner("processes", 1)
    assert isinstance(one, ProcessPoolTaskRunner) and one._max_workers == 1
    assert task_runner("threads", 1) is None


def test_iter_files_turns_vanished_and_oversized_files_into_rejections(tmp_path):
    import datetime as dt

    from flows.batch import FileTally, iter_files
    from warehouse.inbox import InboxFile

    (tmp_path / "ok.txt").write_text("Headline\n\nA paragraph of text that is long enough to be read.")
    (tmp_path / "big.txt").write_bytes(b"x" * 2000)
    (tmp_path / "same.txt").write_text("unchanged bytes")
    now = dt.datetime(2026, 11, 22, tzinfo=dt.UTC)
    files = [InboxFile(name, 1, 1) for name in ("ok.txt", "gone.txt", "big.txt", "same.txt")]
    from transforms.record import sha256_hex

    known = {"same.txt": sha256_hex(b"unchanged bytes"), "ok.txt": "an older version"}
    tally = FileTally()
    docs = list(iter_files(str(tmp_path), files, known, now, "r1", 1000, tally))
    rows, skipped = tally.rows, tally.skipped
    assert skipped == 1  # same.txt: touched, bytes unchanged
    assert [(d.source_file, d.rejection and d.rejection.reason) for d in docs] == [
        ("ok.txt", None), ("gone.txt", "unreadable_file"), ("big.txt", "file_too_large")]
    assert "FileNotFoundError" in docs[1].rejection.detail
    assert [(r["path"], r["changed"], r["problem"]) for r in rows] == [
        ("ok.txt", True, None), ("gone.txt", True, "unreadable_file"), ("big.txt", True, "file_too_large"),
        ("same.txt", False, None)]


def test_links_out_of_the_inbox_are_quarantined_and_prune_follows_deletes_and_renames(prefect_harness, tmp_path):
    import os
    import shutil

    inbox = tmp_path / "inbox"
    shutil.copytree(SEEDS_DIR, inbox)
    secret = tmp_path / "shadow.txt"
    secret.write_text("root:*:19000:0:99999:7:::\n\nThis line is long enough to look like the body of an article.")
    os.symlink(secret, inbox / "shadow.txt")
    os.symlink(inbox / "nowhere.txt", inbox / "dangling.txt")
    os.symlink(inbox / "loop_b.txt", inbox / "loop_a.txt")
    os.symlink(inbox / "loop_a.txt", inbox / "loop_b.txt")
    wh, lake = tmp_path / "wh.duckdb", tmp_path / "lake"
    first = etl_flow(inbox=str(inbox), warehouse=str(wh), lake=str(lake))
    assert first["files_seen"] == 9  # 5 seeds and 4 links, each accounted for
    con = duckdb.connect(str(wh), read_only=True)
    try:
        assert set(q(con, "select source_file, reason from quarantine")) == {
            ("shadow.txt", "symlink_outside_inbox"), ("dangling.txt", "dangling_symlink"),
            ("loop_a.txt", "symlink_loop"), ("loop_b.txt", "symlink_loop")}
        assert q(con, "select count(*) from articles where body like '%root:%' or title like '%root:%'") == [(0,)]
        assert q(con, "select count(*) from documents") == [(9,)]
        before = q(con, "select source_file, count(*) from articles group by 1 order by 1")
    finally:
        con.close()

    # a re-run reads nothing (size and mtime match), the links included
    again = etl_flow(inbox=str(inbox), warehouse=str(wh), lake=str(lake))
    assert (again["files_skipped"], again["documents_read"]) == (9, 0)

    gone, moved = "000_fd396fc52dfc7800.txt", "002_7aa6f8a1cfc9cd93.txt"
    assert (inbox / gone).exists() and (inbox / moved).exists()
    (inbox / gone).unlink()
    (inbox / moved).rename(inbox / "renamed.txt")
    kept = etl_flow(inbox=str(inbox), warehouse=str(wh), lake=str(lake))  # without --prune: rows stay
    con = duckdb.connect(str(wh), read_only=True)
    try:
        assert q(con, "select source_file, count(*) from articles group by 1 order by 1") == before
        assert q(con, "select reason, detail from quarantine where source_file = 'renamed.txt'") == [
            ("duplicate_content", f"same bytes as {moved}")]
    finally:
        con.close()
    assert kept["files_pruned"] == 0

    pruned = etl_flow(inbox=str(inbox), warehouse=str(wh), lake=str(lake), prune=True)
    assert pruned["files_pruned"] == 2
    con = duckdb.connect(str(wh), read_only=True)
    try:
        after = dict(q(con, "select source_file, count(*) from articles group by 1"))
        assert gone not in after and moved not in after
        assert after["renamed.txt"] == dict(before)[moved]  # the renamed file's articles, under its new name
        assert q(con, f"select count(*) from quarantine where source_file in ('{gone}', '{moved}', 'renamed.txt')"
                 ) == [(0,)]
        assert q(con, f"select count(*) from inbox_files where path in ('{gone}', '{moved}')") == [(0,)]
    finally:
        con.close()


def test_the_gx_import_is_warmed_while_batches_run_and_never_when_nothing_is_new(prefect_harness, tmp_path,
                                                                                   monkeypatch):
    import flows.etl
    from expectations import runner

    warmed = []

    def counted():
        warmed.append(1)
        return runner.warm_up()

    monkeypatch.setattr(flows.etl, "warm_up", counted)
    wh, lake = tmp_path / "wh.duckdb", tmp_path / "lake"
    first = etl_flow(inbox=str(SEEDS_DIR), warehouse=str(wh), lake=str(lake))
    assert first["documents_read"] == 5 and warmed == [1]
    again = etl_flow(inbox=str(SEEDS_DIR), warehouse=str(wh), lake=str(lake))
    assert again["files_skipped"] == 5 and warmed == [1]  # nothing new: no GX at all
