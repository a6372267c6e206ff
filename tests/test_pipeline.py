"""The whole transform cascade on the real seeds and a hand-written HTML page: fields, captions, quotes."""

import dataclasses
import datetime as dt

import pytest

from tests.conftest import EXTRA, SEEDS
from transforms.pipeline import process_documents, read_dump
from transforms.record import BOILERPLATE
from transforms.rules import load_rules

RULES = load_rules()

NOW = dt.datetime(2026, 11, 22, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def seeds():
    docs = []
    for path in sorted(SEEDS.glob("*.txt")):
        docs += read_dump(path.read_bytes(), path.name, "txt", NOW)
    return {d.source_file[:3]: d for d in process_documents(docs, RULES)}


def test_every_seed_yields_its_articles_with_real_headlines(seeds):
    titles = {k: [a.title for a in d.articles] for k, d in seeds.items()}
    assert titles["000"] == ["US assures Balkan allies of support against Russia"]
    assert titles["002"] == ["US, NATO Respond to Russia’s Demands After Moscow Warns of ‘Retaliatory Measures’"]
    assert titles["003"] == ["US-NATO Compact Reject Russia’s Demands"]
    assert titles["004"] == [
        "Estonia, Latvia and Lithuania want to increase deterrence against possible Russian military action",
        "Patience with West has come to an end – Moscow",
        "Russia ‘fabricating a pretext for invasion’ of Ukraine – White House",
        "Russia responds to US ‘false flag’ claims",
    ]


def test_bylines_dates_sites_and_datelines(seeds):
    assert seeds["002"].articles[0].authors == ("Mimi Nguyen Ly",)
    digest = seeds["004"].articles
    assert digest[1].authors == ("Layla Guest",)
    assert {a.published for a in digest} == {dt.date(2022, 1, 15)}
    assert seeds["001"].articles[0].site == "voanews.com"
    assert seeds["003"].articles[0].dateline == "WASHINGTON, WORLD LINES"
    assert digest[3].subtitle == ("The Kremlin says there is no evidence for ‘hearsay’ accusations "
                                  "of Russian ‘operatives’ set to frame Ukraine")


def test_captions_keep_their_credit_and_leave_the_body(seeds):
    stoltenberg = seeds["002"].articles[0]
    (cap,) = stoltenberg.captions
    assert cap.credit == "John Thys/AFP via Getty Images"
    assert "John Thys" not in stoltenberg.body
    assert [c.credit for a in seeds["004"].articles for c in a.captions] == [
        "Getty Images / Sean Gallup", "RIA / Mikhail Voskresensky", "Sputnik / Konstantin Mihalchevskiy",
        "Getty Images / Mlenny"]


def test_quotes_carry_their_speakers(seeds):
    by_speaker = {}
    for doc in seeds.values():
        for art in doc.articles:
            for q in art.quotes:
                by_speaker.setdefault(q.speaker, []).append(q.text)
    assert any("compromise on the principles" in t for t in by_speaker["Jens Stoltenberg"])
    assert any("retaliatory measures" in t for t in by_speaker["Sergey Lavrov"])
    assert any("unsubstantiated" in t for t in by_speaker["Dmitry Peskov"])
    assert any("NATO peninsula" in t for t in by_speaker["Kaja Kallas"])
    # Pence's quotes in seed 000 stand alone with no attribution verb: no speaker rather than a wrong one
    assert {q.speaker for q in seeds["000"].articles[0].quotes} == {None}


def test_html_page_keeps_metadata_and_records_removed_blocks():
    path = EXTRA / "harbour_article.html"
    (doc,) = process_documents(read_dump(path.read_bytes(), path.name, "html", NOW), RULES)
    (art,) = doc.articles
    assert art.title == "Harbour council approves new ferry terminal"
    assert art.authors == ("Priya Raman",)
    assert art.published == dt.date(2021, 6, 3)
    assert art.published_raw == "2021-06-03T09:15:00+00:00"  # the page's own string, not an ISO copy of the day
    assert art.domain == "coastal-ledger.example"
    assert "Related posts" not in art.body and "Share:" not in art.body
    assert [q.speaker for q in art.quotes] == ["Tomas Berg", "Tomas Berg"]
    assert all(ln.label == BOILERPLATE and ln.reason for ln in doc.lines)


def test_the_rules_given_to_the_pipeline_reach_the_html_post_cleaner():
    import dataclasses
    import re

    from transforms.rules import BlockRule

    rules = RULES
    custom = dataclasses.replace(rules, html_blocks=(
        *rules.html_blocks, BlockRule("custom_reason", 100, 0, re.compile("opponents argued"))))
    path = EXTRA / "harbour_article.html"
    (doc,) = process_documents(read_dump(path.read_bytes(), path.name, "html", NOW), custom)
    assert "Opponents argued" not in doc.articles[0].body
    assert ("custom_reason", True) in {(ln.reason, ln.text.startswith("Opponents argued")) for ln in doc.lines}
    (plain,) = process_documents(read_dump(path.read_bytes(), path.name, "html", NOW), rules)
    assert "Opponents argued" in plain.articles[0].body


def test_articles_share_the_one_metadata_shape_by_field_name():
    # fields.make_article hands a PageMetadata's fields to the Article by name: the two shapes cannot drift apart
    from transforms.metadata import PageMetadata
    from transforms.record import Article

    meta = {f.name: f.type for f in dataclasses.fields(PageMetadata)}
    article = {f.name: f.type for f in dataclasses.fields(Article)}
    assert meta.items() <= article.items()
