"""`broadsheet explain`: one dump line by line as the cleaning saw it (kept, removed with its reason, caption or
field), as text and as a self-contained HTML page.

What it shows is re-derived, then checked: the dump is read again from the path the warehouse recorded, the pure
cleaning (transforms.pipeline.process_document, or the HTML path's extract_html) is run on it with the current
rules, and its kept paragraphs (with their lines or blocks) and removed lines (with their reasons) are compared
with the warehouse's paragraphs and boilerplate rows. Only when they match are the field labels (title, dek,
byline, date), which the warehouse does not store per line, shown as the cleaning decided them. When the dump is
gone or changed, or the current rules clean it differently, the view says so and falls back to the stored rows
alone: what the warehouse holds is never overruled by a re-run.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import duckdb
import jinja2

from transforms.decode import detect_format
from transforms.fields import build_html_article, removed_html_blocks, removed_lines
from transforms.html import extract_html, normalize
from transforms.html_body import render_lines
from transforms.html_vote import locate_blocks
from transforms.pipeline import DOCUMENT_TIME_CAP, MAX_HTML_CHARS, process_document, read_dump, read_warc_page
from transforms.record import BODY, BOILERPLATE, BYLINE, CAPTION, DATE, SUBTITLE, TITLE, Article, Document, Line
from transforms.rules import Rules
from transforms.timecap import DocumentTimeout, time_cap
from warehouse.db import connect, read_query
from warehouse.warc import WarcPage, read_warc

KEPT, REMOVED, CAPTIONED, FIELD, QUARANTINED, BLANK, UNRECORDED = (
    "kept", "removed", "caption", "field", "quarantined", "blank", "unrecorded")
# the names the view gives the header labels of a text dump
FIELD_NAMES = {TITLE: "title", SUBTITLE: "dek", BYLINE: "byline", DATE: "date"}
# an HTML rendering line the extractors' vote did not keep (the post-cleaner's removals have their own reasons)
OUTSIDE_MAIN_TEXT = "outside_main_text"
LINE, BLOCK = "line", "block"  # what a view's numbers count: dump lines, or lines of an HTML page's rendering
RECORD_SUFFIX = re.compile(r"^(?P<file>.+\.(?:jsonl|warc|warc\.gz)):(?P<n>\d+)$", re.IGNORECASE)
NOW = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)  # read_dump needs an ingest time; the view never shows it


class NotInWarehouse(LookupError):
    """The key names no document of the warehouse (the message says what it does name, if anything)."""


@dataclass(frozen=True, slots=True)
class ViewLine:
    """One line of the view: its number (None: not known), text, status and the reason or field name."""

    number: int | None
    text: str
    status: str  # kept / removed / caption / field / quarantined / blank / unrecorded
    reason: str | None = None
    article: str | None = None  # article_id of a kept, quarantined or field line


@dataclass(frozen=True, slots=True)
class StoredArticle:
    """One article of the document as the warehouse holds it: loaded, or quarantined at validation."""

    article_id: str
    position: int
    title: str | None
    state: str  # loaded / quarantined
    reason: str | None


@dataclass(frozen=True, slots=True)
class Stored:
    """What the warehouse holds about one document."""

    doc_id: str
    source_file: str
    format: str
    file_sha256: str
    status: str
    run_id: str
    inbox: str | None
    articles: tuple[StoredArticle, ...]
    paragraphs: tuple[tuple, ...]  # (article_id, position, text, line_first, line_last, block)
    boilerplate: tuple[tuple, ...]  # (position, text, reason)


@dataclass(frozen=True, slots=True)
class Explanation:
    """The line view of one document, what its numbers count, and what could not be checked or differs."""

    stored: Stored
    unit: str  # line / block
    lines: tuple[ViewLine, ...]
    notes: tuple[str, ...]
    verified: bool  # the re-run on the dump matched the stored rows


def _query(con: duckdb.DuckDBPyConnection, name: str, params: dict) -> list[tuple]:
    return con.execute(read_query(name, "explain"), params).fetchall()


def load_stored(con: duckdb.DuckDBPyConnection, key: str) -> Stored:
    """The warehouse's rows of the document a source_file or article_id names; NotInWarehouse when none."""
    docs = _query(con, "document", {"key": key})
    if not docs:
        near = _query(con, "near", {"key": key})
        if near:
            listed = "; ".join(f"{name} ({kind}: {detail})" for name, kind, detail in near)
            raise NotInWarehouse(f"{key!r} is no loaded document; the warehouse has: {listed}")
        raise NotInWarehouse(f"no document or article {key!r} in the warehouse")
    doc_id, source_file, fmt, sha, status, run_id, inbox = docs[0]
    articles = tuple(StoredArticle(*row) for row in _query(con, "articles", {"doc": doc_id}))
    return Stored(doc_id, source_file, fmt, sha, status, run_id, inbox, articles,
                  tuple(_query(con, "paragraphs", {"doc": doc_id})),
                  tuple(_query(con, "boilerplate", {"doc": doc_id})))


def dump_path(stored: Stored, inbox: str | Path | None = None) -> tuple[Path, int | None]:
    """The file a document was read from (its run's inbox, or `inbox`), and its record number (.jsonl line or WARC
    offset) when the document is one record of it."""
    name, record = stored.source_file, None
    match = RECORD_SUFFIX.match(name)
    if match:
        name, record = match["file"], int(match["n"])
    root = Path(inbox if inbox is not None else stored.inbox or ".")
    return root / name, record


def read_source(stored: Stored, inbox: str | Path | None = None) -> tuple[Document | None, str | None]:
    """The document read again from its dump, or None and why not (gone, changed, unreadable)."""
    path, record = dump_path(stored, inbox)
    if not path.is_file():
        return None, f"the dump {path} is gone: showing only the lines the warehouse stored"
    fmt = detect_format(path.name) or "txt"
    try:
        if fmt == "warc":
            docs = _warc_record(path, stored.source_file, record)
        else:  # a .jsonl names its records file.jsonl:LINE, as the flow does
            name = stored.source_file if record is None else stored.source_file.rsplit(":", 1)[0]
            docs = read_dump(path.read_bytes(), name, fmt, NOW)
    except OSError as exc:
        return None, f"the dump {path} cannot be read ({type(exc).__name__}: {exc}): showing only the stored lines"
    doc = next((d for d in docs if d.source_file == stored.source_file), None)
    if doc is None:
        return None, f"{path} no longer holds {stored.source_file}: showing only the stored lines"
    if doc.doc_id != stored.doc_id:
        return None, (f"{stored.source_file} changed since run {stored.run_id} loaded it (sha256 now "
                      f"{doc.doc_id[:16]}…, loaded {stored.doc_id[:16]}…): showing only the stored lines")
    return doc, None


def _warc_record(path: Path, source_file: str, offset: int | None) -> list[Document]:
    """The page of a WARC archive whose record starts at `offset`, read as the flow reads it."""
    for item in read_warc(path, 4 * MAX_HTML_CHARS + 1):
        if isinstance(item, WarcPage) and item.offset == offset:
            return read_warc_page(item.payload, source_file, item.uri, item.warc_date, NOW)
    return []


def _status_of_body(article: str | None, quarantined: dict[str, str]) -> tuple[str, str | None]:
    if article is not None and article in quarantined:
        return QUARANTINED, quarantined[article]
    return KEPT, None


def text_view(text: str, lines: Sequence[Line], articles: Sequence[Article],
              quarantined: dict[str, str]) -> list[ViewLine]:
    """Every line of a text dump (blank ones too) with the label the cleaning gave it."""
    by_position = {ln.position: ln for ln in lines}
    owner = {n: a.article_id for a in articles for s in a.sources if s.line_first is not None
             for n in range(s.line_first, (s.line_last if s.line_last is not None else s.line_first) + 1)}
    out = []
    for number, raw in enumerate(text.split("\n")):
        line = by_position.get(number)
        if line is None:
            out.append(ViewLine(number, raw, BLANK if not raw.strip() else UNRECORDED))
        elif line.label == BODY:
            status, reason = _status_of_body(owner.get(number), quarantined)
            out.append(ViewLine(number, raw, status, reason, owner.get(number)))
        elif line.label == BOILERPLATE:
            out.append(ViewLine(number, raw, REMOVED, line.reason))
        elif line.label == CAPTION:
            out.append(ViewLine(number, raw, CAPTIONED, line.reason or "image_caption"))
        else:
            out.append(ViewLine(number, raw, FIELD, FIELD_NAMES[line.label]))
    return out


def html_field(line: str, article: Article | None) -> str | None:
    """The article field a line of an HTML page's rendering shows (its title, dek, date or byline), if any."""
    if article is None:
        return None
    norm = normalize(line)
    for name, value in (("title", article.title), ("dek", article.subtitle), ("date", article.published_raw)):
        if value and normalize(value) == norm:
            return name
    if article.authors and len(norm.split()) <= 12 and all(a.lower() in norm for a in article.authors):
        return "byline"
    return None


def html_view(rendered: Sequence[str], article: Article | None, removed: Sequence[tuple[str, str]],
              removed_blocks: Sequence[int | None], quarantined: dict[str, str]) -> list[ViewLine]:
    """Every line of an HTML page's text rendering: kept, removed by the post-cleaner (its reason) or left out by
    the vote, a figure caption, or a line showing a field."""
    kept = {s.block for s in article.sources} if article is not None else set()
    dropped = {b: reason for b, (_text, reason) in zip(removed_blocks, removed, strict=True) if b is not None}
    captions = {normalize(t) for c in (article.captions if article else ()) for t in (c.text, c.credit) if t}
    out = []
    for number, text in enumerate(rendered):
        if number in kept:
            status, reason = _status_of_body(article.article_id, quarantined)
            out.append(ViewLine(number, text, status, reason, article.article_id))
        elif number in dropped:
            out.append(ViewLine(number, text, REMOVED, dropped[number]))
        elif normalize(text) in captions:
            out.append(ViewLine(number, text, CAPTIONED, "image_caption"))
        elif (field := html_field(text, article)) is not None:
            out.append(ViewLine(number, text, FIELD, field, article.article_id))
        else:
            out.append(ViewLine(number, text, REMOVED, OUTSIDE_MAIN_TEXT))
    if article is not None:  # fallback paragraphs no rendering line equals are still the article's text
        out += [ViewLine(None, p, *_status_of_body(article.article_id, quarantined), article.article_id)
                for p, s in zip(article.paragraphs, article.sources, strict=True) if s.block is None]
    return out


def stored_view(stored: Stored, unit: str, dump_lines: Sequence[str] | None = None) -> list[ViewLine]:
    """The view from the warehouse's rows alone: paragraphs at their lines or blocks, removed lines at theirs (an
    HTML page's removed blocks are found in `dump_lines` by their text); other dump lines are unrecorded."""
    quarantined = {a.article_id: a.reason for a in stored.articles if a.state == "quarantined"}
    at: dict[int, ViewLine] = {}
    loose: list[ViewLine] = []
    for article_id, _pos, text, first, last, block in stored.paragraphs:
        status, reason = _status_of_body(article_id, quarantined)
        number = first if unit == LINE else block
        if number is None:
            loose.append(ViewLine(None, text, status, reason, article_id))
            continue
        for n in range(number, (last if unit == LINE and last is not None else number) + 1):
            at[n] = ViewLine(n, text if n == number else "", status, reason, article_id)
    if unit == LINE:
        numbers: Sequence[int | None] = [pos for pos, _t, _r in stored.boilerplate]
    else:  # an HTML page's boilerplate rows are numbered in removal order, not by block
        numbers = locate_blocks([t for _p, t, _r in stored.boilerplate], dump_lines or [])
    for number, (_pos, text, reason) in zip(numbers, stored.boilerplate, strict=True):
        status = CAPTIONED if reason in ("image_caption", "photo_credit") and unit == LINE else REMOVED
        if number is None:
            loose.append(ViewLine(None, text, status, reason))
        else:
            at[number] = ViewLine(number, text, status, reason)
    if dump_lines is not None:
        for n, text in enumerate(dump_lines):
            if n in at:
                at[n] = ViewLine(n, text, at[n].status, at[n].reason, at[n].article)
            else:
                at[n] = ViewLine(n, text, BLANK if not text.strip() else UNRECORDED)
    return [at[n] for n in sorted(at)] + loose


def stored_rows(stored: Stored) -> tuple[set[tuple], set[tuple]]:
    """The paragraphs of the loaded articles (article_id, position, text, line_first, line_last, block) and the
    removed lines (position, text, reason), as sets to compare with a re-run's."""
    return set(stored.paragraphs), set(stored.boilerplate)


def derived_rows(doc: Document, loaded: set[str]) -> tuple[set[tuple], set[tuple]]:
    """A re-run's rows as build_tables writes them: paragraphs of the `loaded` articles, and removed lines."""
    paragraphs = {(a.article_id, i, text, s.line_first, s.line_last, s.block)
                  for a in doc.articles if a.article_id in loaded
                  for i, (text, s) in enumerate(zip(a.paragraphs, a.sources, strict=True))}
    boilerplate = {(ln.position, ln.text, ln.reason or ln.label) for ln in removed_lines(doc.lines)}
    return paragraphs, boilerplate


def differences(stored: Stored, doc: Document) -> list[str]:
    """How a re-run of the cleaning differs from the stored rows (empty: it matches)."""
    loaded = {a.article_id for a in stored.articles if a.state == "loaded"}
    known = {a.article_id for a in stored.articles}
    want_p, want_b = stored_rows(stored)
    got_p, got_b = derived_rows(doc, loaded)
    out = []
    if new := sorted({a.article_id for a in doc.articles} - known):
        out.append(f"{len(new)} article(s) the warehouse does not hold")
    if lost := sorted(known - {a.article_id for a in doc.articles}):
        out.append(f"{len(lost)} stored article(s) the re-run does not find")
    if want_p != got_p:
        out.append(f"{len(want_p ^ got_p)} paragraph row(s) differ")
    if want_b != got_b:
        out.append(f"{len(want_b ^ got_b)} removed-line row(s) differ")
    return out


def explain_document(stored: Stored, doc: Document | None, rules: Rules, note: str | None = None) -> Explanation:
    """The view of one stored document: re-derived from `doc` (the dump read again) when the re-run matches the
    stored rows, else from the stored rows alone, with notes saying why."""
    html = stored.format.endswith("html") or (doc is not None and doc.html is not None)
    unit = BLOCK if html else LINE
    notes = [note] if note else []
    quarantined = {a.article_id: a.reason for a in stored.articles if a.state == "quarantined"}
    if doc is None:
        return Explanation(stored, unit, tuple(stored_view(stored, unit)), tuple(notes), False)
    if doc.rejection is not None:
        notes.append(f"the dump cannot be read: {doc.rejection.reason} ({doc.rejection.detail})")
        return Explanation(stored, unit, (), tuple(notes), False)
    try:
        with time_cap(DOCUMENT_TIME_CAP):
            derived, view, dump_lines = _rerun(doc, html, rules, quarantined)
    except (Exception, DocumentTimeout) as exc:  # a page that broke the run's extraction may break the re-run too
        notes.append(f"the cleaning fails on this dump now ({type(exc).__name__}: {exc}): showing the stored rows")
        return Explanation(stored, unit, tuple(stored_view(stored, unit)), tuple(notes), False)
    diff = differences(stored, derived)
    if not diff:
        return Explanation(stored, unit, tuple(view), tuple(notes), True)
    notes.append("the current rules clean this dump differently from the run that loaded it ("
                 + "; ".join(diff) + "): showing the stored rows; lines they do not cover are unrecorded")
    return Explanation(stored, unit, tuple(stored_view(stored, unit, dump_lines)), tuple(notes), False)


def _rerun(doc: Document, html: bool, rules: Rules,
           quarantined: dict[str, str]) -> tuple[Document, list[ViewLine], list[str]]:
    """The cleaning run again on a dump: the document as the flow would stage it, its view, and its lines."""
    if html:
        rendered = render_lines(doc.html or "")
        ext = extract_html(doc.html or "", doc.url, rules)
        article = build_html_article(doc, ext, rules) if ext is not None else None
        derived = doc.replace(articles=(article,) if article else (),
                              lines=removed_html_blocks(ext) if ext is not None else ())
        view = html_view(rendered, article, ext.removed if ext else (), ext.removed_blocks if ext else (),
                         quarantined)
        return derived, view, rendered
    derived = process_document(doc, rules)
    return derived, text_view(doc.text or "", derived.lines, derived.articles, quarantined), (
        doc.text or "").split("\n")


def explain(warehouse: str | Path, key: str, rules: Rules, inbox: str | Path | None = None) -> Explanation:
    """Explain the document a source_file or article_id names, reading the warehouse read-only."""
    con = connect(warehouse, read_only=True)
    try:
        stored = load_stored(con, key)
    finally:
        con.close()
    doc, note = read_source(stored, inbox)
    return explain_document(stored, doc, rules, note)


def counts(expl: Explanation) -> Counter:
    """Lines per status, and removed lines per reason (`removed:REASON`)."""
    out: Counter = Counter()
    for line in expl.lines:
        out[line.status] += 1
        if line.status == REMOVED:
            out[f"removed:{line.reason}"] += 1
    return out


def _printable(text: str) -> str:
    return "".join(ch if ch.isprintable() or ch == "\t" else "\ufffd" for ch in text)


def render_text(expl: Explanation) -> str:
    """The view as plain text: one dump line per line, numbered, marked with its status and reason."""
    s = expl.stored
    numbers = ("dump lines, 0-based as boilerplate.position and paragraphs.line_first" if expl.unit == LINE
               else "lines of the page's text rendering, as paragraphs.block")
    head = [f"{_printable(s.source_file)}  doc {s.doc_id[:16]}  {s.format}  {s.status}  (run {s.run_id})",
            f"numbers: {numbers}"]
    head += [f"article {a.position}  {a.article_id}  {a.state}{': ' + a.reason if a.reason else ''}  "
             f"{_printable(a.title or '(no title)')}" for a in s.articles]
    head.append("checked: the cleaning re-run on the dump matches the warehouse's rows" if expl.verified
                else "not checked against the dump: see the notes")
    head += [f"NOTE: {n}" for n in expl.notes]
    body = []
    article_no = {a.article_id: a.position for a in s.articles}
    for line in expl.lines:
        number = "-" if line.number is None else str(line.number)
        mark = "" if line.status == BLANK else line.status if line.reason is None else f"{line.status}: {line.reason}"
        if line.status in (KEPT, QUARANTINED) and line.article in article_no and len(article_no) > 1:
            mark += f" (article {article_no[line.article]})"
        body.append(f"{number:>5}  {mark:<34} | {_printable(line.text)}")
    c = counts(expl)
    summary = ", ".join(f"{k} {c[k]}" for k in (KEPT, REMOVED, CAPTIONED, FIELD, QUARANTINED, UNRECORDED) if c[k])
    return "\n".join([*head, "", *body, "", f"lines: {summary}"]) + "\n"


def reason_colours(expl: Explanation) -> dict[str, str]:
    """One colour per removal reason of the view (hues spread by the golden angle, in reason order)."""
    reasons = sorted({ln.reason for ln in expl.lines if ln.status == REMOVED and ln.reason})
    return {r: f"hsl({(i * 137.508) % 360:.0f} 65% 38%)" for i, r in enumerate(reasons)}


def render_html(expl: Explanation, generated_at: dt.datetime) -> str:
    """The view as one self-contained HTML page; every value from the data is escaped."""
    env = jinja2.Environment(
        loader=jinja2.FunctionLoader(
            lambda name: (resources.files("warehouse") / "templates" / name).read_text(encoding="utf-8")),
        autoescape=True, undefined=jinja2.StrictUndefined)
    return env.get_template("explain.html.j2").render(
        e=expl, s=expl.stored, colours=reason_colours(expl), counts=counts(expl), generated_at=generated_at,
        statuses=(KEPT, REMOVED, CAPTIONED, FIELD, QUARANTINED, UNRECORDED))


def page_name(stored: Stored) -> str:
    """A file name for a document's explain page: its source file made safe, and its doc_id's start."""
    slug = re.sub(r"[^A-Za-z0-9._-]+", "_", stored.source_file).strip("._")[-60:] or "dump"
    return f"{slug}-{stored.doc_id[:12]}.html"


def write_page(expl: Explanation, path: Path) -> Path:
    """Write an explain page (folders made as needed) and return its path."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_html(expl, dt.datetime.now(dt.UTC)), encoding="utf-8")
    return path
