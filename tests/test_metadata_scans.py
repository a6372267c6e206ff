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


# The date grammar as dates.py hard-coded it before rules/dates.toml held it, and how it read a match.
_DATE_REFERENCE = re.compile(r"(?<!\d)(?:" + "|".join((
    r"(?P<y1>(?:19|20)\d\d)[-/.](?P<m1>0?[1-9]|1[0-2])[-/.](?P<d1>0?[1-9]|[12]\d|3[01])(?!\d)",
    r"(?P<d2>0?[1-9]|[12]\d|3[01])\s?[./]\s?(?P<m2>0?[1-9]|1[0-2])\s?[./]\s?(?P<y2>(?:19|20)\d\d|\d\d)(?!\d)",
    r"(?P<d3>0?[1-9]|[12]\d|3[01])(?:st|nd|rd|th|er)?\.?\s*(?:de\s+)?(?P<n3>[^\W\d_]{3,10})\.?,?\s+(?:de\s+)?"
    r"(?P<y3>(?:19|20)\d\d)",
    r"(?P<n4>[^\W\d_]{3,10})\.?\s+(?P<d4>0?[1-9]|[12]\d|3[01])(?:st|nd|rd|th)?,?\s+(?P<y4>(?:19|20)\d\d)")) + ")")


def _reference_day(m: re.Match[str]) -> object:
    import datetime as dt

    try:
        if m["y1"]:
            day = dt.date(int(m["y1"]), int(m["m1"]), int(m["d1"]))
        elif m["y2"]:
            day = dt.date(int(m["y2"]) + (2000 if len(m["y2"]) == 2 else 0), int(m["m2"]), int(m["d2"]))
        else:
            name, d, y = (m["n3"], m["d3"], m["y3"]) if m["n3"] else (m["n4"], m["d4"], m["y4"])
            month = RULES.dates.months.get(name.lower().rstrip("."))
            if month is None:
                return None
            day = dt.date(int(y), month, int(d))
    except ValueError:
        return None
    return day if RULES.dates.min_year <= day.year <= RULES.dates.max_year else None


def _spans(matches: list[re.Match[str]]) -> list[tuple[tuple[int, int], dict[str, str | None]]]:
    return [(m.span(), m.groupdict()) for m in matches]


@given(_TEXT)
@example("abcdefghijkNovember 5, 2020 1.2.2020")
@example("2020-01-05November 3, 2020 and 3rd March 2021")
def test_date_matches_equal_the_pattern_finditer(text: str) -> None:
    assert _spans(dates.date_matches(text, RULES)) == _spans(list(RULES.dates.pattern.finditer(text)))


@given(_TEXT)
@example("19. Oktober 2019, 5.3.21 and Nov. 3rd, 2020")
def test_the_grammar_from_data_reads_what_the_hard_coded_one_did(text: str) -> None:
    found = [(m.span(), m.group(0)) for m in RULES.dates.pattern.finditer(text)]
    assert found == [(m.span(), m.group(0)) for m in _DATE_REFERENCE.finditer(text)]
    reference = [d for d in map(_reference_day, _DATE_REFERENCE.finditer(text)) if d]
    assert [d for d, _m in dates.find_line_dates(text, RULES)] == reference


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
