"""Load, validate and compile the text-cleaning rules kept in transforms/rules/*.toml."""

from __future__ import annotations

import bisect
import dataclasses
import functools
import pathlib
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from transforms.html_vote import VoteRules, parse_vote_rules
from transforms.rulefiles import read_sections

try:  # CPython's own regex parser (private): finds the characters a rule can start with, and the line-local ones
    from re import _parser as _re_parser
except ImportError:  # without it every rule may start anywhere and is searched line by line: slower, same labels
    _re_parser = None

RULES_DIR = pathlib.Path(__file__).with_name("rules")
SNAKE_CASE = re.compile(r"[a-z][a-z0-9]*(_[a-z0-9]+)*")
ACTIONS = frozenset({"drop", "stop"})


class RulesError(ValueError):
    """A rules file is missing, malformed or inconsistent."""


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


@dataclass(frozen=True, slots=True)
class CreditRules:
    """Caption credit splitting (transforms/captions.py), compiled from the credit keys of [captions]."""

    tail: re.Pattern[str]  # a caption's text, then its credit: a parenthesis, or a ©/(c)/label and a few words
    leading: re.Pattern[str]  # the labels and copyright signs in front of a credit
    max_words: int  # the most words a labelled credit has
    paren_note: re.Pattern[str]  # a trailing parenthesis that places or qualifies the picture: no credit


@dataclass(frozen=True, slots=True)
class LineRule:
    """Lines matching any pattern (and no longer than max_words) are boilerplate with reason."""

    reason: str
    action: str  # "drop": this line only; "stop": this line ends the article stretch
    max_words: int
    pattern: Matcher


@dataclass(frozen=True, slots=True)
class BlockRule:
    """HTML post-cleaner: an extracted paragraph matching a pattern (at most max_words long, and among the
    last tail_paragraphs when that is > 0) is boilerplate with reason."""

    reason: str
    max_words: int
    tail_paragraphs: int
    pattern: Matcher


@dataclass(frozen=True, slots=True)
class Thresholds:
    """Numbers of the line classifier; each is documented where it is set in the TOML."""

    good_min_words: int
    good_min_stopword_density: float
    good_min_chars_cjk: int
    near_min_words: int
    near_min_stopword_density: float
    language_min_density: float
    weight_good: float
    weight_near: float
    weight_short: float
    weight_bad: float
    weight_cap_words: int
    grow_max_gap_lines: int
    header_window: int
    title_min_words: int
    title_max_words: int
    dek_max_words: int
    bio_tail_lines: int
    cjk_chars_per_word: float
    article_gap_blank_lines: int
    second_region_min_ratio: float
    link_max_density: float
    before_comments_min_ratio: float


@dataclass(frozen=True, slots=True)
class RepeatRules:
    """Batch-level evidence: lines repeated across the text dumps of one batch (see rules/repeats.toml)."""

    min_docs: int  # a line is repeated when it occurs in at least this many distinct dumps
    max_words: int  # longer lines are never collected (long prose is not template text)
    prose_min_words: int  # a repeated line this long that ends a sentence is prose and stays
    story_min_words: int  # lines this long identify a story (copies and syndicated versions share them)
    story_overlap_percent: int  # dumps sharing this share of their story lines tell one story
    story_max_copies: int  # a long line in more dumps than this is a stock paragraph, not a story


@dataclass(frozen=True, slots=True)
class Rules:
    """Immutable, compiled cleaning rules."""

    boilerplate_phrases: tuple[str, ...]
    line_rules: tuple[LineRule, ...]
    line_rules_max_words: int  # no line rule applies to a longer line
    line_rule_levels: tuple[int, ...]  # distinct max_words of the line rules, ascending
    line_rule_floating: tuple[re.Pattern[str] | None, ...]  # per level: union of the unanchored patterns
    # Per level (rules with max_words >= it): first character -> union of the anchored patterns that may start
    # with it; and the union of those that may start with any character (for the other first characters).
    line_rule_starts: tuple[Mapping[str, re.Pattern[str] | None], ...]
    line_rule_any_start: tuple[re.Pattern[str] | None, ...]
    line_rules_by_start: Mapping[str, tuple[LineRule, ...]]  # first character -> the rules that may match
    line_rules_any_start: tuple[LineRule, ...]  # the rules that may match a line starting with another character
    stopwords: Mapping[str, frozenset[str]]
    credit_only: Matcher
    credit_suffix: Matcher
    caption_max_words: int
    credits: CreditRules
    byline: Matcher
    date_tokens: frozenset[str]
    months: frozenset[str]
    date_max_other_words: int
    bio: Matcher
    bullets: str
    thresholds: Thresholds
    html_blocks: tuple[BlockRule, ...]  # transforms/html.py post-cleaner
    body_vote: VoteRules  # transforms/html_vote.py paragraph vote
    sources: tuple[str, ...]
    repeats: RepeatRules

    def match_line_rule(self, norm: str, words: int) -> LineRule | None:
        """First line rule (in file order) that applies to a normalised line of that many words."""
        if words > self.line_rules_max_words:
            return None
        level = bisect.bisect_left(self.line_rule_levels, words)  # only rules with max_words >= words apply
        anchored = self.line_rule_starts[level].get(norm[:1], self.line_rule_any_start[level])
        floating = self.line_rule_floating[level]
        if not ((anchored and anchored.match(norm)) or (floating and floating.search(norm))):
            return None  # two merged regexes rule out most lines before the per-rule loop
        for rule in self.line_rules_by_start.get(norm[:1], self.line_rules_any_start):
            if words <= rule.max_words and rule.pattern.search(norm):
                return rule
        return None

    def match_line_rules(self, norms: Sequence[str], words: Sequence[int]) -> list[LineRule | None]:
        """match_line_rule for every line of a page, once per distinct (line, word count)."""
        seen: dict[tuple[str, int], LineRule | None] = {}
        out: list[LineRule | None] = []
        for key in zip(norms, words, strict=True):
            if key in seen:
                out.append(seen[key])
            else:
                out.append(seen.setdefault(key, self.match_line_rule(*key)))
        return out


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


def _rules_by_start(rules: list[LineRule], starts: Mapping[str, frozenset[str] | None]) -> dict:
    """Per first character of a line, the line rules (in file order) that can match it: a rule whose patterns
    are all anchored and start with other characters is skipped without running its regex."""
    def may_start(rule: LineRule, char: str | None) -> bool:
        return rule.pattern.floating is not None or any(
            starts[p] is None or (char is not None and char in starts[p]) for p in _patterns(rule.pattern.anchored))
    chars = sorted(set().union(*(c for c in starts.values() if c)))
    by_char = {char: tuple(r for r in rules if may_start(r, char)) for char in chars}
    return {"line_rules_by_start": MappingProxyType(by_char),
            "line_rules_any_start": tuple(r for r in rules if may_start(r, None))}


def _fail(path: pathlib.Path, key: str, message: str) -> RulesError:
    return RulesError(f"{path.name}: [{key}] {message}")


def _check_keys(path: pathlib.Path, key: str, table: Any, allowed: set[str], required: set[str]) -> dict:
    if not isinstance(table, dict):
        raise _fail(path, key, f"must be a table, got {type(table).__name__}")
    unknown = set(table) - allowed
    if unknown:
        raise _fail(path, key, f"unknown key(s): {', '.join(sorted(unknown))}")
    missing = required - set(table)
    if missing:
        raise _fail(path, key, f"missing key(s): {', '.join(sorted(missing))}")
    return table


def _strings(path: pathlib.Path, key: str, value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not value:
        raise _fail(path, key, "must be a non-empty list of strings")
    if not all(isinstance(v, str) and v.strip() for v in value):
        raise _fail(path, key, "must contain only non-empty strings")
    return tuple(value)


def _integer(path: pathlib.Path, key: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise _fail(path, key, f"must be a non-negative integer, got {value!r}")
    return value


def _union(patterns: list[str], flags: int) -> re.Pattern[str] | None:
    return re.compile("|".join(f"(?:{p})" for p in patterns), flags) if patterns else None


def _compile(path: pathlib.Path, key: str, patterns: tuple[str, ...], flags: int = 0) -> Matcher:
    for pattern in patterns:
        try:
            re.compile(pattern, flags)
        except re.error as exc:
            raise _fail(path, key, f"regex {pattern!r} does not compile: {exc}") from exc
    anchored = [p[1:] for p in patterns if p.startswith("^") and "|" not in _top_level(p)]
    floating = [p for p in patterns if not (p.startswith("^") and "|" not in _top_level(p))]
    anchored_union, floating_union = _union(anchored, flags), _union(floating, flags)
    return Matcher(anchored_union, floating_union, _scan(anchored_union, floating_union))


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


def _parse_boilerplate(path: pathlib.Path, table: Any) -> dict:
    table = _check_keys(path, "boilerplate", table, {"phrases"}, {"phrases"})
    phrases = _strings(path, "boilerplate.phrases", table["phrases"])
    if any(p != p.lower() for p in phrases):
        raise _fail(path, "boilerplate.phrases", "phrases must be lower-case")
    return {"boilerplate_phrases": phrases}


def _rule_tables(path: pathlib.Path, name: str, value: Any, keys: set[str]) -> Iterator[tuple[str, dict, str]]:
    """(key, table, reason) of each table of a [[name]] array whose tables have exactly `keys`, one a reason."""
    if not isinstance(value, list) or not value:
        raise _fail(path, name, f"must be a non-empty array of tables ([[{name}]])")
    for index, table in enumerate(value):
        key = f"{name} #{index + 1}"
        table = _check_keys(path, key, table, keys, keys)
        reason = table["reason"]
        if not isinstance(reason, str) or not SNAKE_CASE.fullmatch(reason):
            raise _fail(path, f"{key}.reason", f"reason {reason!r} is not snake_case")
        yield key, table, reason


def _parse_line_rules(path: pathlib.Path, value: Any) -> dict:
    rules = []
    for key, table, reason in _rule_tables(path, "line_rules", value, {"reason", "action", "max_words", "patterns"}):
        if table["action"] not in ACTIONS:
            raise _fail(path, f"{key}.action", f"must be one of {sorted(ACTIONS)}, got {table['action']!r}")
        patterns = _strings(path, f"{key}.patterns", table["patterns"])
        rules.append(LineRule(reason, table["action"], _integer(path, f"{key}.max_words", table["max_words"]),
                              _compile(path, f"{key}.patterns", patterns)))
    levels = tuple(sorted({r.max_words for r in rules}))
    floating = tuple(_union([p for r in rules if r.max_words >= level for p in _patterns(r.pattern.floating)], 0)
                     for level in levels)
    starts = {p: _analyse(_first_chars, p, 0, None) for r in rules for p in _patterns(r.pattern.anchored)}
    buckets: dict[tuple[str, ...], re.Pattern[str] | None] = {}  # one compiled union per distinct pattern group

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
    return {"line_rules": tuple(rules), "line_rules_max_words": levels[-1], "line_rule_levels": levels,
            "line_rule_floating": floating, "line_rule_starts": tuple(by_level),
            "line_rule_any_start": tuple(wild_by_level), **_rules_by_start(rules, starts)}


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


def _parse_stopwords(path: pathlib.Path, table: Any) -> dict:
    if not isinstance(table, dict) or not table:
        raise _fail(path, "stopwords", "must be a non-empty table of language -> word list")
    lists = {}
    for lang, words in table.items():
        if not re.fullmatch(r"[a-z]{2,3}", lang):
            raise _fail(path, f"stopwords.{lang}", "language keys must be ISO 639 codes like 'en'")
        words = _strings(path, f"stopwords.{lang}", words)
        if any(w != w.lower() for w in words):
            raise _fail(path, f"stopwords.{lang}", "stopwords must be lower-case")
        lists[lang] = frozenset(words)
    return {"stopwords": MappingProxyType(lists)}


def _credit_rules(path: pathlib.Path, labels: tuple[str, ...], glued: tuple[str, ...], max_words: int,
                  notes: tuple[str, ...]) -> CreditRules:
    """Compile the credit labels into the splitter's two patterns (each label checked on its own first)."""
    for key, patterns, flags in (("credit_labels", labels, re.IGNORECASE), ("glued_credit_labels", glued, 0)):
        for pattern in patterns:
            try:
                empty = re.compile(pattern, flags).fullmatch("") is not None
            except re.error as exc:
                raise _fail(path, f"captions.{key}", f"regex {pattern!r} does not compile: {exc}") from exc
            if empty:
                raise _fail(path, f"captions.{key}", f"regex {pattern!r} matches the empty string")
    if max_words < 1:
        raise _fail(path, "captions.credit_max_words", "must be at least 1")
    # A label never right after a letter ("Symbolfoto:" is text), except a capitalised one glued to the last word.
    label = (r"(?:(?<![^\W\d_])(?i:" + "|".join(f"(?:{p})" for p in labels) + r")|(?<=[a-z])(?:"
             + "|".join(f"(?:{p})" for p in glued) + "))")
    sign = r"©|\([cC]\)|" + label
    tail = re.compile(r"(?P<text>.*?)[\s.,;:|–—-]*(?:\((?P<paren>[^()]{2,120})\)"
                      rf"|(?P<mark>(?:{sign})\s*\S+(?:\s+\S+){{0,{max_words - 1}}}))")
    if any(n != n.lower() for n in notes):
        raise _fail(path, "captions.paren_notes", "must be lower case")
    note = "|".join(re.escape(n) for n in sorted(notes, key=len, reverse=True))
    # the note's words, not followed by a credit mark inside the parenthesis ("(File photo/Reuters)" is a credit)
    paren_note = re.compile(rf"(?i:(?:{note}))(?![\w.-])(?![^/©]*(?:/|©|{label}))")
    return CreditRules(tail, re.compile(rf"(?:(?:{sign})\s*)+"), max_words, paren_note)


def _parse_captions(path: pathlib.Path, table: Any) -> dict:
    keys = {"credit_only", "credit_suffix", "max_words", "credit_labels", "glued_credit_labels", "credit_max_words",
            "paren_notes"}
    table = _check_keys(path, "captions", table, keys, keys)
    return {
        "credits": _credit_rules(path, _strings(path, "captions.credit_labels", table["credit_labels"]),
                                 _strings(path, "captions.glued_credit_labels", table["glued_credit_labels"]),
                                 _integer(path, "captions.credit_max_words", table["credit_max_words"]),
                                 _strings(path, "captions.paren_notes", table["paren_notes"])),
        "credit_only": _compile(path, "captions.credit_only",
                                _strings(path, "captions.credit_only", table["credit_only"])),
        "credit_suffix": _compile(path, "captions.credit_suffix",
                                  _strings(path, "captions.credit_suffix", table["credit_suffix"])),
        "caption_max_words": _integer(path, "captions.max_words", table["max_words"]),
    }


def _parse_header(path: pathlib.Path, table: Any) -> dict:
    keys = {"byline", "months", "date_words", "max_other_words"}
    table = _check_keys(path, "header", table, keys, keys)
    months = frozenset(_strings(path, "header.months", table["months"]))
    words = frozenset(_strings(path, "header.date_words", table["date_words"]))
    return {
        "byline": _compile(path, "header.byline", _strings(path, "header.byline", table["byline"])),
        "months": months,
        "date_tokens": months | words,
        "date_max_other_words": _integer(path, "header.max_other_words", table["max_other_words"]),
    }


def _parse_bio(path: pathlib.Path, table: Any) -> dict:
    table = _check_keys(path, "bio", table, {"patterns"}, {"patterns"})
    # Matched against the line as written: a bio starts with a capitalised name.
    return {"bio": _compile(path, "bio.patterns", _strings(path, "bio.patterns", table["patterns"]))}


def _parse_markers(path: pathlib.Path, table: Any) -> dict:
    table = _check_keys(path, "markers", table, {"bullets"}, {"bullets"})
    bullets = table["bullets"]
    if not isinstance(bullets, str) or not bullets.strip():
        raise _fail(path, "markers.bullets", "must be a non-empty string of bullet characters")
    return {"bullets": bullets}


def _parse_thresholds(path: pathlib.Path, table: Any) -> dict:
    fields = {f.name: f.type for f in dataclasses.fields(Thresholds)}
    table = _check_keys(path, "thresholds", table, set(fields), set(fields))
    values = {}
    for name, kind in fields.items():
        value = table[name]
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise _fail(path, f"thresholds.{name}", f"must be a number, got {value!r}")
        if kind == "int" and not isinstance(value, int):
            raise _fail(path, f"thresholds.{name}", f"must be an integer, got {value!r}")
        values[name] = value
    return {"thresholds": Thresholds(**values)}


def _parse_html_blocks(path: pathlib.Path, value: Any) -> dict:
    rules = []
    for key, table, reason in _rule_tables(path, "html_blocks", value,
                                           {"reason", "max_words", "tail_paragraphs", "patterns"}):
        patterns = _strings(path, f"{key}.patterns", table["patterns"])
        rules.append(BlockRule(reason, _integer(path, f"{key}.max_words", table["max_words"]),
                               _integer(path, f"{key}.tail_paragraphs", table["tail_paragraphs"]),
                               _compile(path, f"{key}.patterns", patterns)))
    return {"html_blocks": tuple(rules)}


def _parse_repeats(path: pathlib.Path, table: Any) -> dict:
    keys = {f.name for f in dataclasses.fields(RepeatRules)}
    table = _check_keys(path, "repeats", table, keys, keys)
    values = {k: _integer(path, f"repeats.{k}", table[k]) for k in sorted(keys)}
    if values["min_docs"] < 2:
        raise _fail(path, "repeats.min_docs", f"must be at least 2, got {values['min_docs']}")
    if not 1 <= values["story_overlap_percent"] <= 100:
        raise _fail(path, "repeats.story_overlap_percent", f"must be 1-100, got {values['story_overlap_percent']}")
    for key in ("story_min_words", "story_max_copies"):
        if values[key] < 2:
            raise _fail(path, f"repeats.{key}", f"must be at least 2, got {values[key]}")
    return {"repeats": RepeatRules(**values)}


SECTIONS: Mapping[str, Callable[[pathlib.Path, Any], dict]] = MappingProxyType({
    "boilerplate": _parse_boilerplate,
    "line_rules": _parse_line_rules,
    "stopwords": _parse_stopwords,
    "captions": _parse_captions,
    "header": _parse_header,
    "bio": _parse_bio,
    "markers": _parse_markers,
    "thresholds": _parse_thresholds,
    "repeats": _parse_repeats,
    "html_blocks": _parse_html_blocks,
    "body_vote": lambda path, table: {"body_vote": parse_vote_rules(table, lambda key, msg: _fail(path, key, msg))},
})


def _load(directory: pathlib.Path) -> Rules:
    parsed, names = read_sections(directory, SECTIONS, SECTIONS, RulesError, "rules")
    fields: dict[str, Any] = {}
    for section_fields in parsed.values():
        fields.update(section_fields)
    return Rules(sources=names, **fields)


@functools.cache
def _load_default() -> Rules:
    return _load(RULES_DIR)


def load_rules(directory: pathlib.Path | None = None) -> Rules:
    """Read, validate and compile every *.toml in the rules directory (default: transforms/rules)."""
    if directory is None:
        return _load_default()
    return _load(pathlib.Path(directory))
