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


def group_stories(texts: Sequence[str], min_words: int = 12, overlap_percent: int = 50, max_copies: int = 50,
                  bullets: str = BULLETS) -> list[int]:
    """A story number per text: texts sharing enough of their long lines (copies, syndication) share one."""
    long_lines = [{n for raw in set(t.split("\n")) if (n := normalise_line(raw, bullets)).count(" ") + 1 >= min_words}
                  for t in texts]
    holders: dict[str, list[int]] = {}
    for i, lines in enumerate(long_lines):
        for line in lines:
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


def find_repeated_lines(texts: Sequence[str] | Iterable[str], min_docs: int = 3, max_words: int = 40,
                        bullets: str = BULLETS, stories: Sequence[int] | None = None) -> frozenset[str]:
    """Normalised lines (at most max_words words) found in at least min_docs distinct stories.

    `stories` gives each text's story (group_stories); by default every distinct text is its own story.
    """
    if min_docs < 1:
        raise ValueError("min_docs must be at least 1")
    texts = list(texts)
    stories = list(stories) if stories is not None else list(range(len(texts)))
    if len(stories) != len(texts):
        raise ValueError("one story number per text")
    per_story: dict[int, set[str]] = {}
    for text, story in dict(zip(texts, stories, strict=True)).items():  # identical dumps count once
        per_story.setdefault(story, set()).update(_distinct_lines(text, max_words, bullets))
    counts: Counter[str] = Counter(line for lines in per_story.values() for line in lines)
    return frozenset(line for line, n in counts.items() if n >= min_docs)
