"""Structured page metadata (title, dek, authors, date, site, url, language, dateline), pure functions."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from types import MappingProxyType
from urllib.parse import urlsplit

from transforms.language import identify_language
from transforms.rules import Rules

WORD = re.compile(r"\w+")
EMAIL = re.compile(r"\S+@\S+\.\w+|\[email[^\]]*\]", re.I)
URLISH = re.compile(r"https?://\S+|www\.\S+", re.I)
HAS_DIGIT = re.compile(r"\d")
ISO_DATE = re.compile(r"((?:19|20)\d\d)-(\d\d)-(\d\d)")
ARTICLE_TYPES = ("article", "posting", "report", "review", "recipe", "blog", "creativework", "question")
_DATE_SETTINGS = MappingProxyType(
    {"STRICT_PARSING": True, "REQUIRE_PARTS": ("day", "month", "year"), "PREFER_DATES_FROM": "past"})


@dataclass(frozen=True, slots=True)
class PageMetadata:
    """Metadata of one page (HTML) or one article of a text dump; None/() when not found."""

    title: str | None = None
    subtitle: str | None = None
    authors: tuple[str, ...] = ()
    published: dt.date | None = None
    published_raw: str | None = None
    site: str | None = None
    url: str | None = None
    domain: str | None = None
    language: str | None = None
    dateline: str | None = None


# ---------------------------------------------------------------- shared helpers


def _clean(text: str | None) -> str:
    return " ".join((text or "").split())  # whitespace runs -> one space (str.split's whitespace is re's \s)


def _tokens(text: str | None) -> list[str]:
    return WORD.findall((text or "").lower())


def find_domain(url: str | None) -> str | None:
    """Host name of a URL without 'www.', lower-case; None when there is none."""
    if not url:
        return None
    if "//" not in url:
        url = "//" + url
    host = urlsplit(url.strip()).hostname
    if not host or "." not in host:
        return None
    return host.removeprefix("www.")


def _dateparser_settings() -> dict:
    """A fresh copy of the date settings: dateparser takes a plain, mutable dict."""
    return {**_DATE_SETTINGS, "REQUIRE_PARTS": list(_DATE_SETTINGS["REQUIRE_PARTS"])}


def parse_published(raw: str | None, rules: Rules) -> dt.date | None:
    """Parse a date in any common form ('Jan. 24, 2022', '19. Oktober 2019', '2019-10-19T...'); None if unsure."""
    raw = _clean(raw)
    if not raw or not HAS_DIGIT.search(raw) or len(raw) > 120:
        return None
    iso = ISO_DATE.search(raw)
    if iso:
        try:
            day = dt.date(int(iso[1]), int(iso[2]), int(iso[3]))
        except ValueError:
            day = None
    else:
        match = rules.dates.pattern.search(raw)
        if not match:
            return None
        import dateparser  # imported here: it loads language data on first use

        try:
            parsed = dateparser.parse(match.group(0).replace(" de ", " "), settings=_dateparser_settings())
        except (ValueError, OverflowError):
            parsed = None
        day = parsed.date() if parsed else None
    if day is None or not rules.dates.min_year <= day.year <= rules.dates.max_year:
        return None
    return day


def find_date_text(text: str, rules: Rules) -> str | None:
    """The first date expression in a line of text ('Published: Jan. 24, 2022' -> 'Jan. 24, 2022')."""
    match = rules.dates.pattern.search(text)
    return match.group(0) if match else None


def clean_authors(raw: str | Iterable[str] | None, rules: Rules) -> tuple[str, ...]:
    """Person names from a byline or author field: no 'By', roles, emails, dates or 'Staff'; several split."""
    if not raw:
        return ()
    ar = rules.authors
    pieces = [raw] if isinstance(raw, str) else list(raw)
    names: list[str] = []
    for piece in pieces:
        text = URLISH.sub(" ", EMAIL.sub(" ", _clean(piece)))
        date = rules.dates.pattern.search(text)
        if date:
            text = text[: date.start()]
        text = re.sub(r"\|.*$", "", text) if "|" in text and not ar.separator.search(text.split("|")[0]) else text
        text = ar.prefix.sub("", text)
        for part in ar.separator.split(text):
            name = _clean_name(part, rules)
            if name and name.lower() not in (n.lower() for n in names):
                names.append(name)
    return tuple(names)


def _clean_name(part: str, rules: Rules) -> str | None:
    ar = rules.authors
    part = ar.prefix.sub("", part.strip(" \t.:-–—()[]*·•\"'")).strip(" .:-–—()")
    words = part.split()
    # Cut a trailing role ("Jane Doe, Staff Writer" is split at the comma; "Jane Doe Reporter" here).
    while words and words[-1].lower().strip(".,") in ar.roles:
        words.pop()
    while words and words[0].lower().strip(".,") in ar.roles:
        words.pop(0)
    name = " ".join(words)
    if not name or name.lower() in ar.not_names or len(words) > ar.max_name_words:
        return None
    if any(w.lower().strip(".,") in ar.roles for w in words) or not any(c.isalpha() for c in name):
        return None
    if HAS_DIGIT.search(name):
        return None
    return name


def strip_site_suffix(title: str, site: str | None, rules: Rules) -> str:
    """'Headline | Site' -> 'Headline': drop a trailing (or leading) part that names the site."""
    title = _clean(title)
    site_toks = set(_tokens(site))
    for sep in rules.text.title_separators:
        if sep not in title:
            continue
        parts = [p.strip() for p in title.split(sep) if p.strip()]
        if len(parts) < 2:
            continue
        last, first = parts[-1], parts[0]
        if (site_toks and set(_tokens(last)) & site_toks) or len(_tokens(last)) <= 3 < len(_tokens(title)) - 3:
            return sep.join(parts[:-1])
        if site_toks and set(_tokens(first)) <= site_toks:
            return sep.join(parts[1:])
    return title


# py3langid's cost grows with its input: 1,000 characters gave the same language as 5,000 on all 449
# article bodies of the benchmark's dev and metadata dumps, at a fifth of the cost.
LANGUAGE_SAMPLE_CHARS = 1000


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of the text's language via py3langid's model, or None for too little text."""
    text = _clean(text[: 2 * LANGUAGE_SAMPLE_CHARS])[:LANGUAGE_SAMPLE_CHARS]
    if len(text) < 40:
        return None
    return identify_language(text)


def _norm(text: str | None) -> str:
    return " ".join(_tokens(text))
