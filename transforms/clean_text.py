"""Label every line of a plain-text page dump as article data or boilerplate (pure functions)."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Callable, Sequence
from itertools import chain, islice

import numpy as np

from transforms.columns import split_columns
from transforms.dates import find_line_dates, first_date
from transforms.line_model import CONTEXT, FEATURES, LineModel
from transforms.record import BODY, BOILERPLATE, BYLINE, CAPTION, DATE, SUBTITLE, TITLE, Line, trusted_line
from transforms.rules import Rules, join_lines, matching_lines
from transforms.wrapping import unwrap_lines

WORD = re.compile(r"\w+")
# Scripts written without spaces between words: Han, Hiragana, Katakana.
CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
# The domain alternative starts only at a token start ((?<!\S)): unanchored, `\S+` re-scanned a long token from
# every position (quadratic: 14 s on one 65k-character token). Matches are the same: they began at a token start.
LINKISH = re.compile(r"(?:https?://|www\.|(?<!\S)[@#]\w)\S*|(?<!\S)\S+\.(?:com|org|net|html?|php|ly|io)\b",
                     re.IGNORECASE)
NUMERIC_DATE = re.compile(r"\b\d{1,4}[./-]\d{1,2}[./-]\d{2,4}\b")
# Found inside every LINKISH / NUMERIC_DATE match of a line, and in its normalised (lower-case) form: lines without
# one need no per-line search.  Each starts with a punctuation mark, so the regex engine skips ahead to those marks
# instead of trying every position.
LINK_HINT = re.compile(r"[:.@#](?:(?<=:)//|(?<=www\.)|(?<=[@#])\w|(?<=\.)(?:com|org|net|html?|php|ly|io)\b)")
DATE_HINT = re.compile(r"[./-](?<=\d[./-])\d{1,2}[./-]\d\d")
YEAR = re.compile(r"\b(1[89]|20)\d{2}\b")
DIGIT = re.compile(r"\d")
WORD_START = re.compile(r"(?<!\S)\S")
TERMINAL = frozenset(".!?…。！？:;")
CLOSERS = "\"”’'»)]"

# Quoted speech: a double-quote pair around some words ("...", “...”, „...“, «...»).
QUOTED = re.compile(r"[\"“„«»][^\"“”„«»]*\w[^\"“”„«»]*[\"”“«»]")
REPEATED = "repeated_across_documents"

# Credits sit at the end of a caption; only this many trailing characters are searched.
CREDIT_TAIL = 120
GOOD, NEAR, SHORT, BAD = "good", "near", "short", "bad"
OUTSIDE = "outside_article"
TRAILER = "article_trailer"
COMMENT_STUB = "comment_stub"  # the reason of the comment-heading line rules (rules/boilerplate.toml)


# What the cleaner knows about one line from its stripped text alone (the same on every page and in every dump):
# (norm, words, tokens, bullet, terminal, rule_reason, rule_action, caption, is_date, is_byline, links, is_reply).
LineEvidence = tuple[str, int, tuple[str, ...], bool, bool, str | None, str | None, str | None, bool, bool, int, bool]
LineMemo = dict[str, LineEvidence]


class _Row:
    """Features and the evolving label of one non-blank line (internal, mutable while labelling)."""

    __slots__ = ("block", "bullet", "caption", "density", "gap_after", "gap_before", "is_byline", "is_date",
                 "is_reply", "kind",
                 "label", "links", "norm", "position", "reason", "rule_action", "rule_reason", "terminal", "text",
                 "tokens", "words")

    def __init__(self, position: int, block: int, text: str, gap_before: int, gap_after: int,
                 evidence: LineEvidence) -> None:
        self.position, self.block, self.text, self.gap_before, self.gap_after = (position, block, text,
                                                                                 gap_before, gap_after)
        (self.norm, self.words, self.tokens, self.bullet, self.terminal, self.rule_reason, self.rule_action,
         self.caption, self.is_date, self.is_byline, self.links, self.is_reply) = evidence
        self.density, self.kind, self.label, self.reason = 0.0, SHORT, None, None

    def mark(self, label: str, reason: str | None = None) -> None:
        """Set the final label (and reason) of the line."""
        self.label, self.reason = label, reason


def _line_evidence(lines: Sequence[str], rules: Rules, memo: LineMemo) -> None:
    """Add the LineEvidence of each distinct stripped line to memo (the page-wide scans run over these lines)."""
    ratio = rules.thresholds.cjk_chars_per_word
    bullets, strip = rules.bullets, rules.bullets + " \t"
    findall = WORD.findall
    has_cjk = CJK.search("\n".join(lines)) is not None  # most pages have none: skip the per-line CJK count
    base = []
    for stripped in lines:
        bare = stripped.lstrip(strip)
        lower = bare.lower()
        tokens = tuple(findall(lower))
        cjk = len(CJK.findall(bare)) if has_cjk else 0
        words = len(tokens) if not cjk else len(CJK.sub(" ", bare).split()) + cjk / ratio
        base.append((" ".join(lower.split()), round(words), tokens, bare != stripped and stripped[0] in bullets,
                     bare.rstrip(CLOSERS)[-1:] in TERMINAL))
    norms = [b[0] for b in base]
    joined, starts = join_lines(norms)
    line_rules = rules.match_line_rules(norms, [b[1] for b in base])
    credit_only = rules.credit_only.candidates(norms, joined, starts)
    credit_suffix = rules.credit_suffix.candidates([n[-CREDIT_TAIL:] for n in norms])
    byline = rules.byline.candidates(norms, joined, starts)
    dates = matching_lines(DATE_HINT, joined, starts)
    links = matching_lines(LINK_HINT, joined, starts)
    for i, (text, (norm, words, tokens, bullet, terminal)) in enumerate(zip(lines, base, strict=True)):
        rule = line_rules[i]
        reason, action = (rule.reason, rule.action) if rule is not None else (None, None)
        caption = None
        if words <= rules.caption_max_words:
            if i in credit_only and rules.credit_only.search(norm):
                caption = "photo_credit"
            elif i in credit_suffix and rules.credit_suffix.search(norm[-CREDIT_TAIL:]):
                caption = "image_caption"
        if caption and reason == "footer":
            reason = action = None  # "© Agency / Name" under a photo is a credit
        is_date = _is_date(text, tokens, words, rules, None if i in dates else False)
        is_byline = bool(words <= 12 and i in byline and rules.byline.search(norm))
        n_links = len(LINKISH.findall(text)) if i in links and ("." in text or "@" in text or "#" in text) else 0
        # a reply button is a few words ("reply to this comment" is the longest): longer lines skip the regexes
        is_reply = words <= 4 and bool(rules.comments.reply.search(norm))
        memo[text] = (norm, words, tokens, bullet, terminal, reason, action, caption, is_date, is_byline, n_links,
                      is_reply)


def _read_rows(text: str, rules: Rules, memo: LineMemo) -> list[_Row]:
    """Split text into non-blank lines with positions, blocks, blank-line gaps and their line evidence."""
    layout: list[tuple[int, int, str, int]] = []  # (position, block, stripped, gap before)
    block, blanks, seen = 0, 0, False
    gaps_after: list[int] = []
    for position, raw in enumerate(text.split("\n")):
        stripped = raw.strip()
        if not stripped:
            blanks += 1
            continue
        if seen and blanks:
            block += 1
        if layout:
            gaps_after.append(blanks)
        layout.append((position, block, stripped, blanks if seen else 0))
        seen, blanks = True, 0
    if not layout:
        return []
    gaps_after.append(0)
    missing = list(dict.fromkeys(s for _p, _b, s, _g in layout if s not in memo))
    if missing:
        _line_evidence(missing, rules, memo)
    return [_Row(position, block, stripped, gap, gap_after, memo[stripped])
            for (position, block, stripped, gap), gap_after in zip(layout, gaps_after, strict=True)]


def _page_stopwords(rows: Sequence[_Row], rules: Rules) -> frozenset[str]:
    """Pick the stopword list that fits the page best; empty when none fits (CJK, Korean...)."""
    counts = Counter(chain.from_iterable(row.tokens for row in rows))
    total = sum(counts.values())
    if not total:
        return frozenset()
    best_lang, best = None, 0
    for lang, words in rules.stopwords.items():
        hits = sum(counts[tok] for tok in words & counts.keys())
        if hits > best:
            best_lang, best = lang, hits
    if best_lang is None or best / total < rules.thresholds.language_min_density:
        return frozenset()
    return rules.stopwords[best_lang]


def _is_date(text: str, tokens: tuple[str, ...], words: int, rules: Rules, numeric: bool | None = None) -> bool:
    """A stand-alone date line: a month name or numeric date and (almost) nothing else.

    `numeric`: whether NUMERIC_DATE is found in the line, when already known (False: no DATE_HINT in it)."""
    if not tokens or words > 14:
        return False
    month = not rules.months.isdisjoint(tokens)
    if numeric is None:
        numeric = bool(NUMERIC_DATE.search(text))
    has_date = numeric or (month and bool(YEAR.search(text) or any(t.isdigit() for t in tokens)))
    if not has_date:
        return False
    return _undated_words(tokens, rules) <= rules.date_max_other_words


def _undated_words(tokens: Sequence[str], rules: Rules) -> int:
    """How many of a line's words are neither date words (rules.date_tokens: months and [dates] words) nor numbers."""
    return sum(1 for t in tokens if t not in rules.date_tokens and not t.isdigit())


def _mark_repeated(row: _Row, rules: Rules) -> None:
    """A line repeated across the batch's dumps is template text, unless it is data, prose or a quote."""
    if row.rule_reason or row.is_byline or row.is_date or row.caption:
        return
    if (row.terminal and row.words >= rules.repeats.prose_min_words) or QUOTED.search(row.text):
        return  # a sentence or a quote repeated across articles is still article text
    row.rule_reason, row.rule_action = REPEATED, "drop"


def _grade(row: _Row, rules: Rules, stopwords: frozenset[str]) -> None:
    """Grade a row as good (prose), near (short prose/heading), short or bad (boilerplate, menu, link)."""
    t = rules.thresholds
    if row.tokens and stopwords:
        row.density = sum(map(stopwords.__contains__, row.tokens)) / len(row.tokens)
    links = row.links
    menu = row.bullet and row.words < t.near_min_words
    linky = row.words and links / max(row.words, 1) > t.link_max_density
    if row.rule_reason or row.caption or row.is_date or menu or linky:
        row.kind = BAD
    elif row.words >= t.good_min_words and (row.terminal or row.words >= 2 * t.good_min_words) and (
            row.density >= t.good_min_stopword_density or not stopwords):
        row.kind = GOOD
    elif row.words >= t.near_min_words and (row.density >= t.near_min_stopword_density or not stopwords):
        row.kind = NEAR
    else:
        row.kind = SHORT


def _weight(row: _Row, rules: Rules) -> float:
    """Score of one row for the densest-prose search."""
    t = rules.thresholds
    if row.rule_action == "stop":
        return -1e9  # an end marker (comments, related posts) is never inside an article
    if row.bullet and row.kind in (GOOD, NEAR):
        return 0.0  # list items join prose around them but never make a prose run on their own
    if row.kind == GOOD:
        return t.weight_good * min(row.words, t.weight_cap_words)
    if row.kind == NEAR:
        return t.weight_near
    return t.weight_short if row.kind == SHORT else t.weight_bad


def _densest_run(weights: Sequence[float]) -> tuple[int, int, float] | None:
    """Maximum-sum contiguous segment (Kadane) and its score; None if no segment is positive."""
    best, best_span = 0.0, None
    current, start = 0.0, 0
    for i, w in enumerate(weights):
        if current <= 0:
            current, start = w, i
        else:
            current += w
        if current > best:
            best, best_span = current, (start, i, current)
    return best_span


def _choose_run(rows: Sequence[_Row], weights: Sequence[float], rules: Rules) -> tuple[int, int] | None:
    """The densest prose run: never one inside a comment section found from its reply buttons, and preferably
    one before the first comment marker if not tiny."""
    best = _densest_run(weights)
    if best is None:
        return None
    first = next((i for i, row in enumerate(rows) if row.kind == GOOD), None)
    replied = _replied_comments(rows, first, rules) if first is not None else None
    if replied is not None and best[0] > replied:
        before = _run_above(weights, replied, 0.0)  # the comments are the densest prose; the article is above
        if before is not None:
            return before
    stub = None if first is None else next(
        (i for i in range(first, len(rows)) if rows[i].rule_reason == COMMENT_STUB), None)
    if stub is not None and best[0] > stub:
        before = _run_above(weights, stub, rules.thresholds.before_comments_min_ratio * best[2])
        if before is not None:
            return before
    return best[0], best[1]


def _run_above(weights: Sequence[float], end: int, min_score: float) -> tuple[int, int] | None:
    """The densest prose run above row `end` when it scores at least min_score, else None."""
    before = _densest_run(weights[:end])
    return (before[0], before[1]) if before is not None and before[2] >= min_score else None


def _grow(rows: Sequence[_Row], start: int, end: int, rules: Rules) -> tuple[int, int]:
    """Extend a prose run over a few non-prose lines to reach further good lines on either side."""
    gap = rules.thresholds.grow_max_gap_lines
    changed = True
    while changed:
        changed = False
        for step in range(1, gap + 2):
            j = end + step
            if j >= len(rows) or rows[j].rule_action == "stop":
                break
            if rows[j].kind == GOOD and not rows[j].bullet:
                end, changed = j, True
                break
        for step in range(1, gap + 2):
            j = start - step
            if j < 0 or rows[j].rule_action == "stop":
                break
            if rows[j].kind == GOOD and not rows[j].is_byline and not rows[j].bullet:
                start, changed = j, True
                break
    return start, end


def _is_title_like(row: _Row, rules: Rules) -> bool:
    """Could this line be a headline: a few words, no sentence end, not a known data/boilerplate line."""
    t = rules.thresholds
    return (t.title_min_words <= row.words <= t.title_max_words and not row.bullet and not row.rule_reason
            and not row.caption and not row.is_date and not row.is_byline
            and not row.text.endswith(".") and not row.text[:1].islower())


def _is_continuation(prev: _Row, row: _Row) -> bool:
    """A header line wrapped onto the next line starts lower-case and the previous has no sentence end."""
    return row.text[:1].islower() and not prev.terminal and row.words <= 20


def _find_body_start(rows: Sequence[_Row], start: int, end: int) -> int:
    """Skip headline-like lines, and a dek when a byline/date follows it, at the top of a prose run."""
    goods = 0
    body_start = start
    while body_start < end and not rows[body_start].terminal and rows[body_start].kind != GOOD:
        body_start += 1
    for i in range(body_start, min(end, body_start + 8) + 1):
        row = rows[i]
        if row.is_byline or row.is_date:
            body_start = i + 1
        elif row.kind == GOOD:
            goods += 1
            if goods > 1:
                break
    return body_start


def _label_header(rows: list[_Row], body_start: int, floor: int, rules: Rules) -> int | None:
    """Label title, dek, byline, date and captions before body_start; return the title's index."""
    t = rules.thresholds
    lo = max(floor, body_start - t.header_window)
    window = range(lo, body_start)
    texts = Counter(r.norm for r in rows)
    best, title = float("-inf"), None
    for i in window:
        row = rows[i]
        if row.label or not _is_title_like(row, rules) or (i > lo and _is_continuation(rows[i - 1], row)):
            continue
        score = -0.15 * sum(1 for j in range(i + 1, body_start) if not rows[j].rule_reason)
        nxt = rows[i + 1] if i + 1 < len(rows) else None
        if nxt is not None and (nxt.is_byline or nxt.is_date or nxt.caption or _is_continuation(row, nxt)):
            score += 1.5
        if texts[row.norm] > 1:
            score += 2.0
        if row.kind == GOOD:
            score -= 1.0
        if score > best:
            best, title = score, i
    if title is not None:
        first = min(i for i in window if rows[i].norm == rows[title].norm)
        title = first
        rows[title].mark(TITLE)
        i = title + 1
        while i < body_start and _is_continuation(rows[i - 1], rows[i]):
            rows[i].mark(TITLE)
            i += 1
        _label_dek(rows, rows[title], i, body_start, rules)
    for i in window:
        row = rows[i]
        if row.label:
            continue
        if row.is_date:
            row.mark(DATE)
        elif title is not None and i > title and row.caption:
            row.mark(CAPTION, row.caption)
        elif title is not None and i > title and row.is_byline:
            row.mark(BYLINE)
        elif title is not None and rows[title].norm == row.norm:
            row.mark(BOILERPLATE, "duplicate_title")
        else:
            row.mark(BOILERPLATE, _outside_reason(row))
    return title


def _label_dek(rows: list[_Row], title: _Row, i: int, body_start: int, rules: Rules) -> None:
    """Label the standfirst right after a headline (it may wrap over two lines)."""
    while i < body_start and (rows[i].rule_reason or rows[i].is_byline or rows[i].is_date or rows[i].caption
                              or rows[i].norm == title.norm):
        i += 1
    if i >= body_start:
        return
    row = rows[i]
    if row.words > rules.thresholds.dek_max_words or row.bullet or row.rule_reason or row.kind == BAD:
        return
    row.mark(SUBTITLE)
    i += 1
    while i < body_start and _is_continuation(rows[i - 1], rows[i]):
        rows[i].mark(SUBTITLE)
        i += 1


def _outside_reason(row: _Row, repeated: frozenset[str] = frozenset()) -> str:
    """Reason for a line outside any article: the matching rule, a menu, repeated, or just outside."""
    if row.rule_reason:
        return row.rule_reason
    if row.bullet:
        return "navigation"
    if row.caption:
        return "image_caption" if row.caption == "image_caption" else "photo_credit"
    return REPEATED if row.norm in repeated else OUTSIDE


def _is_article_start(rows: Sequence[_Row], i: int, end: int, rules: Rules) -> bool:
    """Inside a prose run: a headline after a wide gap followed by dek/byline/credit, not by a paragraph."""
    row = rows[i]
    if row.gap_before < rules.thresholds.article_gap_blank_lines or not _is_title_like(row, rules):
        return False
    if row.kind == GOOD or row.terminal:
        return False
    for j in range(i + 1, min(end, i + 6) + 1):
        nxt = rows[j]
        if nxt.is_byline or nxt.caption:
            return True
        if nxt.kind == GOOD and nxt.terminal:
            return False
    return False


def _label_body(rows: list[_Row], start: int, end: int, rules: Rules) -> None:
    """Label lines of one article stretch: body, captions, in-article headers, trailers."""
    stopped: str | None = None
    titles = {r.norm for r in rows[: start] if r.label == TITLE}
    i = start
    bio_tail = rules.thresholds.bio_tail_lines
    last_body = max((k for k in range(start, end + 1) if rows[k].kind == GOOD), default=end)
    while i <= end:
        row = rows[i]
        if stopped:
            row.mark(BOILERPLATE, row.rule_reason or TRAILER)
        elif row.rule_action == "stop":
            stopped = row.rule_reason
            row.mark(BOILERPLATE, row.rule_reason)
        elif row.norm in titles:
            row.mark(BOILERPLATE, "duplicate_title")
        elif _is_bio_name(rows, i, end):
            row.mark(BYLINE)
            rows[i + 1].mark(BOILERPLATE, "author_bio")
            stopped = "author_bio"
            i += 1
        elif i >= last_body - bio_tail and row.kind == GOOD and rules.bio.search(row.text):
            row.mark(BOILERPLATE, "author_bio")
            stopped = "author_bio"
        elif row.rule_reason:
            row.mark(BOILERPLATE, row.rule_reason)
        elif row.caption or _is_caption_prefix(rows, i, end):
            row.mark(CAPTION, row.caption or "image_caption")
        elif i > start and _is_article_start(rows, i, end, rules):
            i = _label_inner_header(rows, i, end, rules)
            titles.add(row.norm)
            continue
        elif row.bullet and row.kind not in (GOOD, NEAR):
            row.mark(BOILERPLATE, "navigation")
        else:
            row.mark(BODY)
        i += 1


def _label_inner_header(rows: list[_Row], i: int, end: int, rules: Rules) -> int:
    """Label the header of a further article on a digest page; return the first index after it."""
    rows[i].mark(TITLE)
    i += 1
    while i <= end and _is_continuation(rows[i - 1], rows[i]):
        rows[i].mark(TITLE)
        i += 1
    dek_done = False
    while i <= end:
        row = rows[i]
        if row.is_byline:
            row.mark(BYLINE)
        elif row.is_date:
            row.mark(DATE)
        elif row.caption:
            row.mark(CAPTION, row.caption)
        elif row.rule_reason and row.rule_action != "stop":
            row.mark(BOILERPLATE, row.rule_reason)
        elif not dek_done and not row.terminal and row.words <= rules.thresholds.dek_max_words:
            row.mark(SUBTITLE)
            while i + 1 <= end and _is_continuation(rows[i], rows[i + 1]):
                i += 1
                rows[i].mark(SUBTITLE)
            dek_done = True
        else:
            break
        i += 1
    return i


def _is_bio_name(rows: Sequence[_Row], i: int, end: int) -> bool:
    """A bare author name followed by a paragraph that starts with that name (an author box)."""
    row = rows[i]
    if i + 1 > end or not 2 <= row.words <= 4 or row.terminal or row.kind == GOOD:
        return False
    names = row.text.split()
    if not all(n[:1].isupper() for n in names):
        return False
    nxt = rows[i + 1]
    return nxt.words > row.words + 3 and nxt.text.startswith(row.text + " ")


def _is_caption_prefix(rows: Sequence[_Row], i: int, end: int) -> bool:
    """A caption printed twice: once bare, once with its credit appended on the next line."""
    if i + 1 > end:
        return False
    nxt = rows[i + 1]
    return bool(nxt.caption) and len(nxt.text) > len(rows[i].text) and nxt.text.startswith(rows[i].text)


def _standfirst_at_top(rows: list[_Row], body_start: int, end: int, title: int | None, rules: Rules) -> int:
    """A first line under the headline set off by a wider gap than the paragraphs below is a dek."""
    if title is None or body_start >= end or any(r.label == SUBTITLE for r in rows[title:body_start]):
        return body_start
    row = rows[body_start]
    between = rows[title + 1:body_start]
    if any(r.label in (BYLINE, DATE, CAPTION) or r.kind != BAD for r in between if r.label != TITLE):
        return body_start
    gaps = sorted(r.gap_before for r in rows[body_start + 1:end + 1])
    typical = gaps[len(gaps) // 2] if gaps else 1
    if (row.words <= rules.thresholds.dek_max_words and row.gap_after > typical
            and rows[body_start + 1].block != row.block and not row.rule_reason):
        row.mark(SUBTITLE)
        return body_start + 1
    return body_start


def _label_rows(rows: list[_Row], weights: Sequence[float], rules: Rules) -> tuple[int, int, int] | None:
    """The structure pass: densest run, grown; header above it; body labels inside. Returns (start, body, end)."""
    span = _choose_run(rows, weights, rules)
    if span is None:
        return None
    start, end = _grow(rows, *span, rules)
    body_start = _find_body_start(rows, start, end)
    title = _label_header(rows, body_start, 0, rules)
    body_start = _standfirst_at_top(rows, body_start, end, title, rules)
    _label_body(rows, body_start, end, rules)
    return start, body_start, end


def _graded_rows(text: str, rules: Rules, repeated: frozenset[str], memo: LineMemo | None) -> list[_Row]:
    text = unwrap_lines(split_columns(text, rules.columns), rules.wrapping, rules.bullets)
    rows = _read_rows(text, rules, {} if memo is None else memo)
    stopwords = _page_stopwords(rows, rules) if rows else frozenset()
    for row in rows:
        if repeated and row.norm in repeated:
            _mark_repeated(row, rules)
        _grade(row, rules, stopwords)
    return rows


def line_features(rows: Sequence[_Row], span: tuple[int, int, int] | None) -> np.ndarray:
    """The (lines x line_model.FEATURES) matrix: rule evidence of each line and its neighbours, and the rule-based
    structure pass."""
    n = len(rows)
    header = (TITLE, SUBTITLE, BYLINE, DATE)
    # One pass over the rows for every per-line value (one generator per column costs more than the features).
    per_line = np.array([
        (r.words, r.kind == GOOD, r.kind == NEAR, r.kind == SHORT, r.density, r.terminal, r.bullet,
         r.rule_action == "drop", r.rule_action == "stop", r.caption is not None, r.is_date, r.is_byline, r.links,
         r.gap_before, r.gap_after, r.label == BODY, r.label in header, r.block, len(r.tokens),
         r.text[:1].islower(), r.text.endswith(":"), "│" in r.text or "   " in r.text,
         len(DIGIT.findall(r.text)) / len(r.text), _title_case_share(r.text))
        for r in rows], dtype=float).reshape(n, 24)
    (words, good, near, short, density, terminal, bullet, drop, stop, caption, is_date, is_byline, links, gap_before,
     gap_after, old_body, old_header, block_of, ntok, lower_start, ends_colon, columns, digits, title_case) = per_line.T
    col = {"kind_good": good, "kind_near": near, "kind_short": short, "density": density, "terminal": terminal,
           "bullet": bullet, "rule_drop": drop, "rule_stop": stop, "caption": caption, "is_date": is_date,
           "is_byline": is_byline, "old_body": old_body, "old_header": old_header, "ends_colon": ends_colon,
           "layout_columns": columns, "digit_share": digits, "title_case": title_case}
    col["log_words"] = np.log1p(words)
    col["link_density"] = np.minimum(links / np.maximum(words, 1.0), 1.0)
    col["gap_before"] = np.minimum(gap_before, 4.0)
    col["gap_after"] = np.minimum(gap_after, 4.0)
    index = np.arange(n, dtype=float)
    col["rel_position"] = index / max(n - 1, 1)
    total = max(words.sum(), 1.0)
    col["words_before"] = (np.cumsum(words) - words) / total
    in_span = np.zeros(n)
    distance = np.full(n, np.log1p(n))
    if span is not None:
        start, _body, end = span
        in_span[start:end + 1] = 1.0
        distance = np.log1p(np.maximum(np.maximum(start - index, index - end), 0.0))
    col["old_span"] = in_span
    col["span_distance"] = distance
    cum_good = np.concatenate(([0.0], np.cumsum(good)))
    cum_words = np.concatenate(([0.0], np.cumsum(np.log1p(words))))
    for k in (2, 5, 15):
        lo, hi = np.maximum(index - k, 0).astype(int), np.minimum(index + k + 1, n).astype(int)
        col[f"good_window_{k}"] = (cum_good[hi] - cum_good[lo] - good) / np.maximum(hi - lo - 1, 1)
        if k == 2:
            col["words_window_2"] = (cum_words[hi] - cum_words[lo] - col["log_words"]) / np.maximum(hi - lo - 1, 1)
    col["prev_good"] = np.concatenate(([0.0], good[:-1]))
    col["next_good"] = np.concatenate((good[1:], [0.0]))
    col["page_good_share"] = np.full(n, good.mean())
    col["log_page_words"] = np.full(n, np.log1p(total))
    blocks = block_of.astype(int)
    block_lines = np.bincount(blocks).astype(float)
    block_words = np.bincount(blocks, weights=words)
    col["block_lines"] = np.log1p(block_lines[blocks])
    col["block_words"] = np.log1p(block_words[blocks])
    counts = Counter(r.norm for r in rows)
    col["repeat_in_page"] = np.fromiter((counts[r.norm] > 1 for r in rows), float, n)
    first_good = int(np.argmax(good)) if good.any() else n
    stops = np.cumsum(stop) - stop
    col["after_stop"] = ((stops > 0) & (index > first_good)).astype(float)
    title_at = next((i for i, r in enumerate(rows) if r.label == TITLE), None)
    col["before_title"] = (index < title_at).astype(float) if title_at is not None else np.zeros(n)
    block_tokens = np.maximum(np.bincount(blocks, weights=ntok), 1.0)
    col["block_density"] = (np.bincount(blocks, weights=col["density"] * ntok) / block_tokens)[blocks]
    col["block_terminal"] = (np.bincount(blocks, weights=col["terminal"]) / block_lines)[blocks]
    same_block = np.concatenate(([False], blocks[1:] == blocks[:-1]))
    prev_open = np.concatenate(([False], col["terminal"][:-1] == 0))
    col["continuation"] = (same_block & (prev_open | (lower_start > 0))).astype(float)
    col["density_window_2"] = _window_mean(col["density"], 2)
    col["bullet_window_2"] = _window_mean(col["bullet"], 2)
    col["rule_window_2"] = _window_mean(col["rule_drop"], 2)
    typical = np.median(words[words >= 3]) if (words >= 3).any() else 1.0
    col["length_ratio"] = np.minimum(words / max(typical, 1.0), 5.0)
    return np.column_stack([col[name] for name in FEATURES])


def _window_mean(values: np.ndarray, k: int) -> np.ndarray:
    """Mean of the values within k lines on either side, the line itself left out."""
    n = len(values)
    index = np.arange(n)
    cum = np.concatenate(([0.0], np.cumsum(values)))
    lo, hi = np.maximum(index - k, 0), np.minimum(index + k + 1, n)
    return (cum[hi] - cum[lo] - values) / np.maximum(hi - lo - 1, 1)


def context_features(probs: np.ndarray, rows: Sequence[_Row]) -> np.ndarray:
    """The (lines x line_model.CONTEXT) matrix: the first stage's probabilities around each line."""
    n = len(probs)
    blocks = np.fromiter((r.block for r in rows), int, n)
    words = np.fromiter((max(r.words, 1) for r in rows), float, n)
    block_p = np.bincount(blocks, weights=probs * words) / np.bincount(blocks, weights=words)
    cols = {
        "p": probs, "p_window_1": _window_mean(probs, 1), "p_window_3": _window_mean(probs, 3),
        "p_window_8": _window_mean(probs, 8), "p_block": block_p[blocks],
        "p_prev": np.concatenate(([0.0], probs[:-1])), "p_next": np.concatenate((probs[1:], [0.0])),
        "p_page": np.full(n, float(np.average(probs, weights=words))),
    }
    return np.column_stack([cols[name] for name in CONTEXT])


def line_probabilities(rows: Sequence[_Row], span: tuple[int, int, int] | None, model: LineModel) -> np.ndarray:
    """The model's probability that each row is article text."""
    features = line_features(rows, span)
    first = model.first.predict(features)
    return model.second.predict(np.hstack([features, context_features(first, rows)]))


def _title_case_share(text: str) -> float:
    firsts = WORD_START.findall(text)  # the first character of every whitespace-separated word
    return sum(map(str.isupper, firsts)) / len(firsts) if firsts else 0.0


def describe_lines(text: str, rules: Rules) -> tuple[list[str], np.ndarray, Callable[[np.ndarray], np.ndarray]]:
    """The stripped non-blank lines of a dump, their feature matrix, and the function that gives their context
    features from first-stage probabilities (for fitting the line model)."""
    rows = _graded_rows(text, rules, frozenset(), None)
    if not rows:
        return [], np.zeros((0, len(FEATURES))), lambda probs: np.zeros((0, len(CONTEXT)))
    span = _label_rows(rows, [_weight(r, rules) for r in rows], rules)
    return [r.text for r in rows], line_features(rows, span), lambda probs: context_features(probs, rows)


def _model_reason(row: _Row) -> str:
    """Reason for a body line the model judged not article text (no rule fired on it)."""
    if row.bullet:
        return "navigation"
    if row.links:
        return "related_links"
    return "unlikely_content"


def _apply_model(rows: list[_Row], probs: np.ndarray, span: tuple[int, int, int] | None, model: LineModel) -> None:
    """The model arbitrates the rules' labels: weak body lines go, strong lines the rules left out below the
    headline come back, and above it only prose paragraphs (the header stays the rules' decision)."""
    body_start = span[1] if span is not None else len(rows)
    for i, row in enumerate(rows):
        p = probs[i]
        if row.label == BODY:
            if p < model.keep_inside and row.kind != GOOD:  # the model never cuts a paragraph of prose
                row.mark(BOILERPLATE, _model_reason(row))
        elif ((i > body_start or row.kind == GOOD) and p >= model.keep_outside and not row.rule_reason
              and not row.caption and not row.is_date and not row.is_byline
              and (row.label is None or row.reason in (OUTSIDE, TRAILER))):
            row.mark(BODY)


def _holds_date(row: _Row, rules: Rules) -> bool:
    """Whether the line holds a date whose month reads (dates.first_date; only lines with a digit are searched)."""
    return DIGIT.search(row.text) is not None and first_date(row.text, rules) is not None


def _is_comment_header(row: _Row, rules: Rules) -> bool:
    """A commenter's line above a comment: short, with the comment's time or date, or ending in "says"."""
    if row.words > rules.comments.header_max_words:
        return False
    if rules.comments.header_time.search(row.text) or _holds_date(row, rules):
        return True
    return bool(row.tokens) and row.tokens[-1] in rules.authors.comment_verbs


def _find_comment_start(rows: Sequence[_Row], rules: Rules) -> int | None:
    """Index of the first row of the page's comment section below the article's first body line, or None.

    The section starts at the header of the first comment, found from the first of at least min_replies reply
    buttons. Without reply buttons, it starts at a comment heading ("Comments", "12 Responses to ...") followed,
    within header_window lines, by the first of at least min_headers commenter headers; without a heading, at
    the first of a train of dated commenter headers."""
    first = next((i for i, row in enumerate(rows) if row.label == BODY), None)
    if first is None:
        return None
    start = _replied_comments(rows, first, rules)
    if start is None:
        start = _headed_comments(rows, first, rules)
    return start if start is not None else _dated_comments(rows, first, rules)


def _replied_comments(rows: Sequence[_Row], first: int, rules: Rules) -> int | None:
    """Index of the header of the first comment below row `first`, found from the first of at least min_replies
    reply buttons; None without them."""
    c = rules.comments
    replies = [i for i in range(first + 1, len(rows)) if rows[i].is_reply]
    if len(replies) < c.min_replies:
        return None
    j = replies[0]
    for k in range(j - 1, max(first, j - c.header_window - 1), -1):
        if _is_comment_header(rows[k], rules):
            return k
    return j


def _headed_comments(rows: Sequence[_Row], first: int, rules: Rules) -> int | None:
    """Index of the first comment heading below row `first` when commenter headers follow it closely, or None
    (trying every later heading as well changed no page of the benchmark)."""
    c = rules.comments
    stub = next((i for i in range(first + 1, len(rows)) if rows[i].rule_reason == COMMENT_STUB), None)
    if stub is None:
        return None
    headers = (k for k in range(stub + 1, len(rows)) if _is_comment_header(rows[k], rules))
    nearest = next(headers, None)
    if nearest is None or nearest - stub > c.header_window:
        return None
    return stub if len(list(islice(headers, c.min_headers - 1))) == c.min_headers - 1 else None


def _is_train_header(row: _Row, rules: Rules) -> bool:
    """A short line holding a date, or a longer one whose words are nearly all its date and time."""
    c = rules.comments
    if row.words > c.train_header_max_words and _undated_words(row.tokens, rules) > c.train_header_max_other_words:
        return False
    return _holds_date(row, rules)


def _dated_comments(rows: Sequence[_Row], first: int, rules: Rules) -> int | None:
    """Index of the first of train_headers dated commenter headers in a row below row `first` (each a comment
    apart, their dates within train_max_days of each other), or None."""
    c = rules.comments
    train: list[int] = []
    days: list[dt.date] = []
    for k in range(first + 1, len(rows)):
        row = rows[k]
        if not _is_train_header(row, rules):
            continue
        found = find_line_dates(row.text, rules)
        day = found[0][0] if found else None
        if train and (not 2 <= k - train[-1] <= c.train_max_gap
                      or (day is not None and days and max(abs((day - d).days) for d in days) > c.train_max_days)):
            train.clear()
            days.clear()
        train.append(k)
        if day is not None:
            days.append(day)
        if len(train) == c.train_headers:
            return train[0]
    return None


def _cut_comments(rows: list[_Row], rules: Rules) -> None:
    """Everything from the comment section's start to the end of the page is boilerplate: "comment", unless a
    line rule gave the line its own reason."""
    start = _find_comment_start(rows, rules)
    if start is not None:
        for row in rows[start:]:
            if not row.rule_reason:
                row.mark(BOILERPLATE, "comment")


def classify_lines(text: str, rules: Rules, repeated: frozenset[str] = frozenset(),
                   memo: LineMemo | None = None) -> tuple[Line, ...]:
    """Label every non-blank line of a page dump; `repeated`: normalised lines recurring across the batch;
    `memo`: LineEvidence by stripped line, shared by the dumps of one batch (filled as lines are met)."""
    rows = _graded_rows(text, rules, repeated, memo)
    if not rows:
        return ()
    span = _label_rows(rows, [_weight(r, rules) for r in rows], rules)
    model = rules.line_model
    if model is not None:
        _apply_model(rows, line_probabilities(rows, span, model), span, model)
    _cut_comments(rows, rules)  # after the model: a comment it judged article text still goes
    # Every label set by mark() is one of LABELS and every BOILERPLATE line gets a reason: no validation needed.
    return tuple(
        trusted_line(r.position, r.text, r.label, r.reason, r.block) if r.label
        else trusted_line(r.position, r.text, BOILERPLATE, _outside_reason(r, repeated), r.block)
        for r in rows
    )
