"""Story clusters in the warehouse: sign the articles not clustered yet, find earlier candidates through the LSH
band keys kept in `story_bands`, assign each new article a cluster, and write the rows, in one transaction, a chunk
of articles at a time (earlier chunks are found through the bands like earlier runs), so memory does not grow
with the number of new articles. Sites' templates come from paragraph counts kept in the warehouse
(`story_paragraph_counts`), updated by the articles that came and went, not counted anew each run."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import numpy as np
import pyarrow as pa

from transforms.clusters import (
    PREDECESSORS,
    ClusterRules,
    Sketches,
    assign,
    band_keys,
    founder_similarities,
    sketch,
    strip_template,
)
from warehouse.db import read_query
from warehouse.schemas import SCHEMAS

CHUNK = 2_000  # articles counted, or sketched, matched and inserted, at once (5,000: 90 MB more at 100,000, 25% faster)


@dataclass(frozen=True, slots=True)
class ClusterCounts:
    """What one clustering did: articles clustered, of them joining an earlier story, clusters re-seated."""

    clustered: int = 0
    joined: int = 0
    reseated: int = 0


def _signatures(column: pa.ChunkedArray | pa.Array, num_perm: int) -> np.ndarray:
    raw = b"".join(column.to_pylist())
    return np.frombuffer(raw, dtype="<u4").reshape(-1, num_perm).astype(np.uint32)


def _blobs(sigs: np.ndarray) -> pa.Array:
    width = sigs.shape[1] * 4
    offsets = np.arange(len(sigs) + 1, dtype=np.int32) * width
    data = np.ascontiguousarray(sigs, dtype="<u4").tobytes()
    return pa.Array.from_buffers(pa.binary(), len(sigs), [None, pa.py_buffer(offsets), pa.py_buffer(data)])


def _stage(con: duckdb.DuckDBPyConnection, name: str, table: pa.Table) -> None:
    """Copy an Arrow table into a temp table for the SQL files to read: a registered table would stay alive until
    the transaction ends, so every chunk's would pile up."""
    rel = con.from_arrow(table)
    columns = ", ".join(f'"{column}" {kind}' for column, kind in zip(rel.columns, rel.types, strict=True))
    con.execute(f"create or replace temp table {name} ({columns})").fetchall()
    rel.insert_into(name)


def _unstage(con: duckdb.DuckDBPyConnection, *names: str) -> None:
    for name in names:
        con.execute(f"drop table if exists {name}").fetchall()


def _reseat(con: duckdb.DuckDBPyConnection, rules: ClusterRules) -> int:
    """Measure again, against their new first article, the members of clusters whose first article left."""
    rows = con.sql(read_query("02_orphaned", "clusters")).to_arrow_table()
    if not rows.num_rows:
        return 0
    clusters = rows["cluster_id"].to_numpy(zero_copy_only=False)
    sigs = _signatures(rows["signature"], rules.num_perm)
    starts = np.flatnonzero(np.r_[True, clusters[1:] != clusters[:-1]])
    sims = np.concatenate([founder_similarities(part) for part in np.split(sigs, starts[1:])])
    _stage(con, "reseated", pa.table({"article_id": rows["article_id"], "similarity": sims}))
    try:
        con.execute("update story_clusters as c set similarity = r.similarity from reseated as r "
                    "where c.article_id = r.article_id").fetchall()
    finally:
        _unstage(con, "reseated")
    return len(starts)


def _earlier(con: duckdb.DuckDBPyConnection, new: Sketches, rules: ClusterRules
             ) -> tuple[Sketches, dict[str, np.ndarray]]:
    """The clustered articles sharing a band key with a new one (in each band, the latest PREDECESSORS), and the
    first article of each of their clusters."""
    live = ~new.empty
    incoming = pa.table({
        "band": pa.array(np.tile(np.arange(rules.bands, dtype=np.int32), int(live.sum()))),
        "key": pa.array(new.keys[live].reshape(-1)),
    })
    _stage(con, "incoming_bands", incoming)
    try:
        found = con.sql(read_query("09_candidates", "clusters")).to_arrow_table()
    finally:
        _unstage(con, "incoming_bands")
    sigs = _signatures(found["signature"], rules.num_perm)
    clusters = found["cluster_id"].to_pylist()
    earlier = Sketches(found["article_id"].to_pylist(), sigs, band_keys(sigs, rules),
                       np.zeros(len(sigs), dtype=bool), clusters)
    if not clusters:
        return earlier, {}
    _stage(con, "candidate_clusters", pa.table({"cluster_id": pa.array(sorted(set(clusters)), pa.string())}))
    try:
        firsts = con.sql(read_query("10_founders", "clusters")).to_arrow_table()
    finally:
        _unstage(con, "candidate_clusters")
    first_sigs = _signatures(firsts["signature"], rules.num_perm)
    return earlier, dict(zip(firsts["cluster_id"].to_pylist(), first_sigs, strict=True))


def _count_paragraphs(con: duckdb.DuckDBPyConnection, chunk: int) -> None:
    """Bring the per-site paragraph counts in step with the loaded articles: the gone leave, the new come in."""
    con.execute(read_query("03_uncount", "clusters")).fetchall()
    con.execute(read_query("04_uncounted", "clusters")).fetchall()
    (total,) = con.execute("select count(*) from uncounted").fetchone()
    for first in range(0, total, chunk):
        _set_chunk(con, first, chunk)
        con.execute(read_query("05_count", "clusters")).fetchall()


def _set_chunk(con: duckdb.DuckDBPyConnection, first: int, chunk: int) -> None:
    con.execute("set variable chunk_first = ?", [first]).fetchall()
    con.execute("set variable chunk_last = ?", [first + chunk - 1]).fetchall()


def _cluster_chunk(con: duckdb.DuckDBPyConnection, rules: ClusterRules) -> ClusterCounts:
    """Sketch one chunk of the unclustered articles (their sites' template left out), match and insert it."""
    con.execute(read_query("07_bodies", "clusters")).fetchall()
    todo = con.sql("select article_id, site, first_seen, body from chunk_bodies order by seq").to_arrow_table()
    template: dict[str, set[str]] = {}
    for site, norm in con.execute(read_query("08_template", "clusters")).fetchall():
        template.setdefault(site, set()).add(norm)
    bodies = strip_template(todo["body"].to_pylist(), todo["site"].to_pylist(), template)
    new = sketch(todo["article_id"].to_pylist(), bodies, rules)
    del bodies
    earlier, founders = _earlier(con, new, rules)
    rows = assign(new, earlier, founders, rules)
    _insert(con, todo, new, rows, rules)
    return ClusterCounts(len(rows), sum(1 for article_id, cluster, _ in rows if cluster != article_id))


def cluster_articles(con: duckdb.DuckDBPyConnection, rules: ClusterRules, chunk: int = CHUNK) -> ClusterCounts:
    """Cluster every article of the warehouse not clustered yet (all of them after a scheme change), in one
    transaction, `chunk` articles at a time (any chunk size gives the same clusters); re-seat clusters whose first
    article left. Safe to re-run: clustered articles are skipped."""
    if chunk < 1:
        raise ValueError(f"chunk must be at least 1, got {chunk}")
    con.execute("begin transaction").fetchall()
    try:
        con.execute("set variable cluster_scheme = ?", [rules.scheme]).fetchall()
        con.execute("set variable template_min_articles = ?", [rules.template_min_articles]).fetchall()
        con.execute("set variable cluster_predecessors = ?", [PREDECESSORS]).fetchall()
        con.execute(read_query("01_stale_scheme", "clusters")).fetchall()
        reseated = _reseat(con, rules)
        _count_paragraphs(con, chunk)
        con.execute(read_query("06_unclustered", "clusters")).fetchall()
        (total,) = con.execute("select count(*) from unclustered").fetchone()
        clustered = joined = 0
        for first in range(0, total, chunk):
            _set_chunk(con, first, chunk)
            part = _cluster_chunk(con, rules)
            clustered, joined = clustered + part.clustered, joined + part.joined
        con.execute("commit").fetchall()
    except BaseException:
        con.execute("rollback").fetchall()
        raise
    return ClusterCounts(clustered, joined, reseated)


def _insert(con: duckdb.DuckDBPyConnection, todo: pa.Table, new: Sketches, rows: list[tuple[str, str, float]],
            rules: ClusterRules) -> None:
    n = len(rows)
    clusters = pa.table({
        "cluster_id": pa.array([c for _, c, _ in rows], pa.string()),
        "article_id": todo["article_id"],
        "similarity": pa.array([s for _, _, s in rows], pa.float64()),
        "first_seen": todo["first_seen"],
    })
    live = np.flatnonzero(~new.empty)
    ids = np.asarray(new.ids, dtype=object)
    tables = {
        "story_clusters": clusters,
        "story_signatures": pa.table({"article_id": todo["article_id"], "scheme": pa.array([rules.scheme] * n),
                                      "signature": _blobs(new.signatures)}),
        "story_bands": pa.table({
            "band": pa.array(np.tile(np.arange(rules.bands, dtype=np.int32), len(live))),
            "key": pa.array(new.keys[live].reshape(-1)),
            "article_id": pa.array(np.repeat(ids[live], rules.bands), pa.string()),
        }),
    }
    for name, table in tables.items():
        _stage(con, f"incoming_{name}", table.cast(SCHEMAS[name]))
    try:
        con.execute(read_query("11_insert", "clusters")).fetchall()
    finally:
        _unstage(con, *(f"incoming_{name}" for name in tables))
