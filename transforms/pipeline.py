"""The transform cascade, pure: bytes of a dump in, Documents with articles (or rejections) out.

1. read: split a dump into records and decode them (`read_dump`)
2. clean: label every line of a text dump as content or boilerplate (`clean_text.classify_lines`),
   or extract the main text of an HTML page (`html.extract_html`)
3. extract: split digests into articles and build their fields (`segment`, `fields`)
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping

from transforms.clean_text import LineMemo, classify_lines
from transforms.decode import DecodeError, split_records
from transforms.fields import build_html_article, build_text_article, removed_html_blocks
from transforms.html import extract_html
from transforms.record import BODY, DUPLICATE_REASON, Document, sha256_hex
from transforms.rules import Rules, RulesError
from transforms.segment import split_articles
from transforms.timecap import DocumentTimeout, watchdog

# Faults of the installation, not of a record: they stop the run instead of quarantining every document.
# transforms/ does no I/O, so an OSError here is a rules, model or data file that cannot be read.
CONFIGURATION_ERRORS: tuple[type[BaseException], ...] = (RulesError, ImportError, OSError)


# Decoded characters above which a record is not one article but a log, a table or a whole site dump: it is
# rejected before cleaning, which bounds the time and memory one record can take. The longest news page in the
# bench is ~1.3M characters of HTML and ~120k of text.
MAX_TEXT_CHARS = 2_000_000
MAX_HTML_CHARS = 8_000_000
# Markup tags ('<') above which a page is not parsed: twice the most of 1,965 bench pages (20,574). Parsing and
# extraction time grow with the element count, so this caps the HTML work per page.
MAX_HTML_TAGS = 40_000
# Block elements (paragraphs, divs, list items, rows, cells, headings) above which a page is not parsed: a third
# more than the most of 2,295 bench pages (5,923). Each block is a paragraph candidate for every extractor, and
# a page of 10,000 one-word paragraphs took 1-2 s in trafilatura alone.
MAX_HTML_BLOCKS = 8_000
BLOCK_TAG = re.compile(r"<(?:p|div|li|br|tr|td|th|h[1-6]|dd|dt|blockquote|section|article|table|ul|ol)\b",
                       re.IGNORECASE)


def _too_long(doc: Document) -> Document | None:
    if doc.text is not None and len(doc.text) > MAX_TEXT_CHARS:
        return doc.reject("read", "record_too_long", f"{len(doc.text):,} characters of text > {MAX_TEXT_CHARS:,}")
    if doc.html is not None and len(doc.html) > MAX_HTML_CHARS:
        return doc.reject("read", "record_too_long", f"{len(doc.html):,} characters of HTML > {MAX_HTML_CHARS:,}")
    if doc.html is not None and (tags := doc.html.count("<")) > MAX_HTML_TAGS:
        return doc.reject("read", "too_much_markup", f"{tags:,} tags > {MAX_HTML_TAGS:,}")
    if doc.html is not None and (blocks := sum(1 for _ in BLOCK_TAG.finditer(doc.html))) > MAX_HTML_BLOCKS:
        return doc.reject("read", "too_much_markup", f"{blocks:,} block elements > {MAX_HTML_BLOCKS:,}")
    return None


# Seconds one document may take to clean and extract; past it the document is rejected as processing_timeout.
DOCUMENT_TIME_CAP = 10.0


def reject_unread(source_file: str, fmt: str, nbytes: int, reason: str, detail: str,
                  ingested_at: dt.datetime) -> Document:
    """A dump whose bytes were never read (gone, unreadable, too large), as a rejected Document."""
    doc_id = sha256_hex(f"unread:{source_file}:{nbytes}".encode())  # stable per path and size
    return Document(doc_id, source_file, fmt, nbytes, doc_id, ingested_at).reject("read", reason, detail)


def read_dump(data: bytes, source_file: str, fmt: str, ingested_at: dt.datetime) -> list[Document]:
    """Turn the bytes of one dump into Documents; unreadable input becomes a rejected Document."""
    file_sha = sha256_hex(data)
    limit = {"txt": MAX_TEXT_CHARS, "html": MAX_HTML_CHARS}.get(fmt)
    if limit is not None and len(data) > 4 * limit:  # more characters than the cap in any encoding: skip decoding
        doc = Document(file_sha, source_file, fmt, len(data), file_sha, ingested_at)
        return [doc.reject("read", "record_too_long", f"{len(data):,} bytes > {4 * limit:,} ({limit:,} characters)")]
    try:
        records = split_records(data, fmt)
    except DecodeError as exc:
        doc = Document(file_sha, source_file, fmt, len(data), file_sha, ingested_at)
        return [doc.reject("read", exc.reason, exc.detail)]
    docs = []
    for rec in records:
        name = source_file if fmt != "jsonl" else f"{source_file}:{rec.index}"
        doc_id = file_sha if fmt != "jsonl" else sha256_hex(rec.data)
        doc = Document(
            doc_id=doc_id,
            source_file=name,
            format=fmt if fmt != "jsonl" else f"jsonl/{rec.kind}",
            nbytes=len(rec.data),
            file_sha256=file_sha,
            ingested_at=ingested_at,
            encoding=rec.encoding,
            url=rec.url,
        )
        if rec.error:
            docs.append(doc.reject("read", "invalid_json_record", rec.error))
            continue
        doc = doc.replace(html=rec.text) if rec.kind == "html" else doc.replace(text=rec.text)
        docs.append(_too_long(doc) or doc)
    return docs


def read_warc_page(payload: bytes, source_file: str, uri: str | None, warc_date: str | None,
                   ingested_at: dt.datetime) -> list[Document]:
    """One HTML response of a WARC archive as a Document (read_dump's HTML path), carrying the record's target
    URI and its WARC-Date (a fallback date hint, see fields.build_html_article)."""
    meta = {"warc_date": warc_date} if warc_date else {}
    return [doc.replace(format="warc/html", url=uri or doc.url, meta=meta)
            for doc in read_dump(payload, source_file, "html", ingested_at)]


def process_document(doc: Document, rules: Rules, repeated: frozenset[str] = frozenset(),
                     memo: LineMemo | None = None) -> Document:
    """Clean one document and extract its articles; a document with no article text is rejected.

    `repeated` holds lines seen in several dumps of the same batch (boilerplate evidence); `memo` the cleaner's
    per-line evidence shared by the batch's dumps (clean_text.LineMemo).
    """
    if doc.rejection is not None:
        return doc
    if doc.html is not None:
        ext = extract_html(doc.html, doc.url, rules)  # its own memo: a batch one holds ~25 MB per 200 pages
        if ext is None:
            return doc.reject("extract", "no_article_text", "trafilatura found no main text")
        return doc.replace(articles=(build_html_article(doc, ext, rules),), lines=removed_html_blocks(ext))
    lines = classify_lines(doc.text or "", rules, repeated, memo)
    segments = [s for s in split_articles(lines) if any(ln.label == BODY for ln in s)]
    articles = tuple(
        build_text_article(doc, seg, pos, lines, len(segments) == 1, rules)
        for pos, seg in enumerate(segments)
    )
    doc = doc.replace(lines=lines)
    if not articles:
        return doc.reject("clean", "no_article_text", f"{len(lines)} lines, none of them article body")
    return doc.replace(articles=articles)


def process_documents(docs: Iterable[Document], rules: Rules,
                      time_cap_seconds: float | None = DOCUMENT_TIME_CAP,
                      repeated: frozenset[str] = frozenset()) -> list[Document]:
    """Process a batch of documents, each on its own: its output never depends on the batch it came in.

    `repeated`: normalised lines known to recur across many dumps (repeats.find_repeated_lines over a set decided
    before cleaning, e.g. a site's dumps), boilerplate evidence given to every document alike. A document over
    `time_cap_seconds` is rejected as processing_timeout; one that raises, as extraction_error.
    """
    docs = list(docs)
    out = []
    memo: LineMemo = {}
    with watchdog() as dog:
        for doc in docs:
            try:
                with dog.cap(time_cap_seconds):
                    result = process_document(doc, rules, repeated, memo)
            except DocumentTimeout:
                result = doc.reject("extract", "processing_timeout", f"over {time_cap_seconds:g} s")
            except CONFIGURATION_ERRORS:
                raise
            except Exception as exc:  # a bug or a pathological page must cost one record, not the batch
                result = doc.reject("extract", "extraction_error", f"{type(exc).__name__}: {exc}"[:500])
            out.append(result)
    return out


def mark_duplicates(docs: Iterable[Document], first: Mapping[str, str]) -> tuple[list[Document], dict[str, str]]:
    """Reject documents whose doc_id came earlier in the run (`first`: doc_id -> source_file); return both updated."""
    first = dict(first)
    out = []
    for doc in docs:
        if doc.doc_id in first:
            out.append(doc.reject("read", DUPLICATE_REASON, f"same bytes as {first[doc.doc_id]}"))
        else:
            first[doc.doc_id] = doc.source_file
            out.append(doc)
    return out, first
