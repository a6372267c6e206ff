"""The `articles` suite: per-record critical checks, built in code (run-level warnings: expectations.run_level)."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

import pyarrow as pa

from expectations.checks import CRITICAL, ROW_KEY, Check, SuiteConfig, language_codes

if TYPE_CHECKING:
    import pandas as pd

SUITE = "articles"

_NONTEXT = re.compile(r"https?://\S+|www\.\S+|<[^>\n]{1,200}>|^[ \t]*[•·*□☆○▪►|>-][^\n]{0,80}$", re.M)


def phrase_regex(phrases: Sequence[str], whole: bool = False) -> str:
    """A line that is (whole=True) or starts with (and is not much longer than) a boilerplate phrase."""
    if not phrases:
        raise ValueError("no boilerplate phrases to check against")
    alternation = "|".join(re.escape(p) for p in sorted(set(phrases), key=len, reverse=True))
    tail = r"\W*$" if whole else r"\b.{0,60}$"
    return rf"(?im)^\W*(?:{alternation}){tail}"


def nontext_share(body: str) -> float:
    """Share of the body's characters that are URLs, markup or menu-bullet lines."""
    if not body:
        return 1.0
    return sum(m.end() - m.start() for m in _NONTEXT.finditer(body)) / len(body)


def articles_frame(articles: pa.Table, config: SuiteConfig, phrases: Sequence[str] = ()) -> pd.DataFrame:
    """The articles as the frame the suite runs on: ids, numbers, dates and flags derived from the text.

    No article text (title, body, site) goes into GX: its results and Data Docs hold only what is here, so
    nothing a dump contains can reach their HTML. `phrases`: the boilerplate phrases the text flags test.
    """
    df = articles.select(
        ["article_id", "title", "body", "word_count", "published", "language", "site", "authors"]
    ).to_pandas()
    df["published"] = df["published"].astype("datetime64[us]")
    bodies = df["body"].fillna("")
    titles = df["title"]
    df["_has_title"] = titles.notna().astype(int)
    if phrases:
        is_title, in_body = re.compile(phrase_regex(phrases, whole=True)), re.compile(phrase_regex(phrases))
        df["_title_boilerplate"] = [int(isinstance(t, str) and bool(is_title.search(t))) for t in titles]
        df["_body_boilerplate"] = [int(bool(in_body.search(b))) for b in bodies]
    df["_body_chars"] = [len(b) for b in bodies]
    df["_body_words"] = [len(b.split()) for b in bodies]
    df["_nontext_share"] = [nontext_share(b) for b in bodies]
    df["_has_date"] = df["published"].notna().astype(int)
    df["_has_author"] = [int(a is not None and len(a) > 0) for a in df["authors"]]
    df["_has_site"] = df["site"].notna().astype(int)
    df["_near_empty"] = [int(len(b) < config.near_empty_chars) for b in bodies]
    df["_body_hash"] = [hashlib.sha1(" ".join(b.split()).lower().encode()).hexdigest() for b in bodies]
    df = df.drop(columns=["authors", "title", "body", "site"])
    df[ROW_KEY] = range(len(df))
    return df


def build_checks(phrases: Sequence[str], today: dt.date, config: SuiteConfig) -> list[Check]:
    """The per-record (critical) suite, in report order; it runs on each batch as soon as it is cleaned."""
    latest = dt.datetime.combine(today, dt.time.max)
    earliest = dt.datetime.combine(config.earliest_date, dt.time.min)
    phrase_regex(phrases)  # no phrases is a configuration error; the frame's flags are built from them
    codes = sorted(language_codes())
    checks = [
        Check("title_present", CRITICAL, "Every article has a headline.", "title",
              lambda g: g.ExpectColumnValuesToBeBetween(column="_has_title", min_value=1)),
        Check("title_not_boilerplate", CRITICAL,
              "The headline is not a boilerplate phrase such as 'Share' or 'Leave a Reply'.", "title",
              lambda g: g.ExpectColumnValuesToBeBetween(column="_title_boilerplate", max_value=0)),
        Check("body_length_in_bounds", CRITICAL,
              f"The body has between {config.min_body_chars:,} and {config.max_body_chars:,} characters.",
              "body", lambda g: g.ExpectColumnValuesToBeBetween(
                  column="_body_chars", min_value=config.min_body_chars, max_value=config.max_body_chars)),
        Check("word_count_matches_body", CRITICAL, "word_count equals the number of words in the body.",
              "word_count",
              lambda g: g.ExpectColumnPairValuesToBeEqual(column_A="word_count", column_B="_body_words")),
        Check("word_count_positive", CRITICAL, "The body has at least one word.", "word_count",
              lambda g: g.ExpectColumnValuesToBeBetween(column="word_count", min_value=1)),
        Check("article_id_unique", CRITICAL, "No article appears twice in a run.", "article_id",
              lambda g: g.ExpectColumnValuesToBeUnique(column="article_id")),
        Check("published_plausible", CRITICAL,
              f"The publication date is not in the future and not before {config.earliest_date.year}.",
              "published",
              lambda g: g.ExpectColumnValuesToBeBetween(column="published", min_value=earliest, max_value=latest)),
        Check("language_valid", CRITICAL, "The language, when known, is an ISO 639-1 code.", "language",
              lambda g: g.ExpectColumnValuesToBeInSet(column="language", value_set=codes)),
        Check("no_boilerplate_in_body", CRITICAL,
              "No paragraph of the body is a known share, comment, newsletter or cookie line.", "body",
              lambda g: g.ExpectColumnValuesToBeBetween(column="_body_boilerplate", max_value=0)),
        Check("body_mostly_text", CRITICAL,
              f"At most {config.max_nontext_share:.0%} of the body is URLs, markup or menu bullets.", "body",
              lambda g: g.ExpectColumnValuesToBeBetween(
                  column="_nontext_share", min_value=0, max_value=config.max_nontext_share)),
    ]
    return checks
