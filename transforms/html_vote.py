"""The paragraph vote of the HTML path: which lines of a page's text rendering the candidate extractors agree on.

Each line gets, per candidate, the share of its word 4-shingles the candidate's text contains (or the candidate's
own keep flag, for the text cleaner that labels the rendering itself); a line is kept when the weighted sum of
those shares reaches the threshold (the [body_vote] table of rules/html.toml, tuned leave-one-source-out by
bench/fit_html_vote.py). An empty or much shorter vote never wins over a candidate that found an article: then
the text candidate that agrees best with the others is returned instead. Pure: values in, values out.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType

TOKEN = re.compile(r"\w+")
SHINGLE = 4
CANDIDATES = ("trafilatura", "readability", "resiliparse", "text_cleaner")
Candidates = Mapping[str, "str | list[bool] | None"]  # name -> text, per-line keep flags, or None (not run)


@dataclass(frozen=True, slots=True)
class VoteRules:
    """Weights and limits of the paragraph vote (rules/html.toml [body_vote])."""

    weights: Mapping[str, float]  # candidate name -> weight of its coverage share
    threshold: float  # a block is kept when the weighted sum of shares reaches this
    neighbour: float  # weight of the mean score of the two adjacent lines
    short_block_bonus: float  # added for blocks of fewer than `short_block_words` words (negative: a penalty)
    short_block_words: int
    min_share: float  # the vote must keep at least this share of the words of the median non-empty candidate
    readability_retry_share: float  # readability-lxml re-reads pages where the port found less than this share
    max_readability_work: float  # unless its link-density work (html_body.readability_work) is over this
    max_readability_elements: int  # pages with more elements skip readability and resiliparse
    max_render_chars: int  # so do pages whose text rendering is longer than this


def parse_vote_rules(table: object, fail: Callable[[str, str], Exception]) -> VoteRules:
    """Validate the [body_vote] table; `fail(key, message)` builds the error to raise."""
    if not isinstance(table, dict):
        raise fail("body_vote", "must be a table")
    keys = {"weights", "threshold", "neighbour", "short_block_bonus", "short_block_words", "min_share",
            "readability_retry_share", "max_readability_work",
            "max_readability_elements", "max_render_chars"}
    if set(table) != keys:
        raise fail("body_vote", f"needs exactly the keys {sorted(keys)}, got {sorted(table)}")
    weights = table["weights"]
    if not isinstance(weights, dict) or set(weights) != set(CANDIDATES):
        raise fail("body_vote.weights", f"needs a weight for each of {list(CANDIDATES)}")
    numbers = ("threshold", "neighbour", "short_block_bonus", "min_share", "readability_retry_share",
               "max_readability_work")
    for name, value in [*weights.items(), *((k, table[k]) for k in numbers)]:
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            raise fail(f"body_vote.{name}", f"must be a number, got {value!r}")
    for key in ("short_block_words", "max_readability_elements", "max_render_chars"):
        if isinstance(table[key], bool) or not isinstance(table[key], int) or table[key] < 0:
            raise fail(f"body_vote.{key}", f"must be a non-negative integer, got {table[key]!r}")
    for key in ("min_share", "readability_retry_share"):
        if not 0 <= table[key] <= 1:
            raise fail(f"body_vote.{key}", f"must be between 0 and 1, got {table[key]}")
    return VoteRules(MappingProxyType({k: float(v) for k, v in weights.items()}), float(table["threshold"]),
                     float(table["neighbour"]), float(table["short_block_bonus"]), table["short_block_words"],
                     float(table["min_share"]), float(table["readability_retry_share"]),
                     float(table["max_readability_work"]),
                     table["max_readability_elements"], table["max_render_chars"])


def shingles(tokens: Sequence[str]) -> set[tuple[str, ...]]:
    """Word 4-shingles of a token sequence (one short shingle for 1-3 tokens), as the bench metric has them."""
    if len(tokens) < SHINGLE:
        return {tuple(tokens)} if tokens else set()
    return set(zip(tokens, tokens[1:], tokens[2:], tokens[3:], strict=False))


def coverage(lines: Sequence[str], candidates: Mapping[str, str | list[bool] | None]) -> dict[str, list[float]]:
    """Per candidate, per line: the share of the line's shingles found in the candidate's text (or its own flag)."""
    line_shingles = [shingles(TOKEN.findall(line)) for line in lines]
    out: dict[str, list[float]] = {}
    for name, value in candidates.items():
        if value is None:
            continue
        if isinstance(value, list):
            out[name] = [1.0 if flag else 0.0 for flag in value]
            continue
        paragraphs = [TOKEN.findall(para) for para in value.splitlines()]
        found = shingles([t for para in paragraphs for t in para])
        found.update(tuple(p) for p in paragraphs if 0 < len(p) < SHINGLE)  # a short paragraph: its own shingle
        out[name] = [len(s & found) / len(s) if s else 0.0 for s in line_shingles]
    return out


def vote(lines: Sequence[str], shares: Mapping[str, list[float]], rules: VoteRules) -> list[bool]:
    """Keep-flags of the lines by the weighted vote; weights of missing candidates are spread over the others.

    A line's score is its own weighted share plus `neighbour` times the mean score of the lines on either side
    (an article is a run of lines, so a line between two kept ones is likely kept)."""
    present = [n for n in CANDIDATES if n in shares]
    total = sum(rules.weights[n] for n in CANDIDATES)
    have = sum(rules.weights[n] for n in present) or 1.0
    scale = total / have
    raw = [scale * sum(rules.weights[n] * shares[n][i] for n in present) for i in range(len(lines))]
    keep = []
    for i, line in enumerate(lines):
        around = (raw[i - 1] if i else 0.0) + (raw[i + 1] if i + 1 < len(raw) else 0.0)
        score = raw[i] + rules.neighbour * around / 2
        if len(line.split()) < rules.short_block_words:
            score += rules.short_block_bonus
        keep.append(score >= rules.threshold)
    return keep


def word_count(text: str) -> int:
    """Word tokens in a text."""
    return len(TOKEN.findall(text))


def fallback(candidates: Mapping[str, str | list[bool] | None], lines: Sequence[str]) -> str:
    """The text candidate that shares most shingles with the other text candidates (ties: the longer)."""
    texts = {n: v for n, v in candidates.items() if isinstance(v, str) and v.strip()}
    if not texts:
        return ""
    sets = {n: shingles(TOKEN.findall(v)) for n, v in texts.items()}

    def agreement(name: str) -> tuple[float, int]:
        mine = sets[name]
        others = [len(mine & s) / (len(mine | s) or 1) for n, s in sets.items() if n != name]
        return (sum(others) / len(others) if others else 0.0, len(mine))

    return texts[max(texts, key=agreement)]


def arbitrate(lines: Sequence[str], candidates: Mapping[str, str | list[bool] | None],
              rules: VoteRules) -> tuple[list[str], str]:
    """The kept paragraphs and how they were chosen ('vote' or 'fallback')."""
    kept, _blocks, how = arbitrate_blocks(lines, candidates, rules)
    return kept, how


def arbitrate_blocks(lines: Sequence[str], candidates: Mapping[str, str | list[bool] | None],
                     rules: VoteRules) -> tuple[list[str], list[int | None], str]:
    """arbitrate's kept paragraphs, the index in `lines` each one is (None: a fallback paragraph no line equals),
    and how they were chosen."""
    keep = vote(lines, coverage(lines, candidates), rules)
    kept = [i for i, k in enumerate(keep) if k]
    sizes = sorted(word_count(v) for v in candidates.values() if isinstance(v, str) and v.strip())
    median = sizes[len(sizes) // 2] if sizes else 0
    if sizes and sum(word_count(lines[i]) for i in kept) < rules.min_share * median:
        text = fallback(candidates, lines)
        paragraphs = [p.strip() for p in text.splitlines() if p.strip()]
        return paragraphs, locate_blocks(paragraphs, lines), "fallback"
    return [lines[i] for i in kept], list(kept), "vote"


def locate_blocks(paragraphs: Sequence[str], lines: Sequence[str]) -> list[int | None]:
    """Index of the line equal to each paragraph, searched in order after the previous one found; None if none."""
    where: dict[str, list[int]] = {}
    for i, line in enumerate(lines):
        where.setdefault(line, []).append(i)
    out: list[int | None] = []
    after = -1
    for paragraph in paragraphs:
        found = next((i for i in where.get(paragraph, ()) if i > after), None)
        out.append(found)
        after = found if found is not None else after
    return out
