"""Integration: story clusters through the real flow, run after run: a syndicated copy arriving in a later run joins
the earlier story, the stories mart shows it, and a file's new version takes its cluster rows along."""

from __future__ import annotations

import shutil

import duckdb
import pytest

from flows.etl import etl_flow
from tests.conftest import ROOT, SEEDS
from tests.test_clusters_chunks import KEPT, RECOUNT
from transforms.rules import load_rules

pytestmark = pytest.mark.integration

WIRE_COPY = ROOT / "tests" / "fixtures" / "syndicated" / "wire_copy_of_001.txt"
BLINKEN_FILE = "001_de08d329854fef43.txt"
ROWS = "select article_id, cluster_id, similarity, first_seen from story_clusters"
ORPHANS = """
    select (select count(*) from story_clusters where article_id not in (select article_id from articles))
         + (select count(*) from story_signatures where article_id not in (select article_id from articles))
         + (select count(*) from story_bands where article_id not in (select article_id from articles))"""


def q(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> list[tuple]:
    return con.execute(sql, params or []).fetchall()


def article_of(con: duckdb.DuckDBPyConnection, source_file: str) -> str:
    ((article_id,),) = q(con, "select article_id from articles where source_file = ?", [source_file])
    return article_id


def test_clusters_grow_across_runs_and_follow_replaced_files(prefect_harness, tmp_path) -> None:
    inbox, wh, lake = tmp_path / "inbox", tmp_path / "wh.duckdb", tmp_path / "lake"
    shutil.copytree(SEEDS, inbox)
    run = {"inbox": str(inbox), "warehouse": str(wh), "lake": str(lake)}
    join_at = load_rules().clusters.join_similarity

    etl_flow(**run)
    with duckdb.connect(str(wh), read_only=True) as con:
        first = {a: (c, s, t) for a, c, s, t in q(con, ROWS)}
        assert set(first) == {a for (a,) in q(con, "select article_id from articles")}  # every article clustered
        blinken = article_of(con, BLINKEN_FILE)
        assert first[blinken][:2] == (blinken, 1.0)
        assert q(con, ORPHANS) == [(0,)]
        assert sorted(q(con, KEPT)) == sorted(q(con, RECOUNT))  # the template's paragraph counts

    # run 2: the same wire story from another site (its own template, another headline, edited and trimmed)
    shutil.copy(WIRE_COPY, inbox / WIRE_COPY.name)
    second = etl_flow(**run)
    assert second["files_skipped"] == len(list(SEEDS.iterdir()))
    with duckdb.connect(str(wh), read_only=True) as con:
        copy = article_of(con, WIRE_COPY.name)
        ((cluster, sim),) = q(con, "select cluster_id, similarity from story_clusters where article_id = ?", [copy])
        assert cluster == blinken
        assert join_at <= sim < 1.0
        # the first run's rows stay as they were: a later run only adds
        assert {a: (c, s, t) for a, c, s, t in q(con, ROWS) if a != copy} == first
        # seeds on the same topic (NATO, Russia, Blinken named in each) are other stories
        others = {a for (a,) in q(con, "select article_id from articles where source_file <> ? and source_file <> ?",
                                   [BLINKEN_FILE, WIRE_COPY.name])}
        assert not others & {a for (a,) in q(con, "select article_id from story_clusters where cluster_id = ?",
                                              [blinken])}
        story = q(con, "select size, first_article_id, headline, headlines from stories where size > 1")
        title = q(con, "select title from articles where article_id = ?", [blinken])[0][0]
        assert story == [(2, blinken, title, 2)]

    # run 3: a new version of the first article's file: its old rows go, the new article joins the same story
    path = inbox / BLINKEN_FILE
    path.write_text(path.read_text(encoding="utf-8").replace(
        "source: voanews.com", "The State Department said further calls with allies were planned this week.\n\n"
        "source: voanews.com"), encoding="utf-8")
    etl_flow(**run)
    with duckdb.connect(str(wh), read_only=True) as con:
        assert q(con, ORPHANS) == [(0,)]
        assert sorted(q(con, KEPT)) == sorted(q(con, RECOUNT))  # the old version's paragraphs left the counts
        assert not q(con, "select * from story_clusters where article_id = ?", [blinken])
        renewed = article_of(con, BLINKEN_FILE)
        assert renewed != blinken
        members = dict(q(con, "select article_id, similarity from story_clusters where cluster_id = ?", [blinken]))
        assert set(members) == {copy, renewed}
        # the copy is the story's first article now, so similarities are measured against it
        assert members[copy] == 1.0 and join_at <= members[renewed] < 1.0
        ((size, first_id),) = q(con, "select size, first_article_id from stories where size > 1")
        assert (size, first_id) == (2, copy)
        sites = q(con, "select sites from stories where size > 1")[0][0]
        pairs = q(con, "select site_a, site_b, shared_stories from syndication")
        assert pairs == ([(sites[0], sites[1], 1)] if len(sites) == 2 else [])

    # run 4: the copy leaves the inbox and --prune drops it, cluster rows included
    (inbox / WIRE_COPY.name).unlink()
    etl_flow(**run, prune=True)
    with duckdb.connect(str(wh), read_only=True) as con:
        assert q(con, ORPHANS) == [(0,)]
        assert sorted(q(con, KEPT)) == sorted(q(con, RECOUNT))
        assert q(con, "select article_id, similarity from story_clusters where cluster_id = ?", [blinken]) == [
            (renewed, 1.0)]
        assert q(con, "select count(*) from stories where size > 1") == [(0,)]
