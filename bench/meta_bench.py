"""Score metadata extraction (date/author/title accuracy, author precision) on the benchmark's HTML pages and
text dumps, plus docs/s."""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import json
import pathlib
import sys
import time

REPO = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.scoring import run_scorer, write_predictions  # noqa: E402
from transforms.clean_text import classify_lines  # noqa: E402
from transforms.fields import build_html_article  # noqa: E402
from transforms.html import extract_html  # noqa: E402
from transforms.metadata import PageMetadata  # noqa: E402
from transforms.metadata_text import extract_text_metadata  # noqa: E402
from transforms.record import Document  # noqa: E402
from transforms.rules import Rules, load_rules  # noqa: E402

DEFAULT_DIR = REPO.parent / "shared" / "bench" / "dev"
KINDS = ("html", "txt")


def html_article_metadata(html: str, rules: Rules) -> PageMetadata:
    """Metadata of an HTML page exactly as the flow stores it: pipeline.process_document's HTML path
    (html.extract_html, then fields.build_html_article); a page with no article text has none."""
    ext = extract_html(html, None, rules)
    if ext is None:
        return PageMetadata()
    doc = Document("bench", "bench.html", "html", len(html), "bench", dt.datetime.now(dt.UTC), html=html)
    art = build_html_article(doc, ext, rules)
    return PageMetadata(title=art.title, authors=art.authors, published=art.published,
                        published_raw=art.published_raw, site=art.site, url=art.url, domain=art.domain)


def predict(kind: str, raw: str, rules: Rules) -> PageMetadata:
    """Metadata of one page: HTML through the flow's HTML path, text through classify_lines + labels."""
    if kind == "html":
        return html_article_metadata(raw, rules)
    return extract_text_metadata(classify_lines(raw, rules), rules)


def as_row(doc_id: str, meta: PageMetadata) -> dict[str, str]:
    """A prediction row in the scorer's format."""
    return {
        "id": doc_id,
        "date": meta.published.isoformat() if meta.published else "",
        "author": "; ".join(meta.authors),
        "title": meta.title or "",
    }


def read_page(page_dir: pathlib.Path, doc_id: str, kind: str) -> str | None:
    """The HTML (gunzipped) or text dump of one benchmark page; None when missing."""
    path = page_dir / (f"{doc_id}.html.gz" if kind == "html" else f"{doc_id}.txt")
    if not path.exists():
        return None
    data = gzip.decompress(path.read_bytes()) if kind == "html" else path.read_bytes()
    return data.decode("utf-8", errors="replace")


def run(bench_dir: pathlib.Path, kind: str, out: pathlib.Path, limit: int | None = None) -> tuple[int, float]:
    """Predict every page of the metadata split for one input kind; return the count and seconds."""
    ids = [json.loads(line)["id"] for line in (bench_dir / "metadata_truth.jsonl").read_text().splitlines()
           if line.strip()][:limit]
    pages = [(i, read_page(bench_dir / "meta", i, kind)) for i in ids]
    rules = load_rules()
    if pages:
        predict(kind, pages[0][1] or "", rules)  # untimed warm-up: rule files, dateparser and langid models
    rows, elapsed = [], 0.0
    for doc_id, raw in pages:
        began = time.perf_counter()
        meta = predict(kind, raw, rules) if raw else PageMetadata()
        elapsed += time.perf_counter() - began
        rows.append(as_row(doc_id, meta))
    write_predictions(out, rows)
    return len(rows), elapsed


def author_precision(bench_dir: pathlib.Path, preds: pathlib.Path) -> tuple[float, int, int]:
    """(precision, right, predicted) of the authors: of the pages given an author, the share whose author is
    the truth's (score.py's normalisation); a page with no author in the truth and one predicted is wrong."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("bench_score", bench_dir.parent / "score.py")
    score = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(score)  # type: ignore[union-attr]
    truth = {r["id"]: r for r in map(json.loads, (bench_dir / "metadata_truth.jsonl").read_text().splitlines()) if r}
    right = predicted = 0
    for row in map(json.loads, preds.read_text(encoding="utf-8").splitlines()):
        got = score.norm_text(row["author"])
        if not got:
            continue
        predicted += 1
        right += got == score.norm_text(truth[row["id"]].get("author") or "")
    return right / max(predicted, 1), right, predicted


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark for HTML and text dumps and print the scorer's summary lines and speed."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--bench-dir", type=pathlib.Path, default=DEFAULT_DIR,
                    help="folder with metadata_truth.jsonl and meta/<id>.html.gz, meta/<id>.txt")
    ap.add_argument("--out-dir", type=pathlib.Path, default=REPO / "bench" / "out")
    ap.add_argument("--kind", choices=KINDS, action="append", help="input kind(s); default both")
    ap.add_argument("--limit", type=int, help="only the first N pages")
    ap.add_argument("--per-doc", action="store_true", help="also print the scorer's per-document lines")
    args = ap.parse_args(argv)
    if not (args.bench_dir / "metadata_truth.jsonl").is_file():
        print(f"benchmark folder {args.bench_dir} (metadata_truth.jsonl) not found", file=sys.stderr)
        return 2
    for kind in args.kind or KINDS:
        out = args.out_dir / f"meta_preds_{kind}.jsonl"
        count, seconds = run(args.bench_dir, kind, out, args.limit)
        print(f"[{kind}]")
        print("\n".join(run_scorer(args.bench_dir, "metadata_truth.jsonl", out, args.per_doc, tail=1, check=False)))
        precision, right, predicted = author_precision(args.bench_dir, out)
        print(f"[{kind}] author precision {precision:.3f} ({right} right of {predicted} pages given an author)")
        print(f"[{kind}] {count} docs in {seconds:.2f}s = {count / max(seconds, 1e-9):.1f} docs/s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
