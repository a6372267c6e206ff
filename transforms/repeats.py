"""Boilerplate evidence across dumps: lines that recur verbatim in many dumps of a set a caller chooses (pure;
the bullets stripped first are the rules' [markers] bullets)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence


def normalise_line(line: str, bullets: str) -> str:
    """A line as the cleaner compares it: leading bullets stripped, lower-case, spaces collapsed."""
    return " ".join(line.strip().lstrip(bullets + " \t").lower().split())


def distinct_lines(text: str, bullets: str) -> dict[str, int]:
    """Each distinct non-empty normalised line of a text with its word count (each raw line normalised once)."""
    out: dict[str, int] = {}
    strip = bullets + " \t"
    # normalise_line inlined, lower-casing the whole text once (it changes no space or bullet character).
    for raw in set(text.lower().split("\n")):
        norm = " ".join(raw.strip().lstrip(strip).split())
        if norm:
            out[norm] = norm.count(" ") + 1
    return out


def group_stories(texts: Sequence[str], min_words: int = 12, overlap_percent: int = 50, max_copies: int = 50, *,
                  bullets: str, lines: Sequence[dict[str, int]] | None = None) -> list[int]:
    """A story number per text: texts sharing enough of their long lines (copies, syndication) share one.

    `lines`: each text's distinct_lines, when the caller already has them.
    """
    lines = lines if lines is not None else [distinct_lines(t, bullets) for t in texts]
    long_lines = [{n for n, words in per_text.items() if words >= min_words} for per_text in lines]
    holders: dict[str, list[int]] = {}
    for i, found in enumerate(long_lines):
        for line in found:
            holders.setdefault(line, []).append(i)
    shared: Counter[tuple[int, int]] = Counter()
    for docs in holders.values():
        if 1 < len(docs) <= max_copies:
            shared.update((a, b) for k, a in enumerate(docs) for b in docs[k + 1:])
    parent = list(range(len(texts)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for (a, b), n in shared.items():
        if 100 * n >= overlap_percent * min(len(long_lines[a]), len(long_lines[b])):
            parent[root(a)] = root(b)
    return [root(i) for i in range(len(texts))]


def find_repeated_lines(texts: Sequence[str] | Iterable[str], min_docs: int = 3, max_words: int = 40, *,
                        bullets: str, stories: Sequence[int] | None = None,
                        lines: Sequence[dict[str, int]] | None = None) -> frozenset[str]:
    """Normalised lines (at most max_words words) found in at least min_docs distinct stories.

    `stories` gives each text's story (group_stories); by default every distinct text is its own story.
    """
    if min_docs < 1:
        raise ValueError("min_docs must be at least 1")
    texts = list(texts)
    stories = list(stories) if stories is not None else list(range(len(texts)))
    lines = lines if lines is not None else [distinct_lines(t, bullets) for t in texts]
    if not len(stories) == len(lines) == len(texts):
        raise ValueError("one story number and one line set per text")
    per_story: dict[int, set[str]] = {}
    seen: set[str] = set()
    for text, story, per_text in zip(texts, stories, lines, strict=True):
        if text in seen:
            continue  # identical dumps count once
        seen.add(text)
        per_story.setdefault(story, set()).update(n for n, words in per_text.items() if words <= max_words)
    counts: Counter[str] = Counter(line for found in per_story.values() for line in found)
    return frozenset(line for line, n in counts.items() if n >= min_docs)
