"""Main text of an HTML page by a paragraph-level vote of several extractors.

Candidates, each run on the one parsed page (trafilatura copies the shared lxml tree itself; readability-lxml
gets its own copy because it edits the tree in place):
- trafilatura (fast pass, comments off, tables on);
- the readability algorithm: trafilatura's fast port of readability-lxml, and readability-lxml itself where the
  port finds much less than trafilatura;
- resiliparse's main-content mode;
- Broadsheet's text cleaner (`clean_text.classify_lines`) on the page's own full text rendering.

The blocks voted on are the lines of that full rendering (resiliparse, main_content=False). Each block gets, per
candidate, the share of its word 4-shingles the candidate's text contains; a block is kept when the weighted sum
of those shares reaches the threshold (weights and threshold: the [body_vote] table of rules/html.toml, tuned
leave-one-source-out by bench/fit_html_vote.py). An empty or much shorter vote never wins over a candidate that
found an article: then the candidate that agrees best with the others is returned instead.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from copy import deepcopy

import trafilatura
from lxml.html import HtmlElement
from readability import Document
from resiliparse.extract.html2text import extract_plain_text
from trafilatura.readability_lxml import Document as ReadabilityDocument

from transforms.html_vote import VoteRules, arbitrate_blocks, word_count
from transforms.record import BOILERPLATE


def render_lines(html: str) -> list[str]:
    """The whole page as text (resiliparse, boilerplate included): its non-blank lines, stripped."""
    text = extract_plain_text(html, main_content=False, alt_texts=False, noscript=False)
    return [line.strip() for line in text.splitlines() if line.strip()]


def run_trafilatura(tree: HtmlElement) -> str:
    """trafilatura's fast pass on the shared tree (it works on its own copy)."""
    doc = trafilatura.bare_extraction(tree, include_comments=False, include_tables=True, fast=True)
    return (doc.text or "") if doc is not None else ""


def run_readability(tree: HtmlElement) -> str:
    """The readability algorithm's article, rendered to text; on a copy because it edits the tree it is given.

    This is trafilatura's port of readability-lxml (trafilatura.readability_lxml): the same scoring, without
    readability-lxml 0.9's sanitize pass, which is superlinear (0.45 s on one 64 KB page) and made the
    candidate 5x slower over the benchmark for a vote F1 0.003 higher (bench/README.md)."""
    summary = ReadabilityDocument(deepcopy(tree), min_text_length=25).summary()
    return extract_plain_text(summary, main_content=False, alt_texts=False) if summary else ""


def run_readability_lxml(tree: HtmlElement) -> str:
    """readability-lxml itself (slower: its sanitize pass is superlinear), rendered to text like run_readability."""
    summary = Document(deepcopy(tree)).summary(html_partial=True)
    return extract_plain_text(summary, main_content=False, alt_texts=False) if summary else ""


def readability_work(tree: HtmlElement) -> float:
    """readability-lxml's link-density work on a page, relative to the page's text: the characters of every
    candidate (the parents and grandparents of p, pre and td) and of every link inside one, over the text.

    Its score_paragraphs reads each candidate's links (cleaned by regex) for their text; nested unclosed <a>
    tags make each link hold the rest of the page, and that work quadratic (1-20 s on pages of 100 KB)."""
    text: dict = {}
    links: dict = {}
    for el in reversed(list(tree.iter())):  # children before their parents
        length = len(el.text or "") if isinstance(el.tag, str) else 0
        inner = 0
        for child in el:
            length += text[child] + len(child.tail or "")
            inner += links[child] + (text[child] if child.tag == "a" else 0)
        text[el], links[el] = length, inner
    candidates = set()
    for el in tree.iter("p", "pre", "td"):
        parent = el.getparent()
        if parent is None or text[el] < 25:
            continue
        candidates.add(parent)
        if (grand := parent.getparent()) is not None:
            candidates.add(grand)
    return sum(text[c] + links[c] for c in candidates) / max(1, text[tree])


def run_resiliparse(html: str) -> str:
    """resiliparse's main-content extraction."""
    return extract_plain_text(html, main_content=True, alt_texts=False, noscript=False)


def run_text_cleaner(lines: Sequence[str], classify: Callable[[str], Sequence]) -> list[bool]:
    """Per rendered line: True when the text cleaner (classify_lines on the rendering) does not call it boilerplate."""
    labels = classify("\n\n".join(lines))
    kept = [False] * len(lines)
    for line in labels:
        if line.label != BOILERPLATE and line.block < len(lines):
            kept[line.block] = True
    return kept


def run_candidates(tree: HtmlElement, html: str, lines: Sequence[str], classify: Callable[[str], Sequence],
                   rules: VoteRules) -> dict[str, str | list[bool] | None]:
    """Every candidate's output on one page; None for a candidate the page is too big for.

    The per-page work cap: on a page whose rendering or tree is huge, readability and resiliparse are skipped
    (their texts would be as huge, and the vote's cost grows with the candidates' text); readability-lxml's
    re-read is skipped where its link-density work would be quadratic (readability_work)."""
    big = (sum(len(line) for line in lines) > rules.max_render_chars
           or sum(1 for _ in tree.iter()) > rules.max_readability_elements)
    main = run_trafilatura(tree)
    readability = None
    if not big:
        readability = run_readability(tree)
        if (word_count(readability) < rules.readability_retry_share * word_count(main)
                and readability_work(tree) <= rules.max_readability_work):
            readability = run_readability_lxml(tree)  # the port missed most of what trafilatura found
    return {
        "trafilatura": main,
        "readability": readability,
        "resiliparse": None if big else run_resiliparse(html),
        "text_cleaner": run_text_cleaner(lines, classify),
    }


def extract_body(tree: HtmlElement, html: str, classify: Callable[[str], Sequence],
                 rules: VoteRules) -> tuple[list[str], list[int | None], str]:
    """Paragraphs of the article of a parsed page (html: its source), the line of render_lines(html) each one is
    (None: not one of them), and how they were chosen."""
    lines = render_lines(html)
    return arbitrate_blocks(lines, run_candidates(tree, html, lines, classify, rules), rules)
