"""Read WARC archives (.warc, .warc.gz) record by record, never whole: each HTML response is one page.

fastwarc streams the file (one gzip member per record, as crawlers write them) and parses each record's HTTP
headers; only one record's payload is in memory at a time. Records that are not pages are counted per reason,
never silently dropped: the run summary prints the counts.
"""

from __future__ import annotations

import hashlib
import re
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from fastwarc.warc import ArchiveIterator

HTML_TYPES = ("text/html", "application/xhtml+xml")


@dataclass(frozen=True, slots=True)
class WarcPage:
    """One HTML response of a WARC file: where its record starts, its target URI, WARC-Date and HTTP body."""

    offset: int
    uri: str | None
    warc_date: str | None
    payload: bytes


@dataclass(frozen=True, slots=True)
class WarcSkip:
    """A record that is not a page, and why (warc_<type>_record, warc_not_html, warc_http_<status>)."""

    offset: int
    reason: str


@dataclass(frozen=True, slots=True)
class WarcBroken:
    """The rest of the file cannot be read (truncated or corrupt), from this offset on."""

    offset: int
    detail: str


def skip_reason(record_type: str, is_http: bool, status: int | None, content_type: str | None) -> str | None:
    """Why a record is not an HTML page, or None when it is one."""
    if record_type not in ("response", "resource"):
        return f"warc_{record_type}_record"
    if is_http and status is not None and not 200 <= status < 300:
        return f"warc_http_{status}"
    if content_type is not None and content_type.split(";")[0].strip().lower() not in HTML_TYPES:
        return "warc_not_html"
    return None


@dataclass(frozen=True, slots=True)
class WarcScan:
    """One streamed pass over a WARC file: its sha256, and where a gzip member is cut short (None: whole)."""

    sha256: str
    cut_at: int | None = None


def scan_warc(path: str | Path, chunk: int = 1 << 20) -> WarcScan:
    """Hash the file and, for .warc.gz, check that its last gzip member is complete: a crawl cut off mid-write
    would otherwise end quietly, its last records never seen. Streams; inflated data is thrown away."""
    digest = hashlib.sha256()
    gz = str(path).lower().endswith(".gz")
    inflate = zlib.decompressobj(16 + zlib.MAX_WBITS)
    member_start: int | None = None  # offset of the member being inflated (None: between members)
    cut: int | None = None
    pos = 0
    with open(path, "rb") as f:
        while data := f.read(chunk):
            digest.update(data)
            start, pos = pos, pos + len(data)
            while gz and cut is None and data:
                if member_start is None:
                    member_start = start
                try:
                    inflate.decompress(data, 1 << 16)
                except zlib.error:
                    cut = member_start  # not gzip from here on
                    break
                if inflate.eof:
                    rest = inflate.unused_data
                    start += len(data) - len(rest)
                    data, member_start = rest, None
                    inflate = zlib.decompressobj(16 + zlib.MAX_WBITS)
                else:
                    tail = inflate.unconsumed_tail
                    start += len(data) - len(tail)
                    data = tail
    if cut is None and member_start is not None:
        cut = member_start
    return WarcScan(digest.hexdigest(), cut)


def read_warc(path: str | Path, max_payload_bytes: int, cut_at: int | None = None
              ) -> Iterator[WarcPage | WarcSkip | WarcBroken]:
    """Every record of a WARC file in order: a WarcPage for each HTML page (payloads over max_payload_bytes are
    cut there; the page's record cap rejects them), a WarcSkip for the others, and a WarcBroken at a fault
    (`cut_at`: where scan_warc found the file cut short)."""
    offset = 0
    try:
        with open(path, "rb") as stream:
            for record in ArchiveIterator(stream, parse_http=True, auto_decode="all"):
                offset = record.stream_pos
                if record.headers.get("Content-Length") is None:  # mandatory: the header block was cut short
                    yield WarcBroken(offset, "truncated record: no Content-Length header")
                    return
                kind = re.sub(r"[^a-z]+", "_", (record.headers.get("WARC-Type") or "unknown").lower()).strip("_")
                status = record.http_headers.status_code if record.is_http and record.http_headers else None
                ctype = record.http_content_type if record.is_http else record.headers.get("Content-Type")
                reason = skip_reason(kind, record.is_http, status, ctype)
                if reason is not None:
                    yield WarcSkip(offset, reason)
                    continue
                yield WarcPage(offset, record.headers.get("WARC-Target-URI"), record.headers.get("WARC-Date"),
                               record.reader.read(max_payload_bytes))
    except (OSError, ValueError) as exc:
        yield WarcBroken(offset, f"{type(exc).__name__}: {exc}"[:300])
        return
    if cut_at is not None:
        yield WarcBroken(cut_at, "the file ends inside a gzip member: the records from here on are lost")
