"""The one Rules object: load, validate and compile every rule file of transforms/rules/ and the fitted
models of transforms/models/ (cleaning, captions, metadata, quotes), once, at the start of a run."""

from __future__ import annotations

import dataclasses
import pathlib
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from transforms import meta_rules
from transforms.clusters import ClusterRules, parse_cluster_rules
from transforms.columns import ColumnRules
from transforms.html_vote import VoteRules, parse_vote_rules
from transforms.line_model import LineModel, ModelError, read_model
from transforms.meta_rules import AuthorRules, DateRules, QuoteRules, TextRules
from transforms.ranker_model import MODELS_DIR, RankerModel, load_ranker
from transforms.regex_index import LineRuleIndex, Matcher, compile_matcher, join_lines, matching_lines
from transforms.rulefiles import RulesError, read_sections
from transforms.wrapping import WrapRules

# Matcher, join_lines and matching_lines are re-exported for clean_text (they live in transforms.regex_index).
__all__ = ["BlockRule", "CreditRules", "LineRule", "Matcher", "RepeatRules", "Rules", "RulesError", "Thresholds",
           "join_lines", "load_rules", "matching_lines"]

RULES_DIR = pathlib.Path(__file__).with_name("rules")
LINE_MODEL_FILE = "line_model.json"
SNAKE_CASE = re.compile(r"[a-z][a-z0-9]*(_[a-z0-9]+)*")
ACTIONS = frozenset({"drop", "stop"})


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
class CommentRules:
    """Where a text dump's comment section starts (rules/structure.toml [comments])."""

    reply: Matcher  # a reply button, matched against the whole normalised line
    min_replies: int
    min_headers: int  # without reply buttons: commenter headers needed below a comment heading
    header_window: int
    header_max_words: int
    header_time: re.Pattern[str]
    train_headers: int  # without a heading either: dated commenter headers in a row that make a comment section
    train_header_max_words: int
    train_header_max_other_words: int  # a longer header counts when this many of its words at most are not its date
    train_max_gap: int  # lines from one of those headers to the next, at most
    train_max_days: int  # days between the dates of one train, at most (a timeline spans years)


@dataclass(frozen=True, slots=True)
class Rules:
    """Immutable, compiled rules of every stage (cleaning, captions, metadata, quotes) and the fitted ranker."""

    boilerplate_phrases: tuple[str, ...]
    line_rules: tuple[LineRule, ...]
    line_rules_max_words: int  # no line rule applies to a longer line
    line_index: LineRuleIndex[LineRule]  # the line rules bucketed for speed (transforms/regex_index.py)
    stopwords: Mapping[str, frozenset[str]]
    credit_only: Matcher
    credit_suffix: Matcher
    caption_max_words: int
    credits: CreditRules
    byline: Matcher
    date_tokens: frozenset[str]
    months: frozenset[str]  # the keys of [dates.months] (rules/dates.toml)
    date_max_other_words: int
    bio: Matcher
    bullets: str
    thresholds: Thresholds
    html_blocks: tuple[BlockRule, ...]  # transforms/html.py post-cleaner
    body_vote: VoteRules  # transforms/html_vote.py paragraph vote
    sources: tuple[str, ...]
    repeats: RepeatRules
    comments: CommentRules  # text dumps: where the comment section starts
    columns: ColumnRules  # text dumps: layout columns read one after the other
    wrapping: WrapRules  # text dumps: hard-wrapped paragraphs joined back
    authors: AuthorRules  # metadata: byline prefixes, roles, name checks (rules/authors.toml)
    dates: DateRules  # metadata: date labels, grammar, months, time zones (rules/dates.toml)
    text: TextRules  # metadata of text dumps: source lines, datelines, title separators (rules/text.toml)
    quotes: QuoteRules  # quotation marks and speech verbs (rules/quotes.toml)
    clusters: ClusterRules  # story clusters: shingles, MinHash, LSH bands, join threshold (rules/clusters.toml)
    ranker: RankerModel  # fitted weights of the text-dump candidate rankers (models/ranker.json)
    line_model: LineModel | None = None  # learned line classifier of text dumps (models/line_model.json)

    def match_line_rule(self, norm: str, words: int) -> LineRule | None:
        """First line rule (in file order) that applies to a normalised line of that many words."""
        return self.line_index.first_match(norm, words)

    def match_line_rules(self, norms: Sequence[str], words: Sequence[int]) -> list[LineRule | None]:
        """match_line_rule for every line of a page, once per distinct (line, word count)."""
        return self.line_index.first_matches(norms, words)


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


def _at_least(path: pathlib.Path, key: str, value: Any, low: int) -> int:
    number = _integer(path, key, value)
    if number < low:
        raise _fail(path, key, f"must be at least {low}, got {number}")
    return number


def _share(path: pathlib.Path, key: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 < value <= 1:
        raise _fail(path, key, f"must be a number in (0, 1], got {value!r}")
    return float(value)


def _compile(path: pathlib.Path, key: str, patterns: tuple[str, ...], flags: int = 0) -> Matcher:
    for pattern in patterns:
        try:
            re.compile(pattern, flags)
        except re.error as exc:
            raise _fail(path, key, f"regex {pattern!r} does not compile: {exc}") from exc
    return compile_matcher(patterns, flags)


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
    index = LineRuleIndex.build(tuple(rules))
    return {"line_rules": tuple(rules), "line_rules_max_words": index.max_words, "line_index": index}


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
    keys = {"byline", "date_words", "max_other_words"}
    table = _check_keys(path, "header", table, keys, keys)
    words = frozenset(_strings(path, "header.date_words", table["date_words"]))
    return {
        # compiled in _load, once the byline words of [authors] are known
        "byline_patterns": (path, _strings(path, "header.byline", table["byline"])),
        "date_words": words,  # with the month names of [dates.months]: the date tokens (see _load)
        "date_max_other_words": _integer(path, "header.max_other_words", table["max_other_words"]),
    }


BYLINE_SLOT = re.compile(r"\{byline:([a-z_]+)\}")


def _byline_matcher(path: pathlib.Path, patterns: tuple[str, ...], words: Mapping[str, frozenset[str]]) -> Matcher:
    """[header] byline with each {byline:<use>} replaced by the byline words of that use (longest first)."""
    def fill(slot: re.Match[str]) -> str:
        found = meta_rules.words_of_use(words, slot[1])
        if not found:
            raise _fail(path, "header.byline", f"{slot[0]}: no word of [authors.byline_words] has that use")
        return "|".join(re.escape(w) for w in sorted(found, key=len, reverse=True))

    return _compile(path, "header.byline", tuple(BYLINE_SLOT.sub(fill, pattern) for pattern in patterns))


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
    _at_least(path, "repeats.min_docs", values["min_docs"], 2)
    if not 1 <= values["story_overlap_percent"] <= 100:
        raise _fail(path, "repeats.story_overlap_percent", f"must be 1-100, got {values['story_overlap_percent']}")
    for key in ("story_min_words", "story_max_copies"):
        _at_least(path, f"repeats.{key}", values[key], 2)
    return {"repeats": RepeatRules(**values)}


def _parse_comments(path: pathlib.Path, table: Any) -> dict:
    keys = {"reply", "min_replies", "min_headers", "header_window", "header_max_words", "header_time",
            "train_headers", "train_header_max_words", "train_header_max_other_words", "train_max_gap",
            "train_max_days"}
    table = _check_keys(path, "comments", table, keys, keys)
    time = table["header_time"]
    if not isinstance(time, str) or not time:
        raise _fail(path, "comments.header_time", "must be a non-empty regex string")
    try:
        header_time = re.compile(time)
    except re.error as exc:
        raise _fail(path, "comments.header_time", f"regex {time!r} does not compile: {exc}") from exc
    min_replies = _at_least(path, "comments.min_replies", table["min_replies"], 1)
    min_headers = _at_least(path, "comments.min_headers", table["min_headers"], 1)
    return {"comments": CommentRules(
        reply=_compile(path, "comments.reply", _strings(path, "comments.reply", table["reply"])),
        min_replies=min_replies,
        min_headers=min_headers,
        header_window=_integer(path, "comments.header_window", table["header_window"]),
        header_max_words=_integer(path, "comments.header_max_words", table["header_max_words"]),
        header_time=header_time,
        train_headers=_at_least(path, "comments.train_headers", table["train_headers"], 2),
        train_header_max_words=_at_least(path, "comments.train_header_max_words", table["train_header_max_words"], 1),
        train_header_max_other_words=_integer(path, "comments.train_header_max_other_words",
                                              table["train_header_max_other_words"]),
        train_max_gap=_at_least(path, "comments.train_max_gap", table["train_max_gap"], 2),
        train_max_days=_integer(path, "comments.train_max_days", table["train_max_days"]),
    )}


def _parse_columns(path: pathlib.Path, table: Any) -> dict:
    keys = {"gap_spaces", "min_share", "min_starts", "min_start_share"}
    table = _check_keys(path, "columns", table, keys, keys)
    gap = _at_least(path, "columns.gap_spaces", table["gap_spaces"], 2)
    shares = {key: _share(path, f"columns.{key}", table[key]) for key in ("min_share", "min_start_share")}
    return {"columns": ColumnRules(gap=re.compile(f" {{{gap},}}"), spaces=" " * gap, min_starts=_integer(
        path, "columns.min_starts", table["min_starts"]), **shares)}


def _parse_wrapping(path: pathlib.Path, table: Any) -> dict:
    keys = {"max_width", "min_lines", "min_words", "min_share"}
    table = _check_keys(path, "wrapping", table, keys, keys)
    numbers = {k: _at_least(path, f"wrapping.{k}", table[k], 1) for k in ("max_width", "min_lines", "min_words")}
    return {"wrapping": WrapRules(min_share=_share(path, "wrapping.min_share", table["min_share"]), **numbers)}


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
    "comments": _parse_comments,
    "columns": _parse_columns,
    "wrapping": _parse_wrapping,
    "html_blocks": _parse_html_blocks,
    **meta_rules.SECTIONS,
    "body_vote": lambda path, table: {"body_vote": parse_vote_rules(table, lambda key, msg: _fail(path, key, msg))},
    "clusters": lambda path, table: {"clusters": parse_cluster_rules(table, lambda key, msg: _fail(path, key, msg))},
})


def _load(directory: pathlib.Path, models: pathlib.Path) -> Rules:
    parsed, names = read_sections(directory, SECTIONS, SECTIONS, RulesError, "rules")
    fields: dict[str, Any] = {}
    for section_fields in parsed.values():
        fields.update(section_fields)
    # Month names live once, in [dates.months] (name -> number); the line classifier needs only the names.
    months = frozenset(fields["dates"].months)
    fields["date_tokens"] = months | fields.pop("date_words")
    fields["byline"] = _byline_matcher(*fields.pop("byline_patterns"), fields["authors"].byline_words)
    ranker = load_ranker(models)
    try:
        line_model = read_model(models / LINE_MODEL_FILE)
    except ModelError as exc:
        raise RulesError(str(exc)) from exc
    return Rules(sources=names, ranker=ranker, months=months, line_model=line_model, **fields)


def load_rules(directory: pathlib.Path | None = None, models: pathlib.Path | None = None) -> Rules:
    """Read, validate and compile every *.toml of the rules tree (default: transforms/rules) and the model
    files (default: transforms/models), anew on every call (callers load once and pass the Rules on);
    RulesError names the file when one is missing or broken."""
    return _load(pathlib.Path(directory or RULES_DIR), pathlib.Path(models or MODELS_DIR))
