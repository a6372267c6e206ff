"""The fast scans of metadata_text find exactly what their reference patterns find (property tests)."""

from __future__ import annotations

import re

from hypothesis import example, given
from hypothesis import strategies as st

from transforms import authors, dates, meta_ranker
from transforms.rules import load_rules

RULES = load_rules()

# Pieces that make dates, byline marks and glued words likely, with separators and non-ASCII letters and digits.
_PIECES = st.sampled_from([
    "2019", "1999", "20", "19", "5", "31", "07", "123", "٣", "st", "th", "er", ".", "/", "-", ",", " ", "  ", "\t",
    "\n", "November", "Nov", "März", "de", "by", "By", "von", "Text", "posted by", ":", "|", "·", "(", "x", "É", "_",
    "ab", "Verfasst von", "Texte", "Autorin", "& Fotos", "und Fotos", "Jane", "Doe", ",", "автор", "автор:", "от",
    "Redaktion:", "reporting by", "Autor"])
_TEXT = st.lists(_PIECES, max_size=16).map("".join)

# DATE_HINT as it was first written (a leading lookahead): the rewritten pattern must find the same spans.
_DATE_HINT_REFERENCE = re.compile(r"(?=\d)(?:(?:19|20)\d\d|\d\s?[./]\s?\d\d?\s?[./]\s?\d\d)")
_GLUED_LEFT_REFERENCE = re.compile(r"(?<=[^\W\d_])(?=\d)")
_GLUED_RIGHT_REFERENCE = re.compile(r"(?<=(?:19|20)\d\d)(?=[^\W\d_])")
# The byline words as they were written in three places before [authors.byline_words] held them once: the marks of
# authors.py, the prefixes of [authors] and the two patterns of [header] byline. The patterns built from the one
# table must find exactly what these did.
_BYLINE_WORDS = (
    r"(?P<mark>von|vom|by|par|por|door|di|autor(?:in)?|author|auteur|text|texte|redaktion|"
    r"verfasst von|geschrieben von|posted by|written by|ein beitrag von|quelle|herausgeber|interview|"
    r"text & fotos|text und fotos|escribe|publicado por|publié par|gespeichert von|erstellt von)"
    r"(?:\s*:\s*|\s+)(?=\S)")
_BYLINE_MARK_REFERENCE = re.compile(r"(?:^|[\s|·•,(])" + _BYLINE_WORDS, re.I)
_PREFIXES = [
    "written by", "posted by", "reported by", "words by", "story by", "text by", "photos by", "by",
    "von", "vom", "par", "por", "di", "door", "de", "ein beitrag von", "ein kommentar von", "ein gastbeitrag von",
    "geschrieben von", "veröffentlicht von", "autor", "autorin", "autoren", "author", "authors", "text", "texte",
    "redaktion:", "verfasst von", "publié par", "escrito por"]
_PREFIX_REFERENCE = re.compile(
    rf"^\s*(?:{'|'.join(re.escape(p) for p in sorted(_PREFIXES, key=len, reverse=True))})(?:\s*:\s*|\s+)", re.I)
_HEADER_BYLINE_REFERENCE = [re.compile(p) for p in (
    r"^(by|written by|words by|reporting by|von|par|por|di|door|от|автор:?)\s+[\w.\x27’-]+(\s+[\w.\x27’-]+){0,5}"
    r"(\s*(,|and|&|und|e|y|et|и)\s*[\w.\x27’-]+(\s+[\w.\x27’-]+){0,4}){0,3}\s*([,|•·–-].{0,60})?$",
    r"^(author|autor|auteur|autore|автор)\s*:\s*\S")]


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
@example("Text & Fotos: Jane Doe")
def test_byline_marks_equal_the_pattern_finditer(text: str) -> None:
    assert _spans(authors.byline_marks(text, RULES)) == _spans(list(_BYLINE_MARK_REFERENCE.finditer(text)))
    assert authors.has_byline_mark(text, RULES) == (_BYLINE_MARK_REFERENCE.search(text) is not None)


@given(_TEXT)
@example("by jane doe, staff")
@example("автор: jane")
@example("Redaktion: Jane Doe")
def test_byline_patterns_from_the_one_word_table_equal_the_lists_they_replace(text: str) -> None:
    prefix = RULES.authors.prefix.match(text)
    reference = _PREFIX_REFERENCE.match(text)
    assert (prefix and prefix.span()) == (reference and reference.span())
    norm = " ".join(text.lower().split())
    assert bool(RULES.byline.search(norm)) == any(p.search(norm) for p in _HEADER_BYLINE_REFERENCE)


@given(_TEXT)
@example("12019abc 1920 20.1.24")
def test_date_hint_and_glue_patterns_equal_their_references(text: str) -> None:
    assert [m.span() for m in dates.DATE_HINT.finditer(text)] == [m.span() for m in _DATE_HINT_REFERENCE.finditer(text)]
    assert meta_ranker.GLUED_LEFT.sub(meta_ranker.GLUED_SPACE, text) == _GLUED_LEFT_REFERENCE.sub(" ", text)
    assert meta_ranker.GLUED_RIGHT.sub(meta_ranker.GLUED_SPACE, text) == _GLUED_RIGHT_REFERENCE.sub(" ", text)
