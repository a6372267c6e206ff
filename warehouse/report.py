"""The data-quality report: one self-contained HTML file next to the warehouse."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from importlib import resources
from pathlib import Path

import jinja2

from warehouse.charts import bar_chart, line_chart
from warehouse.db import connect, read_query

SECTIONS = (
    "latest_run", "runs", "expectations", "quarantine", "boilerplate", "boilerplate_latest", "sources",
    "trend_quality", "explain_targets",
)
# explain pages written beside the report, one per worst source (its worst dump)
EXPLAIN_PAGES = 5


def query_sections(warehouse: Path) -> dict[str, dict]:
    """Run every report query on a read-only connection: name -> {columns, rows}."""
    con = connect(warehouse, read_only=True)
    try:
        out = {}
        for name in SECTIONS:
            cur = con.execute(read_query(name, "report"))
            out[name] = {"columns": [d[0] for d in cur.description], "rows": cur.fetchall()}
        return out
    finally:
        con.close()


def render_report(sections: dict[str, dict], data_docs: str | None, generated_at: dt.datetime,
                  explained: Sequence[dict] = ()) -> str:
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
        s=sections, run=run, data_docs=data_docs, generated_at=generated_at, charts=build_charts(sections),
        explained=explained,
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


def write_explain_pages(warehouse: Path, targets: dict, folder: Path, limit: int = EXPLAIN_PAGES) -> list[dict]:
    """Explain pages of the worst sources' dumps (the explain_targets query) in folder/explain/; one link each,
    with whether the re-run matched the stored rows and any note (a dump gone or changed)."""
    from transforms.rules import load_rules
    from warehouse.explain import explain_document, load_stored, page_name, read_source, write_page

    rows = [dict(zip(targets["columns"], r, strict=True)) for r in targets["rows"]][:limit]
    if not rows:
        return []
    con = connect(warehouse, read_only=True)
    try:
        stored = [load_stored(con, row["doc_id"]) for row in rows]
    finally:
        con.close()
    rules = load_rules()
    links = []
    for row, doc_rows in zip(rows, stored, strict=True):
        link = {**row, "href": None, "verified": False, "note": None}
        try:
            doc, note = read_source(doc_rows)
            expl = explain_document(doc_rows, doc, rules, note)
            path = write_page(expl, folder / "explain" / page_name(doc_rows))
        except Exception as exc:  # one page that cannot be explained must not cost the report
            link["note"] = f"no explain page: {type(exc).__name__}: {exc}"[:300]
        else:
            link.update(href=path.relative_to(folder).as_posix(), verified=expl.verified,
                        note="; ".join(expl.notes) or None)
        links.append(link)
    return links


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
    out.parent.mkdir(parents=True, exist_ok=True)
    explained = write_explain_pages(warehouse, sections["explain_targets"], out.parent)
    html = render_report(sections, data_docs, dt.datetime.now(dt.UTC), explained)
    out.write_text(html, encoding="utf-8")
    return out
