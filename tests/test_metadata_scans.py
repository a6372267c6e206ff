"""The fast scans of metadata_text find exactly what their reference patterns find (property tests)."""

from __future__ import annotations

import re

from hypothesis import example, given
from hypothesis import strategies as st

from transforms import authors, dates, meta_ranker

# Pieces that make dates, byline marks and glued words likely, with separators and non-ASCII letters and digits.
_PIECES = st.sampled_from([
    "2019", "1999", "20", "19", "5", "31", "07", "123", "٣", "st", "th", "er", ".", "/", "-", ",", " ", "  ", "\t",
    "\n", "November", "Nov", "März", "de", "by", "By", "von", "Text", "posted by", ":", "|", "·", "(", "x", "É", "_",
    "ab", "Verfasst von"])
_TEXT = st.lists(_PIECES, max_size=16).map("".join)

# DATE_HINT as it was first written (a leading lookahead): the rewritten pattern must find the same spans.
_DATE_HINT_REFERENCE = re.compile(r"(?=\d)(?:(?:19|20)\d\d|\d\s?[./]\s?\d\d?\s?[./]\s?\d\d)")
_GLUED_LEFT_REFERENCE = re.compile(r"(?<=[^\W\d_])(?=\d)")
_GLUED_RIGHT_REFERENCE = re.compile(r"(?<=(?:19|20)\d\d)(?=[^\W\d_])")
# The byline marks as one pattern, as first written.
_BYLINE_MARK_REFERENCE = re.compile(r"(?:^|[\s|·•,(])" + authors.BYLINE_WORDS, re.I)


def _spans(matches: list[re.Match[str]]) -> list[tuple[tuple[int, int], dict[str, str | None]]]:
    return [(m.span(), m.groupdict()) for m in matches]


@given(_TEXT)
@example("abcdefghijkNovember 5, 2020 1.2.2020")
@example("2020-01-05November 3, 2020 and 3rd March 2021")
def test_date_matches_equal_the_pattern_finditer(text: str) -> None:
    assert _spans(dates.date_matches(text)) == _spans(list(dates.NUM_OR_NAMED_DATE.finditer(text)))


@given(_TEXT)
@example(" by John by Jane")
@example("By: Anna | Text: Bo")
def test_byline_marks_equal_the_pattern_finditer(text: str) -> None:
    assert _spans(authors.byline_marks(text)) == _spans(list(_BYLINE_MARK_REFERENCE.finditer(text)))
    assert authors.has_byline_mark(text) == (_BYLINE_MARK_REFERENCE.search(text) is not None)


@given(_TEXT)
@example("12019abc 1920 20.1.24")
def test_date_hint_and_glue_patterns_equal_their_references(text: str) -> None:
    assert [m.span() for m in dates.DATE_HINT.finditer(text)] == [m.span() for m in _DATE_HINT_REFERENCE.finditer(text)]
    assert meta_ranker.GLUED_LEFT.sub(meta_ranker.GLUED_SPACE, text) == _GLUED_LEFT_REFERENCE.sub(" ", text)
    assert meta_ranker.GLUED_RIGHT.sub(meta_ranker.GLUED_SPACE, text) == _GLUED_RIGHT_REFERENCE.sub(" ", text)
