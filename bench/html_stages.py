"""Process CPU time of each stage of html.extract_html, against plain trafilatura.extract on the same pages.

Each page runs through extract_html, then trafilatura.extract, turn by turn in one process; the stage functions
are wrapped to sum their process CPU time (time.process_time, so a shared machine's load counts less than in
wall time). Stages nest: `body` holds the `body.*` candidates and the vote, `metadata` the `meta.*` searches.
`--passes 2` prints a second pass over the same pages: the first pays one-time loads (dateparser's locales, on
the first page that reaches htmldate's extensive search).

    python bench/html_stages.py                                   # the 120 dev pages
    python bench/html_stages.py --bench-dir ../shared/bench/train --every 8 --passes 2
"""

from __future__ import annotations

import argparse
import gzip
import pathlib
import sys
import time
from collections import defaultdict

import trafilatura
import trafilatura.metadata as trafilatura_metadata

REPO = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from transforms import html, html_body, metadata_html  # noqa: E402
from transforms.rules import load_rules  # noqa: E402

STAGES = (
    (html, "load_html", "parse"),
    (html, "extract_body", "body"),
    (html_body, "render_lines", "body.render"),
    (html_body, "run_trafilatura", "body.trafilatura"),
    (html_body, "run_readability", "body.readability"),
    (html_body, "run_readability_lxml", "body.readability_lxml"),
    (html_body, "run_resiliparse", "body.resiliparse"),
    (html_body, "run_text_cleaner", "body.text_cleaner"),
    (html_body, "arbitrate_blocks", "body.vote"),
    (html, "extract_html_metadata", "metadata"),
    (metadata_html, "trafilatura_metadata", "meta.trafilatura_metadata"),
    (trafilatura_metadata, "extract_author", "meta.trafilatura_author"),
    (metadata_html, "_visible_lines", "meta.visible_lines"),
    (metadata_html, "rank_page_authors", "meta.visible_authors"),
    (metadata_html, "_headline_date", "meta.headline_date"),
    (metadata_html, "_html_byline", "meta.byline"),
    (html, "find_captions", "captions"),
    (html, "clean_paragraphs", "post_cleaner"),
)


def wrap_stages(totals: dict[str, float]) -> None:
    """Replace each stage function by one that adds its process CPU time to totals[stage]."""
    for module, name, stage in STAGES:
        func = getattr(module, name)

        def timed(*args, _func=func, _stage=stage, **kwargs):
            began = time.process_time()
            try:
                return _func(*args, **kwargs)
            finally:
                totals[_stage] += time.process_time() - began

        setattr(module, name, timed)


def main(argv: list[str] | None = None) -> int:
    """Print, per pass, our total and trafilatura's, their ratio, each stage's share and the worst pages."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bench-dir", type=pathlib.Path, default=REPO.parent / "shared" / "bench" / "dev")
    ap.add_argument("--every", type=int, default=1, help="every k-th page")
    ap.add_argument("--passes", type=int, default=1)
    args = ap.parse_args(argv)
    files = sorted(args.bench_dir.glob("*.html.gz"))[::args.every]
    if not files:
        print(f"no <id>.html.gz pages in {args.bench_dir}", file=sys.stderr)
        return 2
    pages = [(p.name.removesuffix(".html.gz"), gzip.decompress(p.read_bytes()).decode("utf-8", errors="replace"))
             for p in files]
    rules = load_rules()
    totals: dict[str, float] = defaultdict(float)
    wrap_stages(totals)
    html.extract_html(pages[0][1], None, rules)  # warm-up, untimed
    trafilatura.extract(pages[0][1], include_comments=False)
    for number in range(1, args.passes + 1):
        totals.clear()
        ours = ref = 0.0
        ratios = []
        for page_id, page in pages:
            began = time.process_time()
            html.extract_html(page, None, rules)
            middle = time.process_time()
            trafilatura.extract(page, include_comments=False)
            ended = time.process_time()
            ours, ref = ours + middle - began, ref + ended - middle
            ratios.append(((middle - began) / max(ended - middle, 1e-4), page_id, middle - began, ended - middle))
        print(f"pass {number}: {len(pages)} pages, extract_html {ours:.2f} s, trafilatura.extract {ref:.2f} s "
              f"(process CPU) = {ours / ref:.2f}x")
        for _module, _name, stage in STAGES:
            print(f"  {stage:28s} {totals[stage]:7.2f} s  {totals[stage] / ref:.3f}x")
        print("  worst pages: " + ", ".join(f"{i} {x:.1f}x ({a:.2f} s vs {b:.3f} s)"
                                            for x, i, a, b in sorted(ratios)[-3:]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
