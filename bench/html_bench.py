"""Score extract_html on the benchmark's HTML pages: P/R/F1 via the bench scorer, docs/s vs plain trafilatura.

Two modes:
- default: extract_html end to end (body + metadata) on one folder (dev), timed turn by turn against
  trafilatura.extract;
- --train: the body vote on ../shared/bench/train (l3s, dragnet, cpe, rdb) plus dev, from the candidate cache of
  bench/html_cache.py: per subset P/R/F1 and the share of pages with F1 < 0.5 for ours (leave-one-source-out:
  each train subset scored with the vote tuned on the other three plus dev; and with the shipped rules),
  plain trafilatura, readability-lxml, jusText and keep-everything; empty results where a baseline found a
  body; and our time against trafilatura's (total, and the worst page).
"""

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

from bench import fit_html_vote as fit  # noqa: E402
from bench.scoring import run_scorer, write_predictions  # noqa: E402
from transforms import html_vote  # noqa: E402
from transforms.html import extract_html  # noqa: E402
from transforms.rules import Rules, load_rules  # noqa: E402

DEFAULT_DIR = REPO.parent / "shared" / "bench" / "dev"


def extract_body(html: str, rules: Rules) -> str:
    """Body of a page as the benchmark expects it: paragraphs joined by a blank line."""
    ext = extract_html(html, None, rules)
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


SUBSETS = ("l3s", "dragnet", "cpe", "rdb")
BASELINES = ("plain_trafilatura", "readability", "justext", "keep_everything")


def summary(score, truth: dict[str, str], preds: dict[str, str], ids: list[str]) -> tuple[float, ...]:
    """F1, P, R and the share of pages with F1 < 0.5 (score.py's metric) over the given pages."""
    rows = [score.doc_counts(truth[i], preds[i]) for i in ids]
    f, p, r = score.aggregate(rows)
    low = sum(1 for tp, fp, fn in rows if not tp or 2 * tp / (2 * tp + fp + fn) < 0.5) / len(rows)
    return f, p, r, low


def our_seconds(row: dict, rules: html_vote.VoteRules, vote_s: float) -> float:
    """Our body time on a cached page: parse, rendering, the candidates the caps let run, the vote."""
    s = row["seconds"]
    total = s["parse"] + s["render"] + s.get("trafilatura", 0.0) + s.get("text_cleaner", 0.0) + vote_s
    if not fit.big_page(row, rules):
        total += s.get("readability", 0.0) + s.get("resiliparse", 0.0)
        if fit.lxml_retry(row, rules):
            total += s.get("readability_lxml", 0.0)
    return total


def train_mode(every: int, out: pathlib.Path, cache: pathlib.Path) -> int:
    """Per-subset tables over train + dev from the candidate cache (LOSO for ours)."""
    if not cache.is_file():
        print(f"no candidate cache at {cache}: run python bench/html_cache.py first", file=sys.stderr)
        return 2
    score = fit.load_score()
    truth = fit.read_truth()
    full = load_rules()
    rules = full.body_vote
    titles = fit.read_titles()
    rows = fit.read_cache(cache, every)
    loso_preds, _ = fit.loso(rows, truth, full, titles, score)
    shipped, vote_seconds = {}, {}
    for row in rows:
        began = time.perf_counter()
        shipped[row["id"]] = fit.ours(row, rules, full, titles.get(row["id"]))
        vote_seconds[row["id"]] = time.perf_counter() - began
    ours = loso_preds  # every page scored with the vote tuned without its subset
    bench_dirs = {"dev": fit.BENCH / "dev", **{s: fit.BENCH / "train" for s in SUBSETS}}
    tables = {
        "ours (LOSO)": ours,
        "ours (shipped rules)": shipped,
        "trafilatura": {r["id"]: r["plain_trafilatura"] for r in rows},
        "readability-lxml": {r["id"]: r["readability_lxml"] for r in rows},
        "readability port": {r["id"]: r["readability"] for r in rows},
        "readability candidate": {r["id"]: fit.readability_of(r, rules) for r in rows},
        "resiliparse": {r["id"]: r["resiliparse"] for r in rows},
        "jusText": {r["id"]: r["justext"] for r in rows},
        "keep everything": {r["id"]: (bench_dirs[r["subset"]] / f"{r['id']}.txt").read_text(encoding="utf-8")
                            for r in rows},
    }
    groups = [*SUBSETS, "dev"]
    by_group = {g: [r["id"] for r in rows if r["subset"] == g] for g in groups}
    by_group["train (all)"] = [r["id"] for r in rows if r["subset"] != "dev"]
    print(f"\n{'tool':22s} {'subset':12s} {'n':>5s}  {'F1':>5s}  {'P':>5s}  {'R':>5s}  F1<0.5")
    for name, preds in tables.items():
        for group, ids in by_group.items():
            if ids:
                f, p, r, low = summary(score, truth, preds, ids)
                print(f"{name:22s} {group:12s} {len(ids):5d}  {f:.3f}  {p:.3f}  {r:.3f}  {low:.1%}")
    empty = [r["id"] for r in rows if not ours[r["id"]].strip()
             and (r["plain_trafilatura"].strip() or r["readability_lxml"].strip())]
    print(f"\nempty where trafilatura or readability found a body: {len(empty)} {empty[:10]}")
    if every == 1:
        write_predictions(out, ({"id": i, "body": ours[i]} for i in by_group["train (all)"]))
        print("score.py on all train pages (LOSO):",
              run_scorer(fit.BENCH / "train", "truth.jsonl", out, False, tail=1, check=False))
    ref = sum(r["seconds"]["plain_trafilatura"] for r in rows)
    mine = [our_seconds(r, rules, vote_seconds[r["id"]]) for r in rows]
    ratios = sorted((m / r["seconds"]["plain_trafilatura"], r["id"]) for m, r in zip(mine, rows, strict=True))
    print(f"time: ours {sum(mine):.1f}s, trafilatura.extract {ref:.1f}s = {sum(mine) / ref:.2f}x; worst pages "
          + ", ".join(f"{i} {x:.1f}x" for x, i in ratios[-3:]))
    return 0


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print the scorer's summary lines and both speeds."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--bench-dir", type=pathlib.Path, default=DEFAULT_DIR,
                    help="folder with <id>.html.gz and truth.jsonl")
    ap.add_argument("--out", type=pathlib.Path, default=REPO / "bench" / "out" / "html_preds.jsonl")
    ap.add_argument("--per-doc", action="store_true", help="also print the scorer's per-document lines")
    ap.add_argument("--no-speed", action="store_true", help="skip timing plain trafilatura")
    ap.add_argument("--train", action="store_true", help="per-subset LOSO tables over train + dev (cache)")
    ap.add_argument("--every", type=int, default=1, help="--train: every k-th cached page (quick runs)")
    ap.add_argument("--cache", type=pathlib.Path, default=fit.CACHE, help="--train: the candidate cache")
    args = ap.parse_args(argv)
    if args.train:
        return train_mode(args.every, args.out, args.cache)
    if not args.bench_dir.is_dir():
        print(f"benchmark folder {args.bench_dir} not found", file=sys.stderr)
        return 2
    pages = read_pages(args.bench_dir)
    rules = load_rules()

    def ours_of(html: str) -> str:
        return extract_body(html, rules)

    if args.no_speed:
        bodies, ours = time_calls(ours_of, pages)
        ref = 0.0
    else:
        bodies, ours, ref = time_both(ours_of, plain_trafilatura, pages)
    write_predictions(args.out, ({"id": doc_id, "body": body}
                                 for (doc_id, _), body in zip(pages, bodies, strict=True)))
    print("\n".join(run_scorer(args.bench_dir, "truth.jsonl", args.out, args.per_doc, tail=6)))
    count = len(pages)
    print(f"extract_html:         {count} docs in {ours:.2f}s = {count / ours:.1f} docs/s (one core)")
    if not args.no_speed:
        print(f"trafilatura.extract:  {count} docs in {ref:.2f}s = {count / ref:.1f} docs/s (one core)")
        print(f"time ratio ours/trafilatura: {ours / ref:.2f}x (budget 1.5x, issue 12)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
