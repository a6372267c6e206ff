"""The record types that flow between Broadsheet's stages."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from dataclasses import dataclass, field

# Labels a cleaned line can carry. Everything except BOILERPLATE is kept as data.
TITLE = "title"
SUBTITLE = "subtitle"
BYLINE = "byline"
DATE = "date"
CAPTION = "caption"
BODY = "body"
BOILERPLATE = "boilerplate"
LABELS = frozenset({TITLE, SUBTITLE, BYLINE, DATE, CAPTION, BODY, BOILERPLATE})

# Rejection reason of a dump whose bytes were already read (in this run or an earlier one).
DUPLICATE_REASON = "duplicate_content"


@dataclass(frozen=True, slots=True)
class Line:
    """One non-blank line of a dump with its label; boilerplate lines carry a snake_case reason."""

    position: int
    text: str
    label: str
    reason: str | None = None
    block: int = 0  # index of the blank-line separated block the line belongs to

    def __post_init__(self) -> None:
        if self.label not in LABELS:
            raise ValueError(f"unknown line label {self.label!r}")
        if self.label == BOILERPLATE and not self.reason:
            raise ValueError("a boilerplate line needs a reason")


_NEW = object.__new__
_SET_POSITION, _SET_TEXT, _SET_LABEL, _SET_REASON, _SET_BLOCK = (
    Line.__dict__[name].__set__ for name in ("position", "text", "label", "reason", "block"))


def trusted_line(position: int, text: str, label: str, reason: str | None, block: int) -> Line:
    """A Line built without __init__'s validation: only for callers whose label and reason are known valid."""
    line = _NEW(Line)
    _SET_POSITION(line, position)
    _SET_TEXT(line, text)
    _SET_LABEL(line, label)
    _SET_REASON(line, reason)
    _SET_BLOCK(line, block)
    return line


@dataclass(frozen=True, slots=True)
class Caption:
    """An image caption with its credit split out."""

    text: str
    credit: str | None = None


@dataclass(frozen=True, slots=True)
class Quote:
    """A direct quotation: its text, speaker (None when unsure), paragraph index and character span."""

    text: str
    speaker: str | None
    paragraph: int
    start: int
    end: int
    attribution: str | None = None  # after / before / pronoun / continued / sentence / None


@dataclass(frozen=True, slots=True)
class ParagraphSource:
    """Where one body paragraph came from: lines line_first..line_last of a text dump (numbered as Line.position,
    0-based, like boilerplate.position), or `block`, the index of the line of an HTML page's text rendering
    (html_body.render_lines) it is; None where not known (an HTML fallback paragraph the rendering lacks)."""

    line_first: int | None = None
    line_last: int | None = None
    block: int | None = None


@dataclass(frozen=True, slots=True)
class Article:
    """One extracted article."""

    article_id: str
    doc_id: str
    source_file: str
    position: int
    title: str | None
    subtitle: str | None
    authors: tuple[str, ...]
    published: dt.date | None
    published_raw: str | None
    site: str | None
    url: str | None
    language: str | None
    paragraphs: tuple[str, ...]
    captions: tuple[Caption, ...] = ()
    quotes: tuple[Quote, ...] = ()
    dateline: str | None = None
    domain: str | None = None
    sources: tuple[ParagraphSource, ...] = ()  # one per paragraph, in order (empty: not recorded)

    @property
    def body(self) -> str:
        """Clean body text, paragraphs separated by a blank line."""
        return "\n\n".join(self.paragraphs)

    @property
    def word_count(self) -> int:
        """Number of whitespace-separated words in the body."""
        return sum(len(p.split()) for p in self.paragraphs)


@dataclass(frozen=True, slots=True)
class Rejection:
    """Why a document (or one of its articles) did not make it to the warehouse."""

    stage: str  # read / clean / extract / validate / load
    reason: str  # snake_case
    detail: str = ""


@dataclass(frozen=True, slots=True)
class Document:
    """One raw dump (or one line of a .jsonl file) and everything derived from it."""

    doc_id: str
    source_file: str
    format: str
    nbytes: int
    file_sha256: str
    ingested_at: dt.datetime
    encoding: str | None = None
    text: str | None = None  # decoded plain text (txt input) or text of a jsonl record
    html: str | None = None  # decoded HTML (html input or jsonl "html")
    url: str | None = None
    lines: tuple[Line, ...] = ()
    articles: tuple[Article, ...] = ()
    rejection: Rejection | None = None
    meta: dict[str, str] = field(default_factory=dict)

    def replace(self, **changes: object) -> Document:
        """Return a copy with some fields changed."""
        return dataclasses.replace(self, **changes)

    def reject(self, stage: str, reason: str, detail: str = "") -> Document:
        """Return a copy marked as rejected at a stage with a snake_case reason."""
        return self.replace(rejection=Rejection(stage, reason, detail))


def sha256_hex(data: bytes) -> str:
    """Hex sha256 of some bytes."""
    return hashlib.sha256(data).hexdigest()


def make_article_id(doc_id: str, position: int) -> str:
    """Stable article id: the same dump and position give the same id on every run."""
    return sha256_hex(f"{doc_id}:{position}".encode())[:32]
