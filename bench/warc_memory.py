"""WARC memory benchmark: run the real flow on one .warc.gz of N pages, for several N; print pages/s and the
flow's peak RSS, which must not grow with the archive.

    python bench/warc_memory.py --pages 500 2000

The archive is written with fastwarc's writer from the bench's dev HTML pages, rotated; each copy gets a
unique comment, so no page is skipped as a duplicate and every record is fully processed. Between the
records sit a request record and a 404 response, as in a crawl. Runs one process (threads runner); RSS is
sampled every 0.2 s (bench/throughput.py's sampler).
"""

from __future__ import annotations

import argparse
import gzip
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from fastwarc.stream_io import GzipWriter  # noqa: E402
from fastwarc.warc import WarcRecord, WarcRecordType  # noqa: E402

from bench.throughput import RssSampler  # noqa: E402

DEV = ROOT.parent / "shared" / "bench" / "dev"


def _write(writer: GzipWriter, kind: WarcRecordType, uri: str, content: bytes) -> None:
    rec = WarcRecord()
    rec.init_headers(record_type=kind, record_urn=f"uuid:{uuid.uuid4()}".encode())
    rec.headers["WARC-Target-URI"] = uri
    rec.headers["WARC-Date"] = "2024-05-06T07:08:09Z"
    rec.headers["Content-Type"] = "application/http; msgtype=" + ("request" if kind == WarcRecordType.request
                                                                  else "response")
    rec.set_bytes_content(content)
    rec.write(writer)
    writer.finish()


def make_warc(path: Path, n_pages: int) -> int:
    """Write a crawl of n_pages HTML responses (plus a request each and a 404 every tenth); return its bytes."""
    pages = [gzip.decompress(p.read_bytes()) for p in sorted(DEV.glob("*.html.gz"))]
    writer = GzipWriter(str(path))
    for i in range(n_pages):
        body = pages[i % len(pages)] + f"<!-- copy {i} -->".encode()
        uri = f"https://example.org/{i}"
        _write(writer, WarcRecordType.request, uri, f"GET /{i} HTTP/1.1\r\nHost: example.org\r\n\r\n".encode())
        head = f"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {len(body)}\r\n\r\n"
        _write(writer, WarcRecordType.response, uri, head.encode() + body)
        if i % 10 == 0:
            _write(writer, WarcRecordType.response, uri + "/gone",
                   b"HTTP/1.1 404 Not Found\r\nContent-Type: text/html\r\nContent-Length: 4\r\n\r\ngone")
    writer.close()
    return path.stat().st_size


def main() -> None:
    """Build one archive per size, run the flow on each, print the table."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--pages", type=int, nargs="+", default=[500, 2000])
    args = ap.parse_args()
    from prefect.testing.utilities import prefect_test_harness

    from flows.etl import etl_flow

    rows = []
    with prefect_test_harness(server_startup_timeout=120):
        for n in args.pages:
            with tempfile.TemporaryDirectory() as tmp:
                work = Path(tmp)
                (work / "inbox").mkdir()
                size = make_warc(work / "inbox" / "crawl.warc.gz", n)
                t0 = time.perf_counter()
                with RssSampler() as rss:
                    summary = etl_flow(inbox=str(work / "inbox"), warehouse=str(work / "wh.duckdb"),
                                       lake=str(work / "lake"))
                seconds = time.perf_counter() - t0
                rows.append((n, size, summary["articles_loaded"], summary["warc_records_skipped"], seconds,
                             rss.flow_peak))
                print(f"{n:,} pages, {size / 1e6:.0f} MB archive: {summary['articles_loaded']:,} articles, "
                      f"skipped {summary['warc_records_skipped']}, {seconds:.0f} s = {n / seconds:.1f} pages/s, "
                      f"flow peak RSS {rss.flow_peak / 2**20:.0f} MB", flush=True)
    print("\n| pages | archive | articles | pages/s | peak RSS |\n|---|---|---|---|---|")
    for n, size, articles, _skipped, seconds, peak in rows:
        print(f"| {n:,} | {size / 1e6:.0f} MB | {articles:,} | {n / seconds:.1f} | {peak / 2**20:.0f} MB |")


if __name__ == "__main__":
    main()
