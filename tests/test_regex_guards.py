"""Metadata regexes see bounded input: author fields and candidate lines are capped, and the e-mail pattern
starts only at token starts (it was quadratic on one long token). Size properties, not timings: the bound is
bench/adversarial.py's job."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from transforms.authors import MAX_AUTHOR_CHARS, MAX_AUTHOR_PIECES, clean_authors
from transforms.metadata import EMAIL
from transforms.rules import load_rules

RULES = load_rules()


def test_a_huge_author_field_is_read_only_up_to_the_cap() -> None:
    name = "By Jane Roe, "
    huge = name + "x" * 300_000 + "@example.com"
    assert clean_authors(huge, RULES) == clean_authors(huge[:MAX_AUTHOR_CHARS], RULES)
    assert clean_authors(huge, RULES)[0] == "Jane Roe"


def test_a_huge_author_list_is_read_only_up_to_the_cap() -> None:
    values = ["Jane Roe"] + [f"Person{i} Name" for i in range(10_000)]
    assert clean_authors(values, RULES) == clean_authors(values[:MAX_AUTHOR_PIECES], RULES)


@given(st.text(alphabet="ab.@ \n", max_size=60))
def test_email_matches_start_at_token_starts(text: str) -> None:
    for m in EMAIL.finditer(text):
        assert m.start() == 0 or text[m.start() - 1].isspace() or text[m.start() - 1] == "@"
        assert m.group(0).count("@") == 1


def test_email_pattern_still_strips_addresses() -> None:
    assert clean_authors("Jane Roe jane.roe@example.com", RULES) == ("Jane Roe",)
    assert EMAIL.search("write to [email protected] now")
    assert EMAIL.search("x" * 50 + "@") is None


def test_candidate_lines_are_capped() -> None:
    from transforms.clean_text import classify_lines
    from transforms.meta_ranker import MAX_CANDIDATE_CHARS, rank_page_authors

    long_line = "By Jane Roe " + "[" * (MAX_CANDIDATE_CHARS + 10)
    lines = classify_lines(f"Headline of the story here\n\n{long_line}\n\n" + "Body text of the story. " * 20,
                           RULES)
    assert rank_page_authors(lines, RULES) == ()  # the over-long line is no candidate at all
