"""Story clusters in the warehouse: sign the articles not clustered yet, find earlier candidates through the LSH
band keys kept in `story_bands`, assign each new article a cluster, and write the rows, in one transaction."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import numpy as np
import pyarrow as pa

from transforms.clusters import (
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

BODY_BATCH = 10_000  # article texts read and sketched at once


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


def _reseat(con: duckdb.DuckDBPyConnection, rules: ClusterRules) -> int:
    """Measure again, against their new first article, the members of clusters whose first article left."""
    rows = con.sql(read_query("02_orphaned", "clusters")).to_arrow_table()
    if not rows.num_rows:
        return 0
    clusters = rows["cluster_id"].to_numpy(zero_copy_only=False)
    sigs = _signatures(rows["signature"], rules.num_perm)
    starts = np.flatnonzero(np.r_[True, clusters[1:] != clusters[:-1]])
    sims = np.concatenate([founder_similarities(part) for part in np.split(sigs, starts[1:])])
    con.register("reseated", pa.table({"article_id": rows["article_id"], "similarity": sims}))
    try:
        con.execute("update story_clusters as c set similarity = r.similarity from reseated as r "
                    "where c.article_id = r.article_id").fetchall()
    finally:
        con.unregister("reseated")
    return len(starts)


def _earlier(con: duckdb.DuckDBPyConnection, new: Sketches, rules: ClusterRules
             ) -> tuple[Sketches, dict[str, np.ndarray]]:
    """The clustered articles sharing a band key with a new one, and the first article of each of their clusters."""
    live = ~new.empty
    incoming = pa.table({
        "band": pa.array(np.tile(np.arange(rules.bands, dtype=np.int32), int(live.sum()))),
        "key": pa.array(new.keys[live].reshape(-1)),
    })
    con.register("incoming_bands", incoming)
    try:
        found = con.sql(read_query("06_candidates", "clusters")).to_arrow_table()
    finally:
        con.unregister("incoming_bands")
    sigs = _signatures(found["signature"], rules.num_perm)
    clusters = found["cluster_id"].to_pylist()
    earlier = Sketches(found["article_id"].to_pylist(), sigs, band_keys(sigs, rules),
                       np.zeros(len(sigs), dtype=bool), clusters)
    if not clusters:
        return earlier, {}
    con.register("candidate_clusters", pa.table({"cluster_id": pa.array(sorted(set(clusters)), pa.string())}))
    try:
        firsts = con.sql(read_query("07_founders", "clusters")).to_arrow_table()
    finally:
        con.unregister("candidate_clusters")
    first_sigs = _signatures(firsts["signature"], rules.num_perm)
    return earlier, dict(zip(firsts["cluster_id"].to_pylist(), first_sigs, strict=True))


def _sketch_unclustered(con: duckdb.DuckDBPyConnection, todo: pa.Table, rules: ClusterRules) -> Sketches:
    """Sketches of the unclustered articles in first-seen order, their sites' template left out; their bodies are
    read as a stream of batches, so only signatures are held for the whole run."""
    ids = todo["article_id"].to_pylist()
    at = {article_id: i for i, article_id in enumerate(ids)}
    sigs = np.zeros((len(ids), rules.num_perm), dtype=np.uint32)
    empty = np.zeros(len(ids), dtype=bool)
    template: dict[str, set[str]] = {}
    for site, norm in con.execute("select site, norm from site_template").fetchall():
        template.setdefault(site, set()).add(norm)
    for batch in con.sql(read_query("05_bodies", "clusters")).to_arrow_reader(BODY_BATCH):
        bodies = strip_template(batch["body"].to_pylist(), batch["site"].to_pylist(), template)
        part = sketch(batch["article_id"].to_pylist(), bodies, rules)
        rows = np.fromiter((at[a] for a in part.ids), dtype=np.int64, count=len(part.ids))
        sigs[rows] = part.signatures
        empty[rows] = part.empty
    return Sketches(ids, sigs, band_keys(sigs, rules), empty)


def cluster_articles(con: duckdb.DuckDBPyConnection, rules: ClusterRules) -> ClusterCounts:
    """Cluster every article of the warehouse not clustered yet (all of them after a scheme change), in one
    transaction; re-seat clusters whose first article left. Safe to re-run: clustered articles are skipped."""
    con.execute("begin transaction").fetchall()
    try:
        con.execute("set variable cluster_scheme = ?", [rules.scheme]).fetchall()
        con.execute("set variable template_min_articles = ?", [rules.template_min_articles]).fetchall()
        con.execute(read_query("01_stale_scheme", "clusters")).fetchall()
        reseated = _reseat(con, rules)
        con.execute(read_query("03_template", "clusters")).fetchall()
        todo = con.sql(read_query("04_unclustered", "clusters")).to_arrow_table()
        counts = ClusterCounts(reseated=reseated)
        if todo.num_rows:
            new = _sketch_unclustered(con, todo, rules)
            earlier, founders = _earlier(con, new, rules)
            rows = assign(new, earlier, founders, rules)
            _insert(con, todo, new, rows, rules)
            joined = sum(1 for article_id, cluster, _ in rows if cluster != article_id)
            counts = ClusterCounts(len(rows), joined, reseated)
        con.execute("commit").fetchall()
    except BaseException:
        con.execute("rollback").fetchall()
        raise
    return counts


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
        con.register(f"incoming_{name}", table.cast(SCHEMAS[name]))
    try:
        con.execute(read_query("08_insert", "clusters")).fetchall()
    finally:
        for name in tables:
            con.unregister(f"incoming_{name}")
