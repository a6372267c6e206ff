"""Search at scale: index build time, incremental update time and query latency (p50/p95) of `broadsheet search`'s
index (warehouse/search.py) over N synthetic articles made from the real bodies of ../shared/bench.

Each synthetic article is a real body (dev + train truth) with its paragraphs shuffled and some dropped, one
sentence of another body spliced in, a site, domain and date drawn at random: realistic word statistics, no two
bodies alike. The articles go into a real warehouse file (warehouse.db.connect) in a temp dir; the index is
built and updated by the same update_index the flow calls, and queried by the same search() the CLI calls.

    python bench/search.py --articles 100000 [--queries 300] [--sql-bm25 20000]

Wall and CPU seconds are both printed (the machine is shared; CPU time is the steadier figure).
`--sql-bm25 N` also times BM25 computed by SQL over a DuckDB postings table of N of the articles, the
alternative to tantivy that the issue names.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import re
import statistics
import tempfile
import time
from pathlib import Path

import pyarrow as pa

from warehouse import search as fts
from warehouse.db import connect
from warehouse.schemas import SCHEMAS

BENCH = Path(__file__).resolve().parents[2] / "shared" / "bench"
SITES = [f"Site {chr(65 + i // 26)}{chr(65 + i % 26)}" for i in range(60)]
WORD = re.compile(r"[A-Za-z]{4,}")


def real_bodies() -> list[str]:
    """Every labelled body of the benchmark (dev and train truth), long enough to be an article."""
    out = []
    for truth in (BENCH / "dev" / "truth.jsonl", BENCH / "train" / "truth.jsonl"):
        with truth.open(encoding="utf-8") as fh:
            out += [b for b in (json.loads(line).get("body") or "" for line in fh) if len(b) > 400]
    return out


def synthetic_articles(bodies: list[str], n: int, seed: int = 7) -> pa.Table:
    """N articles-table rows, each a variant of a real body."""
    rng = random.Random(seed)
    rows = []
    start = dt.date(2015, 1, 1)
    for i in range(n):
        paras = [p for p in bodies[i % len(bodies)].split("\n") if p.strip()]
        rng.shuffle(paras)
        paras = paras[: max(1, int(len(paras) * rng.uniform(0.6, 1.0)))]
        other = rng.choice(bodies).split(". ")
        paras.insert(rng.randrange(len(paras) + 1), rng.choice(other))
        title_words = WORD.findall(paras[0])[:8] or ["Untitled"]
        site = rng.choice(SITES)
        body = "\n\n".join(paras)
        rows.append({
            "article_id": f"{i:032x}", "doc_id": f"{i:064x}", "source_file": f"synthetic/{i}.txt", "position": 0,
            "title": " ".join(title_words).capitalize(), "subtitle": None, "authors": [],
            "published": start + dt.timedelta(days=rng.randrange(3650)), "published_raw": None, "site": site,
            "url": None, "language": "en", "body": body, "word_count": len(body.split()),
            "paragraph_count": len(paras), "run_id": "bench-1", "dateline": None,
            "domain": site.lower().replace(" ", "") + ".example",
        })
    return pa.Table.from_pylist(rows, schema=SCHEMAS["articles"])


def make_queries(articles: pa.Table, k: int, seed: int = 11) -> list[dict]:
    """k queries: two words of one article's body, three words, a quoted phrase, some with --site/--since."""
    rng = random.Random(seed)
    bodies, sites = articles["body"], articles["site"]
    out = []
    for j in range(k):
        row = rng.randrange(articles.num_rows)
        words = WORD.findall(bodies[row].as_py())
        if len(words) < 6:
            continue
        kind = j % 3
        if kind == 0:
            text = " ".join(rng.sample(words, 2))
        elif kind == 1:
            text = " ".join(rng.sample(words, 3))
        else:
            at = rng.randrange(len(words) - 3)
            text = '"' + " ".join(words[at : at + 2]) + '"'
        q = {"query": text}
        if j % 5 == 0:
            q["site"] = sites[row].as_py()
        if j % 7 == 0:
            q["since"] = dt.date(2020, 1, 1)
        out.append(q)
    return out


def percentile(values: list[float], p: float) -> float:
    """The p-th percentile (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))]


def timed(fn):
    """(result, wall seconds, CPU seconds of the process: every thread)."""
    w, c = time.perf_counter(), time.process_time()
    out = fn()
    return out, time.perf_counter() - w, time.process_time() - c


def bench_queries(wh: Path, queries: list[dict]) -> dict:
    """Latency of search() on one opened searcher (a long-lived process), and of the CLI's per-call work."""
    opened = fts.open_searcher(wh)
    for q in queries[:20]:  # warm the page cache and the searcher
        fts.search(wh, limit=10, opened=opened, **q)
    walls, cpus, hits = [], [], 0
    for q in queries:
        (found, _total), w, c = timed(lambda q=q: fts.search(wh, limit=10, opened=opened, **q))
        walls.append(w * 1000)
        cpus.append(c * 1000)
        hits += bool(found)
    per_call = []
    for _ in range(10):  # what each `broadsheet search` adds: open DuckDB read-only, check staleness, open index
        def call():
            con = connect(wh, read_only=True)
            try:
                assert fts.staleness(con, wh) is None
            finally:
                con.close()
            return fts.open_searcher(wh)
        _, w, _c = timed(call)
        per_call.append(w * 1000)
    return {"queries": len(queries), "with_hits": hits, "p50_ms": percentile(walls, 50),
            "p95_ms": percentile(walls, 95), "max_ms": max(walls), "cpu_p50_ms": percentile(cpus, 50),
            "cpu_p95_ms": percentile(cpus, 95), "per_call_open_ms_median": statistics.median(per_call)}


def bench_sql_bm25(wh: Path, n: int, queries: list[dict]) -> dict:
    """BM25 in SQL over a DuckDB postings table of the first n articles: build time and query latency."""
    import duckdb

    con = duckdb.connect(str(wh.parent / "bm25.duckdb"))
    con.execute(f"attach '{wh}' as wh (read_only)")
    _, build_w, build_c = timed(lambda: con.execute(f"""
        create table docs as
            select article_id, lower(coalesce(title, '') || ' ' || body) as text from wh.articles limit {n};
        create table postings as
            select term, article_id, count(*)::integer as tf
            from (select article_id, unnest(regexp_split_to_array(text, '[^a-z0-9]+')) as term from docs)
            where term <> '' group by all order by term;
        create table doc_len as
            select article_id, count(*) as len from
            (select article_id, unnest(regexp_split_to_array(text, '[^a-z0-9]+')) as t from docs) where t <> ''
            group by all;
        create table term_df as select term, count(*) as df from postings group by term;
    """).fetchall())
    rows = con.execute("select count(*) from postings").fetchall()[0][0]
    sql = """
        with q as (select unnest(?::varchar[]) as term),
        stats as (select count(*) as n, avg(len) as avg_len from doc_len),
        scored as (
            select p.article_id,
                   sum(ln(1 + (s.n - d.df + 0.5) / (d.df + 0.5))
                       * p.tf * 2.2 / (p.tf + 1.2 * (0.25 + 0.75 * l.len / s.avg_len))) as score
            from postings p join q using (term) join term_df d using (term) join doc_len l using (article_id),
                 stats s
            group by p.article_id
        )
        select article_id, score from scored order by score desc limit 10"""
    walls = []
    for qd in queries:
        terms = [t for t in re.split(r"[^a-z0-9]+", qd["query"].lower()) if t]
        _, w, _c = timed(lambda terms=terms: con.execute(sql, [terms]).fetchall())
        walls.append(w * 1000)
    con.close()
    return {"articles": n, "postings": rows, "build_s": build_w, "build_cpu_s": build_c,
            "p50_ms": percentile(walls, 50), "p95_ms": percentile(walls, 95)}


def main() -> None:
    """Build, update and query the index of N synthetic articles; print the figures as JSON."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--articles", type=int, default=100_000)
    ap.add_argument("--queries", type=int, default=300)
    ap.add_argument("--update", type=int, default=1000, help="articles replaced (and half as many deleted)")
    ap.add_argument("--sql-bm25", type=int, default=0, help="also time SQL BM25 over this many articles")
    args = ap.parse_args()

    bodies = real_bodies()
    articles = synthetic_articles(bodies, args.articles)
    out: dict = {"articles": args.articles, "real_bodies": len(bodies), "load_average": os.getloadavg()}
    with tempfile.TemporaryDirectory(prefix="bench-search-") as tmp:
        wh = Path(tmp) / "wh.duckdb"
        con = connect(wh)
        con.register("synthetic", articles)
        con.execute("insert into articles by name select * from synthetic").fetchall()
        con.unregister("synthetic")
        con.close()

        con = connect(wh, read_only=True)
        done, w, c = timed(lambda: fts.update_index(con, wh))
        con.close()
        size = sum(f.stat().st_size for f in fts.index_dir(wh).rglob("*") if f.is_file())
        out["build"] = {"seconds": w, "cpu_seconds": c, "added": done.added, "index_mb": size / 1e6}

        con = connect(wh)
        changed = [f"{i:032x}" for i in range(0, args.update * 50, 50)]
        gone = [f"{i:032x}" for i in range(25, args.update * 25, 50)]
        con.execute("update articles set run_id = 'bench-2', body = body || '\n\nCorrection appended.' "
                    "where article_id in (select unnest(?::varchar[]))", [changed]).fetchall()
        con.execute("delete from articles where article_id in (select unnest(?::varchar[]))", [gone]).fetchall()
        con.close()
        con = connect(wh, read_only=True)
        done, w, c = timed(lambda: fts.update_index(con, wh))
        _, nw, _nc = timed(lambda: fts.update_index(con, wh))
        con.close()
        # removed counts the replaced articles' old versions too
        out["update"] = {"seconds": w, "cpu_seconds": c, "added": done.added, "removed": done.removed,
                         "nothing_new_seconds": nw}

        queries = make_queries(articles, args.queries)
        out["query"] = bench_queries(wh, queries)
        if args.sql_bm25:
            out["sql_bm25"] = bench_sql_bm25(wh, args.sql_bm25, queries)
    out["load_average_after"] = os.getloadavg()
    print(json.dumps(out, indent=1, default=str))


if __name__ == "__main__":
    main()
