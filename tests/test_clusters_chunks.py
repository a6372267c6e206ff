"""Story clusters in the warehouse, a chunk at a time: any chunk size gives the same clusters as one pass, and the
per-site paragraph counts behind the template stay equal to a count made afresh as articles come and go."""

from __future__ import annotations

import datetime as dt

import duckdb
import pytest

from tests.conftest import SEEDS
from tests.test_clusters import BLINKEN, GUIDELINES, SAME_TOPIC, WIRE, body
from transforms.rules import load_rules
from warehouse.clusters import cluster_articles
from warehouse.db import connect
from warehouse.load import prune_files

RULES = load_rules().clusters
ROWS = "select article_id, cluster_id, similarity from story_clusters order by article_id"
# the template's definition, counted afresh over every loaded article: what story_paragraph_counts must hold
RECOUNT = """
    with split as (
        select coalesce(site, domain) as site, article_id,
               unnest(string_split(body, chr(10) || chr(10))) as paragraph
        from articles
    ),
    per_article as (
        select distinct site, article_id,
               md5_number_lower(lower(trim(paragraph, ' ' || chr(9) || chr(13) || chr(10)))) as hash
        from split where site is not null
    )
    select site, hash, count(*) as articles from per_article group by all"""
KEPT = "select site, hash, articles from story_paragraph_counts"


def words(text: str) -> list[str]:
    return text.split()


def drift(text: str, filler: list[str], steps: int) -> list[str]:
    """`steps` versions of a text, each with the next tenth of its words replaced by other words: every version is
    close to the one before it and further from the first."""
    out, current = [], words(text)
    tenth = max(1, len(current) // 10)
    for step in range(steps):
        lo = step * tenth
        current = current[:lo] + filler[lo : lo + tenth] + current[lo + tenth :]
        out.append(" ".join(current))
    return out


def corpus() -> list[tuple[str, str]]:
    """(site, body) of articles in first-seen order: a story copied on several sites, a chain of edits drifting
    away from its first version, other stories, and one site's long comment rules under four stories."""
    others = [body(SEEDS / name) for name in sorted(p.name for p in SEEDS.iterdir())]
    filler = words(" ".join(SAME_TOPIC))
    chain = drift(BLINKEN, filler, 7)
    items = [("wire.example", BLINKEN)]
    for i, text in enumerate(chain):
        items.append((f"site{i}.example", text))
        items.append((f"other{i}.example", others[i % len(others)]))
    items += [("copies.example", WIRE), ("copies.example", WIRE + "\n\nUpdated with a reaction.")]
    items += [("fans.example", f"{' '.join(words(text)[:60])}\n\n{GUIDELINES}") for text in (BLINKEN, *SAME_TOPIC)]
    return items


def insert(con: duckdb.DuckDBPyConnection, items: list[tuple[str, str]], start: int) -> None:
    for i, (site, text) in enumerate(items, start):
        con.execute("insert into documents values (?, ?, 'txt', 1, null, ?, 'loaded', 1, 1, ?, 'r0')",
                    [f"d{i:03d}", f"f{i:03d}.txt", f"d{i:03d}", dt.datetime(2026, 1, 5, tzinfo=dt.UTC)
                     + dt.timedelta(minutes=i)])
        con.execute("insert into articles (article_id, doc_id, source_file, position, title, authors, body, "
                    "word_count, paragraph_count, run_id, site) values (?, ?, ?, 0, 't', [], ?, 1, 1, 'r0', ?)",
                    [f"a{i:03d}", f"d{i:03d}", f"f{i:03d}.txt", text, site])


def clustered(path, items: list[tuple[str, str]], chunk: int, split: int) -> list[tuple]:
    """Cluster items[:split] in one run and the rest in a second, `chunk` articles at a time."""
    con = connect(path)
    try:
        insert(con, items[:split], 0)
        cluster_articles(con, RULES, chunk=chunk)
        insert(con, items[split:], split)
        cluster_articles(con, RULES, chunk=chunk)
        return con.execute(ROWS).fetchall()
    finally:
        con.close()


def test_any_chunk_size_gives_the_clusters_of_one_pass(tmp_path) -> None:
    items = corpus()
    whole = clustered(tmp_path / "whole.duckdb", items, chunk=10_000, split=len(items))
    for chunk, split in ((1, len(items)), (3, len(items)), (1, 5), (4, 9)):
        assert clustered(tmp_path / f"c{chunk}_{split}.duckdb", items, chunk, split) == whole, (chunk, split)
    cluster = {a: (c, s) for a, c, s in whole}
    # the chain's last version is below the join threshold to the first, and joins through the versions between
    # (found in earlier chunks through the band keys): a chunking that lost them would start a story here
    last = f"a{2 * 7 - 1:03d}"
    assert cluster[last][0] == "a000" and cluster[last][1] < RULES.join_similarity
    assert cluster["a016"][0] == cluster["a015"][0]  # the wire copy's update joins it
    fans = [a for a, (site, _) in zip(sorted(cluster), items, strict=True) if site == "fans.example"]
    assert len({cluster[a][0] for a in fans}) == len(fans)  # the shared comment rules are the site's template


def test_a_chunk_size_below_one_is_refused(tmp_path) -> None:
    con = connect(tmp_path / "wh.duckdb")
    try:
        with pytest.raises(ValueError, match="chunk"):
            cluster_articles(con, RULES, chunk=0)
    finally:
        con.close()


def test_paragraph_counts_follow_articles_that_come_and_go(tmp_path) -> None:
    """Counts kept run after run equal a fresh count: new articles add theirs, a pruned file's article takes its
    paragraphs out (its new version counts again), and a warehouse clustered before the counts gets them."""
    items = corpus()
    con = connect(tmp_path / "wh.duckdb")
    try:
        insert(con, items[:-2], 0)  # two of the four fans.example stories: its comment rules are in only two
        cluster_articles(con, RULES, chunk=2)
        assert sorted(con.execute(KEPT).fetchall()) == sorted(con.execute(RECOUNT).fetchall())
        rules_count = "select articles from story_paragraph_counts where site = 'fans.example' and hash = " \
                      "md5_number_lower(lower(?))"
        assert con.execute(rules_count, [GUIDELINES]).fetchall() == [(2,)]

        # the file of one fans.example story leaves the inbox (prune), a new version without the rules arrives
        gone = len(items) - 4
        kept = [f"f{i:03d}.txt" for i in range(len(items) - 2) if i != gone]
        assert prune_files(con, kept) == 1
        insert(con, [("fans.example", " ".join(words(BLINKEN)[:60]) + "\n\nA new ending.")], 100)
        cluster_articles(con, RULES, chunk=2)
        assert sorted(con.execute(KEPT).fetchall()) == sorted(con.execute(RECOUNT).fetchall())
        assert con.execute(rules_count, [GUIDELINES]).fetchall() == [(1,)]

        # three more stories with the rules: four articles hold them now (five if the pruned one had stayed in the
        # counts), so they are the site's template and the three new stories stay apart
        insert(con, [*items[-2:], ("fans.example", f"{' '.join(words(WIRE)[:60])}\n\n{GUIDELINES}")], 200)
        cluster_articles(con, RULES, chunk=2)
        assert sorted(con.execute(KEPT).fetchall()) == sorted(con.execute(RECOUNT).fetchall())
        assert con.execute(rules_count, [GUIDELINES]).fetchall() == [(4,)]
        new = con.execute("select cluster_id from story_clusters where article_id in ('a200', 'a201', 'a202')")
        assert len({c for (c,) in new.fetchall()}) == 3

        # a warehouse whose articles were clustered before the counts existed: the next clustering counts them all
        con.execute("delete from story_paragraph_counts").fetchall()
        con.execute("delete from story_paragraph_hashes").fetchall()
        assert cluster_articles(con, RULES).clustered == 0
        assert sorted(con.execute(KEPT).fetchall()) == sorted(con.execute(RECOUNT).fetchall())
        ids = "select article_id from story_paragraph_hashes order by 1"
        assert con.execute(ids).fetchall() == con.execute("select article_id from articles order by 1").fetchall()
    finally:
        con.close()
