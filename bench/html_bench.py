"""Score extract_html on the benchmark's HTML pages: P/R/F1 via the bench scorer, docs/s vs plain trafilatura."""

from __future__ import annotations

import argparse
import gzip
import pathlib
import sys
import time
from collections.abc import Callable

import trafilatura

REPO = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.scoring import run_scorer, write_predictions  # noqa: E402
from transforms.html import extract_html  # noqa: E402
from transforms.rules import load_rules  # noqa: E402

DEFAULT_DIR = REPO.parent / "shared" / "bench" / "dev"


def extract_body(html: str) -> str:
    """Body of a page as the benchmark expects it: paragraphs joined by a blank line."""
    ext = extract_html(html, None, load_rules())
    return "\n\n".join(ext.paragraphs) if ext else ""


def plain_trafilatura(html: str) -> str:
    """The reference: trafilatura.extract with the published benchmark's setting."""
    return trafilatura.extract(html, include_comments=False) or ""


def time_both(ours: Callable[[str], str], ref: Callable[[str], str],
              pages: list[tuple[str, str]]) -> tuple[list[str], float, float]:
    """Run both extractors page by page (interleaved, so machine load hits both alike) after one untimed
    warm-up each; return our outputs and the summed seconds of ours and of the reference."""
    ours(pages[0][1])
    ref(pages[0][1])
    outputs, ours_s, ref_s = [], 0.0, 0.0
    for _, html in pages:
        began = time.perf_counter()
        outputs.append(ours(html))
        middle = time.perf_counter()
        ref(html)
        ref_s += time.perf_counter() - middle
        ours_s += middle - began
    return outputs, ours_s, ref_s


def time_calls(func: Callable[[str], str], pages: list[tuple[str, str]]) -> tuple[list[str], float]:
    """Run func on every page after one untimed warm-up; return the outputs and the summed seconds."""
    func(pages[0][1])
    outputs, elapsed = [], 0.0
    for _, html in pages:
        began = time.perf_counter()
        outputs.append(func(html))
        elapsed += time.perf_counter() - began
    return outputs, elapsed


def read_pages(bench_dir: pathlib.Path) -> list[tuple[str, str]]:
    """(id, html) of every <id>.html.gz in bench_dir, sorted by id."""
    return [(p.name.removesuffix(".html.gz"), gzip.decompress(p.read_bytes()).decode("utf-8"))
            for p in sorted(bench_dir.glob("*.html.gz"))]


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print the scorer's summary lines and both speeds."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--bench-dir", type=pathlib.Path, default=DEFAULT_DIR,
                    help="folder with <id>.html.gz and truth.jsonl")
    ap.add_argument("--out", type=pathlib.Path, default=REPO / "bench" / "out" / "html_preds.jsonl")
    ap.add_argument("--per-doc", action="store_true", help="also print the scorer's per-document lines")
    ap.add_argument("--no-speed", action="store_true", help="skip timing plain trafilatura")
    args = ap.parse_args(argv)
    if not args.bench_dir.is_dir():
        print(f"benchmark folder {args.bench_dir} not found", file=sys.stderr)
        return 2
    pages = read_pages(args.bench_dir)
    if args.no_speed:
        bodies, ours = time_calls(extract_body, pages)
        ref = 0.0
    else:
        bodies, ours, ref = time_both(extract_body, plain_trafilatura, pages)
    write_predictions(args.out, ({"id": doc_id, "body": body}
                                 for (doc_id, _), body in zip(pages, bodies, strict=True)))
    print("\n".join(run_scorer(args.bench_dir, "truth.jsonl", args.out, args.per_doc, tail=6)))
    count = len(pages)
    print(f"extract_html:         {count} docs in {ours:.2f}s = {count / ours:.1f} docs/s (one core)")
    if not args.no_speed:
        print(f"trafilatura.extract:  {count} docs in {ref:.2f}s = {count / ref:.1f} docs/s (one core)")
        print(f"time ratio ours/trafilatura: {ours / ref:.2f}x (budget 1.25x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
