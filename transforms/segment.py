"""Split the labelled lines of one page into articles (digest pages hold several)."""

from __future__ import annotations

from collections.abc import Sequence

from transforms.record import BODY, BOILERPLATE, TITLE, Line


def _article_starts(kept: Sequence[Line]) -> list[int]:
    """Indices of the first TITLE line of every headline (a wrapped headline is one start)."""
    return [i for i, line in enumerate(kept)
            if line.label == TITLE and (i == 0 or kept[i - 1].label != TITLE)]


def split_articles(lines: Sequence[Line]) -> list[tuple[Line, ...]]:
    """Group non-boilerplate lines into one tuple per article; page header lines start every article."""
    kept = [line for line in lines if line.label != BOILERPLATE]
    if not any(line.label == BODY for line in kept):
        return []
    starts = _article_starts(kept)
    if not starts:
        return [tuple(kept)]
    prefix = kept[: starts[0]]
    chunks = [kept[a:b] for a, b in zip(starts, [*starts[1:], len(kept)], strict=True)]
    if any(line.label == BODY for line in prefix):
        # Body before the first headline belongs to that article, not to every article.
        chunks[0] = prefix + chunks[0]
        prefix = []
    articles: list[list[Line]] = []
    pending: list[Line] = []
    for chunk in chunks:
        pending.extend(chunk)
        if any(line.label == BODY for line in pending):
            articles.append(pending)
            pending = []
    if pending:
        articles[-1].extend(pending)  # a trailing headline without body stays with the last article
    return [tuple(prefix + article) for article in articles]
