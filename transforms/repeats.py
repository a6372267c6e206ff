"""Batch-level boilerplate evidence: lines that recur verbatim across many dumps of one batch (pure)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence

# Default bullet characters (the rules' [markers] bullets are passed by the pipeline).
BULLETS = "•□☆○◦▪▫●■◆►▶·*-–—"


def normalise_line(line: str, bullets: str = BULLETS) -> str:
    """A line as the cleaner compares it: leading bullets stripped, lower-case, spaces collapsed."""
    return " ".join(line.strip().lstrip(bullets + " \t").lower().split())


def _distinct_lines(text: str, max_words: int, bullets: str) -> set[str]:
    """The distinct non-empty normalised lines of one text with at most max_words words."""
    out = set()
    for raw in set(text.split("\n")):  # each distinct raw line is normalised once
        norm = normalise_line(raw, bullets)
        if norm and norm.count(" ") < max_words:
            out.add(norm)
    return out


def find_repeated_lines(texts: Sequence[str] | Iterable[str], min_docs: int = 3, max_words: int = 40,
                        bullets: str = BULLETS) -> frozenset[str]:
    """Normalised lines (at most max_words words) found in at least min_docs distinct documents."""
    if min_docs < 1:
        raise ValueError("min_docs must be at least 1")
    counts: Counter[str] = Counter()
    for text in set(texts):  # byte-identical copies of a dump are one document, not more evidence
        counts.update(_distinct_lines(text, max_words, bullets))
    return frozenset(line for line, n in counts.items() if n >= min_docs)
