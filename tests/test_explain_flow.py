"""Integration: `broadsheet explain` on a warehouse the real flow loaded (seeds, an HTML page, a .jsonl, a WARC,
a dump with hostile markup), its page in headless Chromium, and the report's links to explain pages."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from flows.cli import app
from flows.etl import etl_flow
from tests.conftest import EXTRA, SEEDS
from tests.test_report import CHROMIUM_FLAGS, HOSTILE, HOSTILE_IMG, chromium
from tests.test_warc import crawl
from transforms.rules import load_rules
from warehouse import explain as ex
from warehouse.report import write_report

pytestmark = pytest.mark.integration
RULES = load_rules()
HOSTILE_LINE = f"Share this story {HOSTILE}{HOSTILE_IMG}"


@pytest.fixture(scope="module")
def loaded(prefect_harness, tmp_path_factory) -> tuple[Path, Path]:
    """(warehouse, inbox) after one real run."""
    root = tmp_path_factory.mktemp("explain")
    inbox = root / "inbox"
    shutil.copytree(SEEDS, inbox)
    for name in ("harbour_article.html", "mixed.jsonl", "future_dated.txt", "menu_only.txt"):
        shutil.copy(EXTRA / name, inbox / name)
    seed = (SEEDS / "001_de08d329854fef43.txt").read_text(encoding="utf-8")
    body = ("The council said the hostile sample " + HOSTILE + " must show as text, and that the report of "
            "the committee was read out in full at the meeting on Tuesday evening.")
    (inbox / "hostile.txt").write_text(seed.replace("Share:", f"{body}\n\n{HOSTILE_LINE}\n\nShare:"),
                                       encoding="utf-8")
    crawl(inbox / "crawl.warc.gz")
    wh = root / "wh.duckdb"
    etl_flow(inbox=str(inbox), warehouse=str(wh), lake=str(root / "lake"), batch_size=50)
    return wh, inbox


def rows(wh: Path, sql: str, params: list | None = None) -> list[tuple]:
    con = duckdb.connect(str(wh), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def assert_view_matches_warehouse(wh: Path, expl: ex.Explanation) -> None:
    """Kept lines are exactly each loaded article's paragraphs; removed lines carry the boilerplate rows' reasons."""
    doc_id = expl.stored.doc_id
    for (article_id,) in rows(wh, "select article_id from articles where doc_id = ?", [doc_id]):
        want = [t for (t,) in rows(wh, "select text from paragraphs where article_id = ? order by position",
                                   [article_id])]
        got = [v.text.strip() for v in expl.lines if v.status == ex.KEPT and v.article == article_id]
        assert got == want and want
    stored = rows(wh, "select position, text, reason from boilerplate where doc_id = ?", [doc_id])
    shown = [v for v in expl.lines if v.status in (ex.REMOVED, ex.CAPTIONED) and v.reason != ex.OUTSIDE_MAIN_TEXT]
    if expl.unit == ex.LINE:
        assert {(v.number, v.text.strip(), v.reason) for v in shown} == set(stored)
    else:  # an HTML page's boilerplate rows are numbered in removal order; its view by rendering line
        assert sorted((v.text, v.reason) for v in shown if v.status == ex.REMOVED) == sorted(
            (t, r) for _p, t, r in stored)


def test_every_loaded_document_is_explained_and_checked_against_its_rows(loaded) -> None:
    wh, _inbox = loaded
    sources = [s for (s,) in rows(wh, "select source_file from documents where article_count > 0 order by 1")]
    kinds = {re.sub(r".*\.(txt|html|jsonl|warc\.gz)(:\d+)?$", r"\1", s) for s in sources}
    assert kinds == {"txt", "html", "jsonl", "warc.gz"}
    for source in sources:
        expl = ex.explain(wh, source, RULES)
        assert expl.verified and not expl.notes, source
        assert_view_matches_warehouse(wh, expl)
        reasons = {v.reason for v in expl.lines if v.status == ex.REMOVED}
        assert None not in reasons


def test_cli_explains_an_article_id_prints_the_view_and_writes_the_page(loaded, tmp_path) -> None:
    wh, _inbox = loaded
    (article_id, source), = rows(wh, "select article_id, source_file from articles "
                                     "where source_file = '004_6a8318a25d92f825.txt' and position = 2")
    page = tmp_path / "page.html"
    result = CliRunner().invoke(app, ["explain", article_id, "--warehouse", str(wh), "--out", str(page)])
    assert result.exit_code == 0, result.output
    assert source in result.stdout.splitlines()[0]
    kept = [ln.split(" | ", 1)[1] for ln in result.stdout.splitlines() if "kept (article 2)" in ln]
    want = [t for (t,) in rows(wh, "select text from paragraphs where article_id = ? order by position",
                               [article_id])]
    assert kept == want
    assert re.search(r"removed: comment_stub\s+\| ", result.stdout)
    assert page.is_file() and f"page: {page}" in result.stdout


def test_a_validation_quarantined_article_is_shown_with_its_reason(loaded) -> None:
    wh, _inbox = loaded
    (article_id, reason), = rows(wh, "select article_id, reason from quarantine where source_file = "
                                     "'future_dated.txt' and stage = 'validate'")
    expl = ex.explain(wh, article_id, RULES)
    assert expl.verified
    lines = [v for v in expl.lines if v.article == article_id and v.status != ex.FIELD]
    assert lines and {(v.status, v.reason) for v in lines} == {(ex.QUARANTINED, reason)}


def test_a_gone_or_changed_dump_is_said_and_the_stored_rows_are_shown(loaded, tmp_path) -> None:
    wh, inbox = loaded
    empty = tmp_path / "empty"
    empty.mkdir()
    expl = ex.explain(wh, "002_7aa6f8a1cfc9cd93.txt", RULES, inbox=empty)
    assert not expl.verified and "is gone" in expl.notes[0]
    assert_view_matches_warehouse(wh, expl)

    changed = tmp_path / "changed"
    changed.mkdir()
    (changed / "002_7aa6f8a1cfc9cd93.txt").write_text(
        (inbox / "002_7aa6f8a1cfc9cd93.txt").read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
    expl = ex.explain(wh, "002_7aa6f8a1cfc9cd93.txt", RULES, inbox=changed)
    assert not expl.verified and "changed since run" in expl.notes[0] and "sha256" in expl.notes[0]
    assert_view_matches_warehouse(wh, expl)

    result = CliRunner().invoke(app, ["explain", "002_7aa6f8a1cfc9cd93.txt", "--warehouse", str(wh), "--inbox",
                                      str(empty), "--out", str(tmp_path / "p.html")])
    assert result.exit_code == 0 and "is gone" in result.stderr
    missing = CliRunner().invoke(app, ["explain", "mixed.jsonl", "--warehouse", str(wh)])
    assert missing.exit_code == 2 and "mixed.jsonl:1" in missing.stderr  # names the records it holds


def test_explain_page_in_headless_chromium_strikes_removed_lines_and_runs_no_payload(loaded, tmp_path) -> None:
    wh, _inbox = loaded
    expl = ex.explain(wh, "hostile.txt", RULES)
    assert expl.verified
    page = ex.write_page(expl, tmp_path / "hostile.html")
    cmd = [chromium(), *CHROMIUM_FLAGS, f"--user-data-dir={tmp_path / 'profile'}", "--virtual-time-budget=3000",
           "--dump-dom", page.as_uri()]
    dom = subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=True).stdout
    body = dom.split("<body", 1)[1]
    assert "data-pwned" not in body.split(">", 1)[0]  # neither payload ran
    assert "<script" not in body and "<img" not in body  # nor became an element
    assert "&lt;script&gt;document.body.setAttribute" in body  # it shows as text
    removed = [v for v in expl.lines if v.status == ex.REMOVED]
    assert removed and len(re.findall(r'<tr class="removed"', body)) == len(removed)
    assert len(re.findall(r"<del>", body)) >= len(removed)  # each removed line struck through
    for v in removed:
        assert f'data-reason="{v.reason}"' in body
    for v in expl.lines:
        if v.status == ex.KEPT and "<" not in v.text:
            assert v.text.strip() in body
    hostile = [v for v in expl.lines if HOSTILE in v.text]
    assert hostile and all(v.status in (ex.KEPT, ex.REMOVED, ex.QUARANTINED) for v in hostile)
    assert 'id="reasons"' in body and 'class="swatch"' in body


def test_the_report_links_explain_pages_for_the_worst_sources(loaded) -> None:
    wh, _inbox = loaded
    report = write_report(wh)
    html = report.read_text(encoding="utf-8")
    links = re.findall(r'<a href="(explain/[^"]+\.html)">', html)
    assert links and 'id="explain-links"' in html
    for link in links:
        page = (report.parent / link).read_text(encoding="utf-8")
        assert "Why each line of" in page and "<del>" in page
    targets = rows(wh, "select count(*) from source_quality")[0][0]
    assert len(links) == min(5, targets)
