"""The `broadsheet` command: run, serve, sql, search, report, explain."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

app = typer.Typer(help="Broadsheet: news-article dumps in, a DuckDB warehouse you can trust out.",
                  no_args_is_help=True, add_completion=False)
console = Console()
err = Console(stderr=True)
# Query results piped to a file or a log are not squeezed into 80 columns.
wide = Console(width=None if sys.stdout.isatty() else 240)

DEFAULT_WAREHOUSE = Path("data/broadsheet.duckdb")
DEFAULT_LAKE = Path("data/lake")

InboxArg = Annotated[Path, typer.Argument(help="Folder of dumps (.txt, .html/.htm, .jsonl), read recursively.")]
WarehouseOpt = Annotated[Path, typer.Option("--warehouse", "-w", help="DuckDB file.")]


class FailOn(StrEnum):
    """Severity from which a failed expectation fails the run."""

    critical = "critical"
    warning = "warning"
    never = "never"


class OutputFormat(StrEnum):
    """How `broadsheet sql` prints its result."""

    table = "table"
    csv = "csv"
    json = "json"


# Share of quarantined records (of documents read) above which the summary warns in red.
MOSTLY = 0.5


def _check_configuration(gx_dir: Path) -> None:
    """Stop with exit 2 and a clear message when rules, model or data files, schema SQL or GX are broken."""
    from flows.preflight import ConfigurationError, check_configuration

    try:
        check_configuration(gx_dir)
    except ConfigurationError as exc:
        err.print(f"[red]configuration error, nothing was read: {exc}[/red]")
        raise typer.Exit(2) from exc


def _quiet_prefect() -> None:
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
    # the ephemeral server takes 13 s to start on an idle 2-core machine, far more on a busy one
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")


class Runner(StrEnum):
    """Where the batches run."""

    threads = "threads"
    processes = "processes"
    dask = "dask"


@app.command()
def run(
    inbox: InboxArg,
    warehouse: WarehouseOpt = DEFAULT_WAREHOUSE,
    lake: Annotated[Path, typer.Option(help="Parquet lake folder.")] = DEFAULT_LAKE,
    batch_size: Annotated[int | None, typer.Option(
        min=1, help="Documents per Prefect task (and per validated chunk); default: 200 on threads, 500 on "
                    "worker processes, 350 on Dask.")] = None,
    force: Annotated[bool, typer.Option(help="Re-process dumps already in the warehouse.")] = False,
    fail_on: Annotated[FailOn, typer.Option(
        help="Exit non-zero when an expectation of this severity (or worse) fails.")] = FailOn.never,
    workers: Annotated[int, typer.Option(min=1, help="Worker processes for the batches.")] = 1,
    runner: Annotated[Runner | None, typer.Option(
        help="threads (one process), processes (a local pool), or dask (a LocalCluster of --workers "
             "processes); default: threads for 1 worker, processes for more.")] = None,
    dask_address: Annotated[str | None, typer.Option(
        help="Run the batches on an existing Dask scheduler, e.g. tcp://HOST:8786 (implies --runner dask).")] = None,
    prune: Annotated[bool, typer.Option(
        help="Drop documents (and everything derived) whose file is no longer in the inbox.")] = False,
    wait: Annotated[float, typer.Option(
        min=0, help="Seconds to wait when another run is writing the warehouse (then exit 4).")] = 0.0,
) -> None:
    """Run the ETL flow once over every new dump in INBOX."""
    if not inbox.is_dir():
        err.print(f"[red]inbox {inbox} is not a directory[/red]")
        raise typer.Exit(2)
    from expectations.checks import gx_project

    _quiet_prefect()
    _check_configuration(gx_project(warehouse))
    from flows.etl import default_batch_size, flow_with_workers
    from flows.progress import watching
    from flows.reaper import shared_api_server
    from transforms.pipeline import CONFIGURATION_ERRORS
    from warehouse.db import WarehouseBusy

    try:
        with _progress_bars() as hook, watching(hook), shared_api_server():
            chosen = runner.value if runner else None
            etl = flow_with_workers(workers, chosen, dask_address)
            batch_size = batch_size or default_batch_size(workers, chosen, dask_address)
            summary = etl(inbox=str(inbox), warehouse=str(warehouse), lake=str(lake), batch_size=batch_size,
                          force=force, fail_on=fail_on.value, in_flight=2 * workers, prune=prune, wait=wait)
    except WarehouseBusy as exc:
        err.print(f"[red]{exc}[/red]")
        raise typer.Exit(4) from exc
    except CONFIGURATION_ERRORS as exc:
        err.print(f"[red]configuration error, run stopped: {type(exc).__name__}: {exc}[/red]")
        raise typer.Exit(2) from exc
    _print_summary(summary)
    if summary["documents_read"] and summary["records_quarantined"] > MOSTLY * summary["documents_read"]:
        err.print(f"[bold red]{summary['records_quarantined']} of {summary['documents_read']} documents "
                  "quarantined: check the quarantine table before trusting this run[/bold red]")
    if summary["threshold_crossed"]:
        err.print(f"[red]data-quality threshold crossed (--fail-on {fail_on.value})[/red]")
        raise typer.Exit(3)


@contextmanager
def _progress_bars() -> Iterator[Callable[[str, int, int], None]]:
    """Rich progress bars, one per stage, fed by the flow's progress reports."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    labels = {"clean": "batches (read, clean, check)", "validate": "run-level checks",
              "load": "loading DuckDB"}
    with Progress(TextColumn("{task.description:<22}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=err, transient=False) as progress:
        tasks: dict[str, object] = {}
        starting = progress.add_task("starting Prefect", total=None)

        def hook(stage: str, done: int, total: int) -> None:
            progress.update(starting, visible=False)
            if stage not in tasks:
                tasks[stage] = progress.add_task(labels.get(stage, stage), total=total)
            progress.update(tasks[stage], completed=done, total=total)

        yield hook


def _print_summary(summary: dict) -> None:
    table = Table(title=f"run {summary['run_id']}", show_header=False)
    for label, key in [("files seen", "files_seen"), ("unchanged, skipped", "files_skipped"),
                       ("documents read", "documents_read"), ("articles extracted", "articles_extracted"),
                       ("articles loaded", "articles_loaded"), ("records quarantined", "records_quarantined"),
                       ("boilerplate lines removed", "boilerplate_lines"), ("files pruned", "files_pruned")]:
        table.add_row(label, str(summary[key]))
    if summary.get("warc_records_skipped"):
        table.add_row("WARC records not pages", ", ".join(
            f"{reason} {n}" for reason, n in sorted(summary["warc_records_skipped"].items())))
    failed = ", ".join(f"{name} ({sev})" for sev, name in summary["failed_checks"]) or "none"
    table.add_row("failed expectations", failed)
    table.add_row("seconds", f"{summary['seconds'].get('total', 0):.1f}")
    table.add_row("warehouse", summary["warehouse"])
    table.add_row("lake", summary["lake"])
    console.print(table)
    console.print("Report: [bold]broadsheet report[/bold]   SQL: [bold]broadsheet sql \"select ...\"[/bold]")


@app.command()
def serve(
    inbox: InboxArg,
    cron: Annotated[str, typer.Option(help="Cron schedule, e.g. '*/15 * * * *'.")],
    warehouse: WarehouseOpt = DEFAULT_WAREHOUSE,
    lake: Annotated[Path, typer.Option(help="Parquet lake folder.")] = DEFAULT_LAKE,
    name: Annotated[str, typer.Option(help="Deployment name.")] = "broadsheet-inbox",
    workers: Annotated[int, typer.Option(min=1, help="Processes for cleaning/extraction (1: threads).")] = 1,
) -> None:
    """Serve the flow as a Prefect deployment on a cron schedule; each run picks up only new dumps."""
    from prefect import serve as prefect_serve

    from expectations.checks import gx_project
    from flows.etl import build_deployment

    _quiet_prefect()
    _check_configuration(gx_project(warehouse))
    try:
        deployment = build_deployment(str(inbox), cron, str(warehouse), str(lake), name, workers)
    except ValueError as exc:  # an invalid cron expression
        err.print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from exc
    console.print(f"Serving [bold]{name}[/bold] on '{cron}' over {inbox.resolve()} (Ctrl+C to stop)")
    prefect_serve(deployment)


@app.command()
def sql(
    query: Annotated[str, typer.Argument(help="SQL to run (read-only); several statements print several results.")],
    warehouse: WarehouseOpt = DEFAULT_WAREHOUSE,
    lake: Annotated[Path, typer.Option(help="Parquet lake folder: the only files queries may read.")] = DEFAULT_LAKE,
    fmt: Annotated[OutputFormat, typer.Option("--format", "-f")] = OutputFormat.table,
) -> None:
    """Run ad-hoc SQL on a sandboxed read-only connection: no file writes, no other databases, no extensions."""
    import duckdb

    from warehouse.readonly import RefusedStatement, check_statements, connect_sandboxed

    try:
        con = connect_sandboxed(warehouse, [lake])
    except FileNotFoundError as exc:
        err.print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from exc
    except duckdb.IOException as exc:
        _busy(warehouse, exc)
    results: list[tuple[list[str], list[tuple]]] = []
    try:
        for stmt in check_statements(con, query):
            cur = con.execute(stmt)
            results.append(([d[0] for d in cur.description or []], cur.fetchall()))
    except RefusedStatement as exc:
        err.print(f"[red]refused, nothing was run: {exc}. `broadsheet sql` only reads.[/red]", soft_wrap=True)
        raise typer.Exit(1) from exc
    except duckdb.Error as exc:
        err.print(f"[red]{type(exc).__name__}: {exc}[/red]", soft_wrap=True)
        raise typer.Exit(1) from exc
    finally:
        con.close()
    if fmt is OutputFormat.json:
        blocks = [[dict(zip(columns, r, strict=True)) for r in rows] for columns, rows in results]
        sys.stdout.write(json.dumps(blocks[0] if len(blocks) == 1 else blocks, default=str, ensure_ascii=False,
                                    indent=1) + "\n")
        return
    for number, (columns, rows) in enumerate(results):
        _print_result(columns, rows, fmt, first=number == 0)


@app.command()
def search(
    query: Annotated[str, typer.Argument(help="Words to find in titles and bodies (BM25); also \"a phrase\", "
                                              "+must, -not, title:word.")],
    site: Annotated[str | None, typer.Option(help="Only articles of this site or domain (any case).")] = None,
    since: Annotated[dt.datetime | None, typer.Option(formats=["%Y-%m-%d"],
                                                      help="Only articles published on or after this day.")] = None,
    limit: Annotated[int, typer.Option(min=1, max=1000, help="Articles to show.")] = 10,
    warehouse: WarehouseOpt = DEFAULT_WAREHOUSE,
    fmt: Annotated[OutputFormat, typer.Option("--format", "-f")] = OutputFormat.table,
) -> None:
    """Ranked articles for a query, each with a snippet; an index behind the warehouse is brought up to date first."""
    import duckdb

    from warehouse import search as fts
    from warehouse.db import WarehouseBusy, connect, writer_lock

    try:
        con = connect(warehouse, read_only=True)
    except FileNotFoundError as exc:
        err.print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from exc
    except duckdb.IOException as exc:
        _busy(warehouse, exc)
    try:
        why, damaged, opened = fts.staleness(con, warehouse), False, None
        if not why:
            try:
                opened = fts.open_searcher(warehouse)
            except Exception as exc:  # a damaged index (a disk error, a hand edit): rebuilt
                why, damaged = f"the search index cannot be read ({type(exc).__name__}: {exc})", True
        if why:
            err.print(f"{why}: updating {fts.index_dir(warehouse)} ...", soft_wrap=True)
            try:
                with writer_lock(warehouse):  # the index has one writer, as the warehouse has
                    done = fts.update_index(con, warehouse, rebuild=damaged)
            except WarehouseBusy as exc:
                err.print(f"[red]{why}, and a run is writing the warehouse: it updates the index after its load; "
                          "try again when it finishes.[/red]", soft_wrap=True)
                raise typer.Exit(4) from exc
            err.print(f"search index updated: {done.added} articles added, {done.removed} removed, "
                      f"{done.seconds:.1f} s")
            opened = fts.open_searcher(warehouse)
    finally:
        con.close()
    hits, total = fts.search(warehouse, query, site, since.date() if since else None, limit, opened=opened)
    columns = ["article_id", "title", "site", "published", "score", "snippet"]
    rows = [(h.article_id, h.title, h.site, h.published, round(h.score, 3), h.snippet) for h in hits]
    if fmt is OutputFormat.json:
        sys.stdout.write(json.dumps([dict(zip(columns, r, strict=True)) for r in rows], default=str,
                                    ensure_ascii=False, indent=1) + "\n")
    elif fmt is OutputFormat.csv:
        _print_result(columns, rows, fmt, first=True)
    else:
        _print_hits(hits, total)


def _print_hits(hits: list, total: int) -> None:
    from rich.text import Text

    table = Table("score", "title", "site", "published", "article_id", "snippet", show_lines=True)
    for h in hits:
        snippet = Text(h.snippet)
        for start, end in h.highlights:
            snippet.stylize("bold yellow", start, end)
        table.add_row(f"{h.score:.2f}", h.title or "", h.site or "", str(h.published or ""), h.article_id, snippet)
    wide.print(table)
    console.print(f"{len(hits)} of {total} matching articles")


def _busy(warehouse: Path, exc: Exception) -> None:
    """A writer holds the warehouse: say so and exit 4 (DuckDB lets no reader in while a run loads)."""
    err.print(f"[red]warehouse {warehouse} is busy: a run is loading it and DuckDB admits no reader until it "
              f"commits. Try again when the run finishes. ({' '.join(str(exc).split())[:200]})[/red]", soft_wrap=True)
    raise typer.Exit(4) from exc


def _print_result(columns: list[str], rows: list[tuple], fmt: OutputFormat, first: bool) -> None:
    if fmt is OutputFormat.csv:
        buf = io.StringIO()
        if not first:
            buf.write("\n")  # one blank line between the results of several statements
        writer = csv.writer(buf)
        writer.writerow(columns)
        writer.writerows(rows)
        sys.stdout.write(buf.getvalue())
    else:
        table = Table(*columns)
        for r in rows:
            table.add_row(*("" if v is None else str(v) for v in r))
        wide.print(table)


@app.command()
def report(
    warehouse: WarehouseOpt = DEFAULT_WAREHOUSE,
    out: Annotated[Path | None, typer.Option(help="Report file (default: next to the warehouse).")] = None,
) -> None:
    """Write or refresh the data-quality report (and GX Data Docs) and print its path."""
    import duckdb

    from warehouse.report import write_report

    try:
        path = write_report(warehouse, out)
    except FileNotFoundError as exc:
        err.print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from exc
    except duckdb.IOException as exc:
        _busy(warehouse, exc)
    console.print(str(path))


@app.command()
def explain(
    key: Annotated[str, typer.Argument(help="A source_file (as the documents table has it) or an article_id.")],
    warehouse: WarehouseOpt = DEFAULT_WAREHOUSE,
    out: Annotated[Path | None, typer.Option(help="HTML page (default: explain/ next to the warehouse).")] = None,
    inbox: Annotated[Path | None, typer.Option(
        help="Read the dump from this inbox instead of the one its run recorded.")] = None,
) -> None:
    """Print a dump line by line (kept, removed and why, caption, field) and write the same view as an HTML page."""
    import duckdb

    from transforms.rules import RulesError, load_rules
    from warehouse.explain import NotInWarehouse, page_name, render_text, write_page
    from warehouse.explain import explain as explain_source

    try:
        expl = explain_source(warehouse, key, load_rules(), inbox)
    except (FileNotFoundError, NotInWarehouse, RulesError) as exc:
        err.print(str(exc), style="red", markup=False, soft_wrap=True)
        raise typer.Exit(2) from exc
    except duckdb.IOException as exc:
        _busy(warehouse, exc)
    sys.stdout.write(render_text(expl))
    for note in expl.notes:
        err.print(note, style="bold yellow", markup=False, soft_wrap=True)
    path = write_page(expl, out or warehouse.parent / "explain" / page_name(expl.stored))
    console.print(f"page: {path}", markup=False, soft_wrap=True)


def main() -> None:
    """The console script: `broadsheet run` first makes sure no server or worker process can outlive it."""
    if len(sys.argv) > 1 and sys.argv[1] == "run":
        from flows.reaper import guard_process_group

        guard_process_group()
    app()


if __name__ == "__main__":
    main()
