"""Score classify_lines on the benchmark's plain-text dumps: P/R/F1 via the bench scorer, plus docs/s."""

from __future__ import annotations

import argparse
import pathlib
import sys
import time

REPO = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.scoring import run_scorer, write_predictions  # noqa: E402
from transforms.clean_text import classify_lines  # noqa: E402
from transforms.record import BODY  # noqa: E402
from transforms.rules import Rules, load_rules  # noqa: E402
from transforms.segment import split_articles  # noqa: E402

DEFAULT_DIR = REPO.parent / "shared" / "bench" / "dev"


def extract_body(text: str, rules: Rules) -> str:
    """Body of a dump as the benchmark expects it: BODY lines of every article, blank-line separated."""
    lines = classify_lines(text, rules)
    articles = split_articles(lines)
    return "\n\n".join(line.text for article in articles for line in article if line.label == BODY)


def run(bench_dir: pathlib.Path, out: pathlib.Path) -> tuple[pathlib.Path, int, float]:
    """Clean every <id>.txt of bench_dir, write predictions to out; return the path, count and seconds."""
    rules = load_rules()  # untimed: parse the TOML once
    pages = sorted(bench_dir.glob("*.txt"))
    texts = [(p.stem, p.read_text(encoding="utf-8")) for p in pages]
    elapsed = 0.0
    rows = []
    for doc_id, text in texts:
        began = time.perf_counter()
        body = extract_body(text, rules)
        elapsed += time.perf_counter() - began
        rows.append({"id": doc_id, "body": body})
    return write_predictions(out, rows), len(rows), elapsed


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print the scorer's summary lines and the cleaning speed."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--bench-dir", type=pathlib.Path, default=DEFAULT_DIR,
                    help="folder with <id>.txt and truth.jsonl")
    ap.add_argument("--out", type=pathlib.Path, default=REPO / "bench" / "out" / "text_preds.jsonl")
    ap.add_argument("--per-doc", action="store_true", help="also print the scorer's per-document lines")
    args = ap.parse_args(argv)
    if not args.bench_dir.is_dir():
        print(f"benchmark folder {args.bench_dir} not found", file=sys.stderr)
        return 2
    out, count, seconds = run(args.bench_dir, args.out)
    print("\n".join(run_scorer(args.bench_dir, "truth.jsonl", out, args.per_doc, tail=6)))
    print(f"cleaning: {count} docs in {seconds:.2f}s = {count / seconds:.0f} docs/s (one core)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
