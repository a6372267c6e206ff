"""One batch, start to finish, in whichever process runs it: read, clean, validate per record, stage as Parquet.

Only counters and what the run-level checks need come back to the flow; the rows stay in the staging files."""

from __future__ import annotations

import datetime as dt
import functools
import time
from dataclasses import dataclass, field
from pathlib import Path

from expectations.validate import document_stats, validate_batch
from flows.faults import hold
from transforms.decode import detect_format
from transforms.pipeline import mark_duplicates, process_documents, read_dump, reject_unread
from transforms.record import Document, sha256_hex
from transforms.rules import Rules, load_rules
from warehouse.inbox import InboxFile
from warehouse.lake import write_part
from warehouse.schemas import apply_validation, build_tables, table_from_rows


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
    seconds: dict[str, float] = field(default_factory=dict)


def read_files(inbox: str, files: list[InboxFile], known_sha: dict[str, str], now: dt.datetime, run_id: str,
               max_bytes: int) -> tuple[list[Document], list[dict], int]:
    """Read a batch's files: documents, inbox_files rows, and how many files were skipped as unchanged (same
    sha256 as recorded for their path). A file not read becomes a rejected document, never an error."""
    docs: list[Document] = []
    rows: list[dict] = []
    skipped = 0
    for f in files:
        fmt = detect_format(f.path) or "txt"
        row = {"path": f.path, "bytes": f.size, "mtime_ns": f.mtime_ns, "file_sha256": None, "changed": True,
               "problem": f.problem, "run_id": run_id}
        rows.append(row)
        if f.problem:
            docs.append(reject_unread(f.path, fmt, f.size, f.problem, f.detail or f.problem, now))
            continue
        path = Path(inbox) / f.path
        try:
            size = path.stat().st_size
            if size > max_bytes:
                row["problem"] = "file_too_large"
                docs.append(reject_unread(f.path, fmt, size, "file_too_large", f"{size:,} bytes > {max_bytes:,}", now))
                continue
            data = path.read_bytes()
        except OSError as exc:
            row["problem"] = "unreadable_file"
            docs.append(reject_unread(f.path, fmt, 0, "unreadable_file", f"{type(exc).__name__}: {exc}", now))
            continue
        row["file_sha256"] = sha = sha256_hex(data)
        if known_sha.get(f.path) == sha:
            row["changed"] = False  # touched, not changed: only its mtime is recorded anew
            skipped += 1
            continue
        docs.extend(read_dump(data, f.path, fmt, now))
    return docs, rows, skipped


@functools.cache
def worker_rules(rules_dir: str, models_dir: str) -> Rules:
    """The rules tree at these paths, loaded once per worker process: the flow cannot hand its own Rules to a
    process or Dask worker (its read-only mappings do not pickle), so each worker reads the same files."""
    return load_rules(Path(rules_dir), Path(models_dir))


def run_batch(inbox: str, files: list[InboxFile], known_sha: dict[str, str], part: int, stage: str, run_id: str,
              now: dt.datetime, max_bytes: int, rules_dir: str, models_dir: str) -> BatchResult:
    """Read, clean, validate (critical suite) and stage one batch with the rules tree at rules_dir/models_dir;
    return its counts and run-suite stats."""
    out = BatchResult(part)
    t0 = time.perf_counter()
    docs, file_rows, out.skipped = read_files(inbox, files, known_sha, now, run_id, max_bytes)
    docs, _ = mark_duplicates(docs, {})  # copies in other batches are resolved at the load
    out.documents = len(docs)
    t1 = time.perf_counter()
    rules = worker_rules(rules_dir, models_dir)
    tables = build_tables(process_documents(docs, rules), run_id, now)
    hold("cleaning")
    del docs
    t2 = time.perf_counter()
    validation = validate_batch(tables["articles"], rules.boilerplate_phrases, run_id, now.date())
    stats = document_stats(tables["articles"])
    out.articles = tables["articles"].num_rows
    out.critical = validation.results
    extracted = tables["documents"].select(["doc_id", "articles_extracted"]).to_pydict()
    out.doc_stats = [(d, n, stats.get(d, [])) for d, n in zip(extracted["doc_id"], extracted["articles_extracted"],
                                                             strict=True)]
    tables = apply_validation(tables, validation.rejected, run_id, now)
    t3 = time.perf_counter()
    tables["inbox_files"] = table_from_rows("inbox_files", file_rows)
    for i, (name, table) in enumerate(tables.items()):
        if i == 3:
            hold("staging")  # some of the batch's files are written, the others not yet
        write_part(Path(stage), name, table, part)
    out.seconds = {"read": t1 - t0, "transform": t2 - t1, "validate": t3 - t2, "write": time.perf_counter() - t3}
    return out
