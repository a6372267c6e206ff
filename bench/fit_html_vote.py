"""Tune the HTML paragraph vote (transforms/html_body.py) and score it leave-one-source-out.

Inputs: bench/out/html_cache.jsonl.gz (every candidate's output per page, made by bench/html_cache.py from
../shared/bench/train and ../shared/bench/dev) and the truth.jsonl of both splits. Deterministic: a fixed grid.
For each held-out subset of train (l3s, dragnet, cpe, rdb) the weights and threshold are chosen on the other
three plus dev, by the mean of their per-subset F1, then the held-out subset is scored exactly (the real vote on
the cached candidates, the bench's score.py). The last fit, on every subset, is printed as the [body_vote]
table for transforms/rules/html.toml.

    python bench/fit_html_vote.py [--every K]
"""

from __future__ import annotations

import argparse
import dataclasses
import gzip
import importlib.util
import json
import pathlib
import statistics
import sys

import numpy as np

REPO = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from transforms import html_vote  # noqa: E402
from transforms.html import clean_paragraphs  # noqa: E402
from transforms.rules import Rules, load_rules  # noqa: E402

BENCH = REPO.parent / "shared" / "bench"
CACHE = REPO / "bench" / "out" / "html_cache.jsonl.gz"
TITLES = REPO / "bench" / "out" / "html_titles.jsonl.gz"
HELD_OUT = ("l3s", "dragnet", "cpe", "rdb")
FIT_SHINGLE = html_vote.SHINGLE
TEXT_CANDIDATES = ("trafilatura", "readability", "resiliparse")
WEIGHT_GRID = (0.0, 0.25, 0.5, 0.75, 1.0, 1.5, 2.0, 3.0)
THRESHOLD_GRID = tuple(round(x, 2) for x in np.arange(0.25, 8.01, 0.25))
BONUS_GRID = (-1.0, -0.5, -0.25, 0.0, 0.25, 0.5)
NEIGHBOUR_GRID = (0.0, 0.1, 0.2, 0.3, 0.5, 0.75)
STARTS = (
    {"trafilatura": 1.0, "readability": 1.0, "resiliparse": 1.0, "text_cleaner": 1.0, "threshold": 2.0,
     "bonus": 0.0, "neighbour": 0.0},
    {"trafilatura": 1.0, "readability": 1.0, "resiliparse": 2.0, "text_cleaner": 0.5, "threshold": 3.25,
     "bonus": 0.0, "neighbour": 0.2},
)
MAX_PASSES = 6


def load_score():
    """The benchmark's own score.py, imported by path (its doc_counts and aggregate are the metric)."""
    spec = importlib.util.spec_from_file_location("bench_score", BENCH / "score.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def read_truth() -> dict[str, str]:
    """Truth body by page id, over dev and train."""
    out = {}
    for split in ("dev", "train"):
        for line in (BENCH / split / "truth.jsonl").read_text(encoding="utf-8").split("\n"):
            if line.strip():
                row = json.loads(line)
                out[row["id"]] = row["body"]
    return out


def read_cache(path: pathlib.Path = CACHE, every: int = 1) -> list[dict]:
    """Cached candidate rows (every k-th)."""
    with gzip.open(path, "rt", encoding="utf-8") as f:
        rows = [json.loads(line) for line in f]
    return rows[::every]


def big_page(row: dict, rules: html_vote.VoteRules) -> bool:
    """True when the per-page cap skips readability and resiliparse (as html_body.run_candidates decides)."""
    return (sum(len(line) for line in row["lines"]) > rules.max_render_chars
            or row["elements"] > rules.max_readability_elements)


def lxml_retry(row: dict, rules: html_vote.VoteRules) -> bool:
    """True when readability-lxml re-reads the page (html_body.run_candidates: the port found too little).

    The cache holds no readability_work: no bench page is over max_readability_work (the most is 13)."""
    return (html_vote.word_count(row["readability"])
            < rules.readability_retry_share * html_vote.word_count(row["trafilatura"]))


def readability_of(row: dict, rules: html_vote.VoteRules) -> str:
    """The readability candidate's text as run_candidates has it."""
    return row["readability_lxml"] if lxml_retry(row, rules) else row["readability"]


def capped(row: dict, rules: html_vote.VoteRules) -> dict:
    """The candidates of a cached row as extract_html would have them, per-page caps applied."""
    return {
        "trafilatura": row["trafilatura"],
        "readability": None if big_page(row, rules) else readability_of(row, rules),
        "resiliparse": None if big_page(row, rules) else row["resiliparse"],
        "text_cleaner": row["text_cleaner"],
    }


@dataclasses.dataclass
class Page:
    """What the grid search needs of one page: per-line shares and additive approximate counts."""

    subset: str
    shares: np.ndarray  # lines x candidates (0 where a candidate was skipped)
    present: np.ndarray  # candidates: 1 if run on this page
    words: np.ndarray  # words per line (split on spaces, as the short-line test counts them)
    tokens: np.ndarray  # word tokens per line (as the much-shorter test counts them)
    tp: np.ndarray  # per line: its shingles found in the truth
    fp: np.ndarray
    truth_total: int
    median_words: int
    fallback: tuple[float, float, float]  # exact counts of the fallback text


def prepare(row: dict, truth: str, rules: html_vote.VoteRules, score) -> Page:
    """Precompute a page's line shares and counts."""
    lines = row["lines"]
    cands = capped(row, rules)
    shares = html_vote.coverage(lines, cands)
    matrix = np.zeros((len(lines), len(html_vote.CANDIDATES)))
    present = np.zeros(len(html_vote.CANDIDATES))
    for j, name in enumerate(html_vote.CANDIDATES):
        if name in shares:
            matrix[:, j] = shares[name]
            present[j] = 1.0
    truth_counts = score.shingles(score.tokens(truth))
    # Shingles of the page's whole token stream, each credited to the line it starts in: the metric shingles
    # the joined text, so a body of short lines is mostly shingles that cross line ends.
    stream, owner = [], []
    for i, line in enumerate(lines):
        toks = score.tokens(line)
        stream.extend(toks)
        owner.extend([i] * len(toks))
    tp, fp = np.zeros(len(lines)), np.zeros(len(lines))
    for k in range(max(len(stream) - FIT_SHINGLE + 1, 0)):
        if tuple(stream[k:k + FIT_SHINGLE]) in truth_counts:
            tp[owner[k]] += 1
        else:
            fp[owner[k]] += 1
    sizes = sorted(html_vote.word_count(v) for v in cands.values() if isinstance(v, str) and v.strip())
    fb = html_vote.fallback(cands, lines)
    return Page(row["subset"], matrix, present, np.array([len(x.split()) for x in lines]),
                np.array([html_vote.word_count(x) for x in lines]),
                tp, fp, sum(truth_counts.values()),
                sizes[len(sizes) // 2] if sizes else 0, score.doc_counts(truth, fb))


@dataclasses.dataclass
class Stack:
    """All pages' lines stacked, so one vote setting is scored with a few array operations."""

    subsets: list[str]
    page_subset: np.ndarray  # page -> subset index
    line_page: np.ndarray  # line -> page index
    shares: np.ndarray
    present: np.ndarray  # line -> candidates run on its page
    short: np.ndarray  # line shorter than short_block_words
    tokens: np.ndarray
    tp: np.ndarray
    fp: np.ndarray
    truth_total: np.ndarray  # per page
    min_words: np.ndarray  # per page: min_share * median candidate words
    fallback: np.ndarray  # per page: exact (tp, fp, fn) of the fallback
    same_prev: np.ndarray  # line has a previous line on its page
    same_next: np.ndarray


def stack(pages: list[Page], rules: html_vote.VoteRules) -> Stack:
    """Stack prepared pages."""
    subsets = sorted({p.subset for p in pages})
    line_page = np.concatenate([np.full(len(p.words), i) for i, p in enumerate(pages)])
    same_prev = np.concatenate([[False], line_page[1:] == line_page[:-1]])
    same_next = np.concatenate([line_page[:-1] == line_page[1:], [False]])
    return Stack(
        subsets, np.array([subsets.index(p.subset) for p in pages]),
        np.concatenate([np.full(len(p.words), i) for i, p in enumerate(pages)]),
        np.concatenate([p.shares for p in pages]),
        np.concatenate([np.tile(p.present, (len(p.words), 1)) for p in pages]),
        np.concatenate([p.words < rules.short_block_words for p in pages]),
        np.concatenate([p.tokens for p in pages]).astype(float),
        np.concatenate([p.tp for p in pages]), np.concatenate([p.fp for p in pages]),
        np.array([p.truth_total for p in pages], float),
        np.array([rules.min_share * p.median_words if p.median_words else -1.0 for p in pages]),
        np.array([p.fallback for p in pages]), same_prev, same_next,
    )


def approx_f1(st: Stack, weights: np.ndarray, threshold: float, bonus: float, neighbour: float) -> dict[str, float]:
    """Per-subset F1 of a vote setting, from the additive per-line counts (fast, close to the exact score)."""
    have = st.present @ weights
    raw = (st.shares @ weights) * (weights.sum() / np.where(have > 0, have, 1.0))
    before = np.where(st.same_prev, np.roll(raw, 1), 0.0)
    after = np.where(st.same_next, np.roll(raw, -1), 0.0)
    scores = raw + neighbour * (before + after) / 2 + bonus * st.short
    keep = scores >= threshold
    pages = len(st.truth_total)
    tp = np.bincount(st.line_page, st.tp * keep, pages)
    fp = np.bincount(st.line_page, st.fp * keep, pages)
    words = np.bincount(st.line_page, st.tokens * keep, pages)
    fall = words < st.min_words
    tp = np.where(fall, st.fallback[:, 0], tp)
    fp = np.where(fall, st.fallback[:, 1], fp)
    fn = np.where(fall, st.fallback[:, 2], np.maximum(st.truth_total - tp, 0.0))
    out = {}
    for k, name in enumerate(st.subsets):
        sel = st.page_subset == k
        ptp, pfp, pfn = tp[sel], fp[sel], fn[sel]
        pred = ptp + pfp > 0
        p = (ptp[pred] / (ptp + pfp)[pred]).mean() if pred.any() else 0.0
        has = ptp + pfn > 0
        r = (ptp[has] / (ptp + pfn)[has]).mean() if has.any() else 0.0
        out[name] = 2 * p * r / (p + r) if p + r else 0.0
    return out


def f1_of(rows) -> tuple[float, float, float]:
    """F1, P, R as score.aggregate computes them."""
    precs = [tp / (tp + fp) for tp, fp, _ in rows if tp + fp > 0]
    recs = [tp / (tp + fn) for tp, _, fn in rows if tp + fn > 0]
    p = statistics.mean(precs) if precs else 0.0
    r = statistics.mean(recs) if recs else 0.0
    return (2 * p * r / (p + r) if p + r else 0.0), p, r


def fit(pages: list[Page], rules: html_vote.VoteRules) -> tuple[dict[str, float], float, float, float, float]:
    """Coordinate ascent over grids (deterministic, two starts): weights, threshold, short-block bonus and
    neighbour weight maximising the mean per-subset F1; returns them and the objective."""
    st = stack(pages, rules)
    names = html_vote.CANDIDATES
    grids = {**{n: WEIGHT_GRID for n in names}, "threshold": THRESHOLD_GRID, "bonus": BONUS_GRID,
             "neighbour": NEIGHBOUR_GRID}

    def objective(point: dict[str, float]) -> float:
        weights = np.array([point[n] for n in names])
        if weights.sum() == 0:
            return -1.0
        return statistics.mean(approx_f1(st, weights, point["threshold"], point["bonus"],
                                         point["neighbour"]).values())

    best_point, best = {}, -1.0
    for start in STARTS:
        point = dict(start)
        value = objective(point)
        for _ in range(MAX_PASSES):
            improved = False
            for key, grid in grids.items():
                for candidate in grid:
                    trial = {**point, key: candidate}
                    score = objective(trial)
                    if score > value + 1e-6:
                        point, value, improved = trial, score, True
            if not improved:
                break
        if value > best + 1e-9:
            best_point, best = point, value
    weights = {n: best_point[n] for n in names}
    return weights, best_point["threshold"], best_point["bonus"], best_point["neighbour"], best


def with_params(rules: html_vote.VoteRules, weights: dict[str, float], threshold: float,
                bonus: float, neighbour: float) -> html_vote.VoteRules:
    """The vote rules with tuned numbers replaced."""
    return dataclasses.replace(rules, weights=weights, threshold=threshold, short_block_bonus=bonus,
                               neighbour=neighbour)


def read_titles(path: pathlib.Path = TITLES) -> dict[str, str | None]:
    """Metadata title per page id (bench/html_cache.py --titles), for the post-cleaner; empty if not built."""
    if not path.is_file():
        return {}
    with gzip.open(path, "rt", encoding="utf-8") as f:
        return {r["id"]: r["title"] for r in map(json.loads, f)}


def ours(row: dict, vote_rules: html_vote.VoteRules, rules: Rules, title: str | None) -> str:
    """The body extract_html gives for a cached page: the vote, then the post-cleaner."""
    paragraphs, _ = html_vote.arbitrate(row["lines"], capped(row, vote_rules), vote_rules)
    raw = tuple(p for p in paragraphs if p)
    kept, _ = clean_paragraphs(raw, title, rules)
    return "\n\n".join(kept or raw)


def coarse_pages(rows, truth, rules, score) -> list[Page]:
    """Prepared pages for the grid search."""
    return [prepare(r, truth[r["id"]], rules, score) for r in rows]


def loso(rows: list[dict], truth: dict[str, str], full: Rules, titles: dict[str, str | None], score,
         log=print) -> tuple[dict[str, str], dict[str, tuple]]:
    """Leave-one-source-out: predictions for every held-out train page, and the parameters of each fold."""
    rules = full.body_vote
    pages = coarse_pages(rows, truth, rules, score)
    preds, params = {}, {}
    for held in (*HELD_OUT, "dev"):
        fit_pages = [p for p in pages if p.subset != held]
        weights, threshold, bonus, neighbour, objective = fit(fit_pages, rules)
        params[held] = (weights, threshold, bonus, neighbour)
        log(f"fold {held}: fit on {len(fit_pages)} pages (mean subset F1 {objective:.3f}, approx): "
            f"weights {weights} threshold {threshold} short bonus {bonus} neighbour {neighbour}")
        fold_rules = with_params(rules, weights, threshold, bonus, neighbour)
        for row in rows:
            if row["subset"] == held:
                preds[row["id"]] = ours(row, fold_rules, full, titles.get(row["id"]))
    return preds, params


def main(argv: list[str] | None = None) -> int:
    """LOSO figures, then the fit on everything as a TOML table."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--every", type=int, default=1, help="use every k-th cached page (quick runs)")
    ap.add_argument("--cache", type=pathlib.Path, default=CACHE)
    ap.add_argument("--fit-only", action="store_true", help="skip the LOSO folds; only the fit on every page")
    args = ap.parse_args(argv)
    score = load_score()
    truth = read_truth()
    full = load_rules()
    rules = full.body_vote
    rows = read_cache(args.cache, args.every)
    preds, _ = ({}, None) if args.fit_only else loso(rows, truth, full, read_titles(), score)
    for held in () if args.fit_only else (*HELD_OUT, "dev"):
        ids = [r["id"] for r in rows if r["subset"] == held]
        f, p, r = score.aggregate([score.doc_counts(truth[i], preds[i]) for i in ids])
        print(f"LOSO {held:8s} n={len(ids):4d}  F1 {f:.3f} P {p:.3f} R {r:.3f}")
    weights, threshold, bonus, neighbour, objective = fit(coarse_pages(rows, truth, rules, score), rules)
    print(f"\nfit on all {len(rows)} pages (mean subset F1 {objective:.3f}, approx):")
    print("[body_vote]")
    print(f"threshold = {threshold}\nneighbour = {neighbour}\nshort_block_bonus = {bonus}")
    print("weights = {" + ", ".join(f"{k} = {v}" for k, v in weights.items()) + "}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
