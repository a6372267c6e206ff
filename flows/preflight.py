"""Configuration checked before a run reads any dump: a broken setup stops the run, it never quarantines data."""

from __future__ import annotations

from pathlib import Path

import duckdb


class ConfigurationError(RuntimeError):
    """The installation or its setup is broken (rules, model or data files, schema SQL, GX project)."""


def check_configuration(gx_dir: str | Path | None = None) -> None:
    """Load every rules, model and data file, run the schema SQL on a scratch database and open the GX project;
    raise ConfigurationError naming what is broken."""
    from expectations.checks import language_codes
    from transforms.meta_rules import load_meta_rules
    from transforms.rules import load_rules
    from warehouse.db import read_query, run_layer

    steps = [
        ("rules", load_rules),
        ("metadata rules", load_meta_rules),
        ("ISO 639-1 language list", language_codes),
        ("warehouse schema SQL", lambda: _check_schema(run_layer)),
        ("warehouse queries", lambda: read_query("known_file_hashes")),
        ("model files", _check_models),
    ]
    if gx_dir is not None:
        steps.append(("Great Expectations project", lambda: _check_gx(Path(gx_dir))))
    for what, step in steps:
        try:
            step()
        except Exception as exc:
            raise ConfigurationError(f"{what}: {type(exc).__name__}: {exc}") from exc


def _check_schema(run_layer) -> None:
    con = duckdb.connect(":memory:")
    try:
        for layer in ("schema", "marts"):
            run_layer(con, layer)
    finally:
        con.close()


def _check_models() -> None:
    """Every JSON model file under transforms/models parses (their loaders validate the contents)."""
    import json
    from importlib import resources

    folder = resources.files("transforms") / "models"
    if not folder.is_dir():
        return
    for entry in folder.iterdir():
        if entry.name.endswith(".json"):
            try:
                json.loads(entry.read_text(encoding="utf-8"))
            except ValueError as exc:
                raise ValueError(f"{entry.name}: {exc}") from exc


def _check_gx(project_dir: Path) -> None:
    from expectations.runner import get_context

    get_context(project_dir)
