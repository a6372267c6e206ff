"""WARC input: each HTML response is a document (`file.warc.gz:OFFSET`), other records are counted per reason,
the archive is streamed (the dump size cap does not apply), and an unchanged archive is skipped on re-runs.

The archives are written with fastwarc's own writer from real pages: the fixtures, and dev pages of the bench."""

from __future__ import annotations

import datetime as dt
import gzip
import uuid
from pathlib import Path

import duckdb
import pytest
from fastwarc.stream_io import GzipWriter
from fastwarc.warc import WarcRecord, WarcRecordType

from tests.conftest import BENCH, ROOT
from transforms.pipeline import process_documents, read_dump, read_warc_page
from transforms.rules import load_rules
from warehouse.warc import WarcBroken, WarcPage, WarcSkip, read_warc, scan_warc, skip_reason

FIXTURES = ROOT / "tests" / "fixtures" / "html"
NOW = dt.datetime(2026, 12, 2, tzinfo=dt.UTC)
RULES = load_rules()
UNDATED = (b"<html><head><title>Harbour vote</title></head><body><article><h1>Harbour council backs the new pier"
           b"</h1>" + b"<p>The harbour council voted on Tuesday to build a new pier for the ferry, after a debate"
           b" that lasted most of the evening and drew a full public gallery of residents.</p>" * 6
           + b"</article></body></html>")


def _record(kind: WarcRecordType, uri: str, date: str, content: bytes, http: bool) -> WarcRecord:
    rec = WarcRecord()
    rec.init_headers(record_type=kind, record_urn=f"uuid:{uuid.uuid4()}".encode())
    rec.headers["WARC-Target-URI"] = uri
    rec.headers["WARC-Date"] = date
    if http:
        rec.headers["Content-Type"] = "application/http; msgtype=response"
    rec.set_bytes_content(content)
    return rec


def http_response(body: bytes, status: int = 200, content_type: str = "text/html; charset=utf-8") -> bytes:
    """An HTTP/1.1 response as a crawler stores it in a WARC response record."""
    head = f"HTTP/1.1 {status} X\r\nContent-Type: {content_type}\r\nContent-Length: {len(body)}\r\n\r\n"
    return head.encode() + body


def write_warc(path: Path, records: list[tuple[WarcRecordType, str, bytes, bool]],
               date: str = "2024-05-06T07:08:09Z") -> list[int]:
    """Write (type, uri, content, is_http) records, one gzip member each as crawlers do; return their offsets."""
    offsets = []
    writer = GzipWriter(str(path)) if path.name.endswith(".gz") else None
    raw = None if writer else open(path, "wb")  # noqa: SIM115 - closed below
    pos = 0
    for kind, uri, content, http in records:
        offsets.append(pos)
        rec = _record(kind, uri, date, content, http)
        if writer:
            rec.write(writer)
            writer.finish()  # ends the gzip member: the next record starts a new one
            writer.flush()
            pos = path.stat().st_size
        else:
            pos += rec.write(raw)
    (writer or raw).close()
    return offsets


def crawl(path: Path) -> list[int]:
    """A small crawl: warcinfo, a request, two article pages, a 404, an image, a revisit and an undated page."""
    news = (FIXTURES / "news_article.html").read_bytes()
    pt = (FIXTURES / "portuguese_article.html").read_bytes()
    return write_warc(path, [
        (WarcRecordType.warcinfo, "", b"software: test\r\n", False),
        (WarcRecordType.request, "https://news.example/a", b"GET /a HTTP/1.1\r\nHost: news.example\r\n\r\n", True),
        (WarcRecordType.response, "https://news.example/a", http_response(news), True),
        (WarcRecordType.response, "https://jornal.example/feira", http_response(pt), True),
        (WarcRecordType.response, "https://news.example/gone", http_response(b"<html>gone</html>", 404), True),
        (WarcRecordType.response, "https://news.example/logo.png", http_response(b"\x89PNG....", 200,
                                                                                  "image/png"), True),
        (WarcRecordType.revisit, "https://news.example/a", b"", False),
        (WarcRecordType.response, "https://news.example/pier", http_response(UNDATED), True),
    ])


def test_skip_reasons() -> None:
    assert skip_reason("response", True, 200, "text/html; charset=utf-8") is None
    assert skip_reason("resource", False, None, "application/xhtml+xml") is None
    assert skip_reason("request", True, None, None) == "warc_request_record"
    assert skip_reason("response", True, 301, "text/html") == "warc_http_301"
    assert skip_reason("response", True, 200, "application/pdf") == "warc_not_html"


@pytest.mark.parametrize("name", ["crawl.warc.gz", "crawl.warc"])
def test_read_warc_yields_pages_in_order_and_says_why_the_rest_are_not(tmp_path, name) -> None:
    offsets = crawl(tmp_path / name)
    items = list(read_warc(tmp_path / name, 10**6))
    assert [i.offset for i in items] == offsets
    kinds = [(type(i).__name__, getattr(i, "reason", None) or getattr(i, "uri", None)) for i in items]
    assert kinds == [
        ("WarcSkip", "warc_warcinfo_record"), ("WarcSkip", "warc_request_record"),
        ("WarcPage", "https://news.example/a"), ("WarcPage", "https://jornal.example/feira"),
        ("WarcSkip", "warc_http_404"), ("WarcSkip", "warc_not_html"), ("WarcSkip", "warc_revisit_record"),
        ("WarcPage", "https://news.example/pier")]
    page = items[2]
    assert isinstance(page, WarcPage) and page.payload == (FIXTURES / "news_article.html").read_bytes()
    assert page.warc_date == "2024-05-06T07:08:09Z"


def test_a_truncated_archive_keeps_the_pages_before_the_fault(tmp_path) -> None:
    offsets = crawl(tmp_path / "crawl.warc.gz")
    data = (tmp_path / "crawl.warc.gz").read_bytes()
    (tmp_path / "cut.warc.gz").write_bytes(data[: offsets[3] + 40])  # inside the fourth record's member
    scan = scan_warc(tmp_path / "cut.warc.gz")
    assert scan.cut_at == offsets[3] and scan_warc(tmp_path / "crawl.warc.gz").cut_at is None
    items = list(read_warc(tmp_path / "cut.warc.gz", 10**6, scan.cut_at))
    assert [type(i) for i in items] == [WarcSkip, WarcSkip, WarcPage, WarcBroken]
    assert items[-1].offset == offsets[3]
    (tmp_path / "junk.warc").write_bytes(b"this is not an archive\n" * 20)
    (broken,) = read_warc(tmp_path / "junk.warc", 10**6)
    assert isinstance(broken, WarcBroken) and broken.detail


def test_a_warc_page_is_the_html_page_plus_uri_and_a_fallback_date() -> None:
    rules = RULES
    news = (FIXTURES / "news_article.html").read_bytes()
    (from_warc,) = process_documents(read_warc_page(news, "c.warc.gz:123", "https://news.example/a",
                                                    "2024-05-06T07:08:09Z", NOW), rules)
    (from_file,) = process_documents(read_dump(news, "a.html", "html", NOW), rules)
    (a,), (b,) = from_warc.articles, from_file.articles
    assert (from_warc.source_file, from_warc.format, a.url) == ("c.warc.gz:123", "warc/html", "https://news.example/a")
    assert (a.title, a.paragraphs, a.authors) == (b.title, b.paragraphs, b.authors)
    assert a.published == b.published == dt.date(2024, 3, 14)  # the page's own date wins over the crawl's
    (undated,) = process_documents(read_warc_page(UNDATED, "c.warc.gz:9", None, "2024-05-06T07:08:09Z", NOW), rules)
    (art,) = undated.articles
    assert (art.published, art.published_raw) == (dt.date(2024, 5, 6), "2024-05-06T07:08:09Z")


DEV = BENCH / "dev"


@pytest.mark.skipif(not DEV.is_dir(), reason=f"benchmark pages not found at {DEV}")
def test_real_pages_read_from_a_warc_equal_the_same_pages_read_as_files(tmp_path) -> None:
    pages = [gzip.decompress(p.read_bytes()) for p in sorted(DEV.glob("*.html.gz"))[:12]]
    write_warc(tmp_path / "dev.warc.gz", [(WarcRecordType.response, f"https://example.org/{k}", http_response(page),
                                          True) for k, page in enumerate(pages)])
    rules = RULES
    items = list(read_warc(tmp_path / "dev.warc.gz", 10**8))
    assert [i.payload for i in items] == pages
    for k, (item, page) in enumerate(zip(items, pages, strict=True)):
        (w,) = process_documents(read_warc_page(item.payload, f"dev.warc.gz:{item.offset}", item.uri, None, NOW),
                                 rules)
        (f,) = process_documents(read_dump(page, f"{k}.html", "html", NOW), rules)
        assert (w.rejection and w.rejection.reason) == (f.rejection and f.rejection.reason)
        assert [(a.title, a.paragraphs, a.published) for a in w.articles] == \
            [(a.title, a.paragraphs, a.published) for a in f.articles]


def test_flow_reads_a_warc_over_the_dump_cap_counts_skipped_records_and_skips_it_unchanged(
        prefect_harness, tmp_path) -> None:
    from flows.etl import etl_flow

    inbox, wh, lake = tmp_path / "inbox", tmp_path / "wh.duckdb", tmp_path / "lake"
    inbox.mkdir()
    offsets = crawl(inbox / "crawl.warc.gz")
    data = (inbox / "crawl.warc.gz").read_bytes()
    (inbox / "cut.warc.gz").write_bytes(data[: offsets[3] + 40])
    cap = 1000  # far below the archive's size: a WARC is streamed, never read whole
    assert (inbox / "crawl.warc.gz").stat().st_size > cap
    summary = etl_flow(inbox=str(inbox), warehouse=str(wh), lake=str(lake), max_dump_bytes=cap)
    assert summary["files_seen"] == 2
    assert summary["warc_records_skipped"] == {"warc_warcinfo_record": 2, "warc_request_record": 2,
                                               "warc_http_404": 1, "warc_not_html": 1, "warc_revisit_record": 1}
    con = duckdb.connect(str(wh), read_only=True)
    try:
        rows = con.execute("select source_file, url, published from articles order by source_file").fetchall()
        assert [r[0] for r in rows] == sorted([f"crawl.warc.gz:{offsets[k]}" for k in (2, 3, 7)])
        by_file = {r[0]: r for r in rows}
        assert by_file[f"crawl.warc.gz:{offsets[7]}"][1:] == ("https://news.example/pier", dt.date(2024, 5, 6))
        # the cut copy: its first page is the same bytes as crawl's (a duplicate), the fault is a quarantine row
        reasons = dict(con.execute("select source_file, reason from quarantine").fetchall())
        assert reasons[f"cut.warc.gz:{offsets[2]}"] == "duplicate_content"
        assert [r for f, r in reasons.items() if f.startswith("cut.warc.gz:") and r == "unreadable_warc"]
        files = con.execute("select path, file_sha256 is not null from inbox_files order by path").fetchall()
        assert files == [("crawl.warc.gz", True), ("cut.warc.gz", True)]
    finally:
        con.close()
    again = etl_flow(inbox=str(inbox), warehouse=str(wh), lake=str(lake), max_dump_bytes=cap)
    assert (again["files_skipped"], again["documents_read"], again["warc_records_skipped"]) == (2, 0, {})
