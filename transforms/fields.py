"""Assemble articles: metadata (transforms.metadata), paragraphs, captions and quotes of each article."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

from transforms.html import HtmlExtraction
from transforms.metadata import detect_language, find_domain
from transforms.metadata_text import extract_text_metadata
from transforms.quotes import extract_quotes
from transforms.record import BODY, BOILERPLATE, CAPTION, Article, Caption, Document, Line, make_article_id

_CREDIT_TAIL = re.compile(r"^(?P<text>.*?)[\s.]*(?:\((?P<paren>[^()]*?)\)|©\s*(?P<copy>.+))\s*$")
_HAS_DIGIT = re.compile(r"\d")
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


def split_credit(text: str) -> Caption:
    """Split a caption into its text and its photo credit ('(Name/AFP via Getty)' or '© Agency')."""
    match = _CREDIT_TAIL.match(text.strip())
    if not match:
        return Caption(text=text.strip())
    credit = (match.group("paren") or match.group("copy") or "").strip()
    return Caption(text=match.group("text").strip(" ."), credit=credit or None)


def build_text_article(
    doc: Document, segment: Sequence[Line], position: int, page: Sequence[Line], whole_page: bool
) -> Article:
    """Assemble one article of a text dump from its labelled lines (whole_page: the page holds only it)."""
    meta = extract_text_metadata(page if whole_page else segment, page=page)
    paragraphs = tuple(ln.text for ln in segment if ln.label == BODY)
    return Article(
        article_id=make_article_id(doc.doc_id, position),
        doc_id=doc.doc_id,
        source_file=doc.source_file,
        position=position,
        title=meta.title,
        subtitle=meta.subtitle,
        authors=meta.authors,
        published=meta.published,
        published_raw=meta.published_raw,
        site=meta.site,
        url=doc.url,
        language=meta.language,
        paragraphs=paragraphs,
        captions=tuple(split_credit(ln.text) for ln in segment if ln.label == CAPTION),
        quotes=tuple(extract_quotes(paragraphs)),
        dateline=meta.dateline,
        domain=meta.domain or find_domain(doc.url),
    )


def build_html_article(doc: Document, ext: HtmlExtraction) -> Article:
    """Assemble the article of an HTML page from the HTML path's extraction; its title, authors, date, site
    and domain are exactly what metadata_html.extract_html_metadata decided (bench/meta_bench.py scores them)."""
    url = ext.url or doc.url
    return Article(
        article_id=make_article_id(doc.doc_id, 0),
        doc_id=doc.doc_id,
        source_file=doc.source_file,
        position=0,
        title=ext.title,
        subtitle=ext.subtitle,
        authors=ext.authors,
        published=ext.published,
        published_raw=ext.date_raw,
        site=ext.site,
        url=url,
        language=detect_language(" ".join(ext.paragraphs[:20])) or ext.language,
        paragraphs=ext.paragraphs,
        captions=ext.captions,
        quotes=tuple(extract_quotes(ext.paragraphs)),
        domain=ext.domain or find_domain(url),
    )


def removed_html_blocks(ext: HtmlExtraction) -> tuple[Line, ...]:
    """The blocks the HTML post-cleaner dropped, as boilerplate lines numbered in page order."""
    return tuple(Line(i, text, BOILERPLATE, reason) for i, (text, reason) in enumerate(ext.removed))


def removed_lines(lines: Sequence[Line]) -> list[Line]:
    """Lines that do not reach an article body: boilerplate plus captions (kept as data elsewhere)."""
    return [ln for ln in lines if ln.label in (BOILERPLATE, CAPTION)]
