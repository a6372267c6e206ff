"""Score classify_lines on the benchmark's plain-text dumps: P/R/F1 via the bench scorer, plus docs/s."""

from __future__ import annotations

import argparse
import json
import pathlib
import subprocess
import sys
import time

REPO = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from transforms.clean_text import classify_lines  # noqa: E402
from transforms.record import BODY  # noqa: E402
from transforms.rules import load_rules  # noqa: E402
from transforms.segment import split_articles  # noqa: E402

DEFAULT_DIR = REPO.parent / "shared" / "bench" / "dev"


def extract_body(text: str) -> str:
    """Body of a dump as the benchmark expects it: BODY lines of every article, blank-line separated."""
    lines = classify_lines(text, load_rules())
    articles = split_articles(lines)
    return "\n\n".join(line.text for article in articles for line in article if line.label == BODY)


def run(bench_dir: pathlib.Path, out: pathlib.Path) -> tuple[pathlib.Path, int, float]:
    """Clean every <id>.txt of bench_dir, write predictions to out; return the path, count and seconds."""
    load_rules()  # untimed warm-up: parse the TOML once
    pages = sorted(bench_dir.glob("*.txt"))
    texts = [(p.stem, p.read_text(encoding="utf-8")) for p in pages]
    elapsed = 0.0
    rows = []
    for doc_id, text in texts:
        began = time.perf_counter()
        body = extract_body(text)
        elapsed += time.perf_counter() - began
        rows.append({"id": doc_id, "body": body})
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return out, len(rows), elapsed


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
    scorer = args.bench_dir.parent / "score.py"
    cmd = [sys.executable, str(scorer), str(args.bench_dir / "truth.jsonl"), str(out)]
    if args.per_doc:
        cmd.append("--per-doc")
    result = subprocess.run(cmd, capture_output=True, text=True, check=True)
    lines = result.stdout.strip().splitlines()
    print("\n".join(lines if args.per_doc else lines[-6:]))
    print(f"cleaning: {count} docs in {seconds:.2f}s = {count / seconds:.0f} docs/s (one core)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
