"""Hard-wrapped paragraphs of text-browser dumps joined back into one line each (transforms/wrapping.py)."""

from __future__ import annotations

import textwrap

from transforms.clean_text import classify_lines
from transforms.record import BODY
from transforms.rules import load_rules
from transforms.wrapping import unwrap_lines

RULES = load_rules()

PARAGRAPHS = [
    "It will have to be a performance worthy of the best of Scottish sport. Today's announcement at Holyrood by "
    "the Sports Minister must accomplish several tricky objectives at the same time, all while he remains standing.",
    "How to solve the problem of the agency has dogged the government since its election triumph of last May, on "
    "the back of a manifesto pledge to abolish the agency as part of its drive to reduce public sector waste.",
    "Unfortunately, the agency's planned move to Glasgow was a symbolically important part of the city's winning "
    "bid for the Games, when much was made of the cross-party harmony achieved by the two leaders.",
]


def unwrap(text: str) -> str:
    return unwrap_lines(text, RULES.wrapping, RULES.bullets)


def wrapped(width: int = 70) -> str:
    return "\n\n".join(textwrap.fill(p, width) for p in PARAGRAPHS)


def test_a_wrapped_paragraph_becomes_one_line() -> None:
    text = wrapped()
    assert all(len(line) <= 70 for line in text.split("\n"))
    assert unwrap(text).split("\n\n") == PARAGRAPHS


def test_paragraphs_wrapped_in_one_block_stay_apart_at_a_short_last_line() -> None:
    text = "\n".join(textwrap.fill(p, 66) for p in PARAGRAPHS)  # no blank line between the paragraphs
    assert unwrap(text).split("\n") == PARAGRAPHS
    # a paragraph whose last line reaches the width cannot be told from a wrap: it runs on into the next
    full_last = "\n".join(textwrap.fill(p, 70) for p in PARAGRAPHS)
    assert unwrap(full_last).split("\n") == [PARAGRAPHS[0], " ".join(PARAGRAPHS[1:])]


def test_blocks_that_are_not_wrapped_are_unchanged() -> None:
    menu = "Home\nNews\nSport\nBusiness\nWeather\nContact us"
    bullets = "\n".join(f"• {line}" for line in textwrap.wrap(PARAGRAPHS[0], 60))  # every line a list item
    sentences = "\n".join(["This is a sentence of a few words and it ends here.",
                           "A much longer sentence follows it on the next line, and it ends early.",
                           "Short one here to close the block of lines."])
    wide = "\n".join(textwrap.wrap(PARAGRAPHS[0] + " " + PARAGRAPHS[1], 160))  # wider than any text browser
    two = "\n".join(textwrap.wrap(PARAGRAPHS[2], 70)[:2])  # a block of two lines
    for text in (menu, bullets, sentences, wide, two, "one line only"):
        assert unwrap(text) == text


def test_a_wrapped_article_is_read_as_paragraphs() -> None:
    page = "Home | News | Sport\n\nMinisters face dilemma over the agency\n\n" + wrapped(66) + "\n\nContact us\n"
    body = [ln.text for ln in classify_lines(page, RULES) if ln.label == BODY]
    assert body == PARAGRAPHS
