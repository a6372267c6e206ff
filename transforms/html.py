"""HTML pages: main text by a vote of several extractors, metadata, a block post-cleaner and figure captions.

The cascade, measured leave-one-source-out on the benchmark train split (python bench/html_bench.py --train):
1. parse the page once with lxml (the tree is shared by body, metadata and caption extraction);
2. the body: trafilatura, readability-lxml, resiliparse and the text cleaner (on the page's own text
   rendering) vote line by line (transforms/html_body.py, transforms/html_vote.py); a vote much shorter than
   the candidates falls back to the candidate agreeing best with the others;
3. the paragraphs go through a post-cleaner: a repeat of the headline at the top, lines matching the text
   cleaner's `line_rules` (read-only; each drops only its own line) and the `html_blocks` rules of
   rules/html.toml (related-link prefixes, contact trailers, follow-us and newsletter lines) are dropped,
   each with its snake_case reason;
4. <figcaption> texts are returned as captions, their credit split off.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml.html import HtmlElement
from trafilatura.utils import load_html

from transforms import html_body
from transforms.captions import split_caption
from transforms.clean_text import classify_lines
from transforms.metadata import PageMetadata
from transforms.metadata_html import extract_html_metadata
from transforms.record import Caption
from transforms.rules import CreditRules, Rules

CAPTION_XPATH = "//figcaption | //*[contains(concat(' ', normalize-space(@class), ' '), ' wp-caption-text ')]"
CREDIT_CLASS = re.compile(r"credit|copyright|byline|source|attribution", re.IGNORECASE)
TITLE_SEPARATORS = re.compile(r"\s+[|–—-]\s+|\s*[|»]\s*")
WORD = re.compile(r"\w+")
HEAD_PARAGRAPHS = 3  # the headline repeat is searched among the first paragraphs only


@dataclass(frozen=True, slots=True)
class HtmlExtraction:
    """What the HTML path found in one page: its metadata as metadata_html.extract_html_metadata decided it, the
    body paragraphs, the captions and the blocks the post-cleaner dropped."""

    meta: PageMetadata
    paragraphs: tuple[str, ...]
    captions: tuple[Caption, ...] = ()
    removed: tuple[tuple[str, str], ...] = ()  # (text, snake_case reason) of blocks the post-cleaner dropped
    # the line of html_body.render_lines each paragraph, and each removed block, is (None: not one of them)
    blocks: tuple[int | None, ...] = ()
    removed_blocks: tuple[int | None, ...] = ()


def normalize(text: str) -> str:
    """Lower-case text with spaces collapsed, as the line rules expect it."""
    return " ".join(text.lower().split())


def word_key(text: str) -> tuple[str, ...]:
    """Case-folded word tokens, to compare texts regardless of punctuation."""
    return tuple(WORD.findall(text.casefold()))


def find_captions(tree: HtmlElement, credits: CreditRules) -> tuple[Caption, ...]:
    """Figure captions of a page, de-duplicated, credits split off."""
    seen: set[str] = set()
    out = []
    for element in tree.xpath(CAPTION_XPATH):
        text = " ".join(element.text_content().split())
        if not text or text in seen:
            continue
        seen.add(text)
        found = [e.text_content() for e in element.iter() if e is not element and isinstance(e.tag, str)
                 and CREDIT_CLASS.search(e.get("class", ""))]
        out.append(split_caption(text, credits, found[0] if found and found[0].strip() else None))
    return tuple(out)


def is_headline(paragraph: str, title: str | None) -> bool:
    """True when a paragraph repeats the page title (or its part before a ' | Site' suffix)."""
    if not title:
        return False
    key = word_key(paragraph)
    if not key:
        return False
    return key == word_key(title) or any(key == word_key(part) for part in TITLE_SEPARATORS.split(title))


def match_rule(paragraph: str, position: int, count: int, rules: Rules) -> str | None:
    """Reason of the first line rule or HTML block rule a paragraph (at position of count) matches, else None."""
    words = len(paragraph.split())
    norm = normalize(paragraph.lstrip(rules.bullets + " \t"))
    if words <= rules.line_rules_max_words and (rule := rules.match_line_rule(norm, words)) is not None:
        return rule.reason
    if words <= rules.caption_max_words and rules.credit_only.search(norm):
        return "photo_credit"
    for block in rules.html_blocks:
        if (words <= block.max_words and (not block.tail_paragraphs or count - position <= block.tail_paragraphs)
                and block.pattern.search(norm)):
            return block.reason
    return None


def clean_paragraphs(
    paragraphs: tuple[str, ...], title: str | None, rules: Rules
) -> tuple[tuple[str, ...], tuple[tuple[str, str], ...]]:
    """Drop a headline repeat and boilerplate lines; return the kept paragraphs and the (text, reason) removed."""
    kept, removed = sort_paragraphs(paragraphs, title, rules)
    return tuple(paragraphs[i] for i in kept), tuple((paragraphs[i], reason) for i, reason in removed)


def sort_paragraphs(
    paragraphs: tuple[str, ...], title: str | None, rules: Rules
) -> tuple[list[int], list[tuple[int, str]]]:
    """clean_paragraphs by index: the indices of the kept paragraphs, and (index, reason) of the removed ones."""
    kept: list[int] = []
    removed: list[tuple[int, str]] = []
    seen: set[tuple[str, ...]] = set()
    for index, paragraph in enumerate(paragraphs):
        if index < HEAD_PARAGRAPHS and not kept and is_headline(paragraph, title):
            removed.append((index, "headline_repeat"))
            continue
        key = word_key(paragraph)
        if key in seen:  # a caption or teaser shown twice on the page is not two paragraphs of the article
            removed.append((index, "repeated_block"))
            continue
        seen.add(key)
        reason = match_rule(paragraph, index, len(paragraphs), rules)
        if reason is None:
            kept.append(index)
        else:
            removed.append((index, reason))
    return kept, removed


def extract_body(tree: HtmlElement, html: str, rules: Rules) -> tuple[tuple[str, ...], tuple[int | None, ...]]:
    """Paragraphs of the article of a parsed page, by the candidates' line vote, and the rendered line of each."""
    paragraphs, blocks, _ = html_body.extract_body(tree, html, lambda text: classify_lines(text, rules),
                                                   rules.body_vote)
    pairs = [(p, b) for p, b in zip(paragraphs, blocks, strict=True) if p]
    return tuple(p for p, _ in pairs), tuple(b for _, b in pairs)


def extract_html(html: str, url: str | None, rules: Rules) -> HtmlExtraction | None:
    """Extract the article text and metadata of an HTML page; None when there is no article text.

    The page is parsed once; its metadata comes from metadata_html.extract_html_metadata on that tree (the
    function bench/meta_bench.py scores)."""
    tree = load_html(html)
    if tree is None:
        return None
    raw, raw_blocks = extract_body(tree, html, rules)
    if not raw:
        return None
    meta = extract_html_metadata(html, url, rules, tree=tree)
    kept, removed = sort_paragraphs(raw, meta.title, rules)
    if not kept:  # the post-cleaner never empties a body the extractors found
        kept, removed = list(range(len(raw))), []
    return HtmlExtraction(meta, tuple(raw[i] for i in kept), find_captions(tree, rules.credits),
                          tuple((raw[i], reason) for i, reason in removed),
                          tuple(raw_blocks[i] for i in kept), tuple(raw_blocks[i] for i, _ in removed))
