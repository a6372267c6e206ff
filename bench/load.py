"""The DuckDB load alone: peak memory and time of loading a large run, without re-running its batches.

    python bench/throughput.py --docs 100000 --runner processes --workers 2 --work /tmp/w100k   # once
    python bench/load.py /tmp/w100k [--memory 256MB]

Rebuilds a staging folder from what the throughput run left (its lake files, one part per table, and the
warehouse's inbox_files), then loads it three times into a fresh warehouse, each load in a fresh process that
opens the warehouse as the flow's load task does (`flows.etl._bulk_writer`) and publishes the lake after it:
`first` into an empty warehouse, `grow` the same run under new document ids and paths (a second run of as many
new documents: the warehouse doubles), `replace` the `grow` files read again (each replaces its own rows).
Prints each load's wall and CPU time and its process's peak RSS (VmHWM) and the RSS it started from.
"""

from __future__ import annotations

import argparse
import datetime as dt
import pathlib
import subprocess
import sys
import tempfile
import time

REPO = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.clusters import peak_rss_mb  # noqa: E402
from warehouse.schemas import DOC_TABLES, SCHEMAS  # noqa: E402

ID_COLUMNS = {"doc_id", "article_id", "file_sha256"}


def build_stage(work: pathlib.Path, stage: pathlib.Path, suffix: str) -> None:
    """One part per table from the throughput run's lake, its run_id the stage's name; `suffix` makes every id
    and path new."""
    import duckdb

    lakes = sorted(work.glob("lake_*"))
    whs = sorted(work.glob("wh_*.duckdb"))
    if not lakes or not whs:
        raise SystemExit(f"no lake_* and wh_*.duckdb under {work}: run bench/throughput.py --work {work} first")
    con = duckdb.connect()
    for name in (*DOC_TABLES, "inbox_files"):
        (stage / name).mkdir(parents=True, exist_ok=True)
        if name == "inbox_files":
            con.execute(f"attach '{whs[0]}' as src (read_only)")
            source = "select * replace (true as changed) from src.inbox_files"
        elif any(lakes[0].glob(f"{name}/*/*.parquet")):
            source = f"select * from read_parquet('{lakes[0]}/{name}/*/*.parquet')"
        else:  # the run loaded no row of it
            con.register(f"none_{name}", SCHEMAS[name].empty_table())
            source = f"select * from none_{name}"
        cols = [d[0] for d in con.execute(f"select * from ({source}) limit 0").description]
        new = [f"{c} || '{suffix}' as {c}" for c in cols if c in ID_COLUMNS and suffix]
        new += [f"'{suffix}/' || {c} as {c}" for c in cols if c in ("source_file", "path") and suffix]
        new += [f"'{stage.name}' as run_id"] if "run_id" in cols else []
        select = f"select * replace ({', '.join(new)}) from ({source})" if new else source
        con.execute(f"copy ({select}) to '{stage / name / 'part-000000-0000.parquet'}' (format parquet)")
    con.close()


def load_once(warehouse: str, stage: str, memory: str) -> None:
    """One load of a staged run, as the flow's load task does it, with this process's times and peak RSS."""
    import pyarrow as pa

    from flows.etl import _bulk_writer
    from warehouse.load import empty_table, load_run, publish_lake
    from warehouse.schemas import table_from_rows

    start_rss = peak_rss_mb()
    run_id = pathlib.Path(stage).name
    now = dt.datetime.now(dt.UTC)

    def run_row(counts: object) -> pa.Table:
        return table_from_rows("runs", [{
            "run_id": run_id, "flow_run_id": None, "inbox": "bench", "started_at": now, "finished_at": now,
            "status": "loaded", "files_seen": 0, "files_skipped": 0, "documents_read": 0,
            "articles_extracted": 0, "articles_loaded": 0, "records_quarantined": 0, "boilerplate_lines": 0,
            "seconds_read": None, "seconds_transform": None, "seconds_validate": None, "seconds_load": None,
            "seconds_total": None}])

    wall, cpu = time.perf_counter(), time.process_time()
    con = _bulk_writer(warehouse, memory)
    try:
        counts = load_run(con, pathlib.Path(stage), empty_table("dq_results"), run_row)
        with tempfile.TemporaryDirectory() as lake:
            publish_lake(con, pathlib.Path(lake), run_id, now.date())
    finally:
        con.close()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    print(f"{counts.documents} documents, {counts.articles} articles, {counts.boilerplate} boilerplate lines in "
          f"{wall:.1f} s wall, {cpu:.1f} s CPU; RSS {start_rss:.0f} MB after imports, peak {peak_rss_mb():.0f} MB")


def main() -> None:
    """Command line: a throughput run's work folder, or (used by the bench itself) load-once."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("work", help="a bench/throughput.py --work folder after its run")
    ap.add_argument("--memory", help="DuckDB memory_limit of the load (default: the flow's LOAD_MEMORY)")
    ap.add_argument("--once", nargs=2, metavar=("WAREHOUSE", "STAGE"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.memory is None:
        from flows.etl import LOAD_MEMORY

        args.memory = LOAD_MEMORY
    if args.once:
        load_once(*args.once, args.memory)
        return
    work = pathlib.Path(args.work)
    with tempfile.TemporaryDirectory(dir=work) as tmp:
        tmp = pathlib.Path(tmp)
        build_stage(work, tmp / "first", "")
        build_stage(work, tmp / "grow", "b")
        build_stage(work, tmp / "replace", "b")
        warehouse = tmp / "bench.duckdb"
        for label in ("first", "grow", "replace"):
            done = subprocess.run([sys.executable, __file__, str(work), "--memory", args.memory,
                                   "--once", str(warehouse), str(tmp / label)],
                                  capture_output=True, text=True, check=False)
            errors = [line for line in done.stderr.splitlines() if "Error" in line or "Exception" in line]
            status = done.stdout.strip() or (errors or ["failed"])[-1]
            print(f"{label} (memory_limit {args.memory}): {status}", flush=True)


if __name__ == "__main__":
    main()
