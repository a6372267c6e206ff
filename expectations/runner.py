"""Run suites through a file-backed Great Expectations context and turn the results into rows."""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from expectations.checks import CRITICAL, ROW_KEY, Check

if TYPE_CHECKING:
    import pandas as pd

@dataclass(frozen=True, slots=True)
class SuiteOutcome:
    """Rows failing critical checks (row -> [(check, observed)]) and one dq_results row per check."""

    failures: dict[int, list[tuple[str, str]]] = field(default_factory=dict)
    results: list[dict] = field(default_factory=list)


def get_context(project_dir: Path | None) -> Any:
    """A file-backed GX context under project_dir (its files are output, never edited by hand); None: an
    in-memory one, as each batch's worker uses (no files shared between processes)."""
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    import great_expectations as gx  # ~3 s to import: only when a suite runs
    from great_expectations.data_context.types.base import ProgressBarsConfig

    if project_dir is None:
        return _ephemeral_context()
    context = gx.get_context(mode="file", project_root_dir=str(project_dir))
    bars = context.variables.progress_bars  # an object when new, a plain dict when read back from disk
    enabled = bars is None or (bars.get("globally") if isinstance(bars, dict) else bars.globally)
    if enabled:
        context.variables.progress_bars = ProgressBarsConfig(globally=False, metric_calculations=False)
        context.variables.save()
    return context


def warm_up() -> threading.Thread:
    """Import Great Expectations (about 3 s) in a daemon thread, e.g. while a run's batches are in the workers;
    join it before the first suite runs."""
    def load() -> None:
        os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
        import great_expectations  # noqa: F401

    thread = threading.Thread(target=load, name="gx-import", daemon=True)
    thread.start()
    return thread


_contexts = threading.local()


def _ephemeral_context() -> Any:
    """One in-memory context per thread, reused by every batch it validates (creating one costs a temp folder
    and ~0.1 s; suites are registered with add_or_update, so reuse changes no result). Per thread, because
    registering suites on one context from two threads at once loses batch definitions."""
    existing = getattr(_contexts, "context", None)
    if existing is not None:
        return existing
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    logging.getLogger("great_expectations.data_context.types.base").setLevel(logging.WARNING)
    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False, metric_calculations=False)
    _contexts.context = context
    _contexts.registered = {}
    return context


def register_suite(context: Any, suite_name: str, checks: Sequence[Check]) -> Any:
    """Create or update a suite and its validation definition; safe to re-run."""
    import great_expectations as gx
    import great_expectations.expectations as gxe

    expectations = []
    for check in checks:
        exp = check.build(gxe)
        exp.meta = {"name": check.name, "severity": check.severity, "description": check.description}
        exp.notes = f"[{check.severity}] {check.description}"
        expectations.append(exp)
    # an in-memory context validates batch after batch with the same suite: register it once per thread
    key = json.dumps([suite_name, *(e.configuration.to_json_dict() for e in expectations)], default=str)
    cache = getattr(_contexts, "registered", None) if context is getattr(_contexts, "context", None) else None
    if cache is not None and key in cache:
        return cache[key]
    suite = gx.ExpectationSuite(name=suite_name)
    for exp in expectations:
        suite.add_expectation(exp)
    suite = context.suites.add_or_update(suite)
    source = context.data_sources.add_or_update_pandas("broadsheet")
    asset = next((a for a in source.assets if a.name == suite_name), None)
    asset = asset or source.add_dataframe_asset(suite_name)
    batch_def = next((b for b in asset.batch_definitions if b.name == "whole_run"), None)
    batch_def = batch_def or asset.add_batch_definition_whole_dataframe("whole_run")
    vd = gx.ValidationDefinition(data=batch_def, suite=suite, name=f"{suite_name}_run")
    vd = context.validation_definitions.add_or_update(vd)
    if cache is not None:
        cache.clear()  # one suite per name is registered: an older key's definition was just replaced
        cache[key] = vd
    return vd


def _short(value: Any) -> str:
    return json.dumps(value, default=str, ensure_ascii=False)[:300]


def run_suite(
    context: Any, suite_name: str, checks: Sequence[Check], df: pd.DataFrame, run_id: str, store: bool = True
) -> SuiteOutcome:
    """Validate a frame; collect row-level failures of critical checks and a result row per check. With store
    off the result is not written to the context's validation store (our dq_results rows are the record)."""
    vd = register_suite(context, suite_name, checks)
    result_format = {"result_format": "COMPLETE", "unexpected_index_column_names": [ROW_KEY]}
    if store:
        outcome = vd.run(batch_parameters={"dataframe": df}, result_format=result_format)
    else:
        # serialising the result into an in-memory store nobody reads was a third of a batch's validation
        batch = vd.batch_definition.get_batch(batch_parameters={"dataframe": df})
        outcome = batch.validate(vd.suite, result_format=result_format)
    by_name = {c.name: c for c in checks}
    validated_at = dt.datetime.now(dt.UTC)
    failures: dict[int, list[tuple[str, str]]] = {}
    results = []
    for res in outcome.results:
        check = by_name[res.expectation_config.meta["name"]]
        info = res.result or {}
        raised = res.exception_info.get("raised_exception") if isinstance(res.exception_info, dict) else False
        if raised:
            raise RuntimeError(f"expectation {check.name} could not run: {res.exception_info}")
        if check.severity == CRITICAL:
            column = res.expectation_config.kwargs.get("column") or res.expectation_config.kwargs.get("column_A")
            for idx in info.get("unexpected_index_list") or []:
                observed = _short(idx.get(column)) if column in idx else ""
                failures.setdefault(int(idx[ROW_KEY]), []).append((check.name, observed))
        observed_value = info.get("observed_value", info.get("partial_unexpected_list"))
        results.append({
            "suite": suite_name, "expectation": check.name, "column": check.column,
            "severity": check.severity, "description": check.description, "success": bool(res.success),
            "element_count": info.get("element_count"), "unexpected_count": info.get("unexpected_count"),
            "unexpected_percent": info.get("unexpected_percent"),
            "observed_value": None if observed_value is None else _short(observed_value),
            "run_id": run_id, "validated_at": validated_at,
        })
    return SuiteOutcome(failures, results)


def build_data_docs(project_dir: Path) -> Path | None:
    """Render GX Data Docs for the stored validation results; return the index page."""
    context = get_context(project_dir)
    for url in context.build_data_docs().values():
        path = Path(url.removeprefix("file://"))
        if path.exists():
            return path
    return None
