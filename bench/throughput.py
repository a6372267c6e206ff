"""Throughput benchmark: run the real flow on N variants of the sample dumps, per runner; print docs/s, peak RSS
of the flow process and of each worker, seconds per stage, and the time of a re-run with nothing new.

    python bench/throughput.py --docs 10000                               # threads, one process
    python bench/throughput.py --docs 10000 --runner processes --workers 2
    python bench/throughput.py --docs 100000 --runner dask --workers 2

Each variant gets a unique first line (a different sha256, so nothing is skipped as unchanged) and the seeds are
rotated, so the flow does the full work for every document. One temporary Prefect server is started first and
shared by the flow and its workers (its start is not timed); everything else is: discovery, reading, cleaning,
validation, staging Parquet, the DuckDB load and the lake. RSS is sampled every 0.2 s with psutil over the flow
process and its children (the Prefect server excluded).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

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
        sub = inbox / f"batch_{i // 250:04d}"
        sub.mkdir(parents=True, exist_ok=True)
        data = f"Archive copy {i}\n\n{texts[i % len(texts)]}".encode()
        (sub / f"dump_{i:06d}.txt").write_bytes(data)
        total += len(data)
    return total


class RssSampler:
    """Peak RSS of this process and of each child process (not the Prefect server), sampled in a thread."""

    def __init__(self) -> None:
        self.me = psutil.Process()
        self.flow_peak = 0
        self.samples: list[tuple[float, int]] = []  # (perf_counter, RSS of this process)
        self.workers: dict[int, int] = {}
        self.cpu: dict[str, dict[int, float]] = {"server": {}, "workers": {}}  # last CPU seconds seen per pid
        self._began: dict[int, float] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            rss = self.me.memory_info().rss
            self.flow_peak = max(self.flow_peak, rss)
            self.samples.append((time.perf_counter(), rss))
            for child in self.me.children(recursive=True):
                try:
                    cmd = " ".join(child.cmdline())
                    used = sum(child.cpu_times()[:2])
                    self._began.setdefault(child.pid, used if "uvicorn" in cmd else 0.0)
                    if "uvicorn" in cmd:
                        self.cpu["server"][child.pid] = used - self._began[child.pid]
                    if "uvicorn" in cmd or "resource_tracker" in cmd or " -S -c" in cmd:
                        continue
                    self.cpu["workers"][child.pid] = used
                    self.workers[child.pid] = max(self.workers.get(child.pid, 0), child.memory_info().rss)
                except psutil.Error:
                    continue
            time.sleep(0.2)

    def stage_peaks(self, start: float, seconds: dict[str, float], stages: tuple[str, ...]) -> dict[str, int]:
        """Peak RSS of this process in each stage, the stages laid end to end from `start` in the flow's order."""
        peaks, at = {}, start
        for stage in stages:
            end = at + seconds.get(stage, 0.0)
            peaks[stage] = max((rss for t, rss in self.samples if at <= t < end), default=0)
            at = end
        return peaks

    def __enter__(self) -> RssSampler:
        self._flow_cpu = sum(self.me.cpu_times()[:2])
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.flow_cpu = sum(self.me.cpu_times()[:2]) - self._flow_cpu  # this sampler's own thread included


def main() -> None:
    """Run the benchmark and print its figures."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=int, default=1000)
    ap.add_argument("--batch-size", type=int, help="default: the runner's (flows.etl.default_batch_size)")
    ap.add_argument("--mix", action="store_true", help="also use the benchmark's w3m dumps as sources")
    ap.add_argument("--runner", choices=("threads", "processes", "dask"), default="threads")
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument("--work", help="folder for the inbox and warehouse (default: a temp dir, removed)")
    args = ap.parse_args()

    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
    work = Path(args.work) if args.work else Path(tempfile.mkdtemp(prefix="broadsheet-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("PREFECT_HOME", str(work / "prefect"))
    load_avg = os.getloadavg()
    try:
        from flows.etl import default_batch_size, flow_with_workers
        from flows.reaper import shared_api_server

        with shared_api_server():
            etl_flow = flow_with_workers(args.workers, args.runner)
            empty = work / "empty"
            empty.mkdir(exist_ok=True)
            inbox = work / "inbox"
            if not inbox.exists():
                make_inbox(inbox, args.docs, args.mix)
            nbytes = sum(p.stat().st_size for p in inbox.rglob("*.txt"))
            wh, lake = work / f"wh_{args.runner}{args.workers}.duckdb", work / f"lake_{args.runner}{args.workers}"
            for stale in (wh, lake):
                shutil.rmtree(stale, ignore_errors=True) if stale.is_dir() else stale.unlink(missing_ok=True)
            batch_size = args.batch_size or default_batch_size(args.workers, args.runner)
            params = {"batch_size": batch_size, "in_flight": 2 * args.workers}
            etl_flow(inbox=str(empty), warehouse=str(wh), lake=str(lake), **params)  # warm-up: imports, server
            with RssSampler() as rss:
                t0 = time.perf_counter()
                summary = etl_flow(inbox=str(inbox), warehouse=str(wh), lake=str(lake), **params)
                elapsed = time.perf_counter() - t0
            t1 = time.perf_counter()
            again = etl_flow(inbox=str(inbox), warehouse=str(wh), lake=str(lake), **params)
            rerun = time.perf_counter() - t1
            t2 = time.perf_counter()
            etl_flow(inbox=str(empty), warehouse=str(wh), lake=str(lake), **params)
            empty_run = time.perf_counter() - t2
        sec = summary["seconds"]
        transform = sec.get("worker_transform", 0.0)
        print(f"runner {args.runner}, workers {args.workers}; load average before: "
              f"{' '.join(f'{x:.1f}' for x in load_avg)}, after: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
        print(f"documents: {summary['documents_read']} ({nbytes / 1e6:.1f} MB), articles loaded: "
              f"{summary['articles_loaded']}, quarantined: {summary['records_quarantined']}")
        stages = ("discover", "batches", "run_checks", "load", "clusters", "search_index")
        listed = sum(sec.get(k, 0.0) for k in stages)
        print("stages (wall): " + ", ".join(f"{k} {sec.get(k, 0.0):.2f}s" for k in stages)
              + f", rest of the run {sec['total'] - listed:.2f}s, "
              f"outside the run (Prefect) {elapsed - sec['total']:.2f}s")
        print("in the batches (summed over workers): " + ", ".join(
            f"{k.removeprefix('worker_')} {v:.2f}s" for k, v in sec.items() if k.startswith("worker_")))
        print(f"flow wall time: {elapsed:.2f}s  ->  {summary['documents_read'] / elapsed:.1f} docs/s")
        if args.runner == "threads":  # in_flight batches share one process: their wall-clock timers overlap
            print("outside the transforms: n/a on threads (concurrent batches' timers add up past the wall time)")
        else:
            busy = max(1, args.workers) * elapsed
            print(f"outside the transforms: {1 - transform / busy:.1%} of worker-seconds ({busy:.1f}s)")
        print(f"peak RSS flow process: {rss.flow_peak / 2**20:.0f} MB; workers: "
              + (", ".join(f"{v / 2**20:.0f} MB" for v in sorted(rss.workers.values(), reverse=True)) or "none"))
        # the Prefect time outside the run is mostly before it (creating the flow run), so stages start after it
        peaks = rss.stage_peaks(t0 + elapsed - sec["total"], sec, stages)
        print("peak RSS flow process by stage: " + ", ".join(f"{k} {v / 2**20:.0f} MB" for k, v in peaks.items()))
        print(f"CPU seconds in the run: flow process {rss.flow_cpu:.1f}, Prefect server "
              f"{sum(rss.cpu['server'].values()):.1f}, workers {sum(rss.cpu['workers'].values()):.1f} "
              "(as last sampled)")
        print(f"re-run with nothing new: {rerun:.2f}s ({again['files_skipped']} skipped); "
              f"empty inbox: {empty_run:.2f}s; difference {rerun - empty_run:+.2f}s")
    finally:
        if not args.work:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
