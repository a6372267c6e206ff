"""Whole-page text dumps (and the visible text of HTML pages): headline, author and date candidates ranked.

On a whole page (boilerplate included) the classifier's TITLE/BYLINE/DATE labels are often wrong, so every
plausible line near the top of the article is a candidate.  Each candidate gets a few generic features (label,
distance to the first body line / to the chosen headline, length, shape, date or byline markers) and the one with
the highest linear score wins; the weights are the model file models/ranker.json (transforms.ranker_model).
"""

from __future__ import annotations

import bisect
import datetime as dt
import heapq
import itertools
import math
import operator
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from transforms.authors import (
    NAME_STOP,
    byline_marks,
    clean_authors,
    has_byline_mark,
    is_name_shaped,
    looks_like_byline,
)
from transforms.dates import DATE_HINT, find_line_dates, match_form
from transforms.metadata import EMAIL, HAS_DIGIT, URLISH, normal_words
from transforms.ranker_model import (
    DIST_META,
    DIST_TITLE,
    LABEL_REASONS,
    NAME_FEATURES,
    NAME_WORDS,
    TITLE_LATE,
    TITLE_ORDER,
    WORDS,
    bucket_name,
)
from transforms.record import BODY, BYLINE, TITLE, Line
from transforms.rules import Rules
from transforms.titles import strip_kicker

NUMBERED = re.compile(r"^\d{1,2}[.)]\s")


ARROWS = re.compile(r"[←→»«>]\s*\w|\w\s*[>←→]")


GLUED_WORDS = re.compile(r"[a-zäöüß][A-ZÄÖÜ][a-zäöüß]")


# A letter glued to a digit, and a year glued to a letter: sub(GLUED_SPACE) puts a space between them.
GLUED_LEFT = re.compile(r"([^\W\d_])(?=\d)")


GLUED_RIGHT = re.compile(r"((?:19|20)\d\d)(?=[^\W\d_])")


GLUED_SPACE = r"\1 "


SQUARE = re.compile(r"\[[^\]]*\]")


CAP_WORD = re.compile(r"[A-ZÄÖÜÀ-Ý][\w'’.-]*$")


DateMemo = dict[str, list[tuple[dt.date, re.Match[str]]]]


def _line_dates(text: str, rules: Rules, memo: DateMemo) -> list[tuple[dt.date, re.Match[str]]]:
    """Every readable date in a line (memo: one page's lines are looked at by several rankers)."""
    found = memo.get(text)
    if found is None:
        found = memo[text] = find_line_dates(text, rules) if DATE_HINT.search(text) else []
    return found


def _hinted_lines(lines: Sequence[Line]) -> list[int]:
    """Indices of the lines that can hold a date, found with one scan of the whole page."""
    starts, pos = [], 0
    for ln in lines:
        starts.append(pos)
        pos += len(ln.text) + 1
    page = "\n".join(ln.text for ln in lines)
    hinted: list[int] = []
    for m in DATE_HINT.finditer(page):
        i = bisect.bisect_right(starts, m.start()) - 1
        if not hinted or hinted[-1] != i:
            hinted.append(i)
    return hinted


# The \w+ tokens longer than three characters: a maximal word run of 4+ characters is one match, a shorter run none.
LONG_WORD = re.compile(r"\w{4,}")


def _strip_bullet(text: str, bullets: str) -> str:
    """The line without the bullets (rules [markers] bullets) and spaces before it."""
    return text.lstrip(bullets + " ").strip()


@dataclass(frozen=True, slots=True)
class _Buckets:
    """The _bucket feature names of every value in [lo, hi), looked up instead of formatted on each call."""

    prefix: str
    edges: Sequence[tuple[int, int, str]]
    lo: int
    names: tuple[str, ...]

    @classmethod
    def over(cls, prefix: str, edges: Sequence[tuple[int, int, str]], lo: int, hi: int) -> _Buckets:
        return cls(prefix, edges, lo, tuple(bucket_name(prefix, v, edges) for v in range(lo, hi)))

    def name(self, value: int) -> str:
        k = value - self.lo
        return self.names[k] if 0 <= k < len(self.names) else bucket_name(self.prefix, value, self.edges)


TITLE_DIST_BUCKETS = _Buckets.over("d_", DIST_TITLE, -64, 64)


WORDS_BUCKETS = _Buckets.over("w_", WORDS, 0, 64)


META_DIST_BUCKETS = _Buckets.over("d_", DIST_META, -64, 64)


def _label_feature(line: Line) -> str:
    if line.label != "boilerplate":
        return "lab_" + line.label
    return "lab_" + line.reason if line.reason in LABEL_REASONS else "lab_other"  # type: ignore[operator]


def linear_score(feats: dict[str, float], weights: dict[str, float]) -> float:
    # The sum of weight * value in the features' order (map keeps the order, so the float sum is the same).
    return sum(map(operator.mul, map(weights.get, feats, itertools.repeat(0.0)), feats.values()))


def line_counts(lines: Sequence[Line], bullets: str, stripped: Sequence[str] | None = None) -> dict[str, int]:
    """How often each line (without its bullet, casefolded) occurs on the page (stripped: the lines' _strip_bullet)."""
    counts: dict[str, int] = {}
    get = counts.get
    for text in stripped if stripped is not None else [_strip_bullet(ln.text, bullets) for ln in lines]:
        key = text.casefold()
        counts[key] = get(key, 0) + 1
    return counts


BOUND_EPS = 1e-9  # float slack when comparing a candidate's upper bound with the best score so far


class _TitleScan:
    """Headline candidate features of one page, in two steps: early (cheap) and late (the rest)."""

    __slots__ = ("body_words", "counts", "first_body", "first_title", "hinted", "lines", "memo", "n_lines",
                 "next_byline", "next_date", "rules", "shared")

    def __init__(self, lines: Sequence[Line], first_body: int, rules: Rules, body_words: set[str],
                 counts: dict[str, int], memo: DateMemo, shared: _Shared) -> None:
        self.lines, self.first_body, self.rules, self.body_words = lines, first_body, rules, body_words
        self.counts, self.memo, self.shared, self.n_lines = counts, memo, shared, len(lines)
        self.first_title = next((i for i, ln in enumerate(lines) if ln.label == TITLE), -1)
        self.hinted = shared.hinted  # lines without a DATE_HINT (nor their bullet-stripped text) hold no date
        self.next_date: dict[int, bool] = {}
        self.next_byline: dict[int, bool] = {}

    def candidates(self) -> list[int]:
        """Indices of the lines that may be the headline: around the first body line, and the first TITLE."""
        lo, hi = max(0, self.first_body - 40), min(self.n_lines, self.first_body + 6)
        idx = list(range(lo, hi))
        if self.first_title >= 0 and not lo <= self.first_title < hi:
            idx.append(self.first_title)
        return idx

    def early(self, i: int) -> tuple[str, int, dict[str, float]] | None:
        """(text, words, the cheap features) of candidate line i; None when it is no candidate."""
        lines, ln = self.lines, self.lines[i]
        text = self.shared.stripped[i]
        nw = len(text.split())
        if not nw or nw > 40:
            return None
        f = {_label_feature(ln): 1.0, TITLE_DIST_BUCKETS.name(i - self.first_body): 1.0, WORDS_BUCKETS.name(nw): 1.0,
             "bias": 1.0}
        if ln.text[:1] in self.rules.bullets:
            f["bullet"] = 1.0
        if text.endswith("."):
            f["end_period"] = 1.0
        if text.endswith(":"):
            f["end_colon"] = 1.0
        if text.endswith(("?", "!", "“", '"', "»", "«")):
            f["end_q"] = 1.0
        n = self.counts.get(text.casefold(), 0)
        if n > 1:
            f["repeated"] = 1.0
        if n > 2:
            f["repeated3"] = 1.0
        if i == self.first_title:
            f["first_title"] = 1.0
        toks = [t for t in LONG_WORD.findall(text.lower()) if not t.isdigit()]
        if toks:
            body_words = self.body_words
            f["body_overlap"] = sum(t in body_words for t in toks) / len(toks)
        else:
            f["no_content_words"] = 1.0
        if not text[:1].isupper() and not text[:1].isdigit() and text[:1] not in "„“\"«»‘'":
            f["lower_start"] = 1.0
        if ln.label == BODY and i + 1 < self.n_lines and lines[i + 1].label == BODY and nw > 12:
            f["in_body_run"] = 1.0
        if i + 1 < self.n_lines and lines[i + 1].label == BODY:
            f["next_body"] = 1.0
        return text, nw, f

    def late(self, i: int, text: str, nw: int, f: dict[str, float]) -> dict[str, float]:
        """The candidate's features with the remaining ones (TITLE_LATE) added, in TITLE_ORDER."""
        lines, rules, memo, n_lines = self.lines, self.rules, self.memo, self.n_lines
        nwords = self.shared.nwords
        if i in self.hinted and _line_dates(text, rules, memo):
            f["has_date"] = 1.0
        if looks_like_byline(text, rules) or (nw <= 8 and has_byline_mark(text, rules)):
            f["byline_like"] = 1.0
        if nw > 1 and text.isupper():
            f["all_caps"] = 1.0
        if HAS_DIGIT.search(text):
            f["digit"] = 1.0
        if " | " in text or " · " in text:
            f["pipe"] = 1.0
        if NUMBERED.match(text):
            f["numbered"] = 1.0
        if ARROW_CHARS.search(text) and ARROWS.search(text):
            f["arrow"] = 1.0
        if GLUED_WORDS.search(text):
            f["glued"] = 1.0
        if "©" in text or _is_junk(text):
            f["junk"] = 1.0
        nxt = range(i + 1, min(i + 4, n_lines))
        next_date, next_byline = self.next_date, self.next_byline
        for j in nxt:
            hit = next_date.get(j)
            if hit is None:
                hit = next_date[j] = (j in self.hinted and bool(_line_dates(lines[j].text, rules, memo))
                                      and nwords(j) <= 14)
            if hit:
                f["next_date"] = 1.0
                break
        for j in nxt:
            hit = next_byline.get(j)
            if hit is None:
                x = lines[j]
                hit = next_byline[j] = x.label == BYLINE or (nwords(j) <= 12 and has_byline_mark(x.text, rules))
            if hit:
                f["next_byline"] = 1.0
                break
        if i > 0 and self.shared.norm(i - 1) == self.shared.norm(i):
            f["prev_same"] = 1.0
        head = list(f)[:3]  # label, distance and length buckets come first
        return {**{k: f[k] for k in head}, **{k: f[k] for k in TITLE_ORDER if k in f}}

    def best(self, weights: dict[str, float]) -> tuple[int, str] | None:
        """The highest-scoring candidate (the first of equals), as (line index, text); late features are only
        computed for candidates whose early score plus the most the late ones can add still reaches the best."""
        slack = sum(max(0.0, weights.get(k, 0.0)) for k in TITLE_LATE)
        early = []
        for order, i in enumerate(self.candidates()):
            found = self.early(i)
            if found is not None:
                early.append((linear_score(found[2], weights) + slack, order, i, found))
        early.sort(key=lambda c: -c[0])  # stable: equal bounds keep page order
        top: tuple[float, int, int, str] | None = None
        for bound, order, i, (text, nw, f) in early:
            if top is not None and bound < top[0] - BOUND_EPS:
                break
            score = linear_score(self.late(i, text, nw, f), weights)
            if top is None or score > top[0] or (score == top[0] and order < top[1]):
                top = (score, order, i, text)
        return None if top is None else (top[2], top[3])


def title_features(lines: Sequence[Line], first_body: int, rules: Rules, body_words: set[str],
                    counts: dict[str, int], memo: DateMemo,
                    shared: _Shared | None = None) -> list[tuple[int, str, dict[str, float]]]:
    """Headline candidates of a whole page: (line index, text, features)."""
    scan = _TitleScan(lines, first_body, rules, body_words, counts, memo,
                      shared if shared is not None else _Shared(lines, rules.bullets))
    out = []
    for i in scan.candidates():
        found = scan.early(i)
        if found is not None:
            text, nw, f = found
            out.append((i, text, scan.late(i, text, nw, f)))
    return out


ARROW_CHARS = re.compile(r"[←→»«>]")  # every ARROWS match holds one of these


def _is_junk(text: str) -> bool:
    """URLISH or EMAIL found in text (each regex only run when a character it needs is there)."""
    return bool((("://" in text or "www." in text.lower()) and URLISH.search(text))
                or (("@" in text or "[" in text) and EMAIL.search(text)))


class _Shared:
    """Per-page, per-line values the rankers share (computed once, lazily where only some lines need them)."""

    __slots__ = ("_hinted", "_norm", "_nwords", "authors", "lines", "stripped")

    def __init__(self, lines: Sequence[Line], bullets: str) -> None:
        self.lines = lines
        self.stripped = [_strip_bullet(ln.text, bullets) for ln in lines]
        self.authors: dict[str, tuple[str, ...]] = {}  # clean_authors of each candidate string
        self._hinted: list[int] | None = None
        self._nwords: dict[int, int] = {}
        self._norm: dict[int, str] = {}

    @property
    def hinted_lines(self) -> list[int]:
        """_hinted_lines of the page (computed once)."""
        if self._hinted is None:
            self._hinted = _hinted_lines(self.lines)
        return self._hinted

    @property
    def hinted(self) -> frozenset[int]:
        """The hinted lines as a set."""
        return frozenset(self.hinted_lines)

    def nwords(self, i: int) -> int:
        """Whitespace-separated words of line i (as written)."""
        n = self._nwords.get(i)
        if n is None:
            n = self._nwords[i] = len(self.lines[i].text.split())
        return n

    def norm(self, i: int) -> str:
        """normal_words of line i without its bullet."""
        n = self._norm.get(i)
        if n is None:
            n = self._norm[i] = normal_words(self.stripped[i])
        return n


SEGMENTS = re.compile(r"\s*[|·•/∙●]\s*|\s{2,}")


HAS_ALPHA = re.compile(r"[^\W\d_]")


# Label features of lines whose unmarked words are never authors: body text and captions are prose that names
# people, not bylines.
_PROSE_LINES = frozenset({"lab_body", "lab_caption"})


def _unmarked_byline(base: dict[str, float]) -> bool:
    """Whether a line without a By/Von mark may still be a byline (its features `base`): not the headline,
    not body text or a caption."""
    return "is_title" not in base and _PROSE_LINES.isdisjoint(base)


def has_byline_evidence(features: dict[str, float]) -> bool:
    """Whether an author candidate comes from a line the cleaner labelled a byline."""
    return "lab_byline" in features


def is_answered(score: float, features: dict[str, float], abstain_below: float) -> bool:
    """Whether the best author candidate is answered: from a byline line always, from another line (a By/Von
    mark in a teaser or a name line near the headline) only when its score reaches the model's abstain_below."""
    return has_byline_evidence(features) or score >= abstain_below


MAX_CANDIDATE_CHARS = 1000  # longer lines hold no author candidate (a line of 40 words is rarely 500 characters)


class _AuthorScan:
    """Author candidates of one page in two steps: the raw strings of each line with their line features, then
    the names clean_authors makes of one raw string with the name features."""

    __slots__ = ("anchor", "authors", "counts", "lines", "memo", "rules")

    def __init__(self, lines: Sequence[Line], anchor: int, rules: Rules, counts: dict[str, int],
                 memo: DateMemo, shared: _Shared | None) -> None:
        self.lines, self.anchor, self.rules, self.counts, self.memo = lines, anchor, rules, counts, memo
        self.authors: dict[str, tuple[str, ...]] = shared.authors if shared is not None else {}

    def candidates(self) -> list[int]:
        """Indices of the lines around the headline, then up to 3 BYLINE lines elsewhere."""
        lines, anchor = self.lines, self.anchor
        lo, hi = max(0, anchor - 12), min(len(lines), anchor + 31)
        return list(range(lo, hi)) + [i for i, ln in enumerate(lines) if ln.label == BYLINE and not lo <= i < hi][:3]

    def clean(self, raw: str) -> tuple[str, ...]:
        """clean_authors of a raw string (once per string and page)."""
        names = self.authors.get(raw)
        if names is None:
            names = self.authors[raw] = clean_authors(raw, self.rules)
        return names

    def line(self, i: int) -> tuple[str, list[tuple[str, dict[str, float]]]]:
        """The line's text as searched, and its raw candidate strings with their features."""
        found = self.line_base(i)
        return (self.lines[i].text, []) if found is None else (found[0], self.line_cands(*found))

    def line_base(self, i: int) -> tuple[str, int, list, dict[str, float]] | None:
        """(text as searched, words, dates, line features) of line i; None when it holds no candidate."""
        ln = self.lines[i]
        text = ln.text
        if len(text) > MAX_CANDIDATE_CHARS:
            return None  # no byline is this long; the regexes below never see a huge line
        if "[" in text:
            text = SQUARE.sub(" ", text)
        if HAS_DIGIT.search(text):  # both GLUED patterns need a digit
            text = GLUED_RIGHT.sub(GLUED_SPACE, GLUED_LEFT.sub(GLUED_SPACE, text))
        text = text.strip(self.rules.bullets + " ")
        nwords = len(text.split())
        if nwords > 40 or not HAS_ALPHA.search(text):
            return None
        dates = _line_dates(text, self.rules, self.memo)
        base = {_label_feature(ln): 1.0, META_DIST_BUCKETS.name(i - self.anchor): 1.0, "bias": 1.0}
        if dates:
            base["line_date"] = 1.0
        if nwords <= 6:
            base["line_short"] = 1.0
        if i == self.anchor:
            base["is_title"] = 1.0
        return text, nwords, dates, base

    def line_cands(self, text: str, nwords: int, dates: list, base: dict[str, float]) -> list[tuple[str, dict]]:
        """The raw candidate strings of a line (byline marks, else segments) with their features."""
        cands: list[tuple[str, dict[str, float]]] = []
        for m in byline_marks(text, self.rules):
            rest = text[m.end():]
            stop = NAME_STOP.search(" " + rest)
            name = (" " + rest)[: stop.start()] if stop else " " + rest
            f = dict(base, mark=1.0)
            if m.start() == 0:
                f["mark_start"] = 1.0
            elif nwords > 12:
                f["mark_prose"] = 1.0
            if not name.strip()[:1].isupper():
                f["mark_lower"] = 1.0
            if m["mark"].lower() in self.rules.authors.plain_marks:
                f["mark_vonby"] = 1.0
            cands.append((name, f))
        if not cands and nwords <= 12 and _unmarked_byline(base):
            cleaned = text
            for _day, dm in reversed(dates):
                cleaned = cleaned[: dm.start()] + " | " + cleaned[dm.end():]
            for seg in SEGMENTS.split(cleaned):
                seg = seg.strip(" ,;:-–—")
                if not seg:
                    continue
                cands.append((seg, dict(base, segment=1.0)))
                words = seg.split()
                if len(words) > 2:
                    head = list(itertools.takewhile(CAP_WORD.match, words))[:3]
                    tail = list(itertools.takewhile(CAP_WORD.match, reversed(words)))[:3][::-1]
                    if 2 <= len(head) < len(words):
                        cands.append((" ".join(head), dict(base, run_head=1.0)))
                    if 2 <= len(tail) < len(words):
                        cands.append((" ".join(tail), dict(base, run_tail=1.0)))
        return cands

    def named(self, raw: str, f: dict[str, float], text: str) -> tuple[tuple[str, ...], dict[str, float]] | None:
        """The names of a raw candidate with the name features added; None when they are not name-shaped."""
        rules = self.rules
        names = self.clean(raw)
        if not names or not all(is_name_shaped(n, rules) for n in names):
            return None
        f = dict(f)
        nw = len(names[0].split())
        f[bucket_name("nw_", nw, NAME_WORDS)] = 1.0
        if all(w[:1].isupper() for n in names for w in n.split()):
            f["capitalised"] = 1.0
        first = names[0].split()[0].lower().strip(".,")
        if first in rules.authors.first_names:
            f["known_first"] = 1.0
        elif any(w.lower() in rules.authors.first_names for n in names for w in n.split()):
            f["known_any"] = 1.0
        if self.counts.get(names[0].casefold(), 0) > 1:
            f["name_repeated"] = 1.0
        if normal_words(raw) == normal_words(text):
            f["whole_line"] = 1.0
        return names, f

    def best(self, weights: dict[str, float]) -> tuple[str, ...]:
        """The names of the highest-scoring candidate (the first of equals, in author_features order); a raw
        string is only cleaned when its line features plus the most the name features can add reach the best."""
        slack = sum(max(0.0, *(weights.get(k, 0.0) for k in group)) for group in NAME_FEATURES)
        first_only = max(0.0, weights.get("first_only", 0.0))
        w = weights.get
        gain = max(w("mark", 0.0) + max(0.0, w("mark_start", 0.0), w("mark_prose", 0.0))
                   + max(0.0, w("mark_lower", 0.0)) + max(0.0, w("mark_vonby", 0.0)),
                   w("segment", 0.0), w("run_head", 0.0), w("run_tail", 0.0))  # the most a line's candidate adds
        heap: list[tuple[float, tuple[int, int, int], str, Any, str]] = []
        for li, i in enumerate(self.candidates()):
            found = self.line_base(i)
            if found is not None:  # a line entry (key kind -1): expanded into its candidates when popped
                bound = linear_score(found[3], weights) + gain + slack + first_only
                heap.append((-bound, (li, -1, 0), "", found, ""))
        heapq.heapify(heap)
        top: tuple[float, tuple[int, int, int], tuple[str, ...], dict[str, float]] | None = None
        while heap:
            neg, key, raw, f, text = heapq.heappop(heap)
            if top is not None and -neg < top[0] - BOUND_EPS:
                break
            if key[1] == -1:
                text = f[0]
                for k, (raw, g) in enumerate(self.line_cands(*f)):
                    bound = linear_score(g, weights) + slack + first_only
                    heapq.heappush(heap, (-bound, (key[0], 0, k), raw, g, text))
                continue
            if key[1] == 0:
                names = self.clean(raw)
                if len(names) > 1:  # the first name alone is a candidate too (after the line's own ones)
                    child = dict(f, first_only=1.0)
                    heapq.heappush(heap, (-(linear_score(child, weights) + slack), (key[0], 1, key[2]), names[0], child,
                                          text))
            found = self.named(raw, f, text)
            if found is None:
                continue
            score = linear_score(found[1], weights)
            if top is None or score > top[0] or (score == top[0] and key < top[1]):
                top = (score, key, found[0], found[1])
        if top is None or not is_answered(top[0], top[3], self.rules.ranker.abstain_below.get("author", -math.inf)):
            return ()  # no candidate, or an unmarked one the ranker is not sure enough of: null rather than wrong
        return top[2]


def author_features(lines: Sequence[Line], anchor: int, rules: Rules, counts: dict[str, int],
                     memo: DateMemo, shared: _Shared | None = None) -> list[tuple[tuple[str, ...], dict[str, float]]]:
    """Author candidates around the headline (and BYLINE lines anywhere): (names, features)."""
    scan = _AuthorScan(lines, anchor, rules, counts, memo, shared)
    out = []
    for i in scan.candidates():
        text, cands = scan.line(i)
        for raw, f in list(cands):
            names = scan.clean(raw)
            if len(names) > 1:
                cands.append((names[0], dict(f, first_only=1.0)))
        for raw, f in cands:
            found = scan.named(raw, f, text)
            if found is not None:
                out.append(found)
    return out


def date_features(lines: Sequence[Line], anchor: int, rules: Rules, memo: DateMemo,
                   shared: _Shared | None = None) -> list[tuple[dt.date, str, dict[str, float]]]:
    """Date candidates of the whole page: (day, raw text, features)."""
    out = []
    seen_after = 0
    day_counts: dict[dt.date, int] = {}
    found = []
    for i in shared.hinted_lines if shared is not None else _hinted_lines(lines):
        ln = lines[i]
        for day, m in _line_dates(ln.text, rules, memo):
            found.append((i, ln, day, m))
            day_counts[day] = day_counts.get(day, 0) + 1
    if not found:
        return out
    newest = max(d for _i, _ln, d, _m in found)
    for i, ln, day, m in found:
        text = ln.text
        f = {_label_feature(ln): 1.0, META_DIST_BUCKETS.name(i - anchor): 1.0, "bias": 1.0}
        label = rules.dates.label.match(text[: m.start()].strip() or text)
        pre = text[max(0, m.start() - 30): m.start()].lower()
        if label or any(w in pre for w in ("veröffentlicht", "published", "posted", "publiziert", "erstellt",
                                            "publié", "publicado", "datum", "date")):
            f["published_label"] = 1.0
        if any(w in pre for w in ("aktualisiert", "updated", "geändert", "modified", "update", "stand",
                                  "atualizado", "actualizado", "mis à jour")):
            f["updated_label"] = 1.0
        if len(text.split()) <= 10:
            f["line_short"] = 1.0
        if has_byline_mark(text, rules) or ln.label == BYLINE:
            f["line_byline"] = 1.0
        if i >= anchor:
            seen_after += 1
            if seen_after == 1:
                f["first_after"] = 1.0
        if day == newest:
            f["newest"] = 1.0
        if day_counts[day] > 1:
            f["day_repeated"] = 1.0
        form = match_form(m, rules)
        if len(m[form.year]) == 2:
            f["short_year"] = 1.0
        if form.name is not None:
            f["named_month"] = 1.0
        out.append((day, m.group(0), f))
    return out


@dataclass(frozen=True, slots=True)
class _Page:
    """What the rankers share about one page: its headline and the per-page memos."""

    title: str | None
    anchor: int  # index of the headline line (or of the first body line when none was found)
    counts: dict[str, int]
    memo: DateMemo
    shared: _Shared


BODY_WORDS_LINES = 40  # the headline's body_overlap feature looks at this many body lines


def page_body_words(lines: Sequence[Line]) -> set[str]:
    """The long words of a page's first body lines (the headline ranker's body_overlap; bench/fit_meta_ranker.py
    fits the weights on the same words)."""
    body = " ".join([x.text for x in lines if x.label == BODY][:BODY_WORDS_LINES])  # \w+ never spans the space
    return set(LONG_WORD.findall(body.lower()))


def rank_headline(lines: Sequence[Line], rules: Rules) -> _Page:
    """Pick the headline of a whole page; the author and date rankers measure distances from it."""
    first_body = next((i for i, ln in enumerate(lines) if ln.label == BODY), 0)
    shared = _Shared(lines, rules.bullets)
    counts, memo = line_counts(lines, rules.bullets, shared.stripped), {}
    best = _TitleScan(lines, first_body, rules, page_body_words(lines), counts, memo, shared).best(
        rules.ranker.weights.get("title", {}))
    if best is None:
        return _Page(None, first_body, counts, memo, shared)
    i, text = best
    return _Page(strip_kicker(text), i, counts, memo, shared)


def rank_authors(lines: Sequence[Line], page: _Page, rules: Rules) -> tuple[str, ...]:
    scan = _AuthorScan(lines, page.anchor, rules, page.counts, page.memo, page.shared)
    return scan.best(rules.ranker.weights.get("author", {}))


def rank_page_authors(lines: Sequence[Line], rules: Rules) -> tuple[str, ...]:
    """Authors of a whole page by the rankers (the HTML path runs it on a page's visible text)."""
    return rank_authors(lines, rank_headline(lines, rules), rules) if lines else ()
