"""The one metadata shape (PageMetadata: what the HTML and text front-ends hand to fields.py) and the text
helpers every metadata field module shares."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

WORD = re.compile(r"\w+")
# An address starts only where a whitespace-separated token starts and holds one @ (\S+@ was tried at every
# position of a long token and scanned to its end each time: quadratic); a Cloudflare "[email protected]" is short.
EMAIL = re.compile(r"(?<![^\s@])[^\s@]+@[^\s@]+\.\w+|\[email[^\]]{0,200}\]", re.I)
URLISH = re.compile(r"https?://\S+|www\.\S+", re.I)
HAS_DIGIT = re.compile(r"\d")


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


def squash_spaces(text: str | None) -> str:
    """Whitespace runs as one space, trimmed ('' for None)."""
    return " ".join((text or "").split())  # whitespace runs -> one space (str.split's whitespace is re's \s)


def word_tokens(text: str | None) -> list[str]:
    """The lower-case \\w+ words of a text."""
    return WORD.findall((text or "").lower())


def normal_words(text: str | None) -> str:
    """The text's lower-case words joined by one space (to compare texts regardless of punctuation)."""
    return " ".join(word_tokens(text))
