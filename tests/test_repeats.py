"""Batch-level repeated-line evidence: template lines go, repeated quotes and data stay."""

from __future__ import annotations

import datetime as dt
import pathlib

from hypothesis import given
from hypothesis import strategies as st

from transforms.clean_text import REPEATED, classify_lines
from transforms.pipeline import process_documents, read_dump
from transforms.record import BODY, BOILERPLATE, BYLINE
from transforms.repeats import distinct_lines, find_repeated_lines, group_stories, normalise_line
from transforms.rules import load_rules

RULES = load_rules()
B = RULES.bullets

INBOX = pathlib.Path(__file__).resolve().parents[1] / "samples" / "inbox"
NAV = "Weather | Traffic | Sports | Obituaries"
QUOTE = "“We will rebuild the bridge before winter, whatever it costs,” the mayor said."
NOW = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


def dump(topic: str, n: int) -> str:
    """A small page of the same (made-up) site: template lines around a unique article that quotes the mayor."""
    paragraphs = "\n\n".join(
        f"The council of {topic} met on day {i} to discuss the budget, and members said that the plan "
        f"for {topic} would be decided after the hearing that was held in the old town hall." for i in range(n))
    return (f"Riverside Gazette\n\n{NAV}\n\n{topic.title()} budget vote delayed again\n\nBy Ann Smith\n\n"
            f"{paragraphs}\n\n{QUOTE}\n\nMore paragraphs about {topic} follow here, and they are "
            f"long enough to read as prose in this article.\n\nSubscriber services and tip line open daily\n")


TOPICS = ["roads", "schools", "parks", "water"]


def test_find_repeated_lines_counts_distinct_documents() -> None:
    texts = [dump(t, 3) for t in TOPICS[:3]]
    repeated = find_repeated_lines(texts, min_docs=3, bullets=B)
    assert normalise_line(NAV, B) in repeated and normalise_line(QUOTE, B) in repeated
    assert not any("budget vote" in line for line in repeated)
    # A copy of the same dump is not more evidence; two documents are below the threshold.
    assert find_repeated_lines([texts[0]] * 5, min_docs=3, bullets=B) == frozenset()
    assert find_repeated_lines(texts[:2], min_docs=3, bullets=B) == frozenset()


def test_find_repeated_lines_skips_long_lines_and_normalises() -> None:
    texts = ["• Home   News\nx", "home news\ny", "  - HOME NEWS\nz"]
    assert find_repeated_lines(texts, min_docs=3, bullets=B) == frozenset({"home news"})
    assert find_repeated_lines(texts, min_docs=3, max_words=1, bullets=B) == frozenset()


def test_nav_line_repeated_across_dumps_is_removed_with_reason() -> None:
    rules = RULES
    texts = [dump(t, 3) for t in TOPICS]
    repeated = find_repeated_lines(texts, rules.repeats.min_docs, rules.repeats.max_words, bullets=rules.bullets)
    for text in texts:
        lines = {ln.text: ln for ln in classify_lines(text, rules, repeated)}
        assert lines[NAV].label == BOILERPLATE and lines[NAV].reason == REPEATED
        assert lines["Subscriber services and tip line open daily"].reason == REPEATED
        # The repeated quote is a real paragraph: it stays in the body; the repeated byline stays a byline.
        assert lines[QUOTE].label == BODY
        assert lines["By Ann Smith"].label == BYLINE


def test_repeated_quote_stays_in_body_through_the_pipeline() -> None:
    rules = RULES
    texts = [dump(t, 3) for t in TOPICS]
    docs = [d for i, t in enumerate(texts) for d in read_dump(t.encode(), f"{i}.txt", "txt", NOW)]
    repeated = find_repeated_lines(texts, rules.repeats.min_docs, rules.repeats.max_words, bullets=rules.bullets,
                                   stories=group_stories(texts, bullets=rules.bullets))
    out = process_documents(docs, rules, repeated=repeated)
    for doc in out:
        assert doc.rejection is None
        (article,) = doc.articles
        assert QUOTE in article.paragraphs
        assert NAV not in article.body
        assert any(ln.text == NAV and ln.reason == REPEATED for ln in doc.lines)


def test_single_document_behaviour_is_unchanged() -> None:
    rules = RULES
    for path in sorted(INBOX.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        assert classify_lines(text, rules, frozenset()) == classify_lines(text, rules)
        repeated = find_repeated_lines([text], rules.repeats.min_docs, bullets=rules.bullets)
        assert repeated == frozenset()
        (doc,) = process_documents(read_dump(path.read_bytes(), path.name, "txt", NOW), rules)
        assert doc.lines == classify_lines(text, rules)


def test_html_documents_are_untouched_by_repeats() -> None:
    rules = RULES
    html = "<html><body><p>" + "Some text. " * 5 + "</p></body></html>"
    docs = read_dump(html.encode(), "a.html", "html", NOW)
    assert process_documents(docs, rules)[0].lines == ()


def syndicated(site: str, story: str) -> str:
    """One wire story as re-published by a site: the site's own template around the shared article."""
    body = "\n\n".join(
        f"Paragraph {i} of the wire report on {story} explains in some detail what officials said about "
        f"the {story} on Tuesday, and what happens next." for i in range(6))
    return f"{site} Daily\n\n{site} home | {site} news | {site} sport\n\n{story.title()} hits the coast\n\n{body}\n"


def test_copies_of_one_story_are_one_story_so_its_headline_is_not_template() -> None:
    texts = [syndicated(site, "storm") for site in ("Northtown", "Southtown", "Easttown")]
    stories = group_stories(texts, bullets=B)
    assert len(set(stories)) == 1
    assert find_repeated_lines(texts, min_docs=3, bullets=B, stories=stories) == frozenset()
    # the bug it fixes:
    assert normalise_line("Storm hits the coast", B) in find_repeated_lines(texts, min_docs=3, bullets=B)


def test_template_lines_still_count_across_distinct_stories() -> None:
    texts = [dump(t, 3) for t in TOPICS] + [dump("roads", 3)] * 2 + [dump("roads", 4)]
    stories = group_stories(texts, bullets=B)
    assert len(set(stories)) == 4  # the three roads pages (one re-saved with a paragraph more) are one story
    repeated = find_repeated_lines(texts, min_docs=3, bullets=B, stories=stories)
    assert normalise_line(NAV, B) in repeated
    assert not any("budget vote" in line for line in repeated)


def test_a_stock_paragraph_in_every_dump_does_not_merge_distinct_stories() -> None:
    stock = "Sign up for our newsletter to get the most important stories of the day delivered to your inbox."
    texts = [f"{dump(t, 0)}\n\n{stock}\n" for t in TOPICS]  # short pages: shared lines are most long lines
    assert len(set(group_stories(texts, max_copies=50, bullets=B))) == 1  # without the cap they would merge
    assert len(set(group_stories(texts, max_copies=3, bullets=B))) == 4


def test_syndicated_headlines_survive_the_pipeline() -> None:
    docs = [d for i, site in enumerate(("Northtown", "Southtown", "Easttown"))
            for d in read_dump(syndicated(site, "storm").encode(), f"{i}.txt", "txt", NOW)]
    out = process_documents(docs, RULES)
    assert [a.title for d in out for a in d.articles] == ["Storm hits the coast"] * 3


@given(st.lists(st.text(alphabet=" \t\u00a0\r•*-–AbİßΣx.", max_size=12), max_size=8).map("\n".join))
def test_distinct_lines_are_the_normalised_lines_with_their_word_counts(text: str) -> None:
    """distinct_lines normalises the whole text at once; it must agree with normalise_line line by line."""
    expected = {n: len(n.split()) for n in (normalise_line(t, B) for t in text.split("\n")) if n}
    assert distinct_lines(text, B) == expected


def test_a_documents_output_does_not_depend_on_its_batch() -> None:
    """Alone, beside documents sharing its template lines, or in another batch: the same lines and articles."""
    rules = RULES
    dumps = [read_dump(dump(t, 3).encode(), f"{i}.txt", "txt", NOW) for i, t in enumerate(TOPICS)]
    alone = process_documents(dumps[0], rules)
    together = process_documents([d for docs in dumps for d in docs], rules)
    other = process_documents([*dumps[0], *(read_dump(syndicated("Northtown", "storm").encode(), "s.txt", "txt",
                                                          NOW))], rules)
    for batch in (together, other):
        assert batch[0].lines == alone[0].lines and batch[0].articles == alone[0].articles
