"""Structured fields of an article: title, dek, authors, date, site, language."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

from transforms.html import HtmlExtraction
from transforms.record import (
    BODY,
    BOILERPLATE,
    BYLINE,
    CAPTION,
    DATE,
    SUBTITLE,
    TITLE,
    Article,
    Caption,
    Document,
    Line,
    make_article_id,
)

_BY_PREFIX = re.compile(r"^\s*(?:by|von|par|por|di|door)\s+", re.IGNORECASE)
_NAME_SPLIT = re.compile(r"\s*(?:,|;|\band\b|\bund\b|&)\s*", re.IGNORECASE)
_SOURCE_LINE = re.compile(r"^\s*source\s*:\s*(?:https?://)?(?:www\.)?([a-z0-9-]+(?:\.[a-z0-9-]+)+)\s*$", re.I)
_CREDIT_TAIL = re.compile(r"^(?P<text>.*?)[\s.]*(?:\((?P<paren>[^()]*?)\)|©\s*(?P<copy>.+))\s*$")
_HAS_DIGIT = re.compile(r"\d")
# Language id reads at most this many characters: 2,000 gave the same language as 5,000 on all 458
# articles of the benchmark's dev and metadata pages, at well under half the cost.
LANGUAGE_SAMPLE_CHARS = 2000
_DATE_SETTINGS = {"STRICT_PARSING": True, "REQUIRE_PARTS": ["day", "month", "year"]}
# Speed-ups in front of dateparser (it costs 1-35 ms a call); each gives dateparser's own answer:
# an English "[Weekday,] Month D, YYYY [H:MM [am]]" or "[Weekday] D Month YYYY [H:MM]" date is read directly;
_MONTHS = {m: i for i, names in enumerate((
    "january jan", "february feb", "march mar", "april apr", "may", "june jun", "july jul", "august aug",
    "september sep sept", "october oct", "november nov", "december dec"), 1) for m in names.split()}
_WEEKDAY = r"(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s+)?"
_TIME = r"(?:,?\s+\d{1,2}:\d{2}(?:\s*[ap]m)?)?"
_EN_MDY = re.compile(rf"{_WEEKDAY}(?P<m>[a-z]+)\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y>\d{{4}}){_TIME}")
_EN_DMY = re.compile(rf"{_WEEKDAY}(?P<d>\d{{1,2}})\s+(?P<m>[a-z]+)\.?,?\s+(?P<y>\d{{4}}){_TIME}")
# a label word that no dateparser locale knows ("Published ...", "Updated ...") makes it return None;
_UNKNOWN_WORD = re.compile(r"\b(?:published|updated|posted|veröffentlicht|aktualisiert)\b", re.IGNORECASE)
# and so does a month name with a day but no year ("Nov 18", "13 Aug").
_MONTH_NO_YEAR = re.compile(
    r"(?:(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{1,2}|\d{1,2}\.?\s+"
    r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?)", re.IGNORECASE)
_DIGIT_RUN = re.compile(r"\d+")


def parse_date(raw: str | None) -> dt.date | None:
    """Parse a date string in any common form and language; None when it holds no full date."""
    if not raw or not _HAS_DIGIT.search(raw) or len(raw) > 80:
        return None
    try:
        return dt.date.fromisoformat(raw.strip()[:10])
    except ValueError:
        pass
    quick = _read_english_date(raw)
    if quick is not None or _UNKNOWN_WORD.search(raw) or _lacks_year(raw):
        return quick
    import dateparser  # imported here: it loads language data on first use

    parsed = dateparser.parse(raw, settings=_DATE_SETTINGS)
    return parsed.date() if parsed else None


def _read_english_date(raw: str) -> dt.date | None:
    """Read a plain English month-name date (the whole string); None when it has another shape."""
    text = raw.strip().lower()
    match = _EN_MDY.fullmatch(text) or _EN_DMY.fullmatch(text)
    if not match or match["m"] not in _MONTHS:
        return None
    try:
        return dt.date(int(match["y"]), _MONTHS[match["m"]], int(match["d"]))
    except ValueError:
        return None


def _lacks_year(raw: str) -> bool:
    """A month name next to a day number, and no other number that could be a year."""
    runs = _DIGIT_RUN.findall(raw)
    return len(runs) == 1 and len(runs[0]) <= 2 and bool(_MONTH_NO_YEAR.search(raw))


def parse_byline(text: str) -> tuple[str, ...]:
    """Names from a byline such as 'By Jane Doe and John Roe'."""
    text = _BY_PREFIX.sub("", text.strip())
    names = [n.strip(" .") for n in _NAME_SPLIT.split(text)]
    return tuple(n for n in names if n and any(c.isalpha() for c in n))


def split_credit(text: str) -> Caption:
    """Split a caption into its text and its photo credit ('(Name/AFP via Getty)' or '© Agency')."""
    match = _CREDIT_TAIL.match(text.strip())
    if not match:
        return Caption(text=text.strip())
    credit = (match.group("paren") or match.group("copy") or "").strip()
    return Caption(text=match.group("text").strip(" ."), credit=credit or None)


def find_site(lines: Sequence[Line]) -> str | None:
    """A 'source: example.com' line anywhere in the dump names the site."""
    for line in lines:
        match = _SOURCE_LINE.match(line.text)
        if match:
            return match.group(1).lower()
    return None


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of the text's language, or None for too little text."""
    if len(text) < 40:
        return None
    import py3langid  # imported here: loading its model takes most of a second

    lang, _score = py3langid.classify(text[:LANGUAGE_SAMPLE_CHARS])
    return lang


def _head(paragraphs: Sequence[str], limit: int) -> str:
    """The first paragraphs joined by spaces, cut to at most limit characters (no need to join them all)."""
    out, size = [], 0
    for paragraph in paragraphs:
        out.append(paragraph)
        size += len(paragraph) + 1
        if size >= limit:
            break
    return " ".join(out)[:limit]


def build_text_article(doc: Document, lines: Sequence[Line], position: int, site: str | None) -> Article:
    """Assemble one article from its labelled lines (text dumps)."""
    titles = [ln.text for ln in lines if ln.label == TITLE]
    subtitles = [ln.text for ln in lines if ln.label == SUBTITLE]
    bylines = [ln.text for ln in lines if ln.label == BYLINE]
    dates = [ln.text for ln in lines if ln.label == DATE]
    paragraphs = tuple(ln.text for ln in lines if ln.label == BODY)
    captions = tuple(split_credit(ln.text) for ln in lines if ln.label == CAPTION)
    authors: tuple[str, ...] = ()
    for byline in bylines:
        authors += tuple(n for n in parse_byline(byline) if n not in authors)
    published_raw = dates[0] if dates else None
    return Article(
        article_id=make_article_id(doc.doc_id, position),
        doc_id=doc.doc_id,
        source_file=doc.source_file,
        position=position,
        title=" ".join(titles) if titles else None,
        subtitle=" ".join(subtitles) if subtitles else None,
        authors=authors,
        published=parse_date(published_raw),
        published_raw=published_raw,
        site=site,
        url=doc.url,
        language=detect_language(_head(paragraphs, LANGUAGE_SAMPLE_CHARS)),
        paragraphs=paragraphs,
        captions=captions,
    )


def build_html_article(doc: Document, ext: HtmlExtraction) -> Article:
    """Assemble the article of an HTML page from trafilatura's extraction."""
    return Article(
        article_id=make_article_id(doc.doc_id, 0),
        doc_id=doc.doc_id,
        source_file=doc.source_file,
        position=0,
        title=ext.title,
        subtitle=ext.subtitle,
        authors=ext.authors,
        published=parse_date(ext.date_raw),
        published_raw=ext.date_raw,
        site=ext.site,
        url=ext.url or doc.url,
        language=ext.language or detect_language(" ".join(ext.paragraphs)),
        paragraphs=ext.paragraphs,
    )


def removed_lines(lines: Sequence[Line]) -> list[Line]:
    """Lines that do not reach an article body: boilerplate plus captions (kept as data elsewhere)."""
    return [ln for ln in lines if ln.label in (BOILERPLATE, CAPTION)]
