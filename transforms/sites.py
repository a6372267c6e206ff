"""Sites: the domain of a URL, a text dump's source line, the dateline opening a story, and the words that name
a site (to tell it from a person)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from urllib.parse import urlsplit

from transforms.metadata import word_tokens
from transforms.record import BODY, Line
from transforms.rules import Rules


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


def source_domain(page: Sequence[Line], rules: Rules) -> str | None:
    for line in page:
        match = rules.text.source_line.match(line.text)
        if match:
            return match.group("domain").lower()
    return None


def find_dateline(lines: Sequence[Line], rules: Rules) -> str | None:
    """The dateline ('WASHINGTON, WORLD LINES –') opening the first body paragraph, if any."""
    first = next((ln.text for ln in lines if ln.label == BODY), None)
    match = rules.text.dateline.match(first) if first else None
    return match.group("dateline").strip() if match else None


GENERIC_HOST_WORDS = frozenset({"www", "com", "de", "at", "ch", "net", "org", "info", "co", "uk", "the", "html"})


def site_words(site: str | None, url: str | None) -> tuple[set[str], set[str]]:
    """Word tokens of the site name and host, and the host's labels ('dw', 'cnn'): to tell the site from a person."""
    labels = {part for part in re.split(r"[.-]", find_domain(url) or "") if part} - GENERIC_HOST_WORDS
    return (set(word_tokens(site)) | labels) - GENERIC_HOST_WORDS, labels
