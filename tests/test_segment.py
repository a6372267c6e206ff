"""Splitting labelled lines into articles."""

from __future__ import annotations

import pathlib

import pytest

from transforms.clean_text import classify_lines
from transforms.record import BODY, BOILERPLATE, DATE, TITLE, Line
from transforms.rules import load_rules
from transforms.segment import split_articles

RULES = load_rules()

INBOX = pathlib.Path(__file__).resolve().parents[1] / "samples" / "inbox"


def articles_of(prefix: str) -> list[tuple[Line, ...]]:
    """Articles of one seed."""
    (path,) = INBOX.glob(f"{prefix}_*.txt")
    return split_articles(classify_lines(path.read_text(encoding="utf-8"), RULES))


def test_digest_page_splits_into_four_articles() -> None:
    articles = articles_of("004")
    assert len(articles) == 4
    titles = [[x.text for x in a if x.label == TITLE] for a in articles]
    assert titles == [
        ["Estonia, Latvia and Lithuania want to increase deterrence", "against possible Russian military action"],
        ["Patience with West has come to an end – Moscow"],
        ["Russia ‘fabricating a pretext for invasion’ of Ukraine – White House"],
        ["Russia responds to US ‘false flag’ claims"],
    ]
    for article in articles:
        assert article[0].label == DATE and article[0].text == "Saturday, January 15, 2022"
        assert any(x.label == BODY for x in article)
    assert articles[1][-1].text.startswith("Last month, Moscow handed over two draft treaties")
    assert articles[3][-1].text.startswith("Washington’s claims come after a week")


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003"])
def test_normal_page_is_one_article(prefix: str) -> None:
    articles = articles_of(prefix)
    assert len(articles) == 1
    assert articles[0][0].label == TITLE


def test_articles_hold_no_boilerplate_and_keep_order() -> None:
    for prefix in ["000", "001", "002", "003", "004"]:
        for article in articles_of(prefix):
            assert all(x.label != BOILERPLATE for x in article)
            positions = [x.position for x in article if x.label != DATE]
            assert positions == sorted(positions)


def test_page_without_body_gives_no_article() -> None:
    lines = [Line(0, "Home", BOILERPLATE, "navigation"), Line(1, "Some headline", TITLE)]
    assert split_articles(lines) == []
    assert split_articles([]) == []


def test_body_without_title_is_one_article() -> None:
    lines = [Line(0, "Monday, May 6, 2024", DATE), Line(2, "A paragraph.", BODY, block=1),
             Line(4, "Menu", BOILERPLATE, "navigation", block=2), Line(6, "Another paragraph.", BODY, block=3)]
    assert split_articles(lines) == [(lines[0], lines[1], lines[3])]


def test_trailing_headline_without_body_stays_with_last_article() -> None:
    lines = [Line(0, "Headline", TITLE), Line(1, "Text.", BODY), Line(2, "Orphan headline", TITLE)]
    assert split_articles(lines) == [tuple(lines)]
