"""Paragraph lineage and the explain view's plain functions, on the real seed dumps and HTML fixtures."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest

from tests.conftest import ROOT, SEEDS
from transforms.html import extract_html
from transforms.html_body import render_lines
from transforms.html_vote import locate_blocks
from transforms.pipeline import process_documents, read_dump
from transforms.record import BODY, BOILERPLATE, CAPTION, Document
from transforms.rules import load_rules
from warehouse import explain as ex
from warehouse.schemas import build_tables

RULES = load_rules()
NOW = dt.datetime(2026, 12, 2, tzinfo=dt.UTC)
HTML_FIXTURES = ROOT / "tests" / "fixtures" / "html"
HOSTILE = "<script>document.body.setAttribute('data-pwned','script')</script>"


def processed(path: Path) -> Document:
    fmt = "html" if path.suffix == ".html" else "txt"
    (doc,) = process_documents(read_dump(path.read_bytes(), path.name, fmt, NOW), RULES)
    return doc


def stored_from(doc: Document) -> ex.Stored:
    """What a load of this one document would store, built by the flow's own table builder."""
    tables = build_tables([doc], "r1", NOW)
    paragraphs = tuple((r["article_id"], r["position"], r["text"], r["line_first"], r["line_last"], r["block"])
                       for r in tables["paragraphs"].to_pylist())
    boilerplate = tuple((r["position"], r["text"], r["reason"]) for r in tables["boilerplate"].to_pylist())
    articles = tuple(ex.StoredArticle(a.article_id, a.position, a.title, "loaded", None) for a in doc.articles)
    return ex.Stored(doc.doc_id, doc.source_file, doc.format, doc.file_sha256, "loaded", "r1", None, articles,
                     paragraphs, boilerplate)


@pytest.mark.parametrize("seed", sorted(p.name for p in SEEDS.glob("*.txt")))
def test_text_paragraphs_point_at_the_dump_line_they_are(seed: str) -> None:
    doc = processed(SEEDS / seed)
    raw = (doc.text or "").split("\n")
    assert doc.articles
    for article in doc.articles:
        assert len(article.sources) == len(article.paragraphs)
        for text, src in zip(article.paragraphs, article.sources, strict=True):
            assert src.block is None and src.line_first == src.line_last
            assert raw[src.line_first].strip() == text


@pytest.mark.parametrize("page", ["news_article.html", "portuguese_article.html"])
def test_html_paragraphs_point_at_the_rendering_line_they_are(page: str) -> None:
    html = (HTML_FIXTURES / page).read_text(encoding="utf-8")
    ext = extract_html(html, None, RULES)
    rendered = render_lines(html)
    assert len(ext.blocks) == len(ext.paragraphs) and len(ext.removed_blocks) == len(ext.removed)
    assert all(b is not None for b in ext.blocks)
    assert [rendered[b] for b in ext.blocks] == list(ext.paragraphs)
    assert [rendered[b] for b in ext.removed_blocks] == [text for text, _ in ext.removed]
    assert list(ext.blocks) == sorted(ext.blocks)  # page order


def test_locate_blocks_follows_the_order_and_says_none_when_absent() -> None:
    lines = ["Menu", "Alpha", "Beta", "Alpha", "Gamma"]
    assert locate_blocks(["Alpha", "Alpha", "Gamma"], lines) == [1, 3, 4]
    assert locate_blocks(["Beta", "Alpha", "Nope", "Gamma"], lines) == [2, 3, None, 4]
    assert locate_blocks(["Gamma", "Alpha"], lines) == [4, None]  # never back up the page


def test_text_view_marks_every_dump_line_as_the_cleaning_labelled_it() -> None:
    doc = processed(SEEDS / "004_6a8318a25d92f825.txt")
    view = ex.text_view(doc.text or "", doc.lines, doc.articles, {})
    raw = (doc.text or "").split("\n")
    assert [v.number for v in view] == list(range(len(raw)))
    assert [v.text for v in view] == raw
    for article in doc.articles:
        assert [v.text.strip() for v in view if v.status == ex.KEPT and v.article == article.article_id] == list(
            article.paragraphs)
    labels = {ln.position: ln for ln in doc.lines}
    for v in view:
        line = labels.get(v.number)
        if line is None:
            assert v.status == ex.BLANK and not v.text.strip()
        elif line.label == BOILERPLATE:
            assert (v.status, v.reason) == (ex.REMOVED, line.reason)
        elif line.label == CAPTION:
            assert (v.status, v.reason) == (ex.CAPTIONED, line.reason)
        elif line.label != BODY:
            assert v.status == ex.FIELD and v.reason == ex.FIELD_NAMES[line.label]
    fields = {v.reason for v in view if v.status == ex.FIELD}
    assert {"title", "dek", "byline", "date"} <= fields  # the digest page has all four


def test_a_quarantined_article_shows_its_lines_as_quarantined() -> None:
    doc = processed(SEEDS / "004_6a8318a25d92f825.txt")
    gone = doc.articles[1]
    view = ex.text_view(doc.text or "", doc.lines, doc.articles, {gone.article_id: "failed_expectations"})
    mine = [v for v in view if v.article == gone.article_id and v.status != ex.FIELD]
    assert [v.text.strip() for v in mine] == list(gone.paragraphs)
    assert {(v.status, v.reason) for v in mine} == {(ex.QUARANTINED, "failed_expectations")}


def test_stored_rows_alone_give_the_same_kept_and_removed_lines() -> None:
    doc = processed(SEEDS / "004_6a8318a25d92f825.txt")
    stored = stored_from(doc)
    raw = (doc.text or "").split("\n")
    derived = ex.text_view(doc.text or "", doc.lines, doc.articles, {})
    alone = ex.stored_view(stored, ex.LINE, raw)
    assert [v.text for v in alone] == raw

    def kept(view: list[ex.ViewLine]) -> list:
        return [(v.number, v.article) for v in view if v.status == ex.KEPT]

    def dropped(view: list[ex.ViewLine]) -> set:  # caption or removed: the stored rows share their reasons
        return {(v.number, v.reason) for v in view if v.status in (ex.REMOVED, ex.CAPTIONED)}

    assert kept(alone) == kept(derived) and dropped(alone) == dropped(derived)
    fields = {v.number for v in derived if v.status == ex.FIELD}
    assert {v.number for v in alone if v.status == ex.UNRECORDED} == fields
    gone = ex.stored_view(stored, ex.LINE)  # the dump is gone: only the stored lines, at their numbers
    assert [v.text for v in gone if v.status == ex.KEPT] == [p for a in doc.articles for p in a.paragraphs]


def test_the_check_against_stored_rows_finds_a_changed_reason_or_paragraph() -> None:
    doc = processed(SEEDS / "002_7aa6f8a1cfc9cd93.txt")
    stored = stored_from(doc)
    assert ex.differences(stored, doc) == []
    pos, text, _reason = stored.boilerplate[0]
    wrong = dataclasses.replace(stored, boilerplate=((pos, text, "navigation_not"), *stored.boilerplate[1:]))
    assert ex.differences(wrong, doc) == ["2 removed-line row(s) differ"]
    moved = [list(p) for p in stored.paragraphs]
    moved[0][3] = moved[0][4] = moved[0][3] + 1
    shifted = dataclasses.replace(stored, paragraphs=tuple(map(tuple, moved)))
    assert ex.differences(shifted, doc) == ["2 paragraph row(s) differ"]
    expl = ex.explain_document(wrong, read_dump((SEEDS / "002_7aa6f8a1cfc9cd93.txt").read_bytes(),
                                                doc.source_file, "txt", NOW)[0], RULES)
    assert not expl.verified and "differently" in expl.notes[0]
    assert ("navigation_not" in {v.reason for v in expl.lines})  # the stored rows win over the re-run


def test_render_html_escapes_the_dump_and_strikes_removed_lines() -> None:
    doc = processed(SEEDS / "001_de08d329854fef43.txt")
    stored = stored_from(doc)
    view = (*ex.text_view(doc.text or "", doc.lines, doc.articles, {}),
            ex.ViewLine(999, HOSTILE, ex.REMOVED, "share_widget\"><script>x</script>"))
    expl = ex.Explanation(stored, ex.LINE, view, (f"note {HOSTILE}",), True)
    page = ex.render_html(expl, NOW)
    assert "<script" not in page and "&lt;script&gt;" in page
    assert page.count("<del>") >= sum(v.status == ex.REMOVED for v in view)
    assert "http://" not in page and "https://" not in page


def test_render_text_marks_and_numbers_lines() -> None:
    doc = processed(SEEDS / "001_de08d329854fef43.txt")
    expl = ex.Explanation(stored_from(doc), ex.LINE, tuple(ex.text_view(doc.text or "", doc.lines, doc.articles,
                                                                        {})), (), True)
    out = ex.render_text(expl).splitlines()
    removed = [ln for ln in out if "removed: share_widget" in ln]
    assert removed and removed[0].endswith("| Share:")
    assert any(ln.lstrip().startswith("0  field: title") for ln in out)
    assert out[-1].startswith("lines: kept ")


def test_dump_paths_and_page_names() -> None:
    stored = ex.Stored("d" * 64, "sub/f.jsonl:3", "jsonl/txt", "s", "loaded", "r", "/in", (), (), ())
    assert ex.dump_path(stored) == (Path("/in/sub/f.jsonl"), 3)
    warc = dataclasses.replace(stored, source_file="crawl.warc.gz:1234")
    assert ex.dump_path(warc, "/other") == (Path("/other/crawl.warc.gz"), 1234)
    plain = dataclasses.replace(stored, source_file="a:b.txt")
    assert ex.dump_path(plain) == (Path("/in/a:b.txt"), None)
    name = ex.page_name(dataclasses.replace(stored, source_file="../../etc/<passwd>.txt"))
    assert "/" not in name and "<" not in name and name.endswith(".html")


def test_an_earlier_warehouse_gains_the_position_columns_and_loads_them(tmp_path) -> None:
    import duckdb

    from tests.test_warehouse import load_run, run_row, tables_for
    from warehouse.db import connect

    path = tmp_path / "old.duckdb"
    old = duckdb.connect(str(path))
    old.execute("""create table paragraphs (  -- as versions before lineage created it
        article_id varchar not null, doc_id varchar not null, position integer not null, text varchar not null,
        primary key (article_id, position))""")
    old.execute("insert into paragraphs values ('a0', 'd0', 0, 'An old paragraph.')")
    old.close()
    doc = processed(SEEDS / "001_de08d329854fef43.txt")
    con = connect(path)
    try:
        load_run(con, tables_for([doc]), run_row("r1"))
        got = con.execute("select doc_id, text, line_first, line_last, block from paragraphs "
                          "order by doc_id = 'd0' desc, position").fetchall()
    finally:
        con.close()
    assert got[0] == ("d0", "An old paragraph.", None, None, None)
    raw = (doc.text or "").split("\n")
    assert [(t, raw[first].strip(), last, block) for _d, t, first, last, block in got[1:]] == [
        (p, p, s.line_last, None) for p, s in zip(doc.articles[0].paragraphs, doc.articles[0].sources, strict=True)]
