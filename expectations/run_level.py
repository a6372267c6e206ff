"""The run-level (warning) suite, computed from per-batch aggregates: no whole-run frame is ever built."""

from __future__ import annotations

import hashlib
import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from expectations.checks import ROW_KEY, WARNING, Check, RunSize, SuiteConfig

if TYPE_CHECKING:
    import pandas as pd

SUITE = "run"


@dataclass(slots=True)
class RunAggregates:
    """Counts over the run's extracted articles and documents, summed batch by batch; body hashes (16 bytes
    each) find duplicate bodies across batches."""

    articles: int = 0
    with_date: int = 0
    with_author: int = 0
    with_site: int = 0
    near_empty: int = 0
    duplicate_bodies: int = 0
    documents: int = 0
    documents_with_article: int = 0
    body_hashes: set[bytes] = field(default_factory=set)

    def add_documents(self, count: int, with_article: int) -> None:
        """Count documents read, and how many of them gave an article."""
        self.documents += count
        self.documents_with_article += with_article

    def add_articles(self, bodies: Sequence[tuple[bool, bool, bool, bool, bytes]]) -> None:
        """Count articles: (has date, has author, has site, near empty, body digest) each."""
        for has_date, has_author, has_site, near_empty, digest in bodies:
            self.articles += 1
            self.with_date += has_date
            self.with_author += has_author
            self.with_site += has_site
            self.near_empty += near_empty
            if digest in self.body_hashes:
                self.duplicate_bodies += 1
            else:
                self.body_hashes.add(digest)

    def counts(self) -> RunAggregates:
        """The counts without the body hashes: all the run suite reads (a task's parameters are walked item by
        item, so 160,000 hashes cost the run-level task about 14 s)."""
        return replace(self, body_hashes=set())


def body_digest(body: str) -> bytes:
    """16 bytes that equal for bodies equal up to case and whitespace."""
    return hashlib.blake2b(" ".join(body.split()).lower().encode(), digest_size=16).digest()


def _share(part: int, whole: int) -> float:
    return part / whole if whole else 1.0


def aggregates_frame(agg: RunAggregates) -> pd.DataFrame:
    """The one-row frame the run suite validates."""
    import pandas as pd

    return pd.DataFrame([{
        "date_share": _share(agg.with_date, agg.articles), "author_share": _share(agg.with_author, agg.articles),
        "site_share": _share(agg.with_site, agg.articles),
        "near_empty_share": _share(agg.near_empty, agg.articles) if agg.articles else 0.0,
        "duplicate_bodies": agg.duplicate_bodies, "articles": agg.articles,
        "docs_with_article_share": _share(agg.documents_with_article, agg.documents), ROW_KEY: 0,
    }])


def build_checks(config: SuiteConfig, agg: RunAggregates, history: Sequence[RunSize] = (),
                 documents: int = 0) -> list[Check]:
    """The run suite, in report order: `history` holds (articles, documents) of earlier runs, `documents` the
    number this run read."""
    checks = []
    if agg.articles:
        checks += [
            Check("dates_mostly_known", WARNING,
                  f"At least {config.min_date_share:.0%} of articles have a publication date.", "published",
                  lambda g: g.ExpectColumnMaxToBeBetween(column="date_share", min_value=config.min_date_share)),
            Check("authors_mostly_known", WARNING,
                  f"At least {config.min_author_share:.0%} of articles name an author.", "authors",
                  lambda g: g.ExpectColumnMaxToBeBetween(column="author_share",
                                                         min_value=config.min_author_share)),
            Check("sites_mostly_known", WARNING,
                  f"At least {config.min_site_share:.0%} of articles name their site.", "site",
                  lambda g: g.ExpectColumnMaxToBeBetween(column="site_share", min_value=config.min_site_share)),
            Check("few_near_empty_bodies", WARNING,
                  f"At most {config.max_near_empty_share:.0%} of bodies are shorter than "
                  f"{config.near_empty_chars} characters.", "body",
                  lambda g: g.ExpectColumnMaxToBeBetween(column="near_empty_share",
                                                         max_value=config.max_near_empty_share)),
            Check("no_duplicate_bodies", WARNING, "No two articles in the run have the same body.", "body",
                  lambda g: g.ExpectColumnMaxToBeBetween(column="duplicate_bodies", max_value=0)),
        ]
    if agg.documents:
        checks.append(Check(
            "documents_mostly_yield_articles", WARNING,
            f"At least {config.min_docs_with_article_share:.0%} of the dumps read produce an article.",
            "articles_extracted",
            lambda g: g.ExpectColumnMaxToBeBetween(column="docs_with_article_share",
                                                   min_value=config.min_docs_with_article_share)))
    # Incremental runs read a handful of new dumps, a backfill thousands: the yield per document read is what
    # history can judge, so the expected count scales with this run's documents.
    rates = [articles / docs for articles, docs in history if articles > 0 and docs > 0]
    if documents > 0 and len(rates) >= config.min_history_runs:
        expected = statistics.median(rates) * documents
        low, high = math.floor(expected * config.row_count_low), math.ceil(expected * config.row_count_high)
        checks.append(Check(
            "articles_per_document_in_line_with_history", WARNING,
            f"The run extracts between {low:,} and {high:,} articles from its {documents:,} documents "
            f"({config.row_count_low:g}x to {config.row_count_high:g}x the median articles per document "
            f"of the last runs).", None,
            lambda g: g.ExpectColumnMaxToBeBetween(column="articles", min_value=low, max_value=high)))
    return checks
