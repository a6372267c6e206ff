"""Text-dump cleaning scored per subset on ../shared/bench/train plus dev: P/R/F1 and the share of pages under F1 0.5.

With a model fitted by bench/train_line_model.py, `--loso` refits it leaving each source out (three train subsets plus
dev, or all train for dev) and scores the held-out source with the fold's model: the figures that count.
"""

from __future__ import annotations

import argparse
import dataclasses
import importlib.util
import json
import pathlib
import statistics
import sys
from collections.abc import Callable, Iterable

REPO = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
BENCH = REPO.parent / "shared" / "bench"
SOURCES = ("dev", "l3s", "dragnet", "cpe", "rdb")


def load_scorer():
    """The benchmark's own score.py as a module (its tokeniser and shingle counts)."""
    spec = importlib.util.spec_from_file_location("bench_score", BENCH / "score.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def load_pages(bench: pathlib.Path = BENCH, every: int = 1) -> list[dict]:
    """Every labelled body page of dev and train: {id, source, text, truth}; `every`: keep one page in so many."""
    pages = []
    for split in ("dev", "train"):
        text = (bench / split / "truth.jsonl").read_text(encoding="utf-8")
        rows = [json.loads(x) for x in text.split("\n") if x.strip()]
        for k, row in enumerate(sorted(rows, key=lambda r: r["id"])):
            if k % every:
                continue
            txt = bench / split / f"{row['id']}.txt"
            pages.append({"id": row["id"], "source": row.get("subset", "dev"), "truth": row["body"],
                          "text": txt.read_text(encoding="utf-8")})
    return pages


def score_pages(pages: Iterable[dict], preds: dict[str, str], scorer) -> dict[str, dict]:
    """Per source: P, R, F1 as score.py computes them, page count, and the share of pages with F1 < 0.5."""
    by_source: dict[str, list[tuple[float, float, float]]] = {}
    for page in pages:
        by_source.setdefault(page["source"], []).append(scorer.doc_counts(page["truth"], preds.get(page["id"], "")))
    out = {}
    for source, rows in by_source.items():
        f, p, r = scorer.aggregate(rows)
        page_f1 = [2 * tp / (2 * tp + fp + fn) if tp else 0.0 for tp, fp, fn in rows]
        out[source] = {"P": p, "R": r, "F1": f, "n": len(rows), "low": sum(x < 0.5 for x in page_f1) / len(rows),
                       "zero": sum(x == 0 for x in page_f1)}
    every = [row for rows in by_source.values() for row in rows]
    f, p, r = scorer.aggregate(every)
    page_f1 = [2 * tp / (2 * tp + fp + fn) if tp else 0.0 for tp, fp, fn in every]
    out["all"] = {"P": p, "R": r, "F1": f, "n": len(every), "low": sum(x < 0.5 for x in page_f1) / len(every),
                  "zero": sum(x == 0 for x in page_f1)}
    out["macro"] = {"F1": statistics.mean(out[s]["F1"] for s in by_source), "n": len(by_source),
                    "P": statistics.mean(out[s]["P"] for s in by_source),
                    "R": statistics.mean(out[s]["R"] for s in by_source),
                    "low": statistics.mean(out[s]["low"] for s in by_source), "zero": 0}
    return out


def format_table(name: str, scores: dict[str, dict]) -> str:
    """One markdown table row block: source, n, P, R, F1, share under 0.5."""
    lines = [f"### {name}", "| source | pages | P | R | F1 | F1 < 0.5 | F1 = 0 |", "|---|---|---|---|---|---|---|"]
    for source in (*SOURCES, "all", "macro"):
        if source in scores:
            s = scores[source]
            lines.append(f"| {source} | {s['n']} | {s['P']:.3f} | {s['R']:.3f} | {s['F1']:.3f} | {s['low']:.1%} "
                         f"| {s['zero']} |")
    return "\n".join(lines)


def predict_all(pages: Iterable[dict], extract: Callable[[str], str]) -> dict[str, str]:
    """Predictions of one extractor over the pages."""
    return {page["id"]: extract(page["text"]) for page in pages}


def main(argv: list[str] | None = None) -> int:
    """Score the text cleaner (and the keep-everything baseline) per source."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--every", type=int, default=1, help="use one page in so many (quick runs)")
    ap.add_argument("--baselines", action="store_true", help="also score keep-everything and jusText")
    ap.add_argument("--loso", action="store_true", help="refit the line model leaving each source out")
    ap.add_argument("--rules-only", action="store_true", help="score the rules without the line model")
    ap.add_argument("--worst", type=int, default=0, help="print the N worst pages")
    args = ap.parse_args(argv)
    from bench.text_bench import extract_body
    from transforms.rules import load_rules

    scorer = load_scorer()
    pages = load_pages(every=args.every)
    rules = load_rules()
    if args.loso or args.rules_only:
        rules = dataclasses.replace(rules, line_model=None)
    if args.loso:
        from bench.train_line_model import loso_predictions
        preds = loso_predictions(pages, rules, scorer)
        name = "Broadsheet clean_text, leave-one-source-out"
    else:
        preds = predict_all(pages, lambda t: extract_body(t, rules))
        name = "Broadsheet clean_text, " + ("rules only" if args.rules_only else "shipped model")
    scores = score_pages(pages, preds, scorer)
    print(format_table(name, scores))
    if args.worst:
        worst = sorted(pages, key=lambda p: _page_f1(scorer, p["truth"], preds.get(p["id"], "")))[: args.worst]
        for p in worst:
            print(f"{_page_f1(scorer, p['truth'], preds.get(p['id'], '')):.2f} {p['source']} {p['id']}")
    if args.baselines:
        print(format_table("keep everything", score_pages(pages, predict_all(pages, lambda t: t), scorer)))
        import justext
        stop = justext.get_stoplist("English")

        def jt(text: str) -> str:
            html = "<html><body>" + "".join(f"<p>{_esc(b)}</p>" for b in text.split("\n\n")) + "</body></html>"
            return "\n\n".join(p.text for p in justext.justext(html, stop) if not p.is_boilerplate)
        print(format_table("jusText (English) on the dumps", score_pages(pages, predict_all(pages, jt), scorer)))
    return 0


def _esc(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _page_f1(scorer, truth: str, pred: str) -> float:
    tp, fp, fn = scorer.doc_counts(truth, pred)
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


if __name__ == "__main__":
    sys.exit(main())
