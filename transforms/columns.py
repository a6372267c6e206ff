"""Layout columns of a text-browser dump: a page whose layout table put its navigation, article and sidebar
side by side on each line is read column by column (pure functions)."""

from __future__ import annotations

import bisect
import re
from collections import Counter
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ColumnRules:
    """When a dump is laid out in columns, and where they start (rules/structure.toml [columns])."""

    gap: re.Pattern[str]  # the run of spaces between two columns of one line
    spaces: str  # the shortest such run, as text
    min_share: float  # the share of non-blank lines with a gap that makes the page columnar
    min_starts: int  # a column starts where at least this many pieces start ...
    min_start_share: float  # ... and at least this share of the non-blank lines


Piece = tuple[int, str]  # (start column, text) of one side-by-side piece of a line


def _pieces(line: str, gap: re.Pattern[str]) -> list[Piece]:
    out, pos = [], 0
    for m in (*gap.finditer(line), None):
        end = m.start() if m is not None else len(line)
        piece = line[pos:end]
        if piece.strip():
            out.append((pos + len(piece) - len(piece.lstrip()), piece.strip()))
        if m is not None:
            pos = m.end()
    return out


def split_columns(text: str, rules: ColumnRules) -> str:
    """The dump with its layout columns one after the other, left to right (each column's pieces in line order,
    a blank line where the column has none); the text unchanged when too few lines hold a column gap."""
    if rules.spaces not in text:
        return text
    lines = text.split("\n")
    nonblank = sum(1 for line in lines if line and not line.isspace())
    gapped = sum(1 for line in lines if rules.spaces in line.strip())  # a gap between two words of the line
    if not nonblank or gapped / nonblank < rules.min_share:
        return text  # not laid out in columns: the pieces are never built
    rows = [_pieces(line.rstrip(), rules.gap) for line in lines]
    starts = Counter(start for pieces in rows for start, _ in pieces)
    need = max(rules.min_starts, rules.min_start_share * nonblank)
    bounds = sorted({0} | {start for start, n in starts.items() if n >= need})
    columns: list[list[str]] = [[] for _ in bounds]
    for pieces in rows:
        used = set()
        for start, piece in pieces:
            k = bisect.bisect_right(bounds, start) - 1
            if k in used:  # a gap inside one column's text ("Posted by:    Jane"): the same line of it
                columns[k][-1] += " " + piece
            else:
                columns[k].append(piece)
                used.add(k)
        for k, column in enumerate(columns):
            if k not in used and column and column[-1]:
                column.append("")  # the column's paragraph ends here
    return "\n\n".join("\n".join(column).strip("\n") for column in columns if column)
