"""Assemble articles: the metadata a front-end decided (one PageMetadata, whose fields the Article shares by
name), paragraphs, captions and quotes of each article."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from transforms.captions import split_caption
from transforms.dates import parse_published
from transforms.html import HtmlExtraction
from transforms.language import detect_language
from transforms.metadata import PageMetadata
from transforms.metadata_text import extract_text_metadata
from transforms.quotes import extract_quotes
from transforms.record import (
    BODY,
    BOILERPLATE,
    CAPTION,
    Article,
    Caption,
    Document,
    Line,
    ParagraphSource,
    make_article_id,
)
from transforms.rules import Rules
from transforms.sites import find_domain

METADATA_FIELDS = tuple(f.name for f in dataclasses.fields(PageMetadata))


def make_article(doc: Document, position: int, meta: PageMetadata, paragraphs: tuple[str, ...],
                 captions: tuple[Caption, ...], rules: Rules,
                 sources: tuple[ParagraphSource, ...] = ()) -> Article:
    """An Article of a document whose metadata fields are the PageMetadata's, the document's url (and its domain)
    where the metadata found none; its quotes are found in the paragraphs; `sources`: where each paragraph came
    from."""
    meta = dataclasses.replace(meta, url=meta.url or doc.url, domain=meta.domain or find_domain(doc.url))
    return Article(
        article_id=make_article_id(doc.doc_id, position),
        doc_id=doc.doc_id,
        source_file=doc.source_file,
        position=position,
        paragraphs=paragraphs,
        captions=captions,
        quotes=tuple(extract_quotes(paragraphs, rules)),
        sources=sources,
        **{name: getattr(meta, name) for name in METADATA_FIELDS},
    )


def build_text_article(
    doc: Document, segment: Sequence[Line], position: int, page: Sequence[Line], whole_page: bool,
    rules: Rules,
) -> Article:
    """Assemble one article of a text dump from its labelled lines (whole_page: the page holds only it)."""
    meta = extract_text_metadata(page if whole_page else segment, rules, page=page)
    captions = tuple(split_caption(ln.text, rules.credits, credit_only=ln.reason == "photo_credit")
                     for ln in segment if ln.label == CAPTION)
    body = [ln for ln in segment if ln.label == BODY]  # one dump line is one paragraph
    return make_article(doc, position, meta, tuple(ln.text for ln in body), captions, rules,
                        tuple(ParagraphSource(ln.position, ln.position) for ln in body))


def build_html_article(doc: Document, ext: HtmlExtraction, rules: Rules) -> Article:
    """Assemble the article of an HTML page from the HTML path's extraction; its title, authors, date (and the
    string it was read from), site and domain are exactly what metadata_html.extract_html_metadata decided
    (bench/meta_bench.py scores them), its language the body's when it can be told. A WARC page the page
    dates nowhere takes its crawl's WARC-Date; a date the page gives always wins."""
    meta = dataclasses.replace(ext.meta, language=detect_language(" ".join(ext.paragraphs[:20])) or ext.meta.language)
    warc_day = parse_published(doc.meta.get("warc_date"), rules)  # None when absent or implausible
    if meta.published is None and meta.published_raw is None and warc_day is not None:
        meta = dataclasses.replace(meta, published=warc_day, published_raw=doc.meta["warc_date"])
    return make_article(doc, 0, meta, ext.paragraphs, ext.captions, rules,
                        tuple(ParagraphSource(block=b) for b in ext.blocks))


def removed_html_blocks(ext: HtmlExtraction) -> tuple[Line, ...]:
    """The blocks the HTML post-cleaner dropped, as boilerplate lines numbered in page order."""
    return tuple(Line(i, text, BOILERPLATE, reason) for i, (text, reason) in enumerate(ext.removed))


def removed_lines(lines: Sequence[Line]) -> list[Line]:
    """Lines that do not reach an article body: boilerplate plus captions (kept as data elsewhere)."""
    return [ln for ln in lines if ln.label in (BOILERPLATE, CAPTION)]
