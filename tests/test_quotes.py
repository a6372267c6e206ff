"""Direct quotations and their speakers, on the real seeds and on hand-written passages."""

from __future__ import annotations

import pathlib

import pytest

from transforms.clean_text import classify_lines
from transforms.quotes import Quote, extract_quotes
from transforms.record import BODY
from transforms.rules import load_rules

RULES = load_rules()

INBOX = pathlib.Path(__file__).resolve().parents[1] / "samples" / "inbox"


def quotes_of(paragraphs: list[str]) -> list[Quote]:
    """extract_quotes with the shipped rules."""
    return extract_quotes(paragraphs, RULES)


def paragraphs(prefix: str) -> list[str]:
    """Body paragraphs of the seed whose file name starts with prefix."""
    (path,) = INBOX.glob(f"{prefix}_*.txt")
    return [ln.text for ln in classify_lines(path.read_text(encoding="utf-8"), RULES) if ln.label == BODY]


def speaker_of(quotes: list[Quote], start: str) -> str | None:
    """Speaker of the one quote whose text starts with start."""
    (found,) = [q for q in quotes if q.text.startswith(start)]
    return found.speaker


@pytest.mark.parametrize(("start", "speaker"), [
    ("If Russia once again uses force", "Jens Stoltenberg"),  # said Jens Stoltenberg, the Secretary-General
    ("Of course, we are discussing", "Kaja Kallas"),  # Kallas told Reuters (full name from earlier)
    ("If you look at the map", "Kaja Kallas"),  # second quote after "Kallas told Reuters."
    ("patience has come to an end", "Sergey Lavrov"),  # Foreign Minister Sergey Lavrov stressed that ...
    ("the time that this has been chosen", "Sergey Lavrov"),  # According to him
    ("We categorically cannot be satisfied", "Sergey Lavrov"),  # he remarked
    ("So far, all these statements", "Dmitry Peskov"),  # spokesman Dmitry Peskov told TASS
    ("a concrete answer", None),  # "according to the veteran official": nobody named
    ("operatives", None),
])
def test_seed_004_speakers(start: str, speaker: str | None) -> None:
    assert speaker_of(quotes_of(paragraphs("004")), start) == speaker


@pytest.mark.parametrize(("start", "speaker"), [
    ("We’ve addressed the possibility", "Antony Blinken"),  # “...,” Blinken said.
    ("And we address other areas", "Antony Blinken"),  # he added
    ("fully coordinated with Ukraine", "Antony Blinken"),  # Blinken said the responses were “...”
    ("There should be no doubt", "Antony Blinken"),  # “...,” Blinken said. “...”
    ("We cannot and will not compromise", "Jens Stoltenberg"),
    ("a real conversation on how", "Jens Stoltenberg"),  # He also said, after "Stoltenberg called ..."
    ("study", "Alexander Grushko"),  # a one-word scare quote takes the speaker of its sentence
    ("We will read it. Study it.", "Alexander Grushko"),  # quote spanning sentences, "he said"
    ("If the West continues", "Sergey Lavrov"),
    ("We won’t allow our proposals", "Sergey Lavrov"),  # he said, adding, “...”
])
def test_seed_002_speakers(start: str, speaker: str | None) -> None:
    assert speaker_of(quotes_of(paragraphs("002")), start) == speaker


def test_seed_001_scare_and_partial_quotes() -> None:
    quotes = quotes_of(paragraphs("001"))
    assert speaker_of(quotes, "united") == "Antony Blinken"
    assert speaker_of(quotes, "close consultation") == "Antony Blinken"  # not Ned Price ("according to")
    assert speaker_of(quotes, "underscored the United States’") == "Antony Blinken"


def test_seed_000_quotes_without_attribution_verb_have_no_speaker() -> None:
    quotes = quotes_of(paragraphs("000"))
    assert len(quotes) == 4
    assert quotes[0].text.startswith("At the heart of our alliance")
    assert quotes[0].text.endswith("they must renew it now.")
    assert all(q.speaker is None for q in quotes)


def test_seed_003_said_before_and_after() -> None:
    quotes = quotes_of(paragraphs("003"))
    assert speaker_of(quotes, "They want to draw us") == "Blinken"  # said Blinken
    assert speaker_of(quotes, "We saw armored units") == "Jens Stoltenberg"  # he said


def test_straight_quotes_and_no_speaker() -> None:
    paras = [
        'Officials described the plan as "a first step" and said nothing else.',
        '"We will not move," the statement read. Residents called it "unacceptable."',
        '"This is the end of an era," said Mayor Anne Hidalgo. "Paris will miss it."',
    ]
    quotes = quotes_of(paras)
    assert [q.text for q in quotes] == [
        "a first step", "We will not move,", "unacceptable.", "This is the end of an era,", "Paris will miss it."]
    assert quotes[0].speaker is None and quotes[1].speaker is None and quotes[2].speaker is None
    assert quotes[3].speaker == "Anne Hidalgo" and quotes[4].speaker == "Anne Hidalgo"
    assert (quotes[3].paragraph, paras[2][quotes[3].start:quotes[3].end]) == (
        2, '"This is the end of an era,"')


def test_apostrophes_are_not_quotes_and_single_quotes_are() -> None:
    quotes = quotes_of(["Russia’s envoy said the talks were ‘useful but hard’ and didn’t go further."])
    assert [q.text for q in quotes] == ["useful but hard"]
    assert quotes[0].speaker is None  # "Russia’s envoy" names nobody


def test_german_quotes_and_pronoun_without_antecedent() -> None:
    quotes = quotes_of(["„Wir sind bereit“, sagte Olaf Scholz am Montag.", "“We are ready,” she said."])
    assert quotes[0].text == "Wir sind bereit" and quotes[0].speaker == "Olaf Scholz"
    assert quotes[1].speaker == "Olaf Scholz"  # the last named speaker, gender is not guessed
    assert quotes_of(["“We are ready,” he said."])[0].speaker is None


def test_quote_running_over_paragraphs_keeps_its_speaker() -> None:
    paras = ["Smith said: “The first part of the answer is long.", "“And the second part is longer.”"]
    quotes = quotes_of(paras)
    assert [q.speaker for q in quotes] == ["Smith", "Smith"]
    assert quotes[1].attribution == "continued"


def test_attribution_in_a_long_run_on_paragraph_reads_only_the_sentence_around_the_quote() -> None:
    filler = "and the committee went on discussing the budget for the harbour without a pause " * 40
    para = f"{filler}. Minister Anna Berg said “we will rebuild the pier” to reporters, {filler}"
    (quote,) = quotes_of([para])
    assert (quote.text, quote.speaker) == ("we will rebuild the pier", "Anna Berg")
    long_sentence = "word " * 400  # 2,000 characters without a sentence end: beyond the window, not read
    (quote,) = quotes_of([f"Anna Berg said {long_sentence}“it is done”"])
    assert quote.speaker is None


def test_quotes_past_the_per_paragraph_cap_are_kept_with_a_null_speaker() -> None:
    from transforms.quotes import MAX_ATTRIBUTED_PER_PARAGRAPH

    n = MAX_ATTRIBUTED_PER_PARAGRAPH + 10
    para = " ".join(f"“Point {k} stands,” said Anna Berg." for k in range(n))
    quotes = quotes_of([para])
    assert len(quotes) == n  # every quote is still extracted
    assert {q.speaker for q in quotes[:MAX_ATTRIBUTED_PER_PARAGRAPH]} == {"Anna Berg"}
    assert {(q.speaker, q.attribution) for q in quotes[MAX_ATTRIBUTED_PER_PARAGRAPH:]} == {(None, None)}
