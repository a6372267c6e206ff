"""Fit the candidate-ranker model transforms/models/ranker.json on the dev split (reproducible).

    python bench/fit_meta_ranker.py --l2 0.01 --iters 400 --out transforms/models/ranker.json

For whole-page text dumps, transforms.metadata ranks candidate lines for title, author and date with
linear weights over generic features (label, distance to the headline, length, punctuation, dates,
byline markers, ...). This script builds the same candidates with the same feature functions the
extractor runs, fits the weights with a softmax ranking loss (gradient descent, L2), reports 2-fold
cross-validated accuracy next to the training accuracy, and writes the model file (weights, inputs, parameters
and the sha256 transforms.ranker_model.load_ranker checks).
Only dev labels are used; the extractor never sees them except through these fitted weights.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from transforms import meta_ranker as M  # noqa: E402
from transforms.clean_text import classify_lines  # noqa: E402
from transforms.ranker_model import model_document  # noqa: E402
from transforms.rules import load_rules  # noqa: E402
from transforms.titles import strip_kicker  # noqa: E402

WORD = re.compile(r"\w+")


def norm(text: str | None) -> str:
    """Case-folded word tokens, as score.py compares titles and authors."""
    return " ".join(w.casefold() for w in WORD.findall(text or ""))


def fit(groups: list, l2: float, iters: int) -> dict[str, float]:
    """Softmax ranking loss over candidate groups [(features, is_correct), ...] -> weights."""
    names = sorted({k for g in groups for f, _y in g for k in f})
    ix = {k: j for j, k in enumerate(names)}
    mats = []
    for g in groups:
        x = np.zeros((len(g), len(names)))
        for r, (f, _y) in enumerate(g):
            for k, v in f.items():
                x[r, ix[k]] = v
        y = np.array([y for _f, y in g], float)
        mats.append((x, y / y.sum()))
    w = np.zeros(len(names))
    for _ in range(iters):
        grad = l2 * w
        for x, y in mats:
            s = x @ w
            p = np.exp(s - s.max())
            p /= p.sum()
            grad += x.T @ (p - y) / len(mats)
        w -= 0.5 * grad
    return {k: round(float(w[ix[k]]), 3) for k in names}


def accuracy(groups: list, w: dict[str, float]) -> float:
    """Share of documents whose best-scored candidate is correct."""
    return sum(max(g, key=lambda c: M.linear_score(c[0], w))[1] for g in groups if g) / len(groups)


def fit_with_cv(groups: list, name: str, l2: float, iters: int) -> dict[str, float]:
    """Fit on every document with a correct candidate; print oracle, 2-fold CV and train accuracy."""
    trainable = [g for g in groups if any(y for _f, y in g)]
    idx = list(range(len(groups)))
    random.Random(0).shuffle(idx)
    halves = (set(idx[::2]), set(idx[1::2]))
    cv = 0.0
    for train, test in (halves, halves[::-1]):
        w = fit([groups[i] for i in train if any(y for _f, y in groups[i])], l2, iters)
        cv += accuracy([groups[i] for i in test], w) * len(test)
    w = fit(trainable, l2, iters)
    print(f"{name}: oracle {len(trainable) / len(groups):.3f}  2-fold CV {cv / len(groups):.3f}  "
          f"train {accuracy(groups, w):.3f}")
    return w


def winner(group: list, w: dict[str, float]) -> tuple[float, dict[str, float], bool]:
    """The best candidate of a page: (score, features, is it right)."""
    f, ok = max(group, key=lambda c: linear_score_of(c[0], w))
    return linear_score_of(f, w), f, ok


def abstain_threshold(groups: list, w: dict[str, float], wrong_cost: float) -> float | None:
    """The score a best candidate off a byline line must reach to be answered: the lowest one
    maximising right - wrong_cost * wrong over the pages it decides (of equal costs, the one that answers
    more pages); None: answer always."""
    if wrong_cost <= 0:
        return None
    best = sorted(((score, ok) for score, f, ok in (winner(g, w) for g in groups if g)
                   if not M.has_byline_evidence(f)), reverse=True)
    gain, top, threshold = 0.0, 0.0, None
    for score, ok in best:
        gain += 1.0 if ok else -wrong_cost
        if gain >= top:
            top, threshold = gain, score
    if threshold is None or threshold <= best[-1][0]:
        return None
    return round(threshold - 0.0005, 3)


def linear_score_of(f: dict[str, float], w: dict[str, float]) -> float:
    """The ranker's score of one candidate."""
    return M.linear_score(f, w)


def main() -> None:
    """Build candidates for every dev page, fit the three rankers, write the model file."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bench-dir", type=Path, default=ROOT.parent / "shared" / "bench" / "dev")
    ap.add_argument("--l2", type=float, default=0.01)
    ap.add_argument("--iters", type=int, default=400)
    ap.add_argument("--wrong-cost", type=float, default=1.0,
                    help="an author answered wrong costs this many right ones (sets abstain_below.author)")
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "out" / "ranker.json")
    args = ap.parse_args()

    rules = clean_rules = load_rules()
    truth = [json.loads(line) for line in (args.bench_dir / "metadata_truth.jsonl").read_text().splitlines()]
    pages = []
    for row in truth:
        lines = classify_lines((args.bench_dir / "meta" / f"{row['id']}.txt").read_text(), clean_rules)
        first_body = next((i for i, ln in enumerate(lines) if ln.label == "body"), 0)
        pages.append((row, lines, first_body, M.page_body_words(lines), M.line_counts(lines, rules.bullets)))

    titles = [[(f, norm(strip_kicker(text)) == norm(row["title"]))
               for _i, text, f in M.title_features(lines, fb, rules, bw, counts, {})]
              for row, lines, fb, bw, counts in pages]
    w_title = fit_with_cv(titles, "title", args.l2, args.iters)
    anchors = []  # the headline each page's author and date candidates are measured from, as at run time
    for _row, lines, fb, bw, counts in pages:
        cands = M.title_features(lines, fb, rules, bw, counts, {})
        anchors.append(max(cands, key=lambda c: M.linear_score(c[2], w_title))[0] if cands else fb)
    authors = [[(f, norm("; ".join(names)) == norm(row["author"]))
                for names, f in M.author_features(lines, a, rules, counts, {})]
               for (row, lines, _fb, _bw, counts), a in zip(pages, anchors, strict=True)]
    w_author = fit_with_cv(authors, "author", args.l2, args.iters)
    abstain = {}
    if (threshold := abstain_threshold(authors, w_author, args.wrong_cost)) is not None:
        abstain["author"] = threshold
        answered = [(score, f, ok) for score, f, ok in (winner(g, w_author) for g in authors if g)
                    if M.is_answered(score, f, threshold)]
        right = sum(ok for _score, _f, ok in answered)
        print(f"author: candidates off byline lines answered when their score >= {threshold}: {len(answered)} pages, "
              f"{right} right "
              f"(precision {right / max(len(answered), 1):.3f}, accuracy {right / len(authors):.3f})")
    dates = [[(f, day.isoformat() == row["date"]) for day, _raw, f in M.date_features(lines, a, rules, {})]
             for (row, lines, *_), a in zip(pages, anchors, strict=True)]
    w_date = fit_with_cv(dates, "date", args.l2, args.iters)

    weights = {name: {k: v for k, v in w.items() if v != 0}
               for name, w in (("title", w_title), ("author", w_author), ("date", w_date))}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(model_document(
        weights, "../shared/bench/dev/metadata_truth.jsonl and dev/meta/<id>.txt (dev split only)",
        {"l2": args.l2, "iters": args.iters, "wrong_cost": args.wrong_cost}, abstain), encoding="utf-8")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
