"""Run every HTML body candidate (and the baselines) once per bench page and cache outputs and timings.

bench/html_bench.py (LOSO mode) and bench/fit_html_vote.py read this cache, so tuning never re-runs extractors.
Output: bench/out/html_cache.jsonl.gz, one row per page of train/ and dev/:
{id, split, subset, lines, trafilatura, readability, resiliparse, text_cleaner, plain_trafilatura,
 readability_lxml, justext, elements, chars, seconds: {name: s}}.
Candidates run uncapped here; the caps are applied when scoring.
"""

from __future__ import annotations

import argparse
import gzip
import json
import pathlib
import sys
import time

import justext
import trafilatura

REPO = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from trafilatura.utils import load_html  # noqa: E402

from transforms import html_body  # noqa: E402
from transforms.clean_text import classify_lines  # noqa: E402
from transforms.metadata_html import extract_html_metadata  # noqa: E402
from transforms.rules import load_rules  # noqa: E402

BENCH = REPO.parent / "shared" / "bench"
CACHE = REPO / "bench" / "out" / "html_cache.jsonl.gz"
TITLES = REPO / "bench" / "out" / "html_titles.jsonl.gz"
STOPLIST = justext.get_stoplist("English")


def read_truth(split: str) -> list[dict]:
    """Truth rows of a bench split, with subset 'dev' for the dev split."""
    text = (BENCH / split / "truth.jsonl").read_text(encoding="utf-8")
    rows = [json.loads(line) for line in text.split("\n") if line.strip()]
    for row in rows:
        row.setdefault("subset", "dev")
    return rows


def timed(seconds: dict, name: str, func, *args):
    """func(*args), adding its wall time to seconds[name]."""
    began = time.perf_counter()
    out = func(*args)
    seconds[name] = time.perf_counter() - began
    return out


def run_justext(html: str) -> str:
    """jusText with its English stoplist and default parameters: the non-boilerplate paragraphs."""
    return "\n".join(p.text for p in justext.justext(html, STOPLIST) if not p.is_boilerplate)


def page_row(doc_id: str, split: str, subset: str, html: str, rules) -> dict:
    """All candidate and baseline outputs of one page, with their times."""
    s: dict[str, float] = {}
    plain = timed(s, "plain_trafilatura", lambda h: trafilatura.extract(h, include_comments=False) or "", html)
    tree = timed(s, "parse", load_html, html)
    lines = timed(s, "render", html_body.render_lines, html)
    row = {"id": doc_id, "split": split, "subset": subset, "lines": lines, "plain_trafilatura": plain,
           "elements": sum(1 for _ in tree.iter()) if tree is not None else 0, "chars": len(html)}
    if tree is None:
        row.update(trafilatura="", readability="", readability_lxml="", resiliparse="",
                   text_cleaner=[False] * len(lines))
    else:
        row["trafilatura"] = timed(s, "trafilatura", html_body.run_trafilatura, tree)
        row["readability"] = timed(s, "readability", html_body.run_readability, tree)
        row["readability_lxml"] = timed(s, "readability_lxml", html_body.run_readability_lxml, tree)
        row["resiliparse"] = timed(s, "resiliparse", html_body.run_resiliparse, html)
        row["text_cleaner"] = timed(s, "text_cleaner", html_body.run_text_cleaner, lines,
                                    lambda text: classify_lines(text, rules))
    row["justext"] = timed(s, "justext", run_justext, html)
    row["seconds"] = s
    return row


def write_titles(every: int) -> int:
    """The title extract_html's metadata gives each page (the post-cleaner drops its repeat)."""
    count = 0
    rules = load_rules()
    with gzip.open(TITLES, "wt", encoding="utf-8") as out:
        for split in ("dev", "train"):
            for row in read_truth(split)[::every]:
                html = gzip.decompress((BENCH / split / f"{row['id']}.html.gz").read_bytes()).decode("utf-8")
                tree = load_html(html)
                title = extract_html_metadata(html, None, rules, tree=tree).title if tree is not None else None
                out.write(json.dumps({"id": row["id"], "title": title}, ensure_ascii=False) + "\n")
                count += 1
    print(f"{count} titles -> {TITLES}")
    return 0


def main(argv: list[str] | None = None) -> int:
    """Build the cache (all pages, or every k-th with --every)."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--out", type=pathlib.Path, default=CACHE)
    ap.add_argument("--every", type=int, default=1, help="keep every k-th page (quick runs)")
    ap.add_argument("--titles", action="store_true",
                    help=f"only write each page's metadata title (for the post-cleaner) to {TITLES}")
    args = ap.parse_args(argv)
    if args.titles:
        return write_titles(args.every)
    rules = load_rules()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    done = 0
    with gzip.open(args.out, "wt", encoding="utf-8") as out:
        for split in ("dev", "train"):
            for row in read_truth(split)[::args.every]:
                html = gzip.decompress((BENCH / split / f"{row['id']}.html.gz").read_bytes()).decode("utf-8")
                out.write(json.dumps(page_row(row["id"], split, row["subset"], html, rules), ensure_ascii=False) + "\n")
                done += 1
                if done % 200 == 0:
                    print(done, "pages", file=sys.stderr, flush=True)
    print(f"{done} pages -> {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
