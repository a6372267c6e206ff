"""The data-quality report: one self-contained HTML file next to the warehouse."""

from __future__ import annotations

import datetime as dt
from importlib import resources
from pathlib import Path

import jinja2

from warehouse.charts import bar_chart, line_chart
from warehouse.db import SQL_ROOT, connect

SECTIONS = (
    "latest_run", "runs", "expectations", "quarantine", "boilerplate", "boilerplate_latest", "sources",
    "trend_quality",
)


def query_sections(warehouse: Path) -> dict[str, dict]:
    """Run every report query on a read-only connection: name -> {columns, rows}."""
    con = connect(warehouse, read_only=True)
    try:
        out = {}
        for name in SECTIONS:
            cur = con.execute((SQL_ROOT / "report" / f"{name}.sql").read_text(encoding="utf-8"))
            out[name] = {"columns": [d[0] for d in cur.description], "rows": cur.fetchall()}
        return out
    finally:
        con.close()


def render_report(sections: dict[str, dict], data_docs: str | None, generated_at: dt.datetime) -> str:
    """Render the report HTML; every value from the data is escaped."""
    env = jinja2.Environment(
        loader=jinja2.FunctionLoader(
            lambda name: (resources.files("warehouse") / "templates" / name).read_text(encoding="utf-8")
        ),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
    )
    latest = sections["latest_run"]
    run = dict(zip(latest["columns"], latest["rows"][0], strict=True)) if latest["rows"] else None
    return env.get_template("report.html.j2").render(
        s=sections, run=run, data_docs=data_docs, generated_at=generated_at, charts=build_charts(sections)
    )


def build_charts(sections: dict[str, dict]) -> dict[str, str]:
    """The report's SVG charts from its query results."""
    trend = [dict(zip(sections["trend_quality"]["columns"], r, strict=True)) for r in sections["trend_quality"]["rows"]]
    labels = [t["label"] for t in trend]
    return {
        "pass_rate": line_chart("Expectations passed per run", labels,
                                {"pass rate": [t["pass_rate"] for t in trend]}, percent=True),
        "articles": line_chart("Articles per run", labels, {
            "loaded": [t["articles_loaded"] for t in trend],
            "quarantined": [t["records_quarantined"] for t in trend]}),
        "missing": line_chart("Missing fields per run", labels, {
            "no date": [t["missing_date"] for t in trend], "no author": [t["missing_author"] for t in trend],
            "no site": [t["missing_site"] for t in trend]}, percent=True),
        "boilerplate": bar_chart("Boilerplate removed in the latest run, by reason",
                                 [(str(r[0]), r[1]) for r in sections["boilerplate_latest"]["rows"]]),
    }


def write_report(warehouse: Path, out: Path | None = None) -> Path:
    """Build GX Data Docs and the report; return the report's path."""
    from expectations.checks import gx_project
    from expectations.runner import build_data_docs

    warehouse = Path(warehouse)
    sections = query_sections(warehouse)
    gx_dir = gx_project(warehouse)
    docs_index = build_data_docs(gx_dir) if gx_dir.exists() else None
    out = out or warehouse.parent / "report.html"
    data_docs = None
    if docs_index is not None:
        try:
            data_docs = docs_index.relative_to(out.parent.resolve()).as_posix()
        except ValueError:
            data_docs = docs_index.as_uri()
    html = render_report(sections, data_docs, dt.datetime.now(dt.UTC))
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(html, encoding="utf-8")
    return out
