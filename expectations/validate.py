"""The validation stage: run both suites on a run's output and decide what is quarantined."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa

from expectations import articles as articles_suite
from expectations import documents as documents_suite
from expectations.checks import RunSize, SuiteConfig
from expectations.runner import get_context, run_suite


@dataclass(frozen=True, slots=True)
class Validation:
    """Rejected article ids with (reason, detail), and one dq_results row per expectation."""

    rejected: dict[str, tuple[str, str, tuple[str, ...]]]
    results: list[dict]


def validate_run(
    articles: pa.Table,
    documents: pa.Table,
    project_dir: Path,
    phrases: Sequence[str],
    run_id: str,
    history: Sequence[RunSize] = (),
    today: dt.date | None = None,
    config: SuiteConfig | None = None,
    documents_read: int | None = None,
) -> Validation:
    """Validate a run; articles failing a critical check are rejected, naming the checks and observed values.

    `history`: (articles, documents) of earlier runs; `documents_read`: this run's (default: documents' rows)."""
    config = config or SuiteConfig()
    today = today or dt.date.today()
    if articles.num_rows == 0 and documents.num_rows == 0:
        return Validation({}, [])
    context = get_context(project_dir)
    results: list[dict] = []
    rejected: dict[str, tuple[str, str, tuple[str, ...]]] = {}
    if articles.num_rows:
        df = articles_suite.articles_frame(articles, config, phrases)
        read = documents.num_rows if documents_read is None else documents_read
        checks = articles_suite.build_checks(phrases, today, config, history, read)
        outcome = run_suite(context, articles_suite.SUITE, checks, df, run_id)
        results += outcome.results
        ids = df["article_id"].tolist()
        for row, failed in sorted(outcome.failures.items()):
            detail = "; ".join(f"{name} (observed {obs})" if obs else name for name, obs in failed)
            rejected[ids[row]] = ("failed_expectations", detail, tuple(name for name, _ in failed))
    if documents.num_rows:
        df = documents_suite.documents_frame(documents)
        outcome = run_suite(context, documents_suite.SUITE, documents_suite.build_checks(config), df, run_id)
        results += outcome.results
    return Validation(rejected, results)
