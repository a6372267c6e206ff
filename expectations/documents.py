"""The `documents` suite: per-batch warnings about dumps that produced no article."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pyarrow as pa

from expectations.checks import WARNING, Check, SuiteConfig
from warehouse.schemas import SCHEMAS

if TYPE_CHECKING:
    import pandas as pd

SUITE = "documents"
ROW_KEY = "_row"

# the columns of the warehouse's documents table the suite reads, and their schema (taken from it)
COLUMNS = ("doc_id", "source_file", "articles_extracted")
SCHEMA = pa.schema([SCHEMAS["documents"].field(name) for name in COLUMNS])


def documents_frame(documents: pa.Table) -> pd.DataFrame:
    """The run's documents as the frame the suite runs on."""
    df = documents.select(list(COLUMNS)).to_pandas()
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
