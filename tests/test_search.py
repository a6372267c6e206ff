"""Search: the real flow builds and updates the tantivy index beside a temp warehouse; `broadsheet search` ranks,
filters and snippets from it, and the index stays in step with loads, replacements and interrupted updates."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from flows.cli import app
from flows.etl import etl_flow
from tests.conftest import EXTRA, SEEDS
from warehouse import search as fts
from warehouse.db import connect, writer_lock

pytestmark = pytest.mark.integration

HARBOUR = "harbour_article.html"


def _inbox(root: Path) -> Path:
    inbox = root / "inbox"
    shutil.copytree(SEEDS, inbox)
    for name in (HARBOUR, "bridge_cp1252.txt", "mixed.jsonl"):
        shutil.copy(EXTRA / name, inbox / name)
    return inbox


def _run(inbox: Path, wh: Path, **kw) -> dict:
    return etl_flow(inbox=str(inbox), warehouse=str(wh), lake=str(wh.parent / "lake"), batch_size=4, **kw)


def _articles(wh: Path, where: str = "true", params: list | None = None) -> dict[str, dict]:
    con = connect(wh, read_only=True)
    try:
        cur = con.execute(f"select * from articles where {where}", params or [])
        cols = [d[0] for d in cur.description]
        return {r[0]: dict(zip(cols, r, strict=True)) for r in cur.fetchall()}
    finally:
        con.close()


def _indexed_ids(wh: Path) -> list[str]:
    """Every article_id the index holds, duplicates included (a match-all query)."""
    from tantivy import Query

    _index, searcher = fts.open_searcher(wh)
    hits = searcher.search(Query.all_query(), limit=100_000).hits
    return [searcher.doc(addr).get_first("article_id") for _, addr in hits]


def _ids(wh: Path, query: str, **kw) -> list[str]:
    return [h.article_id for h in fts.search(wh, query, limit=1000, **kw)[0]]


@pytest.fixture(scope="module")
def loaded(prefect_harness, tmp_path_factory) -> Path:
    """A warehouse (and its index) built by one real flow run; tests that change it work on a copy."""
    root = tmp_path_factory.mktemp("search")
    wh = root / "data" / "wh.duckdb"
    _run(_inbox(root), wh)
    return wh


def _copy(wh: Path, tmp_path: Path) -> Path:
    shutil.copytree(wh.parent, tmp_path / "data", ignore=shutil.ignore_patterns("lake", "gx"))
    return tmp_path / "data" / wh.name


def test_the_flow_indexes_every_loaded_article_once(loaded):
    articles = _articles(loaded)
    assert len(articles) >= 10
    assert sorted(_indexed_ids(loaded)) == sorted(articles)
    _assert_current(loaded)


def test_an_articles_own_title_and_a_distinctive_phrase_rank_it_first(loaded):
    articles = _articles(loaded)
    for article_id, art in articles.items():
        if art["title"] and len(art["title"].split()) >= 4:
            assert _ids(loaded, art["title"])[0] == article_id, art["title"]
    (harbour,) = [a for a in articles.values() if a["source_file"] == HARBOUR]
    hits, total = fts.search(loaded, "wooden pier inspectors", limit=3)
    assert hits[0].article_id == harbour["article_id"] and total >= 1
    # the snippet is the body's passage with the words, and its highlights are exactly the matched words
    top = hits[0]
    assert "wooden pier" in top.snippet and top.snippet in harbour["body"].replace("\n", " ")
    assert {top.snippet[a:b].lower() for a, b in top.highlights} == {"wooden", "pier", "inspectors"}
    # stemmed and accent-folded: plural and singular find each other
    assert harbour["article_id"] in _ids(loaded, "terminals ferries")


def test_site_and_since_filter_exactly_like_sql(loaded):
    articles = _articles(loaded)
    word = "russia"
    matching = {i for i, a in articles.items() if word in (a["title"] or "").lower() + " " + a["body"].lower()}
    assert len(matching) >= 3
    dated = sorted({a["published"] for i, a in articles.items() if i in matching and a["published"]})
    since = dated[-1]  # only the latest day's articles remain
    want = {i for i in matching if articles[i]["published"] and articles[i]["published"] >= since}
    assert set(_ids(loaded, word, since=since)) == want and want < matching

    (harbour,) = [a for a in articles.values() if a["source_file"] == HARBOUR]
    for site in (harbour["site"].upper(), harbour["domain"]):  # any case; the site's name or its domain
        got = _ids(loaded, "council terminal", site=site)
        assert got == [harbour["article_id"]]
    assert _ids(loaded, word, site=harbour["site"]) == []


def test_replacing_a_file_replaces_its_text_and_reruns_add_no_duplicates(prefect_harness, tmp_path):
    wh = tmp_path / "data" / "wh.duckdb"
    inbox = _inbox(tmp_path)
    _run(inbox, wh)
    (old,) = _articles(wh, "source_file = ?", [HARBOUR])
    assert _ids(wh, "wooden pier")[0] == old
    before = sorted(_indexed_ids(wh))
    state = fts.read_state(wh)

    again = _run(inbox, wh)  # nothing new: the index is not touched
    assert again["files_skipped"] == again["files_seen"]
    assert fts.read_state(wh) == state and sorted(_indexed_ids(wh)) == before

    _run(inbox, wh, force=True)  # every dump read and loaded again: the index still holds each article once
    assert sorted(_indexed_ids(wh)) == before == sorted(_articles(wh))
    _assert_current(wh)

    page = (inbox / HARBOUR).read_text(encoding="utf-8")
    (inbox / HARBOUR).write_text(page.replace("the wooden pier built in 1962", "the concrete jetty poured in 1971"),
                                 encoding="utf-8")
    _run(inbox, wh)
    (new,) = _articles(wh, "source_file = ?", [HARBOUR])
    assert new != old  # a new version of the file: a new document and article
    assert old not in _indexed_ids(wh)
    assert new not in _ids(wh, "wooden pier 1962") and _ids(wh, "concrete jetty 1971")[0] == new
    assert sorted(_indexed_ids(wh)) == sorted(_articles(wh))
    _assert_current(wh)


def _assert_current(wh: Path) -> None:
    con = connect(wh, read_only=True)
    try:
        assert fts.staleness(con, wh) is None
    finally:
        con.close()


def test_an_update_interrupted_after_its_commit_is_finished_by_the_next_one(loaded, tmp_path):
    wh = _copy(loaded, tmp_path)
    root = fts.index_dir(wh)
    saved = {name: (root / name).read_bytes() for name in ("state.json", "manifest.parquet")}
    con = connect(wh)
    try:  # the warehouse changes: one article replaced by a new version, one deleted
        victim, replaced = sorted(_articles_on(con))[:2]
        con.execute("update articles set run_id = 'r-later', title = 'Nightingale over the estuary' "
                    "where article_id = ?", [replaced]).fetchall()
        con.execute("delete from paragraphs where article_id = ?", [victim]).fetchall()
        con.execute("delete from articles where article_id = ?", [victim]).fetchall()
    finally:
        con.close()
    con = connect(wh, read_only=True)
    try:
        assert "behind the warehouse" in fts.staleness(con, wh)
        done = fts.update_index(con, wh)
        assert (done.added, done.removed, done.rebuilt) == (1, 2, False)
        # as if the process died after tantivy's commit, before the manifest and the state were replaced
        for name, data in saved.items():
            (root / name).write_bytes(data)
        assert fts.staleness(con, wh) is not None
        fts.update_index(con, wh)
        assert fts.staleness(con, wh) is None
    finally:
        con.close()
    ids = _indexed_ids(wh)
    assert sorted(ids) == sorted(_articles(wh)) and victim not in ids
    assert _ids(wh, "nightingale estuary") == [replaced]


def _articles_on(con) -> list[str]:
    return [r[0] for r in con.execute("select article_id from articles").fetchall()]


def test_cli_searches_rebuilds_a_missing_index_and_says_so(loaded, tmp_path):
    wh = _copy(loaded, tmp_path)
    runner = CliRunner()
    articles = _articles(wh)
    (harbour,) = [a for a in articles.values() if a["source_file"] == HARBOUR]

    out = runner.invoke(app, ["search", "wooden pier", "--warehouse", str(wh), "--format", "json", "--limit", "2"])
    assert out.exit_code == 0, out.output
    rows = json.loads(out.stdout)
    assert rows[0]["article_id"] == harbour["article_id"] and rows[0]["title"] == harbour["title"]
    assert rows[0]["site"] == harbour["site"] and rows[0]["published"] == str(harbour["published"])
    assert "wooden pier" in rows[0]["snippet"] and rows[0]["score"] > 0 and len(rows) <= 2

    table = runner.invoke(app, ["search", "wooden pier", "--warehouse", str(wh), "--since",
                                str(harbour["published"] + dt.timedelta(days=1))])
    assert table.exit_code == 0 and harbour["title"] not in table.stdout

    shutil.rmtree(fts.index_dir(wh))  # e.g. a warehouse built before search existed
    out = runner.invoke(app, ["search", "wooden pier", "--warehouse", str(wh), "--format", "json"])
    assert out.exit_code == 0, out.output
    assert "no search index yet" in out.stderr and f"{len(articles)} articles added" in out.stderr
    assert json.loads(out.stdout)[0]["article_id"] == harbour["article_id"]
    quiet = runner.invoke(app, ["search", "wooden pier", "--warehouse", str(wh), "--format", "csv"])
    assert quiet.exit_code == 0 and quiet.stderr == ""  # up to date now: nothing to say
    assert quiet.stdout.splitlines()[0] == "article_id,title,site,published,score,snippet"

    generation = fts.index_dir(wh) / fts.read_state(wh)["generation"]
    (generation / "meta.json").write_text("{not json", encoding="utf-8")  # a damaged index is rebuilt
    out = runner.invoke(app, ["search", "wooden pier", "--warehouse", str(wh), "--format", "json"])
    assert out.exit_code == 0, out.output
    assert "cannot be read" in out.stderr and json.loads(out.stdout)[0]["article_id"] == harbour["article_id"]
    assert not generation.exists()  # the damaged generation is gone once the new one is in use


def test_cli_says_when_a_stale_index_cannot_be_updated_because_a_run_writes(loaded, tmp_path):
    wh = _copy(loaded, tmp_path)
    shutil.rmtree(fts.index_dir(wh))
    with writer_lock(wh):  # what a running `broadsheet run` holds
        out = CliRunner().invoke(app, ["search", "pier", "--warehouse", str(wh)])
    assert out.exit_code == 4
    assert "no search index yet" in out.stderr and "a run is writing the warehouse" in out.stderr
    missing = CliRunner().invoke(app, ["search", "pier", "--warehouse", str(tmp_path / "none.duckdb")])
    assert missing.exit_code == 2 and "no warehouse" in missing.stderr
