"""Throughput benchmark: run the real flow on N variants of the sample dumps; print docs/s and peak RSS.

    python bench/throughput.py --docs 1000            # seeds, varied so every dump is new
    python bench/throughput.py --docs 1000 --mix      # plus the w3m dumps of ../shared/bench/dev

Each variant gets a unique first line (a different sha256, so nothing is skipped as unchanged) and the
seeds are rotated, so the flow does the full work for every document. Timing excludes the one-off start
of the ephemeral Prefect server (a warm-up run on one document starts it) but includes everything else:
discovery, reading, cleaning, extraction, validation, the Parquet lake and the DuckDB load.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def make_inbox(inbox: Path, n_docs: int, mix: bool) -> int:
    """Write n_docs dumps; returns the bytes written."""
    sources = sorted((ROOT / "samples" / "inbox").glob("*.txt"))
    bench_dev = ROOT.parent / "shared" / "bench" / "dev"
    if mix and bench_dev.is_dir():
        sources += sorted(bench_dev.glob("*.txt"))
    texts = [p.read_text(encoding="utf-8") for p in sources]
    total = 0
    for i in range(n_docs):
        sub = inbox / f"batch_{i // 250:03d}"
        sub.mkdir(parents=True, exist_ok=True)
        data = f"Archive copy {i}\n\n{texts[i % len(texts)]}".encode()
        (sub / f"dump_{i:06d}.txt").write_bytes(data)
        total += len(data)
    return total


def main() -> None:
    """Run the benchmark and print its figures."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=int, default=1000)
    ap.add_argument("--batch-size", type=int, default=200)
    ap.add_argument("--mix", action="store_true", help="also use the benchmark's w3m dumps as sources")
    ap.add_argument("--workers", type=int, default=1, help="processes for the transform tasks (1: threads)")
    args = ap.parse_args()

    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
    work = Path(tempfile.mkdtemp(prefix="broadsheet-bench-"))
    os.environ.setdefault("PREFECT_HOME", str(work / "prefect"))
    (work / "prefect").mkdir()
    try:
        from flows.etl import flow_with_workers

        etl_flow = flow_with_workers(args.workers)

        warm = work / "warm"
        make_inbox(warm, 1, False)
        etl_flow(inbox=str(warm), warehouse=str(work / "warm.duckdb"), lake=str(work / "warm_lake"))

        inbox = work / "inbox"
        nbytes = make_inbox(inbox, args.docs, args.mix)
        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        t0 = time.perf_counter()
        summary = etl_flow(inbox=str(inbox), warehouse=str(work / "wh.duckdb"), lake=str(work / "lake"),
                           batch_size=args.batch_size, in_flight=2 * args.workers)
        elapsed = time.perf_counter() - t0
        peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        stages = ", ".join(f"{k} {v:.2f}s" for k, v in summary["seconds"].items())
        print(f"documents: {summary['documents_read']} ({nbytes / 1e6:.1f} MB), articles loaded: "
              f"{summary['articles_loaded']}, quarantined: {summary['records_quarantined']}")
        print(f"stages: {stages}")
        print(f"flow wall time: {elapsed:.2f}s  ->  {summary['documents_read'] / elapsed:.1f} docs/s")
        validate = summary["seconds"]["validate"]
        print(f"validation ({summary['articles_extracted']} articles): {validate:.2f}s = "
              f"{validate / (elapsed - validate):.1%} added to the rest of the flow")
        print(f"peak RSS (flow process): {peak_kb / 1024:.0f} MB (before the timed run: {rss_before / 1024:.0f} MB)")
        children_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # largest child: server or worker
        print(f"peak RSS of the largest child process (Prefect server / workers): {children_kb / 1024:.0f} MB")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
