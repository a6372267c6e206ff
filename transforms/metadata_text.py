"""Text front-end of the metadata: an article's labelled lines (or a whole page's ranked candidates, through
meta_ranker) handed to the field modules (titles, authors, dates, sites)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Sequence

from transforms.authors import clean_authors, looks_like_byline
from transforms.dates import find_date_text, parse_published, read_date
from transforms.language import detect_language
from transforms.meta_ranker import date_features, linear_score, rank_authors, rank_headline
from transforms.metadata import PageMetadata
from transforms.record import BODY, BYLINE, CAPTION, DATE, SUBTITLE, TITLE, Line
from transforms.rules import Rules
from transforms.sites import find_dateline, source_domain
from transforms.titles import strip_kicker

# ---------------------------------------------------------------- text dumps


def _first_group(lines: Sequence[Line], label: str) -> list[Line]:
    """The first run of consecutive lines carrying a label (a wrapped headline or dek)."""
    group: list[Line] = []
    for line in lines:
        if line.label == label:
            group.append(line)
        elif group:
            break
    return group


def _date_score(line: Line, text: str, rules: Rules) -> int:
    """Rank a date line: labelled DATE lines and 'published' labels first, 'updated' last."""
    label = rules.dates.label.match(text)
    score = 3 if line.label == DATE else 0
    if label:
        score += -2 if label.group(0).lower().startswith(("updated", "aktualisiert", "modified", "geändert",
                                                           "zuletzt")) else 2
    if line.label == BYLINE or looks_like_byline(text, rules):
        score += 1
    return score


def _around(lines: Sequence[Line], anchor: int, before: int, after: int) -> list[Line]:
    return list(lines[max(0, anchor - before): anchor + after + 1])


SEGMENT_SPLIT = re.compile(r"\s+[•·|]\s+|\s{3,}")


def dated_line(lines: Sequence[Line], rules: Rules) -> tuple[dt.date | None, str | None]:
    """When no plausible date was found: the first DATE line as written, with the day it names even when that
    is implausible (future, before the plausible years), so that validation quarantines the article with
    published_plausible instead of the date vanishing; (None, None) without a DATE line."""
    for line in lines:
        if line.label == DATE:
            raw = find_date_text(line.text, rules)
            return (read_date(raw, rules) if raw else None), line.text
    return None, None


def extract_text_metadata(lines: Sequence[Line], rules: Rules, page: Sequence[Line] | None = None) -> PageMetadata:
    """Metadata of one article of a text dump from its labelled lines (page: all lines, for site/url)."""
    page = page if page is not None else lines
    if any(ln.label not in (TITLE, SUBTITLE, BYLINE, DATE, CAPTION, BODY) for ln in lines):
        # A whole page (boilerplate included): the labels are only hints, rank every candidate line.
        found = extract_page_text_metadata(lines, rules)
        sub_lines = _first_group(lines, SUBTITLE)
        domain = source_domain(page, rules)
        return dataclasses.replace(found, subtitle=" ".join(ln.text for ln in sub_lines) or None,
                                   site=domain, domain=domain, dateline=find_dateline(lines, rules))
    title_lines = _first_group(lines, TITLE)
    title = strip_kicker(" ".join(ln.text for ln in title_lines)) or None
    sub_lines = _first_group(lines, SUBTITLE)
    subtitle = " ".join(ln.text for ln in sub_lines) or None
    body = [ln.text for ln in lines if ln.label == BODY]
    anchor = lines.index(title_lines[0]) if title_lines else next(
        (i for i, ln in enumerate(lines) if ln.label == BODY), 0)
    near = _around(lines, anchor, rules.text.window_before, rules.text.window_after)

    authors: tuple[str, ...] = ()
    for line in [ln for ln in lines if ln.label == BYLINE] + [ln for ln in near if ln.label != CAPTION]:
        if line.label == BYLINE:
            authors = clean_authors(line.text, rules)
        else:
            segments = [seg for seg in SEGMENT_SPLIT.split(line.text) if looks_like_byline(seg, rules)]
            if segments and (line.label != BODY or len(line.text.split()) <= 8 or len(segments) < 2 < len(
                    SEGMENT_SPLIT.split(line.text))):
                authors = clean_authors(segments[0], rules)
        if authors:
            break

    published, published_raw = None, None
    candidates = [ln for ln in lines if ln.label == DATE] + [
        ln for ln in near if ln.label not in (CAPTION, TITLE) and (len(ln.text.split()) <= 16 or (
            ln.label != BODY and len(ln.text.split()) <= 30))]
    best = -99
    for line in candidates:
        raw = find_date_text(line.text, rules)
        day = parse_published(raw, rules) if raw else None
        if day is None:
            continue
        score = _date_score(line, line.text, rules) - (1 if line.label == BODY else 0)
        if score > best:
            best, published = score, day
            published_raw = line.text if line.label == DATE else raw
    if published is None:
        published, published_raw = dated_line(lines, rules)

    domain = source_domain(page, rules)
    dateline = find_dateline(lines, rules)
    return PageMetadata(
        title=title,
        subtitle=subtitle,
        authors=authors,
        published=published,
        published_raw=published_raw,
        site=domain,
        url=None,
        domain=domain,
        language=detect_language(" ".join(body)),
        dateline=dateline,
    )


# ---------------------------------------------------------------- whole-page text dumps: candidate rankers
#
# On a whole page (boilerplate included) the classifier's TITLE/BYLINE/DATE labels are often wrong, so every
# plausible line near the top of the article is a candidate.  Each candidate gets a few generic features (label,
# distance to the first body line / to the chosen headline, length, shape, date or byline markers) and the one with
# the highest linear score wins; the weights live in models/ranker.json (transforms.ranker_model).


def extract_page_text_metadata(lines: Sequence[Line], rules: Rules) -> PageMetadata:
    """Metadata of a whole text dump page (boilerplate lines included) by ranking candidate lines."""
    page = rank_headline(lines, rules)
    published, published_raw = None, None
    dates = date_features(lines, page.anchor, rules, page.memo, page.shared)
    if dates:
        weights = rules.ranker.weights.get("date", {})
        published, published_raw, _f = max(dates, key=lambda c: linear_score(c[2], weights))
    else:
        published, published_raw = dated_line(lines, rules)
    body = " ".join(ln.text for ln in lines if ln.label == BODY)
    return PageMetadata(title=page.title, authors=rank_authors(lines, page, rules), published=published,
                        published_raw=published_raw, language=detect_language(body))
