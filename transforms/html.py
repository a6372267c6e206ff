"""HTML pages: main text and metadata through trafilatura."""

from __future__ import annotations

from dataclasses import dataclass

import trafilatura


@dataclass(frozen=True, slots=True)
class HtmlExtraction:
    """What trafilatura found in one page."""

    title: str | None
    subtitle: str | None
    authors: tuple[str, ...]
    date_raw: str | None
    site: str | None
    url: str | None
    language: str | None
    paragraphs: tuple[str, ...]


def split_authors(raw: str | None) -> tuple[str, ...]:
    """Split trafilatura's '; '-joined author string into names."""
    if not raw:
        return ()
    return tuple(name.strip() for name in raw.split(";") if name.strip())


def extract_html(html: str, url: str | None = None) -> HtmlExtraction | None:
    """Extract the article text and metadata of an HTML page; None when there is no article text."""
    doc = trafilatura.bare_extraction(
        html, url=url, include_comments=False, with_metadata=True, include_tables=True
    )
    if doc is None or not (doc.text or "").strip():
        return None
    paragraphs = tuple(p.strip() for p in doc.text.split("\n") if p.strip())
    return HtmlExtraction(
        title=(doc.title or None),
        subtitle=(doc.description or None),
        authors=split_authors(doc.author),
        date_raw=doc.date or None,
        site=doc.sitename or doc.hostname or None,
        url=doc.url or url,
        language=doc.language or None,
        paragraphs=paragraphs,
    )
