"""Explicit Arrow schemas of every table Broadsheet writes, and the conversion from records to tables."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from collections.abc import Iterable, Sequence

import pyarrow as pa
import pyarrow.compute as pc

from transforms.fields import removed_lines
from transforms.record import DUPLICATE_REASON, Article, Document, ParagraphSource

TS = pa.timestamp("us", tz="UTC")

SCHEMAS: dict[str, pa.Schema] = {
    "documents": pa.schema([
        pa.field("doc_id", pa.string(), nullable=False),
        pa.field("source_file", pa.string(), nullable=False),
        pa.field("format", pa.string(), nullable=False),
        pa.field("bytes", pa.int64(), nullable=False),
        pa.field("encoding", pa.string()),
        pa.field("file_sha256", pa.string(), nullable=False),
        pa.field("status", pa.string(), nullable=False),  # loaded / partly_quarantined / quarantined
        pa.field("articles_extracted", pa.int32(), nullable=False),
        pa.field("article_count", pa.int32(), nullable=False),  # loaded, after validation
        pa.field("ingested_at", TS, nullable=False),
        pa.field("run_id", pa.string(), nullable=False),
    ]),
    "articles": pa.schema([
        pa.field("article_id", pa.string(), nullable=False),
        pa.field("doc_id", pa.string(), nullable=False),
        pa.field("source_file", pa.string(), nullable=False),
        pa.field("position", pa.int32(), nullable=False),
        pa.field("title", pa.string()),
        pa.field("subtitle", pa.string()),
        pa.field("authors", pa.list_(pa.string()), nullable=False),
        pa.field("published", pa.date32()),
        pa.field("published_raw", pa.string()),
        pa.field("site", pa.string()),
        pa.field("url", pa.string()),
        pa.field("language", pa.string()),
        pa.field("body", pa.string(), nullable=False),
        pa.field("word_count", pa.int32(), nullable=False),
        pa.field("paragraph_count", pa.int32(), nullable=False),
        pa.field("run_id", pa.string(), nullable=False),
        pa.field("dateline", pa.string()),
        pa.field("domain", pa.string()),
    ]),
    "paragraphs": pa.schema([
        pa.field("article_id", pa.string(), nullable=False),
        pa.field("doc_id", pa.string(), nullable=False),
        pa.field("position", pa.int32(), nullable=False),
        pa.field("text", pa.string(), nullable=False),
        # where it came from (transforms.record.ParagraphSource): lines of a text dump, 0-based as
        # boilerplate.position, or the line of an HTML page's text rendering; null where not known
        pa.field("line_first", pa.int32()),
        pa.field("line_last", pa.int32()),
        pa.field("block", pa.int32()),
    ]),
    "captions": pa.schema([
        pa.field("article_id", pa.string(), nullable=False),
        pa.field("doc_id", pa.string(), nullable=False),
        pa.field("position", pa.int32(), nullable=False),
        pa.field("text", pa.string(), nullable=False),
        pa.field("credit", pa.string()),
    ]),
    "quotes": pa.schema([
        pa.field("article_id", pa.string(), nullable=False),
        pa.field("doc_id", pa.string(), nullable=False),
        pa.field("position", pa.int32(), nullable=False),
        pa.field("paragraph", pa.int32(), nullable=False),
        pa.field("text", pa.string(), nullable=False),
        pa.field("speaker", pa.string()),
        pa.field("attribution", pa.string()),
    ]),
    "boilerplate": pa.schema([
        pa.field("doc_id", pa.string(), nullable=False),
        pa.field("position", pa.int32(), nullable=False),
        pa.field("text", pa.string(), nullable=False),
        pa.field("reason", pa.string(), nullable=False),
        pa.field("run_id", pa.string(), nullable=False),
    ]),
    "quarantine": pa.schema([
        pa.field("doc_id", pa.string(), nullable=False),
        pa.field("article_id", pa.string()),
        pa.field("source_file", pa.string(), nullable=False),
        pa.field("stage", pa.string(), nullable=False),
        pa.field("reason", pa.string(), nullable=False),
        pa.field("detail", pa.string(), nullable=False),
        pa.field("failed_expectations", pa.list_(pa.string())),
        pa.field("record", pa.string()),  # the rejected article as JSON, so nothing is lost
        pa.field("run_id", pa.string(), nullable=False),
        pa.field("quarantined_at", TS, nullable=False),
    ]),
    "dq_results": pa.schema([
        pa.field("run_id", pa.string(), nullable=False),
        pa.field("suite", pa.string(), nullable=False),
        pa.field("expectation", pa.string(), nullable=False),
        pa.field("column", pa.string()),
        pa.field("severity", pa.string(), nullable=False),
        pa.field("description", pa.string(), nullable=False),
        pa.field("success", pa.bool_(), nullable=False),
        pa.field("element_count", pa.int64()),
        pa.field("unexpected_count", pa.int64()),
        pa.field("unexpected_percent", pa.float64()),
        pa.field("observed_value", pa.string()),
        pa.field("validated_at", TS, nullable=False),
    ]),
    # one row per dump file the warehouse knows: a re-run skips a file whose size and mtime still match
    "inbox_files": pa.schema([
        pa.field("path", pa.string(), nullable=False),
        pa.field("bytes", pa.int64(), nullable=False),
        pa.field("mtime_ns", pa.int64(), nullable=False),
        pa.field("file_sha256", pa.string()),  # null: never read (see `problem`)
        pa.field("changed", pa.bool_(), nullable=False),  # its bytes were (re)processed by run_id
        pa.field("problem", pa.string()),  # why it was not read: symlink_outside_inbox, unreadable_folder, ...
        pa.field("run_id", pa.string(), nullable=False),
    ]),
    # story clusters (warehouse/clusters.py): written by the flow process after a load, not staged by workers
    "story_clusters": pa.schema([
        pa.field("cluster_id", pa.string(), nullable=False),
        pa.field("article_id", pa.string(), nullable=False),
        pa.field("similarity", pa.float64(), nullable=False),
        pa.field("first_seen", TS, nullable=False),
    ]),
    "story_signatures": pa.schema([
        pa.field("article_id", pa.string(), nullable=False),
        pa.field("scheme", pa.string(), nullable=False),
        pa.field("signature", pa.binary(), nullable=False),
    ]),
    "story_bands": pa.schema([
        pa.field("band", pa.int32(), nullable=False),
        pa.field("key", pa.int64(), nullable=False),
        pa.field("article_id", pa.string(), nullable=False),
    ]),
    "runs": pa.schema([
        pa.field("run_id", pa.string(), nullable=False),
        pa.field("flow_run_id", pa.string()),
        pa.field("inbox", pa.string(), nullable=False),
        pa.field("started_at", TS, nullable=False),
        pa.field("finished_at", TS),
        pa.field("status", pa.string(), nullable=False),
        pa.field("files_seen", pa.int32(), nullable=False),
        pa.field("files_skipped", pa.int32(), nullable=False),
        pa.field("documents_read", pa.int32(), nullable=False),
        pa.field("articles_extracted", pa.int32(), nullable=False),
        pa.field("articles_loaded", pa.int32(), nullable=False),
        pa.field("records_quarantined", pa.int32(), nullable=False),
        pa.field("boilerplate_lines", pa.int32(), nullable=False),
        pa.field("seconds_read", pa.float64()),
        pa.field("seconds_transform", pa.float64()),
        pa.field("seconds_validate", pa.float64()),
        pa.field("seconds_load", pa.float64()),
        pa.field("seconds_total", pa.float64()),
    ]),
}

# Tables a load replaces per document (delete by doc_id, then insert), in dependency order.
DOC_TABLES = ("documents", "articles", "paragraphs", "captions", "quotes", "boilerplate", "quarantine")


def table_from_rows(name: str, rows: Sequence[dict]) -> pa.Table:
    """Build a table of a known schema from row dicts; fails loudly on a column that does not fit."""
    return pa.Table.from_pylist(list(rows), schema=SCHEMAS[name])


def article_record(article: Article) -> dict:
    """The articles-table row of one article (without run_id)."""
    return {
        "article_id": article.article_id,
        "doc_id": article.doc_id,
        "source_file": article.source_file,
        "position": article.position,
        "title": article.title,
        "subtitle": article.subtitle,
        "authors": list(article.authors),
        "published": article.published,
        "published_raw": article.published_raw,
        "site": article.site,
        "url": article.url,
        "language": article.language,
        "body": article.body,
        "word_count": article.word_count,
        "paragraph_count": len(article.paragraphs),
        "dateline": article.dateline,
        "domain": article.domain,
    }


def build_tables(docs: Iterable[Document], run_id: str, now: dt.datetime) -> dict[str, pa.Table]:
    """Tables of one batch, every extracted article included (validation comes later: apply_validation)."""
    rows: dict[str, list[dict]] = {name: [] for name in DOC_TABLES}
    for doc in docs:
        for line in removed_lines(doc.lines):
            rows["boilerplate"].append({"doc_id": doc.doc_id, "position": line.position, "text": line.text,
                                        "reason": line.reason or line.label, "run_id": run_id})
        if doc.rejection is not None:
            rows["quarantine"].append({
                "doc_id": doc.doc_id, "article_id": None, "source_file": doc.source_file,
                "stage": doc.rejection.stage, "reason": doc.rejection.reason, "detail": doc.rejection.detail,
                "failed_expectations": None, "record": None, "run_id": run_id, "quarantined_at": now,
            })
        for article in doc.articles:
            rows["articles"].append({**article_record(article), "run_id": run_id})
            sources = article.sources or (ParagraphSource(),) * len(article.paragraphs)
            for pos, (text, src) in enumerate(zip(article.paragraphs, sources, strict=True)):
                rows["paragraphs"].append({"article_id": article.article_id, "doc_id": doc.doc_id,
                                           "position": pos, "text": text, "line_first": src.line_first,
                                           "line_last": src.line_last, "block": src.block})
            for pos, quote in enumerate(article.quotes):
                rows["quotes"].append({"article_id": article.article_id, "doc_id": doc.doc_id, "position": pos,
                                       "paragraph": quote.paragraph, "text": quote.text, "speaker": quote.speaker,
                                       "attribution": quote.attribution})
            for pos, cap in enumerate(article.captions):
                rows["captions"].append({"article_id": article.article_id, "doc_id": doc.doc_id,
                                         "position": pos, "text": cap.text, "credit": cap.credit})
        if doc.rejection is not None and doc.rejection.reason == DUPLICATE_REASON:
            continue  # the first copy owns the documents row; this copy is only in quarantine
        extracted = len(doc.articles)
        rows["documents"].append({
            "doc_id": doc.doc_id, "source_file": doc.source_file, "format": doc.format, "bytes": doc.nbytes,
            "encoding": doc.encoding, "file_sha256": doc.file_sha256,
            "status": "loaded" if extracted else "quarantined", "articles_extracted": extracted,
            "article_count": extracted, "ingested_at": doc.ingested_at, "run_id": run_id,
        })
    return {name: table_from_rows(name, r) for name, r in rows.items()}


def concat_tables(parts: Sequence[dict[str, pa.Table]]) -> dict[str, pa.Table]:
    """One table per name from the tables of several batches."""
    return {name: pa.concat_tables([p[name] for p in parts] or [SCHEMAS[name].empty_table()])
            for name in DOC_TABLES}


def apply_validation(
    tables: dict[str, pa.Table],
    rejected: dict[str, tuple[str, str, tuple[str, ...]]],
    run_id: str,
    now: dt.datetime,
) -> dict[str, pa.Table]:
    """Move rejected articles (id -> reason, detail, failed expectations) and their rows to quarantine."""
    if not rejected:
        return tables
    ids = pa.array(sorted(rejected), pa.string())
    out = dict(tables)
    kept_children: dict[str, list[dict]] = {}
    for name in ("articles", "paragraphs", "captions", "quotes"):
        mask = pc.is_in(tables[name]["article_id"], value_set=ids)
        out[name] = tables[name].filter(pc.invert(mask))
        kept_children[name] = tables[name].filter(mask).to_pylist()
    extras = {name: _group(kept_children[name]) for name in ("paragraphs", "captions", "quotes")}
    quarantined = []
    lost_per_doc: Counter[str] = Counter()
    for art in kept_children["articles"]:
        reason, detail, failed = rejected[art["article_id"]]
        lost_per_doc[art["doc_id"]] += 1
        record = {k: v for k, v in art.items() if k != "run_id"} | {
            name: extras[name].get(art["article_id"], []) for name in ("captions", "quotes")}
        record["paragraphs"] = [p["text"] for p in extras["paragraphs"].get(art["article_id"], [])]
        quarantined.append({
            "doc_id": art["doc_id"], "article_id": art["article_id"], "source_file": art["source_file"],
            "stage": "validate", "reason": reason, "detail": detail, "failed_expectations": list(failed),
            "record": json.dumps(record, default=str, ensure_ascii=False), "run_id": run_id, "quarantined_at": now,
        })
    out["quarantine"] = pa.concat_tables([tables["quarantine"], table_from_rows("quarantine", quarantined)])
    documents = tables["documents"].to_pylist()
    for row in documents:
        lost = lost_per_doc.get(row["doc_id"], 0)
        if lost:
            row["article_count"] = row["articles_extracted"] - lost
            row["status"] = "partly_quarantined" if row["article_count"] else "quarantined"
    out["documents"] = table_from_rows("documents", documents)
    return out


def _group(rows: list[dict]) -> dict[str, list[dict]]:
    grouped: dict[str, list[dict]] = {}
    for row in rows:
        grouped.setdefault(row.pop("article_id"), []).append({k: v for k, v in row.items() if k != "doc_id"})
    return grouped
