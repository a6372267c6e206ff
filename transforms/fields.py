"""Assemble articles: metadata (transforms.metadata), paragraphs, captions and quotes of each article."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from transforms.captions import split_caption
from transforms.html import HtmlExtraction
from transforms.language import detect_language
from transforms.metadata_text import extract_text_metadata
from transforms.quotes import extract_quotes
from transforms.record import BODY, BOILERPLATE, CAPTION, Article, Document, Line, make_article_id
from transforms.rules import Rules
from transforms.sites import find_domain


def build_text_article(
    doc: Document, segment: Sequence[Line], position: int, page: Sequence[Line], whole_page: bool,
    rules: Rules,
) -> Article:
    """Assemble one article of a text dump from its labelled lines (whole_page: the page holds only it)."""
    meta = extract_text_metadata(page if whole_page else segment, rules, page=page)
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
        captions=tuple(split_caption(ln.text, rules.credits, credit_only=ln.reason == "photo_credit")
                       for ln in segment if ln.label == CAPTION),
        quotes=tuple(extract_quotes(paragraphs, rules)),
        dateline=meta.dateline,
        domain=meta.domain or find_domain(doc.url),
    )


def build_html_article(doc: Document, ext: HtmlExtraction, rules: Rules) -> Article:
    """Assemble the article of an HTML page from the HTML path's extraction; its title, authors, date, site
    and domain are exactly what metadata_html.extract_html_metadata decided (bench/meta_bench.py scores them)."""
    url = ext.url or doc.url
    published, published_raw = ext.published, ext.date_raw
    if published is None and published_raw is None:  # a date the page gives always wins over the crawl's
        published, published_raw = crawl_date(doc.meta.get("warc_date")), doc.meta.get("warc_date")
        published_raw = published_raw if published else None
    return Article(
        article_id=make_article_id(doc.doc_id, 0),
        doc_id=doc.doc_id,
        source_file=doc.source_file,
        position=0,
        title=ext.title,
        subtitle=ext.subtitle,
        authors=ext.authors,
        published=published,
        published_raw=published_raw,
        site=ext.site,
        url=url,
        language=detect_language(" ".join(ext.paragraphs[:20])) or ext.language,
        paragraphs=ext.paragraphs,
        captions=ext.captions,
        quotes=tuple(extract_quotes(ext.paragraphs, rules)),
        domain=ext.domain or find_domain(url),
    )


def crawl_date(warc_date: str | None) -> dt.date | None:
    """The day of a WARC-Date ('2024-05-06T07:08:09Z'), or None when there is none or it does not parse."""
    if not warc_date:
        return None
    try:
        return dt.datetime.fromisoformat(warc_date.strip().replace("Z", "+00:00")).date()
    except ValueError:
        return None


def removed_html_blocks(ext: HtmlExtraction) -> tuple[Line, ...]:
    """The blocks the HTML post-cleaner dropped, as boilerplate lines numbered in page order."""
    return tuple(Line(i, text, BOILERPLATE, reason) for i, (text, reason) in enumerate(ext.removed))


def removed_lines(lines: Sequence[Line]) -> list[Line]:
    """Lines that do not reach an article body: boilerplate plus captions (kept as data elsewhere)."""
    return [ln for ln in lines if ln.label in (BOILERPLATE, CAPTION)]
