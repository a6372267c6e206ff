"""Titles: a headline without the site name or kicker around it."""

from __future__ import annotations

from transforms.metadata import squash_spaces, word_tokens
from transforms.rules import Rules


def strip_site_suffix(title: str, site: str | None, rules: Rules) -> str:
    """'Headline | Site' -> 'Headline': drop a trailing (or leading) part that names the site."""
    title = squash_spaces(title)
    site_toks = set(word_tokens(site))
    for sep in rules.text.title_separators:
        if sep not in title:
            continue
        parts = [p.strip() for p in title.split(sep) if p.strip()]
        if len(parts) < 2:
            continue
        last, first = parts[-1], parts[0]
        last_words = word_tokens(last)
        if (site_toks and set(last_words) & site_toks) or len(last_words) <= 3 < len(word_tokens(title)) - 3:
            return sep.join(parts[:-1])
        if site_toks and set(word_tokens(first)) <= site_toks:
            return sep.join(parts[1:])
    return title


def strip_kicker(title: str) -> str:
    """'Kicker : Headline' (a kicker element rendered before the headline) -> 'Headline'."""
    head, sep, tail = title.partition(" : ")
    return tail.strip() if sep and len(head.split()) <= 6 and len(tail.split()) >= 2 else title
