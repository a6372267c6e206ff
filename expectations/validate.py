"""The validation stage: the critical suite on each batch (what is quarantined), the warning suite on the run's
aggregates (what is reported)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa

from expectations import articles as articles_suite
from expectations import run_level
from expectations.checks import RunSize, SuiteConfig
from expectations.run_level import RunAggregates, body_digest
from expectations.runner import get_context, run_suite


@dataclass(frozen=True, slots=True)
class Validation:
    """Rejected article ids with (reason, detail), and one dq_results row per expectation."""

    rejected: dict[str, tuple[str, str, tuple[str, ...]]]
    results: list[dict]


def validate_batch(articles: pa.Table, phrases: Sequence[str], run_id: str, today: dt.date | None = None,
                   config: SuiteConfig | None = None) -> Validation:
    """Run the critical suite on one batch's articles (an in-memory GX context: safe in any worker process);
    articles failing a check are rejected, naming the checks and observed values."""
    if not articles.num_rows:
        return Validation({}, [])
    config = config or SuiteConfig()
    df = articles_suite.articles_frame(articles, config, phrases)
    checks = articles_suite.build_checks(phrases, today or dt.date.today(), config)
    outcome = run_suite(get_context(None), articles_suite.SUITE, checks, df, run_id, store=False)
    ids = df["article_id"].tolist()
    rejected = {}
    for row, failed in sorted(outcome.failures.items()):
        detail = "; ".join(f"{name} (observed {obs})" if obs else name for name, obs in failed)
        rejected[ids[row]] = ("failed_expectations", detail, tuple(name for name, _ in failed))
    return Validation(rejected, outcome.results)


def document_stats(articles: pa.Table, config: SuiteConfig | None = None) -> dict[str, list[tuple]]:
    """doc_id -> (has date, has author, has site, near empty, body digest) per extracted article: what the run
    suite needs of a batch."""
    config = config or SuiteConfig()
    out: dict[str, list[tuple]] = {}
    cols = articles.select(["doc_id", "published", "authors", "site", "body"]).to_pydict()
    for doc_id, published, authors, site, body in zip(*cols.values(), strict=True):
        body = body or ""
        out.setdefault(doc_id, []).append((published is not None, bool(authors), site is not None,
                                           len(body) < config.near_empty_chars, body_digest(body)))
    return out


def merge_results(parts: Iterable[list[dict]]) -> list[dict]:
    """One dq_results row per critical check from the rows of every batch (counts summed, success if all)."""
    merged: dict[str, dict] = {}
    for rows in parts:
        for row in rows:
            have = merged.get(row["expectation"])
            if have is None:
                merged[row["expectation"]] = dict(row)
                continue
            have["success"] = have["success"] and row["success"]
            for key in ("element_count", "unexpected_count"):
                if row[key] is not None:
                    have[key] = (have[key] or 0) + row[key]
            if have["observed_value"] is None:
                have["observed_value"] = row["observed_value"]
    for row in merged.values():
        if row["element_count"] and row["unexpected_count"] is not None:
            row["unexpected_percent"] = 100.0 * row["unexpected_count"] / row["element_count"]
    return list(merged.values())


def validate_aggregates(agg: RunAggregates, project_dir: Path, run_id: str, history: Sequence[RunSize] = (),
                        documents_read: int = 0, config: SuiteConfig | None = None) -> list[dict]:
    """Run the warning suite on a run's aggregates through the file-backed GX project (for Data Docs)."""
    checks = run_level.build_checks(config or SuiteConfig(), agg, history, documents_read)
    if not checks:
        return []
    outcome = run_suite(get_context(project_dir), run_level.SUITE, checks, run_level.aggregates_frame(agg), run_id)
    for row in outcome.results:
        per_document = row["expectation"] == "documents_mostly_yield_articles"
        row["element_count"] = agg.documents if per_document else agg.articles
    return outcome.results


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
    """Both suites on one table of articles and documents, as a one-batch run does (the flow calls the parts)."""
    batch = validate_batch(articles, phrases, run_id, today, config)
    agg = RunAggregates()
    for bodies in document_stats(articles, config).values():
        agg.add_articles(bodies)
    if documents.num_rows:
        extracted = documents.column("articles_extracted").to_pylist()
        agg.add_documents(len(extracted), sum(n > 0 for n in extracted))
    read = documents.num_rows if documents_read is None else documents_read
    warnings = validate_aggregates(agg, project_dir, run_id, history, read, config)
    return Validation(batch.rejected, batch.results + warnings)
