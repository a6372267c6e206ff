"""The `articles` expectation suite (Great Expectations 1.x), built in code, and row-level validation."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyarrow as pa

if TYPE_CHECKING:  # great_expectations takes ~3 s to import: only where it is used
    import pandas as pd

SUITE_NAME = "articles"
ROW_KEY = "_row"
CRITICAL = "critical"
WARNING = "warning"


@dataclass(frozen=True, slots=True)
class SuiteConfig:
    """Bounds the suite checks; defaults suit news articles (a brief is ~80 chars, a long read <200k)."""

    min_body_chars: int = 80
    max_body_chars: int = 200_000
    earliest_date: dt.date = dt.date(1990, 1, 1)


@dataclass(frozen=True, slots=True)
class Check:
    """One expectation with the name, severity and plain-language description shown in reports."""

    name: str
    severity: str
    description: str
    column: str
    build: Callable[[Any], Any]  # gx.expectations module -> Expectation


@dataclass(frozen=True, slots=True)
class Validation:
    """Outcome of validating one batch of articles."""

    rejected: dict[str, tuple[str, str]]  # article_id -> (reason, detail)
    results: list[dict]  # rows for the dq_results table


def phrase_regex(phrases: Sequence[str]) -> str:
    """A paragraph that starts with a known boilerplate phrase and is not much longer than it."""
    if not phrases:
        raise ValueError("no boilerplate phrases to check against")
    alternation = "|".join(re.escape(p) for p in sorted(set(phrases), key=len, reverse=True))
    return rf"(?im)^\W*(?:{alternation})\b.{{0,60}}$"


def build_checks(phrases: Sequence[str], today: dt.date, config: SuiteConfig) -> list[Check]:
    """The suite's checks, in the order they are reported."""
    now_ts = dt.datetime.combine(today, dt.time.max)
    earliest = dt.datetime.combine(config.earliest_date, dt.time.min)
    regex = phrase_regex(phrases)
    return [
        Check("title_present", CRITICAL, "Every article has a headline.", "title",
              lambda gxe: gxe.ExpectColumnValuesToNotBeNull(column="title")),
        Check("body_length_in_bounds", CRITICAL,
              f"The body has between {config.min_body_chars} and {config.max_body_chars} characters.", "body",
              lambda gxe: gxe.ExpectColumnValueLengthsToBeBetween(
                  column="body", min_value=config.min_body_chars, max_value=config.max_body_chars)),
        Check("word_count_positive", CRITICAL, "The body has at least one word.", "word_count",
              lambda gxe: gxe.ExpectColumnValuesToBeBetween(column="word_count", min_value=1)),
        Check("article_id_unique", CRITICAL, "No article appears twice in a batch.", "article_id",
              lambda gxe: gxe.ExpectColumnValuesToBeUnique(column="article_id")),
        Check("published_plausible", CRITICAL,
              f"The publication date is not in the future and not before {config.earliest_date.year}.",
              "published",
              lambda gxe: gxe.ExpectColumnValuesToBeBetween(
                  column="published", min_value=earliest, max_value=now_ts)),
        Check("no_boilerplate_in_body", CRITICAL,
              "No paragraph of the body is a known share/comment/newsletter/cookie line.", "body",
              lambda gxe: gxe.ExpectColumnValuesToNotMatchRegex(column="body", regex=regex)),
    ]


def articles_frame(articles: pa.Table) -> pd.DataFrame:
    """The articles table as the pandas frame the suite runs on, with a row key for row-level results."""
    df = articles.select(["article_id", "title", "body", "word_count", "published"]).to_pandas()
    df["published"] = df["published"].astype("datetime64[us]")
    df[ROW_KEY] = range(len(df))
    return df


def get_context(project_dir: Path) -> Any:
    """A file-backed GX context under project_dir (its files are output, never edited by hand)."""
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    context = gx.get_context(mode="file", project_root_dir=str(project_dir))
    bars = context.variables.progress_bars  # an object when new, a plain dict when read back from disk
    enabled = bars is None or (bars.get("globally") if isinstance(bars, dict) else bars.globally)
    if enabled:
        context.variables.progress_bars = ProgressBarsConfig(globally=False, metric_calculations=False)
        context.variables.save()
    return context


def register_suite(context: Any, checks: Sequence[Check]) -> Any:
    """Create or update the suite and its validation definition; safe to re-run."""
    import great_expectations as gx
    import great_expectations.expectations as gxe

    suite = gx.ExpectationSuite(name=SUITE_NAME)
    for check in checks:
        exp = check.build(gxe)
        exp.meta = {"name": check.name, "severity": check.severity, "description": check.description}
        exp.notes = check.description
        suite.add_expectation(exp)
    suite = context.suites.add_or_update(suite)
    source = context.data_sources.add_or_update_pandas("broadsheet")
    asset = next((a for a in source.assets if a.name == SUITE_NAME), None) or source.add_dataframe_asset(
        SUITE_NAME
    )
    batch_def = next((b for b in asset.batch_definitions if b.name == "whole_batch"), None)
    batch_def = batch_def or asset.add_batch_definition_whole_dataframe("whole_batch")
    vd = gx.ValidationDefinition(data=batch_def, suite=suite, name=f"{SUITE_NAME}_batch")
    return context.validation_definitions.add_or_update(vd)


def _observed(result: dict) -> str | None:
    if "observed_value" in result:
        return json.dumps(result["observed_value"], default=str)
    if "partial_unexpected_list" in result:
        return json.dumps(result["partial_unexpected_list"][:5], default=str, ensure_ascii=False)[:1000]
    return None


def validate_articles(
    articles: pa.Table,
    project_dir: Path,
    phrases: Sequence[str],
    run_id: str,
    today: dt.date | None = None,
    config: SuiteConfig | None = None,
) -> Validation:
    """Run the suite on a batch; articles failing a critical check are rejected with the check names."""
    today = today or dt.date.today()
    config = config or SuiteConfig()
    validated_at = dt.datetime.now(dt.UTC)
    if articles.num_rows == 0:
        return Validation({}, [])
    checks = build_checks(phrases, today, config)
    context = get_context(project_dir)
    vd = register_suite(context, checks)
    df = articles_frame(articles)
    outcome = vd.run(
        batch_parameters={"dataframe": df},
        result_format={"result_format": "COMPLETE", "unexpected_index_column_names": [ROW_KEY]},
    )
    by_name = {c.name: c for c in checks}
    failures: dict[int, list[str]] = {}
    results = []
    for res in outcome.results:
        check = by_name[res.expectation_config.meta["name"]]
        info = res.result or {}
        if res.exception_info and res.exception_info.get("raised_exception"):
            raise RuntimeError(f"expectation {check.name} could not run: {res.exception_info}")
        if check.severity == CRITICAL:
            for idx in info.get("unexpected_index_list") or []:
                failures.setdefault(int(idx[ROW_KEY]), []).append(check.name)
        results.append({
            "run_id": run_id, "suite": SUITE_NAME, "expectation": check.name, "column": check.column,
            "severity": check.severity, "description": check.description, "success": bool(res.success),
            "element_count": info.get("element_count"), "unexpected_count": info.get("unexpected_count"),
            "unexpected_percent": info.get("unexpected_percent"), "observed_value": _observed(info),
            "validated_at": validated_at,
        })
    ids = df["article_id"].tolist()
    rejected = {
        ids[row]: ("failed_expectations", ", ".join(names)) for row, names in sorted(failures.items())
    }
    return Validation(rejected, results)


def build_data_docs(project_dir: Path) -> Path | None:
    """Render GX Data Docs for the stored validation results; return the index page."""
    context = get_context(project_dir)
    urls = context.build_data_docs()
    for url in urls.values():
        path = Path(url.removeprefix("file://"))
        if path.exists():
            return path
    return None
