"""Regex speed-ups for rule sets, decided once when the rules are compiled (no effect on which rule matches).

- Matcher: a rule's patterns as two unions, anchored ones tried with match(), the rest with search(), plus
  MULTILINE scans that find every matching line of a page in one pass (when the patterns are line-local);
- LineRuleIndex: the cleaner's line rules bucketed by word limit and by the first character a match can start
  with, so that most lines are ruled out by two merged regexes before any rule is tried on its own.

Both analyses read CPython's private regex parser (re._parser); without it every rule is tried the slow way
and gives the same labels.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, Generic, Protocol, TypeVar

try:  # CPython's own regex parser (private): finds the characters a rule can start with, and the line-local ones
    from re import _parser as _re_parser
except ImportError:  # without it every rule may start anywhere and is searched line by line: slower, same labels
    _re_parser = None

@dataclass(frozen=True, slots=True)
class Matcher:
    """A set of regexes: those anchored with ^ are tried with match() (fast), the rest with search()."""

    anchored: re.Pattern[str] | None
    floating: re.Pattern[str] | None
    scan: tuple[re.Pattern[str], ...] | None = None  # the unions for newline-joined lines (None: not line-local)

    def search(self, text: str) -> bool:
        """True if any of the regexes is found in text."""
        return bool((self.anchored and self.anchored.match(text)) or (self.floating and self.floating.search(text)))

    def candidates(self, lines: Sequence[str], joined: str | None = None,
                   starts: Sequence[int] | None = None) -> set[int]:
        """Indices of the lines search() may be true on (a superset, found by one scan of the joined lines)."""
        if self.scan is None:
            return {i for i, line in enumerate(lines) if self.search(line)}
        if joined is None or starts is None:
            joined, starts = join_lines(lines)
        return set().union(*(matching_lines(scan, joined, starts) for scan in self.scan))

def join_lines(lines: Sequence[str]) -> tuple[str, list[int]]:
    """The lines each preceded by a newline, and the offset of the newline before each line."""
    starts, offset = [], 0
    for line in lines:
        starts.append(offset)
        offset += len(line) + 1
    return "\n" + "\n".join(lines), starts


def matching_lines(scan: re.Pattern[str], joined: str, starts: Sequence[int]) -> set[int]:
    """Indices of the joined lines in which a (multi-line) scan pattern finds a match, one search per hit line."""
    hits: set[int] = set()
    search, last, pos = scan.search, len(starts) - 1, 0
    while (m := search(joined, pos)) is not None:
        line = bisect.bisect_right(starts, m.start()) - 1
        hits.add(line)
        if line >= last:
            break
        pos = starts[line + 1]
    return hits


# Regex nodes whose result on a line could change when the line is searched inside newline-joined text.
_NOT_LINE_LOCAL = frozenset({"ASSERT_NOT", "ATOMIC_GROUP", "POSSESSIVE_REPEAT", "AT_BEGINNING_STRING",
                             "AT_END_STRING"})


def _line_local(items: Any) -> bool:
    """True if every match of a parsed regex in a line is also found at the same place when the line is
    searched inside newline-joined text with re.MULTILINE (no negative lookaround, \\A, \\Z, atomic groups)."""
    for op, av in items:
        name = str(op)
        if name in _NOT_LINE_LOCAL or (name == "AT" and str(av) in _NOT_LINE_LOCAL):
            return False
        if name == "SUBPATTERN":
            subs = [av[-1]]
        elif name == "BRANCH":
            subs = av[1]
        elif name in ("MAX_REPEAT", "MIN_REPEAT", "ASSERT"):
            subs = [av[-1]]
        elif name == "GROUPREF_EXISTS":
            subs = [s for s in av[1:] if s is not None]
        else:
            continue
        if not all(_line_local(sub) for sub in subs):
            return False
    return True


def _scan(anchored: re.Pattern[str] | None, floating: re.Pattern[str] | None) -> tuple[re.Pattern[str], ...] | None:
    """MULTILINE patterns finding, in newline-joined lines, every line anchored.match or floating.search accepts
    (None when a pattern is not line-local). The anchored one starts with the newline before a line (a literal
    the engine jumps to); kept apart from the floating one, which the engine skips ahead on its first characters."""
    parts = [p for p in (anchored, floating) if p is not None]
    if not parts or not all(_analyse(_line_local, p.pattern, p.flags, False) for p in parts):
        return None
    scans = ([re.compile(f"\\n(?:{anchored.pattern})", anchored.flags | re.MULTILINE)] if anchored else []) + (
        [re.compile(floating.pattern, floating.flags | re.MULTILINE)] if floating else [])
    return tuple(scans)


def _rules_by_start(rules: list[R], starts: Mapping[str, frozenset[str] | None]
                    ) -> tuple[Mapping[str, tuple[R, ...]], tuple[R, ...]]:
    """Per first character of a line, the line rules (in file order) that can match it: a rule whose patterns
    are all anchored and start with other characters is skipped without running its regex."""
    def may_start(rule: R, char: str | None) -> bool:
        return rule.pattern.floating is not None or any(
            starts[p] is None or (char is not None and char in starts[p]) for p in _patterns(rule.pattern.anchored))
    chars = sorted(set().union(*(c for c in starts.values() if c)))
    by_char = {char: tuple(r for r in rules if may_start(r, char)) for char in chars}
    return MappingProxyType(by_char), tuple(r for r in rules if may_start(r, None))

def _union(patterns: list[str], flags: int) -> re.Pattern[str] | None:
    return re.compile("|".join(f"(?:{p})" for p in patterns), flags) if patterns else None


def _top_level_chars(pattern: str) -> Iterator[tuple[int, str]]:
    """(index, character) of each character outside any group, character class or escape."""
    depth, in_class, escaped = 0, False, False
    for i, ch in enumerate(pattern):
        if escaped:
            escaped = False
        elif ch == "\\":
            escaped = True
        elif in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif depth == 0:
            yield i, ch


def _top_level(pattern: str) -> str:
    """The pattern with bracketed groups and classes removed, to see top-level alternation."""
    return "".join(ch for _i, ch in _top_level_chars(pattern))


def _patterns(union: re.Pattern[str] | None) -> list[str]:
    """The alternatives of a union built by _union (its source, split back into the original patterns)."""
    return [] if union is None else [p for p, _ in _split_union(union.pattern)]


def _split_union(source: str) -> list[tuple[str, int]]:
    """Split '(?:a)|(?:b)' into its top-level alternatives, unwrapping the (?:...) around each."""
    parts, start = [], 0
    for i, ch in _top_level_chars(source):
        if ch == "|":
            parts.append((source[start + 3:i - 1], start))
            start = i + 1
    parts.append((source[start + 3:-1], start))
    return parts


def _analyse(analysis: Callable[[Any], Any], pattern: str, flags: int, unknown: Any) -> Any:
    """analysis(parse tree of pattern), or `unknown` (the safe answer) when the parser is missing or has changed."""
    if _re_parser is None:
        return unknown
    try:
        return analysis(_re_parser.parse(pattern, flags))
    except (AttributeError, TypeError, ValueError, IndexError, re.error):
        return unknown


def _first_chars(items: Any) -> frozenset[str] | None:
    """Characters a match of a parsed regex can start with; None when it may start with any (or be empty)."""
    chars, nullable = _first(items)
    return None if chars is None or nullable else chars


def _first(items: Any) -> tuple[frozenset[str] | None, bool]:
    """First characters of a parsed regex sequence (None: any) and whether it can match the empty string."""
    chars: set[str] = set()
    for op, av in items:
        name = str(op)
        if name == "LITERAL":
            return frozenset(chars | {chr(av)}), False
        if name == "IN":
            if any(str(o) not in ("LITERAL", "RANGE") or (str(o) == "RANGE" and v[1] - v[0] > 64) for o, v in av):
                return None, False
            for o, v in av:
                chars.update([chr(v)] if str(o) == "LITERAL" else map(chr, range(v[0], v[1] + 1)))
            return frozenset(chars), False
        if name == "AT":
            continue
        if name == "SUBPATTERN":
            sub, nullable = _first(av[-1])
        elif name == "BRANCH":
            alts = [_first(alt) for alt in av[1]]
            if any(a is None for a, _ in alts):
                return None, False
            sub, nullable = frozenset().union(*(a for a, _ in alts)), any(n for _, n in alts)
        elif name in ("MAX_REPEAT", "MIN_REPEAT"):
            sub, nullable = _first(av[2])
            nullable = nullable or av[0] == 0
        else:
            return None, False
        if sub is None:
            return None, False
        chars |= sub
        if not nullable:
            return frozenset(chars), False
    return frozenset(chars), True



def compile_matcher(patterns: Sequence[str], flags: int = 0) -> Matcher:
    """The Matcher of a list of (valid) regexes: those starting with ^ and no top-level | are anchored."""
    anchored = [p[1:] for p in patterns if p.startswith("^") and "|" not in _top_level(p)]
    floating = [p for p in patterns if not (p.startswith("^") and "|" not in _top_level(p))]
    anchored_union, floating_union = _union(anchored, flags), _union(floating, flags)
    return Matcher(anchored_union, floating_union, _scan(anchored_union, floating_union))


class _Rule(Protocol):
    max_words: int
    pattern: Matcher


R = TypeVar("R", bound=_Rule)


@dataclass(frozen=True, slots=True)
class LineRuleIndex(Generic[R]):
    """Rules (each a Matcher and a word limit) bucketed so that first_match finds the first rule in order."""

    max_words: int  # no rule applies to a longer line
    levels: tuple[int, ...]  # distinct max_words of the rules, ascending
    floating: tuple[re.Pattern[str] | None, ...]  # per level: union of the unanchored patterns
    # Per level (rules with max_words >= it): first character -> union of the anchored patterns that may start
    # with it; and the union of those that may start with any character (for the other first characters).
    starts: tuple[Mapping[str, re.Pattern[str] | None], ...]
    any_start: tuple[re.Pattern[str] | None, ...]
    by_start: Mapping[str, tuple[R, ...]]  # first character -> the rules that may match
    any_start_rules: tuple[R, ...]  # the rules that may match a line starting with another character

    @classmethod
    def build(cls, rules: Sequence[R]) -> LineRuleIndex[R]:
        """Index a non-empty list of rules (kept in their order)."""
        levels = tuple(sorted({r.max_words for r in rules}))
        floating = tuple(_union([p for r in rules if r.max_words >= level for p in _patterns(r.pattern.floating)], 0)
                         for level in levels)
        starts = {p: _analyse(_first_chars, p, 0, None) for r in rules for p in _patterns(r.pattern.anchored)}
        buckets: dict[tuple[str, ...], re.Pattern[str] | None] = {}  # one compiled union per distinct group

        def union(group: tuple[str, ...]) -> re.Pattern[str] | None:
            return buckets[group] if group in buckets else buckets.setdefault(group, _union(list(group), 0))

        by_level, wild_by_level = [], []
        for level in levels:
            anchored = [p for r in rules if r.max_words >= level for p in _patterns(r.pattern.anchored)]
            wild = tuple(p for p in anchored if starts[p] is None)
            chars = sorted(set().union(*(starts[p] for p in anchored if starts[p])))
            by_level.append(MappingProxyType(
                {c: union(tuple(p for p in anchored if starts[p] is None or c in starts[p])) for c in chars}))
            wild_by_level.append(union(wild))
        by_start, any_start_rules = _rules_by_start(list(rules), starts)
        return cls(levels[-1], levels, floating, tuple(by_level), tuple(wild_by_level), by_start, any_start_rules)

    def first_match(self, norm: str, words: int) -> R | None:
        """First rule (in order) that applies to a normalised line of that many words."""
        if words > self.max_words:
            return None
        level = bisect.bisect_left(self.levels, words)  # only rules with max_words >= words apply
        anchored = self.starts[level].get(norm[:1], self.any_start[level])
        floating = self.floating[level]
        if not ((anchored and anchored.match(norm)) or (floating and floating.search(norm))):
            return None  # two merged regexes rule out most lines before the per-rule loop
        for rule in self.by_start.get(norm[:1], self.any_start_rules):
            if words <= rule.max_words and rule.pattern.search(norm):
                return rule
        return None

    def first_matches(self, norms: Sequence[str], words: Sequence[int]) -> list[R | None]:
        """first_match for every line of a page, once per distinct (line, word count)."""
        seen: dict[tuple[str, int], R | None] = {}
        out: list[R | None] = []
        for key in zip(norms, words, strict=True):
            if key in seen:
                out.append(seen[key])
            else:
                out.append(seen.setdefault(key, self.first_match(*key)))
        return out
