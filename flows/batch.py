"""One batch, start to finish, in whichever process runs it: read, clean, validate per record, stage as Parquet.

Only counters and what the run-level checks need come back to the flow; the rows stay in the staging files."""

from __future__ import annotations

import datetime as dt
import functools
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path

from expectations.validate import document_stats, merge_results, validate_batch
from flows.faults import hold
from transforms.dates import read_date
from transforms.decode import detect_format
from transforms.pipeline import (
    MAX_HTML_CHARS,
    mark_duplicates,
    process_documents,
    read_dump,
    read_warc_page,
    reject_unread,
)
from transforms.record import Document, sha256_hex
from transforms.rules import Rules, load_rules
from warehouse.inbox import InboxFile
from warehouse.lake import write_part
from warehouse.schemas import apply_validation, build_tables, table_from_rows
from warehouse.warc import WarcBroken, WarcSkip, read_warc, scan_warc

# Bytes of one WARC page read at most: one more than read_dump's HTML cap, so a larger page is rejected by it
# (record_too_long) instead of being read whole.
MAX_WARC_PAGE_BYTES = 4 * MAX_HTML_CHARS + 1


@dataclass(slots=True)
class BatchResult:
    """What a batch did: counts, per-check critical results, per-document stats for the run suite, seconds."""

    part: int
    documents: int = 0
    skipped: int = 0
    articles: int = 0
    critical: list[dict] = field(default_factory=list)
    # (doc_id, articles extracted, per-article (has date, has author, has site, near empty, body digest))
    doc_stats: list[tuple[str, int, list[tuple]]] = field(default_factory=list)
    # WARC records that are not pages, per reason (warehouse.warc.skip_reason)
    warc_skipped: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)


@dataclass(slots=True)
class FileTally:
    """What reading a batch's files recorded besides the documents: inbox_files rows, unchanged files, and
    WARC records that are not pages, per reason."""

    rows: list[dict] = field(default_factory=list)
    skipped: int = 0
    warc_skipped: Counter = field(default_factory=Counter)


def _warc_documents(path: Path, name: str, cut_at: int | None, now: dt.datetime,
                    tally: FileTally) -> Iterator[Document]:
    """The pages of one WARC archive as documents, streamed record by record (`name:OFFSET` each)."""
    for item in read_warc(path, MAX_WARC_PAGE_BYTES, cut_at):
        if isinstance(item, WarcSkip):
            tally.warc_skipped[item.reason] += 1
        elif isinstance(item, WarcBroken):
            yield reject_unread(f"{name}:{item.offset}", "warc", 0, "unreadable_warc", item.detail, now)
        else:
            yield from read_warc_page(item.payload, f"{name}:{item.offset}", item.uri, item.warc_date, now)


def iter_files(inbox: str, files: list[InboxFile], known_sha: dict[str, str], now: dt.datetime, run_id: str,
               max_bytes: int, tally: FileTally) -> Iterator[Document]:
    """The documents of a batch's files, one file (or one WARC record) at a time; `tally` gets an inbox_files
    row per file and counts the files skipped as unchanged (same sha256 as recorded for their path). A file not
    read becomes a rejected document, never an error. WARC archives are streamed, so `max_bytes` (the cap on a
    dump read whole) does not apply to them."""
    for f in files:
        fmt = detect_format(f.path) or "txt"
        row = {"path": f.path, "bytes": f.size, "mtime_ns": f.mtime_ns, "file_sha256": None, "changed": True,
               "problem": f.problem, "run_id": run_id}
        tally.rows.append(row)
        if f.problem:
            yield reject_unread(f.path, fmt, f.size, f.problem, f.detail or f.problem, now)
            continue
        path = Path(inbox) / f.path
        try:
            size = path.stat().st_size
            if fmt != "warc" and size > max_bytes:
                row["problem"] = "file_too_large"
                yield reject_unread(f.path, fmt, size, "file_too_large", f"{size:,} bytes > {max_bytes:,}", now)
                continue
            if fmt == "warc":  # streamed: one pass hashes it (and checks it is whole), the reader streams it again
                data, scan = None, scan_warc(path)
                sha = scan.sha256
            else:
                data, scan = path.read_bytes(), None
                sha = sha256_hex(data)
        except OSError as exc:
            row["problem"] = "unreadable_file"
            yield reject_unread(f.path, fmt, 0, "unreadable_file", f"{type(exc).__name__}: {exc}", now)
            continue
        row["file_sha256"] = sha
        if known_sha.get(f.path) == sha:
            row["changed"] = False  # touched, not changed: only its mtime is recorded anew
            tally.skipped += 1
            continue
        if scan is not None:
            yield from _warc_documents(path, f.path, scan.cut_at, now, tally)
        else:
            yield from read_dump(data, f.path, fmt, now)


def _chunks(docs: Iterator[Document], size: int) -> Iterator[list[Document]]:
    while chunk := list(islice(docs, size)):
        yield chunk


@functools.cache
def worker_rules(rules_dir: str, models_dir: str) -> Rules:
    """The rules tree at these paths, loaded once per worker process: the flow cannot hand its own Rules to a
    process or Dask worker (its read-only mappings do not pickle), so each worker reads the same files."""
    rules = load_rules(Path(rules_dir), Path(models_dir))
    # dateparser loads its language data on first use (about 1.5 s): the worker pays it once at start, not
    # inside the first document that names a date in words.
    read_date("3 March 2021", rules)
    return rules


def run_batch(inbox: str, files: list[InboxFile], known_sha: dict[str, str], part: int, stage: str, run_id: str,
              now: dt.datetime, max_bytes: int, rules_dir: str, models_dir: str,
              chunk_documents: int) -> BatchResult:
    """Read, clean, validate (critical suite) and stage one batch, chunk by chunk (at most chunk_documents
    documents each, the run's batch size: a batch's files, or one WARC archive's records, so memory does not grow
    with an archive), with the rules tree at rules_dir/models_dir; return its counts and run-suite stats. Each
    chunk is its own staged part (part-PPPPPP-CCCC), so nothing of it stays in memory."""
    out = BatchResult(part)
    seconds = dict.fromkeys(("read", "transform", "validate", "write"), 0.0)
    rules = worker_rules(rules_dir, models_dir)
    tally = FileTally()
    docs = iter_files(inbox, files, known_sha, now, run_id, max_bytes, tally)
    t0 = time.perf_counter()
    chunk_no = 0
    for chunk_no, chunk in enumerate(_chunks(docs, chunk_documents)):
        chunk, _ = mark_duplicates(chunk, {})  # copies in other chunks and batches are resolved at the load
        out.documents += len(chunk)
        t1 = time.perf_counter()
        seconds["read"] += t1 - t0
        tables = build_tables(process_documents(chunk, rules), run_id, now)
        hold("cleaning")
        del chunk
        t2 = time.perf_counter()
        validation = validate_batch(tables["articles"], rules.boilerplate_phrases, run_id, now.date())
        stats = document_stats(tables["articles"])
        out.articles += tables["articles"].num_rows
        out.critical = merge_results([out.critical, validation.results]) if out.critical else validation.results
        extracted = tables["documents"].select(["doc_id", "articles_extracted"]).to_pydict()
        out.doc_stats += [(d, n, stats.get(d, [])) for d, n in zip(extracted["doc_id"],
                                                                  extracted["articles_extracted"], strict=True)]
        tables = apply_validation(tables, validation.rejected, run_id, now)
        t3 = time.perf_counter()
        _write_tables(Path(stage), tables, part, chunk_no)
        del tables
        t0 = time.perf_counter()
        seconds["validate"] += t3 - t2
        seconds["transform"] += t2 - t1
        seconds["write"] += t0 - t3
    if not out.documents:  # every file unchanged: empty tables, so the load still records the files' rows
        _write_tables(Path(stage), build_tables([], run_id, now), part, 0)
    # the files' rows last: iter_files has filled them once every document was read
    write_part(Path(stage), "inbox_files", table_from_rows("inbox_files", tally.rows), part, chunk_no)
    seconds["read"] += time.perf_counter() - t0
    out.skipped = tally.skipped
    out.warc_skipped = dict(tally.warc_skipped)
    out.seconds = seconds
    return out


def _write_tables(stage: Path, tables: dict, part: int, chunk: int) -> None:
    for i, (name, table) in enumerate(tables.items()):
        if i == 3:
            hold("staging")  # some of the batch's files are written, the others not yet
        write_part(stage, name, table, part, chunk)
