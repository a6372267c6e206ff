"""HTML body vote on real benchmark pages: what is kept and cut; never empty where an extractor finds a body."""

from __future__ import annotations

import gzip

import pytest
import trafilatura

from tests.benchdata import BENCH, needs_bench
from transforms.html import extract_html
from transforms.rules import load_rules

RULES = load_rules()

TRAIN = BENCH / "train"

PAGES = [
    # (page, kept, cut): one page per train subset
    ("cpe_bbc.co.uk_news_02", ["Jordan Mittelman is obsessed with cycling"],
     ["Skip to local navigation", "Accessibility Help"]),
    ("dragnet_102", ["Students of history will almost certainly be familiar with the 7 Deadly Sins"],
     ["15 comments", "I’ve met plenty of assholes and egomaniacs who are not millionaires however."]),
    ("l3s_01f31bbb-9c7d-4703-af51-1ddc7f4b1e38",
     ["MANILA, Nov. 24 (Xinhua) -- Philippine President Gloria Macapagal Arroyo has ordered"],
     ["Typhoon Hagibis grounds more than 300 fishermen"]),
    ("rdb_aclu", ["But Facebook and other massive web companies represent a strong push"],
     ["Early bird discount ends today", "SIGN UP NOW"]),
]


def read_page(page: str) -> str:
    """A train page's HTML."""
    return gzip.decompress((TRAIN / f"{page}.html.gz").read_bytes()).decode("utf-8")


@needs_bench(TRAIN / "truth.jsonl")
@pytest.mark.parametrize(("page", "kept", "cut"), PAGES, ids=[p[0] for p in PAGES])
def test_real_page_keeps_the_article_and_cuts_the_chrome(page: str, kept: list[str], cut: list[str]) -> None:
    ext = extract_html(read_page(page), None, RULES)
    assert ext is not None
    body = "\n".join(ext.paragraphs)
    for text in kept:
        assert text in body
    for text in cut:
        assert text not in body


@needs_bench(TRAIN / "truth.jsonl")
def test_never_empty_where_trafilatura_or_readability_finds_a_body() -> None:
    from lxml.html import fromstring
    from readability import Document

    pages = sorted(p.name.removesuffix(".html.gz") for p in TRAIN.glob("*.html.gz"))[::90]
    checked = 0
    for page in pages:
        html = read_page(page)
        found = ((trafilatura.extract(html, include_comments=False) or "").strip()
                 or fromstring(Document(html).summary(html_partial=True)).text_content().strip())
        if found:
            checked += 1
            ext = extract_html(html, None, RULES)
            assert ext is not None and any(p.strip() for p in ext.paragraphs), page
    assert checked >= 15
