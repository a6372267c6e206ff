"""The `documents` suite: per-batch warnings about dumps that produced no article."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pyarrow as pa

from expectations.checks import WARNING, Check, SuiteConfig

if TYPE_CHECKING:
    import pandas as pd

SUITE = "documents"
ROW_KEY = "_row"

SCHEMA = pa.schema([
    pa.field("doc_id", pa.string(), nullable=False),
    pa.field("source_file", pa.string(), nullable=False),
    pa.field("articles_extracted", pa.int32(), nullable=False),
])


def documents_frame(documents: pa.Table) -> pd.DataFrame:
    """The run's documents as the frame the suite runs on."""
    df = documents.to_pandas()
    df["_has_article"] = (df["articles_extracted"] > 0).astype(int)
    df[ROW_KEY] = range(len(df))
    return df


def build_checks(config: SuiteConfig) -> list[Check]:
    """The suite, in report order."""
    return [
        Check("documents_mostly_yield_articles", WARNING,
              f"At least {config.min_docs_with_article_share:.0%} of the dumps read produce an article.",
              "articles_extracted",
              lambda g: g.ExpectColumnMeanToBeBetween(
                  column="_has_article", min_value=config.min_docs_with_article_share)),
    ]
