"""Hard-wrapped dumps: a text browser wraps each paragraph at the width of its column, so one paragraph spans
several lines of one block; such lines are joined back into one line per paragraph (pure functions)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise


@dataclass(frozen=True, slots=True)
class WrapRules:
    """When a block of lines is one hard-wrapped paragraph or more (rules/structure.toml [wrapping])."""

    max_width: int  # a block with a longer line is left as it is (not a text browser's wrapping)
    min_lines: int  # blocks of fewer lines are left as they are
    min_words: int  # a wrapped line holds at least this many words (menus and lists do not)
    min_share: float  # the share of a block's line ends that must be wraps for the block to be unwrapped


def _first_word(line: str) -> str:
    parts = line.split(None, 1)
    return parts[0] if parts else ""


def _unwrap_block(block: Sequence[str], rules: WrapRules, bullets: str) -> Sequence[str]:
    """The lines of one block, each wrapped paragraph joined into one line."""
    if len(block) < rules.min_lines:
        return block
    block = [line.rstrip() for line in block]
    width = max(map(len, block))
    if width > rules.max_width:
        return block
    # A line ends in a wrap when the next line's first word would not have fitted on it (greedy wrapping).
    wraps = []
    for line, after in pairwise(block):
        word = _first_word(after)
        wraps.append(len(line) + 1 + len(word) > width and word[:1] not in bullets
                     and len(line.split()) >= rules.min_words)
    if sum(wraps) < rules.min_share * len(wraps):
        return block
    out = [block[0]]
    for wrapped, line in zip(wraps, block[1:], strict=True):
        if wrapped:
            out[-1] = f"{out[-1]} {line.strip()}"
        else:
            out.append(line)
    return out


def unwrap_lines(text: str, rules: WrapRules, bullets: str) -> str:
    """The dump with every hard-wrapped paragraph on one line; blocks that are not wrapped are unchanged.

    A block is a run of non-blank lines; `bullets` are the characters that start a list item (never a wrap)."""
    if "\n" not in text:
        return text
    out: list[str] = []
    block: list[str] = []
    for line in text.split("\n"):
        if line and not line.isspace():
            block.append(line)
            continue
        if block:
            out.extend(_unwrap_block(block, rules, bullets))
            block = []
        out.append(line)
    if block:
        out.extend(_unwrap_block(block, rules, bullets))
    return "\n".join(out)
