"""Configuration checked before a run reads any dump: a broken setup stops the run, it never quarantines data."""

from __future__ import annotations

from pathlib import Path

import duckdb


class ConfigurationError(RuntimeError):
    """The installation or its setup is broken (rules, model or data files, schema SQL, GX project)."""


def check_configuration(gx_dir: str | Path | None = None) -> None:
    """Load the rules tree with its model files and the data files, run the schema SQL on a scratch database and
    open the GX project; raise ConfigurationError naming what is broken."""
    from expectations.checks import language_codes
    from transforms.rules import load_rules
    from warehouse.db import read_query, run_layer

    steps = [
        ("rules and model files", load_rules),
        ("ISO 639-1 language list", language_codes),
        ("warehouse schema SQL and catalog.toml", lambda: _check_schema(run_layer)),
        ("warehouse queries", lambda: [read_query(name) for name in ("known_files", "run_history")]),
    ]
    if gx_dir is not None:
        steps.append(("Great Expectations project", lambda: _check_gx(Path(gx_dir))))
    for what, step in steps:
        try:
            step()
        except Exception as exc:
            raise ConfigurationError(f"{what}: {type(exc).__name__}: {exc}") from exc


def _check_schema(run_layer) -> None:
    from warehouse.catalog import apply_comments

    con = duckdb.connect(":memory:")
    try:
        for layer in ("schema", "marts"):
            run_layer(con, layer)
        apply_comments(con)  # warehouse/catalog.toml reads and applies
    finally:
        con.close()


def _check_gx(project_dir: Path) -> None:
    from expectations.runner import get_context

    get_context(project_dir)
