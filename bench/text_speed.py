"""Throughput of the text path on one core: classify_lines alone, the full process_documents path, and (--floor)
the bare per-line work every cleaner of this design pays before classifying anything."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import pathlib
import re
import sys
import time

REPO = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from transforms.clean_text import classify_lines  # noqa: E402
from transforms.pipeline import process_documents, read_dump  # noqa: E402
from transforms.rules import load_rules  # noqa: E402

DEFAULT_DIR = REPO.parent / "shared" / "bench" / "dev"


def best_of(repeats: int, work) -> float:
    """Fastest process (CPU) time of several runs of work() (the machine is shared: the minimum is the least noisy)."""
    best = float("inf")
    for _ in range(repeats):
        began = time.process_time()
        work()
        best = min(best, time.process_time() - began)
    return best


def main(argv: list[str] | None = None) -> int:
    """Print docs/s for cleaning alone and for read+clean+split+fields (process_documents), after a warm-up."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--bench-dir", type=pathlib.Path, default=DEFAULT_DIR, help="folder with <id>.txt dumps")
    ap.add_argument("--repeats", type=int, default=5, help="timed runs; the fastest is reported")
    ap.add_argument("--floor", action="store_true",
                    help="also time the bare per-line work: split, strip, lower-case, tokens, normal form, line rules")
    args = ap.parse_args(argv)
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core
    pages = sorted(args.bench_dir.glob("*.txt"))
    if not pages:
        print(f"no *.txt dumps in {args.bench_dir}", file=sys.stderr)
        return 2
    raw = [(p.name, p.read_bytes()) for p in pages]
    texts = [p.read_text(encoding="utf-8") for p in pages]
    rules = load_rules()
    now = dt.datetime.now(dt.UTC)

    def clean() -> None:
        for text in texts:
            classify_lines(text, rules)

    def full() -> None:
        docs = [d for name, data in raw for d in read_dump(data, name, "txt", now)]
        process_documents(docs, rules)

    clean()  # untimed warm-up: regex caches
    full()  # untimed warm-up: py3langid model, dateparser locale data
    n = len(pages)
    t_clean, t_full = best_of(args.repeats, clean), best_of(args.repeats, full)
    print(f"cleaning only (classify_lines):            {n} docs in {t_clean:.2f}s = {n / t_clean:.0f} docs/s")
    print(f"full text path (read_dump + process_documents, one batch): "
          f"{n} docs in {t_full:.2f}s = {n / t_full:.0f} docs/s")
    if args.floor:
        word = re.compile(r"\w+")

        def lines_only(with_rules: bool) -> None:
            for text in texts:
                lines = [s for s in (raw.strip() for raw in text.split("\n")) if s]
                norms = [" ".join(s.lower().split()) for s in lines]
                words = [len(word.findall(s)) for s in norms]
                if with_rules:
                    rules.match_line_rules(norms, words)

        for label, flag in (("split, strip, lower, tokens, normal form", False), ("the same + line rules", True)):
            t = best_of(args.repeats, lambda flag=flag: lines_only(flag))
            print(f"floor: {label:40s} {1000 * t / n:.2f} ms/doc")
    return 0


if __name__ == "__main__":
    sys.exit(main())
