"""Full-text search of the warehouse's articles: a tantivy (BM25) index beside the warehouse, kept in step with it.

Layout, in `search/` next to the warehouse file:
- `state.json`: the index generation in use and the warehouse fingerprint it matches (articles and their run_id);
- `manifest.parquet`: (article_id, run_id) of every article the index holds;
- `g-<id>/`: the tantivy index of that generation.

`update_index` (the caller holds the warehouse's writer lock, so there is one index writer) diffs the warehouse's
articles against the manifest: articles gone or replaced are deleted by article_id, new versions are deleted
then added, all in one tantivy commit; then the manifest and the state are replaced (temp file, rename). A
process killed between these steps leaves a state that does not match the warehouse, so the next update diffs
again; deleting before adding makes that idempotent. A missing or unreadable index, or one built by another
INDEX_VERSION, is rebuilt as a new generation and swapped in by rewriting `state.json`.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from warehouse.db import read_query

# Bump when the fields or the analyzer change: an index of another version is rebuilt, never mixed.
INDEX_VERSION = 1
ANALYZER = "broadsheet"
TITLE_BOOST = 2.0
SNIPPET_CHARS = 220
ADD_BATCH = 1000  # articles fetched from DuckDB at a time while indexing (bounded memory)
WRITER_HEAP = 64_000_000  # tantivy's indexing buffer per commit chunk (it flushes segments beyond it)
MANIFEST_SCHEMA = pa.schema([pa.field("article_id", pa.string()), pa.field("run_id", pa.string())])


class SearchIndexError(RuntimeError):
    """The search index cannot be used as it is (missing, of another version, or behind the warehouse)."""


@dataclass(frozen=True, slots=True)
class Hit:
    """One ranked article: its BM25 score and a snippet of its body (highlights: character spans in snippet)."""

    article_id: str
    title: str | None
    site: str | None
    published: dt.date | None
    score: float
    snippet: str
    highlights: tuple[tuple[int, int], ...]


@dataclass(frozen=True, slots=True)
class IndexUpdate:
    """What an update did: articles added and removed, whether it rebuilt from scratch, and its seconds."""

    added: int
    removed: int
    rebuilt: bool
    seconds: float


def index_dir(warehouse: str | Path) -> Path:
    """The search index folder (`search/`), next to the warehouse file."""
    return Path(warehouse).parent / "search"


def warehouse_fingerprint(con: duckdb.DuckDBPyConnection) -> tuple[int, str]:
    """(article count, fingerprint of every article_id with the run that loaded it) of the warehouse."""
    articles, fingerprint = con.execute(read_query("fingerprint", "search")).fetchall()[0]
    return int(articles), str(fingerprint)


def read_state(warehouse: str | Path) -> dict[str, Any] | None:
    """The index's state file, or None when there is none (or it cannot be read)."""
    try:
        return json.loads((index_dir(warehouse) / "state.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def staleness(con: duckdb.DuckDBPyConnection, warehouse: str | Path) -> str | None:
    """Why the index does not match the warehouse (a sentence), or None when it does."""
    state = read_state(warehouse)
    if state is None or not (index_dir(warehouse) / str(state.get("generation", ""))).is_dir():
        return "there is no search index yet"
    if state.get("version") != INDEX_VERSION:
        return f"the search index was built by another version ({state.get('version')}, now {INDEX_VERSION})"
    articles, fingerprint = warehouse_fingerprint(con)
    if state.get("fingerprint") != fingerprint:
        return (f"the search index ({state.get('articles')} articles) is behind the warehouse ({articles} "
                "articles, loaded or replaced since)")
    return None


def _analyzer() -> Any:
    from tantivy import Filter, TextAnalyzerBuilder, Tokenizer

    # words split on non-alphanumerics, lower-cased, accents folded (é = e), English stems (elections = election)
    return (TextAnalyzerBuilder(Tokenizer.simple()).filter(Filter.remove_long(40)).filter(Filter.lowercase())
            .filter(Filter.ascii_fold()).filter(Filter.stemmer("english")).build())


def _schema() -> Any:
    from tantivy import SchemaBuilder

    builder = SchemaBuilder()
    builder.add_text_field("article_id", stored=True, tokenizer_name="raw")
    builder.add_text_field("title", stored=True, tokenizer_name=ANALYZER)
    builder.add_text_field("body", stored=True, tokenizer_name=ANALYZER)
    builder.add_text_field("site", stored=True, tokenizer_name="raw")
    builder.add_text_field("site_key", tokenizer_name="raw")  # site and domain, case-folded: --site
    builder.add_date_field("published", stored=True, indexed=True, fast=True)
    return builder.build()


def _open(path: Path, create: bool = False) -> Any:
    from tantivy import Index

    index = Index(_schema(), path=str(path)) if create else Index.open(str(path))
    index.register_tokenizer(ANALYZER, _analyzer())  # not stored in the index: every opener registers it
    return index


def _document(row: dict[str, Any]) -> Any:
    from tantivy import Document

    fields: dict[str, Any] = {"article_id": row["article_id"], "body": row["body"] or ""}
    if row["title"]:
        fields["title"] = row["title"]
    if row["site"]:
        fields["site"] = row["site"]
    keys = sorted({v.casefold() for v in (row["site"], row["domain"]) if v})
    if keys:
        fields["site_key"] = keys
    if row["published"] is not None:
        day = row["published"]
        fields["published"] = dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)
    return Document(**fields)


def _write_atomic(path: Path, write: Any) -> None:
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.tmp")
    write(tmp)
    os.replace(tmp, path)


def update_index(con: duckdb.DuckDBPyConnection, warehouse: str | Path, rebuild: bool = False) -> IndexUpdate:
    """Bring the search index in step with the warehouse read through `con` (the caller holds the warehouse's
    writer lock: one index writer). Rebuilds when the index is missing, unreadable or of another version."""
    t0 = time.perf_counter()
    root = index_dir(warehouse)
    state = read_state(warehouse)
    articles, fingerprint = warehouse_fingerprint(con)
    generation = str(state.get("generation", "")) if state else ""
    manifest_path = root / "manifest.parquet"
    rebuild = (rebuild or state is None or state.get("version") != INDEX_VERSION
               or not (root / generation).is_dir() or not manifest_path.is_file())
    if not rebuild and state.get("fingerprint") == fingerprint:
        return IndexUpdate(0, 0, False, time.perf_counter() - t0)
    if not rebuild:
        try:
            index = _open(root / generation)
            manifest = pq.read_table(manifest_path, schema=MANIFEST_SCHEMA)
        except (OSError, ValueError, pa.ArrowException):  # a damaged index or manifest: build anew
            rebuild = True
    if rebuild:
        generation = f"g-{uuid.uuid4().hex[:12]}"
        (root / generation).mkdir(parents=True)
        index = _open(root / generation, create=True)
        manifest = MANIFEST_SCHEMA.empty_table()
    con.register("search_manifest", manifest)
    try:
        added, removed = _apply_changes(con, index, fresh=rebuild)
        new_manifest = con.sql(read_query("manifest", "search")).to_arrow_table().cast(MANIFEST_SCHEMA)
    except BaseException:
        if rebuild:  # a half-built generation is never used: state.json does not name it
            shutil.rmtree(root / generation, ignore_errors=True)
        raise
    finally:
        con.unregister("search_manifest")
    _write_atomic(manifest_path, lambda p: pq.write_table(new_manifest, p))
    new_state = {"version": INDEX_VERSION, "generation": generation, "fingerprint": fingerprint,
                 "articles": articles, "updated_at": dt.datetime.now(dt.UTC).isoformat()}
    _write_atomic(root / "state.json", lambda p: p.write_text(json.dumps(new_state, indent=1), encoding="utf-8"))
    for old in root.glob("g-*"):  # earlier generations; a reader that still has one open keeps its files
        if old.name != generation:
            shutil.rmtree(old, ignore_errors=True)
    return IndexUpdate(added, removed, rebuild, time.perf_counter() - t0)


def _apply_changes(con: duckdb.DuckDBPyConnection, index: Any, fresh: bool = False) -> tuple[int, int]:
    """Delete the articles gone or replaced, add the new versions (deleting any older copy first, unless the index
    is `fresh`: empty), commit once."""
    gone = [r[0] for r in con.execute(read_query("to_remove", "search")).fetchall()]
    writer = index.writer(heap_size=WRITER_HEAP, num_threads=1)
    added = 0
    try:
        for article_id in gone:
            writer.delete_documents_by_term("article_id", article_id)
        for batch in con.sql(read_query("to_add", "search")).to_arrow_reader(ADD_BATCH):
            for row in batch.to_pylist():
                if not fresh:
                    writer.delete_documents_by_term("article_id", row["article_id"])
                writer.add_document(_document(row))
                added += 1
        writer.commit()
    except BaseException:
        writer.rollback()
        raise
    writer.wait_merging_threads()
    return added, len(gone)


def open_searcher(warehouse: str | Path) -> tuple[Any, Any]:
    """(index, searcher) of the generation the state file names; SearchIndexError when there is none."""
    state = read_state(warehouse)
    if state is None or state.get("version") != INDEX_VERSION:
        raise SearchIndexError(f"no usable search index in {index_dir(warehouse)}")
    index = _open(index_dir(warehouse) / str(state["generation"]))
    return index, index.searcher()


def search(warehouse: str | Path, query: str, site: str | None = None, since: dt.date | None = None,
           limit: int = 10, opened: tuple[Any, Any] | None = None) -> tuple[list[Hit], int]:
    """The best `limit` articles for `query` (BM25 over title, boosted, and body), optionally only of one site
    (or domain; any case) and published on or after `since`; returns the hits and how many articles match."""
    from tantivy import FieldType, Occur, Query, SnippetGenerator

    index, searcher = opened or open_searcher(warehouse)
    schema = index.schema
    text, _errors = index.parse_query_lenient(query, default_field_names=["title", "body"],
                                              field_boosts={"title": TITLE_BOOST})
    clauses = [(Occur.Must, text)]
    if site:  # filters score 0: they select, BM25 alone ranks
        clauses.append((Occur.Must, Query.const_score_query(
            Query.term_query(schema, "site_key", site.strip().casefold()), 0.0)))
    if since:
        start = dt.datetime(since.year, since.month, since.day, tzinfo=dt.UTC)
        clauses.append((Occur.Must, Query.const_score_query(
            Query.range_query(schema, "published", FieldType.Date, lower_bound=start, upper_bound=None), 0.0)))
    result = searcher.search(Query.boolean_query(clauses), limit=limit, count=True)
    snippets = SnippetGenerator.create(searcher, text, schema, "body")
    snippets.set_max_num_chars(SNIPPET_CHARS)
    hits = []
    for score, address in result.hits:
        doc = searcher.doc(address)
        snippet, spans = _snippet(snippets.snippet_from_doc(doc), doc.get_first("body") or "")
        published = doc.get_first("published")
        hits.append(Hit(doc.get_first("article_id"), doc.get_first("title"), doc.get_first("site"),
                        published.date() if published else None, float(score), snippet, spans))
    return hits, int(result.count or 0)


def _snippet(snippet: Any, body: str) -> tuple[str, tuple[tuple[int, int], ...]]:
    """The snippet's text and its highlights as character spans (tantivy gives byte offsets); the body's start
    when only the title matched."""
    fragment = snippet.fragment().replace("\n", " ")  # one line; same length, so the offsets still hold
    if not fragment:
        head = body[:SNIPPET_CHARS].replace("\n", " ")
        return (head.rsplit(" ", 1)[0] + " …" if len(body) > SNIPPET_CHARS else head), ()
    raw = fragment.encode("utf-8")
    spans = tuple((len(raw[: h.start].decode("utf-8", "ignore")), len(raw[: h.end].decode("utf-8", "ignore")))
                  for h in snippet.highlighted())
    return fragment, spans


def update_beside(warehouse: str | Path, memory: str | None = None) -> IndexUpdate | None:
    """Update the index of the warehouse file (read-only; the caller holds its writer lock); None: no warehouse."""
    from warehouse.db import connect

    if not Path(warehouse).exists():
        return None
    con = connect(warehouse, read_only=True)
    try:
        if memory:  # DuckDB's buffer pool keeps the blocks it read up to its limit (80% of RAM by default)
            con.execute(f"set memory_limit = '{memory}'").fetchall()
        return update_index(con, warehouse)
    finally:
        con.close()
