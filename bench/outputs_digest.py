"""Digest every field, line and reason the pipeline produces on every bench and seed dump; --compare two digests.

Runs the real pipeline (transforms.pipeline.read_dump + process_documents, text and HTML dumps alike) over
../shared/bench/dev, dev/meta, train and samples/inbox, in fixed batches, and writes one JSON line per document
(its rejection, every line's label and reason, every article field) to bench/out/digest_<name>.jsonl.
A refactoring commit must leave it identical:

    python bench/outputs_digest.py --name before      # on the parent commit
    python bench/outputs_digest.py --name after       # on the refactor
    python bench/outputs_digest.py --compare bench/out/digest_before.jsonl bench/out/digest_after.jsonl

A change that only adds positions is checked with `--ignore paragraph_sources` (each paragraph's line range or
HTML block, kept under its own key).
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import hashlib
import json
import pathlib
import sys
import time

REPO = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from transforms.pipeline import process_documents, read_dump  # noqa: E402
from transforms.record import Document  # noqa: E402
from transforms.rules import load_rules  # noqa: E402

BENCH = REPO.parent / "shared" / "bench"
SETS = {"seed": REPO / "samples" / "inbox", "dev": BENCH / "dev", "meta": BENCH / "dev" / "meta",
        "train": BENCH / "train"}
BATCH = 50  # dumps per process_documents call (lines repeated across a batch are evidence)
NOW = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


def dumps(folder: pathlib.Path) -> list[tuple[str, str, bytes]]:
    """(name, format, bytes) of every dump directly in a folder, sorted by name."""
    out = []
    for path in sorted(p for p in folder.iterdir() if p.is_file()):
        name = path.name
        if name.endswith(".html.gz"):
            out.append((name, "html", gzip.decompress(path.read_bytes())))
        elif name.endswith((".txt", ".jsonl", ".html")):
            out.append((name, name.rsplit(".", 1)[1], path.read_bytes()))
    return out


def digest(doc: Document) -> dict:
    """Everything the pipeline decided about one document, as plain JSON values."""
    arts = []
    for a in doc.articles:
        arts.append({
            "title": a.title, "subtitle": a.subtitle, "authors": list(a.authors),
            "published": a.published.isoformat() if a.published else None, "published_raw": a.published_raw,
            "site": a.site, "url": a.url, "domain": a.domain, "language": a.language, "dateline": a.dateline,
            "paragraphs": hashlib.sha256("\n".join(a.paragraphs).encode()).hexdigest()[:16],
            "n_paragraphs": len(a.paragraphs),
            "captions": [[c.text, c.credit] for c in a.captions],
            "quotes": [[q.text, q.speaker, q.paragraph, q.start, q.end, q.attribution] for q in a.quotes],
            "article_id": a.article_id,
        })
    lines = hashlib.sha256(json.dumps([[ln.position, ln.label, ln.reason, ln.block, ln.text] for ln in doc.lines],
                                      ensure_ascii=False).encode()).hexdigest()[:16]
    reasons: dict[str, int] = {}
    for ln in doc.lines:
        key = f"{ln.label}:{ln.reason or ''}"
        reasons[key] = reasons.get(key, 0) + 1
    rej = doc.rejection
    # where each paragraph came from (kept apart from "articles", so `--compare --ignore paragraph_sources` shows
    # that a change of positions left everything else as it was)
    sources = [[[s.line_first, s.line_last, s.block] for s in a.sources] for a in doc.articles]
    return {"doc": doc.source_file, "doc_id": doc.doc_id,
            "rejection": [rej.stage, rej.reason, rej.detail] if rej else None,
            "lines": lines, "labels": dict(sorted(reasons.items())), "articles": arts,
            "paragraph_sources": sources}


def run(names: list[str], out: pathlib.Path) -> None:
    """Write the digest of every dump of the named sets."""
    rules = load_rules()
    out.parent.mkdir(parents=True, exist_ok=True)
    began, count = time.perf_counter(), 0
    with out.open("w", encoding="utf-8") as fh:
        for set_name in names:
            items = dumps(SETS[set_name])
            for start in range(0, len(items), BATCH):
                docs = [d for name, fmt, data in items[start:start + BATCH]
                        for d in read_dump(data, f"{set_name}/{name}", fmt, NOW)]
                for doc in process_documents(docs, rules):
                    fh.write(json.dumps(digest(doc), ensure_ascii=False, sort_keys=True) + "\n")
                    count += 1
            print(f"{set_name}: {len(items)} dumps", file=sys.stderr)
    print(f"{count} documents -> {out} in {time.perf_counter() - began:.0f}s")


def compare(a: pathlib.Path, b: pathlib.Path, ignore: frozenset[str] = frozenset()) -> int:
    """Print the documents whose digests differ (leaving out the `ignore` keys); exit 1 when any does."""
    def read(path: pathlib.Path) -> dict[str, str]:
        rows = (json.loads(x) for x in path.read_text(encoding="utf-8").split("\n") if x)
        return {r["doc"]: json.dumps({k: v for k, v in r.items() if k not in ignore}, sort_keys=True) for r in rows}

    left, right = read(a), read(b)
    differ = sorted(k for k in left.keys() | right.keys() if left.get(k) != right.get(k))
    for key in differ[:20]:
        la, rb = json.loads(left.get(key, "{}")), json.loads(right.get(key, "{}"))
        fields = sorted(k for k in la.keys() | rb.keys() if la.get(k) != rb.get(k))
        print(f"DIFF {key}: {fields}")
        for f in fields:
            print(f"   - {json.dumps(la.get(f), ensure_ascii=False)[:300]}")
            print(f"   + {json.dumps(rb.get(f), ensure_ascii=False)[:300]}")
    print(f"{len(left)} vs {len(right)} documents; {len(differ)} differ")
    return 1 if differ else 0


def main(argv: list[str] | None = None) -> int:
    """Write a digest (--name) or compare two (--compare A B)."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--name", default="current", help="digest name: bench/out/digest_<name>.jsonl")
    ap.add_argument("--sets", nargs="+", choices=sorted(SETS), default=list(SETS))
    ap.add_argument("--compare", nargs=2, type=pathlib.Path, metavar=("A", "B"))
    ap.add_argument("--ignore", nargs="*", default=[], metavar="KEY", help="digest keys --compare leaves out")
    args = ap.parse_args(argv)
    if args.compare:
        return compare(*args.compare, frozenset(args.ignore))
    run(args.sets, REPO / "bench" / "out" / f"digest_{args.name}.jsonl")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
