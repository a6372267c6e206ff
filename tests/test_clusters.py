"""Story clusters, the pure half (transforms/clusters.py): shingles, signatures, similarity and assignment on real
texts: the seed dumps and a wire copy of seed 001 (another site's template, another headline, edits, trimmed)."""

from __future__ import annotations

import dataclasses
import json
import re
import subprocess
import sys

import numpy as np
import pytest

from tests.conftest import ROOT, SEEDS
from transforms.clusters import (
    ClusterRules,
    Sketches,
    assign,
    band_keys,
    shingle_hashes,
    signatures,
    similarity,
    sketch,
    strip_template,
)
from transforms.rules import RulesError, load_rules

RULES = load_rules().clusters
WIRE_COPY = ROOT / "tests" / "fixtures" / "syndicated" / "wire_copy_of_001.txt"


def body(path) -> str:
    """The prose of a dump: its lines of 12 words or more (headline, menus and share buttons left out)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return "\n\n".join(line for line in lines if len(line.split()) >= 12)


BLINKEN = body(SEEDS / "001_de08d329854fef43.txt")
# the whole wire copy, template lines included: the cleaner may leave some of them
WIRE = WIRE_COPY.read_text(encoding="utf-8")
# the same topic (NATO, Russia, Ukraine, Blinken named seven times), other stories
SAME_TOPIC = [body(SEEDS / name) for name in ("000_fd396fc52dfc7800.txt", "002_7aa6f8a1cfc9cd93.txt",
                                               "003_4b0faaa1a96275ce.txt")]


def shingle_sets(texts: list[str], k: int) -> list[set[int]]:
    hashes, offsets = shingle_hashes(texts, k)
    return [set(hashes[offsets[i] : offsets[i + 1]].tolist()) for i in range(len(texts))]


def test_shingles_ignore_case_punctuation_quotes_and_spacing() -> None:
    a, b, c = shingle_sets(["“United,” he said — NATO’s stance\u00a0holds.",
                            'united  he SAID - nato s stance holds',
                            "united he said nato's stance folds"], 3)
    assert a == b and len(a) == 5  # seven words (nato, s): five 3-shingles
    assert len(a & c) == 4  # one changed word changes only the shingles that hold it


def test_a_word_never_runs_across_bodies_and_cjk_characters_are_words() -> None:
    together = shingle_sets(["alpha beta gamma", "delta epsilon zeta"], 2)
    alone = shingle_sets(["alpha beta gamma"], 2) + shingle_sets(["delta epsilon zeta"], 2)
    assert together == alone
    (cjk,) = shingle_sets(["北约呼吁团结。"], 2)
    assert len(cjk) == 5  # six characters (the full stop is punctuation): five 2-shingles


def test_short_and_empty_bodies() -> None:
    _, offsets = shingle_hashes(["two words", "", "!!! ...", "one two three four five"], 4)
    assert np.diff(offsets).tolist() == [1, 0, 0, 2]
    sk = sketch(["a", "b", "c"], ["", "— …", "Real words of a body here."], RULES)
    assert sk.empty.tolist() == [True, True, False]
    # two bodies without a word are not copies of each other
    out = assign(sk, sketch([], [], RULES), {}, RULES)
    assert [c for _, c, _ in out] == ["a", "b", "c"]


def test_a_syndicated_copy_joins_and_a_same_topic_story_does_not() -> None:
    sk = sketch(["blinken", *(f"topic{i}" for i in range(len(SAME_TOPIC))), "wire"], [BLINKEN, *SAME_TOPIC, WIRE],
                RULES)
    out = {a: (c, s) for a, c, s in assign(sk, sketch([], [], RULES), {}, RULES)}
    assert out["blinken"] == ("blinken", 1.0)
    cluster, sim = out["wire"]
    assert cluster == "blinken"
    assert RULES.join_similarity <= sim < 1.0
    for i in range(len(SAME_TOPIC)):
        assert out[f"topic{i}"][0] == f"topic{i}"
        assert similarity(sk.signatures[0], sk.signatures[1 + i]) < RULES.join_similarity


def test_estimated_similarity_follows_the_true_jaccard() -> None:
    a, b = shingle_sets([BLINKEN, WIRE], RULES.shingle_words)
    true = len(a & b) / len(a | b)
    sk = sketch(["x", "y"], [BLINKEN, WIRE], RULES)
    # a 128-value signature estimates Jaccard with a standard error of sqrt(J(1-J)/128), about 0.044 at 0.5
    assert abs(similarity(sk.signatures[0], sk.signatures[1]) - true) < 0.15
    assert (band_keys(sk.signatures[:1], RULES) == band_keys(sk.signatures[1:], RULES)).any()


def test_incremental_assignment_equals_one_run() -> None:
    ids = ["blinken", "topic0", "topic1", "wire", "wire2"]
    texts = [BLINKEN, SAME_TOPIC[0], SAME_TOPIC[1], WIRE, WIRE.replace("Related stories", "More from World")]
    whole = sketch(ids, texts, RULES)
    at_once = assign(whole, sketch([], [], RULES), {}, RULES)
    first = sketch(ids[:3], texts[:3], RULES)
    first_rows = assign(first, sketch([], [], RULES), {}, RULES)
    earlier = dataclasses.replace(first, clusters=[c for _, c, _ in first_rows])
    founders = {c: first.signatures[ids.index(c)] for _, c, _ in first_rows}
    later = assign(sketch(ids[3:], texts[3:], RULES), earlier, founders, RULES)
    assert first_rows + later == at_once
    assert [c for _, c, _ in later] == ["blinken", "blinken"]


def test_empty_earlier_sketches_have_the_right_shape() -> None:
    empty = sketch([], [], RULES)
    assert isinstance(empty, Sketches)
    assert empty.signatures.shape == (0, RULES.num_perm) and empty.keys.shape == (0, RULES.bands)


def test_signatures_are_the_same_in_another_process() -> None:
    """Stored signatures are compared with ones computed by later runs: nothing may depend on the process."""
    hashes, offsets = shingle_hashes([BLINKEN], RULES.shingle_words)
    here = signatures(hashes, offsets, RULES)[0].tolist()
    code = ("from transforms.clusters import shingle_hashes, signatures; from transforms.rules import load_rules; "
            "import sys; r = load_rules().clusters; h, o = shingle_hashes([sys.stdin.read()], r.shingle_words); "
            "print(signatures(h, o, r)[0].tolist())")
    there = subprocess.run([sys.executable, "-c", code], input=BLINKEN, capture_output=True, text=True,
                           check=True, cwd=ROOT, env={"PYTHONHASHSEED": "12345", "PATH": ""}).stdout
    assert json.loads(there) == here


@pytest.mark.parametrize(("text", "message"), [
    ("bands = 200", "at most num_perm"),
    ("join_similarity = 0.0", "(0, 1]"),
    ("num_perm = 0", "positive integer"),
    ("shingle_words = 2.5", "positive integer"),
])
def test_broken_cluster_rules_name_the_key(rules_dir, text: str, message: str) -> None:
    path = rules_dir / "clusters.toml"
    key = text.split(" =")[0]
    lines = [text if line.startswith(f"{key} =") else line for line in path.read_text().splitlines()]
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(RulesError, match=re.escape(f"clusters.toml: [clusters.{key}]")) as error:
        load_rules(rules_dir)
    assert message in str(error.value)


def test_the_scheme_names_what_a_signature_depends_on() -> None:
    other = dataclasses.replace(RULES, shingle_words=RULES.shingle_words + 1)
    assert other.scheme != RULES.scheme
    assert dataclasses.replace(RULES, join_similarity=0.9).scheme == RULES.scheme  # the threshold is not in it
    assert isinstance(RULES, ClusterRules) and RULES.rows * RULES.bands <= RULES.num_perm


def test_a_warehouse_from_before_clusters_gets_its_articles_clustered(tmp_path) -> None:
    """An older warehouse has no story tables: connecting creates them, and the next clustering takes every
    article already loaded; a changed scheme clusters them all again."""
    import datetime as dt

    import duckdb

    from warehouse.clusters import cluster_articles
    from warehouse.db import connect

    path = tmp_path / "old.duckdb"
    old = duckdb.connect(str(path))
    for sql in ("01_documents", "02_articles"):
        old.execute((ROOT / "warehouse" / "sql" / "schema" / f"{sql}.sql").read_text())
    when = dt.datetime(2026, 1, 5, tzinfo=dt.UTC)
    for i, text in enumerate([BLINKEN, SAME_TOPIC[1], WIRE]):
        old.execute("insert into documents values (?, ?, 'txt', 1, null, ?, 'loaded', 1, 1, ?, 'r0')",
                    [f"d{i}", f"f{i}.txt", f"d{i}", when + dt.timedelta(hours=i)])
        old.execute("insert into articles (article_id, doc_id, source_file, position, title, authors, body, "
                    "word_count, paragraph_count, run_id, site) values (?, ?, ?, 0, ?, [], ?, 1, 1, 'r0', ?)",
                    [f"a{i}", f"d{i}", f"f{i}.txt", f"Title {i}", text, f"site{i}.example"])
    old.close()
    con = connect(path)
    try:
        counts = cluster_articles(con, RULES)
        assert (counts.clustered, counts.joined) == (3, 1)
        rows = con.execute("select article_id, cluster_id from story_clusters order by 1").fetchall()
        assert rows == [("a0", "a0"), ("a1", "a1"), ("a2", "a0")]
        assert con.execute("select size, sites from stories where size > 1").fetchall() == [
            (2, ["site0.example", "site2.example"])]
        assert con.execute("select site_a, site_b, shared_stories from syndication").fetchall() == [
            ("site0.example", "site2.example", 1)]
        assert cluster_articles(con, RULES).clustered == 0  # nothing new: nothing done
        rescheme = dataclasses.replace(RULES, seed=RULES.seed + 1)
        assert cluster_articles(con, rescheme).clustered == 3
        assert con.execute("select distinct scheme from story_signatures").fetchall() == [(rescheme.scheme,)]
        assert con.execute("select article_id, cluster_id from story_clusters order by 1").fetchall() == rows
    finally:
        con.close()


GUIDELINES = ("Guidelines: Fan feedback should be within the guidelines for the community. These guidelines will be "
              "used to identify those comments that will be removed from display on the site. Please keep your "
              "comments relevant to the topic, not abusive or combatant towards other readers, and do not share "
              "any personal details. Use the Report link to help keep the community at its best. Comments may be "
              "no longer than 2000 characters and will post to the site shortly after submitting them for review.")


@pytest.mark.parametrize("min_articles", [4, 100])
def test_a_sites_template_paragraph_does_not_make_its_stories_one(tmp_path, min_articles: int) -> None:
    """Four short stories of one site, each ending with the site's long comment rules: with the template rule
    they stay four stories; without it (a threshold no site reaches) the shared paragraph joins them."""
    import datetime as dt

    from warehouse.clusters import cluster_articles
    from warehouse.db import connect

    rules = dataclasses.replace(RULES, template_min_articles=min_articles)
    stories = [" ".join(text.split()[:60]) for text in (BLINKEN, *SAME_TOPIC)]
    con = connect(tmp_path / "wh.duckdb")
    try:
        for i, story in enumerate(stories):
            con.execute("insert into documents values (?, ?, 'txt', 1, null, ?, 'loaded', 1, 1, ?, 'r0')",
                        [f"d{i}", f"f{i}.txt", f"d{i}", dt.datetime(2026, 1, 5, i, tzinfo=dt.UTC)])
            con.execute("insert into articles (article_id, doc_id, source_file, position, title, authors, body, "
                        "word_count, paragraph_count, run_id, site) values (?, ?, ?, 0, 't', [], ?, 1, 2, 'r0', "
                        "'fans.example')", [f"a{i}", f"d{i}", f"f{i}.txt", f"{story}\n\n{GUIDELINES}"])
        cluster_articles(con, rules)
        clusters = {c for (c,) in con.execute("select cluster_id from story_clusters").fetchall()}
    finally:
        con.close()
    assert len(clusters) == (4 if min_articles <= 4 else 1)


def test_strip_template_drops_only_the_sites_own_template_paragraphs() -> None:
    body = f"{BLINKEN}\n\n\n{GUIDELINES}  \n\nShare this"
    template = {"fans.example": {GUIDELINES.lower(), "share this"}}
    kept, other, none = strip_template([body, body, None], ["fans.example", "news.example", "fans.example"], template)
    assert kept == BLINKEN and GUIDELINES in other and none == ""
