"""Layout columns of text-browser dumps read one after the other (transforms/columns.py)."""

from __future__ import annotations

from transforms.clean_text import classify_lines
from transforms.columns import split_columns
from transforms.record import BODY
from transforms.rules import load_rules

RULES = load_rules()

NAV = ["Home", "Football", "Headlines", "Transfer Centre", "Live Scores", "Premier League", "Tables", "FA Cup"]
ARTICLE = [
    "HITZFELD BEGINS SWISS TALKS",
    "",
    "Ottmar Hitzfeld has begun talks with the Swiss Football Federation with a view",
    "to becoming the national coach after the European championship this summer.",
    "",
    "The Bayern Munich boss, who has now confirmed that he will leave the club at the",
    "end of the season, is top of the list to replace the current coach of the team,",
    "and the 58-year-old has made no secret of his desire to take on the job.",
    "",
    "Hitzfeld met the national team delegate for informal talks over the festive",
    "period, and the two men have known each other for twenty-five years now.",
    "",
]


def side_by_side() -> str:
    """A dump whose layout table put the navigation left of the article on every line."""
    return "\n".join(f"{nav:<20}{text}".rstrip() for nav, text in zip(NAV + [""] * 4, ARTICLE, strict=True))


def test_columns_are_read_one_after_the_other() -> None:
    text = split_columns(side_by_side(), RULES.columns)
    lines = text.split("\n")
    assert lines[: len(NAV)] == NAV  # the navigation column first, whole
    article = text.split("\n\n", 1)[1]
    assert "Ottmar Hitzfeld has begun talks with the Swiss Football Federation with a view\nto becoming" in article
    assert "Home" not in article and "Tables" not in article


def test_the_article_column_becomes_the_body() -> None:
    body = " ".join(ln.text for ln in classify_lines(side_by_side(), RULES) if ln.label == BODY)
    assert "is top of the list to replace" in body and "for informal talks over the festive" in body
    assert "Transfer Centre" not in body and "Premier League" not in body


def test_a_page_without_columns_is_unchanged() -> None:
    flat = "\n".join([*ARTICLE, "Scores:    Bayern 2    Hertha 1"])  # one tabular line is no layout
    assert split_columns(flat, RULES.columns) == flat


def test_a_gap_inside_one_column_stays_on_its_line() -> None:
    article = [*ARTICLE[:3], "Posted by:    Jane Doe", *ARTICLE[3:]]
    text = "\n".join(f"{nav:<20}{line}".rstrip() for nav, line in zip(NAV + [""] * 5, article, strict=True))
    assert "Posted by: Jane Doe" in split_columns(text, RULES.columns).split("\n")
