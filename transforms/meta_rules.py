"""Section parsers of the rules tree for metadata and quotes: [authors], [dates], [text] and [quotes]."""

from __future__ import annotations

import dataclasses
import pathlib
import re
import zoneinfo
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from transforms.rulefiles import RulesError

# What a byline word of [authors.byline_words] may do (rules/authors.toml documents each use).
BYLINE_USES = frozenset({"line", "label", "prefix", "mark", "plain_mark", "leading", "trailing", "role", "not_author",
                         "newsroom"})
# Where a byline mark may stand inside a line besides its start: after a space or one of these separators.
MARK_SEPARATORS = r"[\s|·•,(]"


@dataclass(frozen=True, slots=True)
class AuthorRules:
    """Byline words, prefixes, role words and separators used to find bylines and clean author names."""

    prefix: re.Pattern[str]  # the "prefix" byline words at the start of a byline
    mark_at_start: re.Pattern[str]  # a "mark" byline word ("Von", "Text:") at the start of a line
    mark_after_separator: re.Pattern[str]  # the same after a separator ("Foto: X | Text: Y")
    byline_words: Mapping[str, frozenset[str]]  # word -> its uses ([authors.byline_words])
    plain_marks: frozenset[str]  # marks that are a bare preposition before the name ("von", "by")
    roles: frozenset[str]
    not_names: frozenset[str]
    separator: re.Pattern[str]
    max_name_words: int
    first_names: frozenset[str] = frozenset()
    comment_verbs: frozenset[str] = frozenset()
    trailing_words: frozenset[str] = frozenset()
    leading: re.Pattern[str] | None = None
    not_authors: frozenset[str] = frozenset()
    org_words: frozenset[str] = frozenset()
    newsroom: frozenset[str] = frozenset()
    # Words an HTML-to-text copy glued to a name: a plain mark in front ("ByJane Doe", "vonJane Doe") and a
    # one-word role behind ("Jane DoeStaff Writer", "Jane DoeFollow"); the name's own capital is checked in code.
    glued_mark: re.Pattern[str] | None = None
    glued_role: re.Pattern[str] | None = None


@dataclass(frozen=True, slots=True)
class DateForm:
    """The group names of one form of the date grammar (each form's groups are numbered apart in the pattern)."""

    year: str
    day: str
    month: str | None  # the month's number, or
    name: str | None  # its name


@dataclass(frozen=True, slots=True)
class DateRules:
    """Date labels and the date grammar (its forms, [dates] digit_forms and name_forms) searched in lines."""

    label: re.Pattern[str]
    pattern: re.Pattern[str]  # the whole grammar: any form, never right after a digit
    forms: tuple[DateForm, ...]  # in pattern order
    name_start: re.Pattern[str]  # where a name form starts (the forms in `pattern` are matched there)
    name_hint: re.Pattern[str]  # a part every name form holds
    min_year: int
    max_year: int
    months: dict[str, int]
    timezones: dict[str, zoneinfo.ZoneInfo] = dataclasses.field(default_factory=dict)  # key -> the site's zone
    headline: HeadlineDateRules | None = None  # HTML pages: the date shown next to the headline


@dataclass(frozen=True, slots=True)
class HeadlineDateRules:
    """HTML pages: where and how the visible date line next to the headline is looked for ([dates.headline])."""

    before: int  # lines above the headline searched
    after: int  # lines below it
    max_words: int  # longer lines count only when they start with the date (a dateline)
    published: re.Pattern[str]  # a label before the date that says it is the publication date
    ignore: re.Pattern[str]  # a label before the date that says it is no article date ("Registriert:")
    relative: re.Pattern[str]  # a relative date ("vor 4 Monaten"): the page's date line, but unreadable
    hidden_classes: frozenset[str]  # class tokens of elements a browser does not show


@dataclass(frozen=True, slots=True)
class TextRules:
    """Page-level patterns of text dumps."""

    source_line: re.Pattern[str]
    dateline: re.Pattern[str]
    window_before: int
    window_after: int
    title_separators: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class QuoteRules:
    """Quotation marks, speech verbs, pronouns and title words for quote attribution."""

    pairs: tuple[tuple[str, str], ...]
    verbs: frozenset[str]
    pronouns: frozenset[str]
    titles: frozenset[str]
    scare_max_words: int


def _fail(path: pathlib.Path, where: str, why: str) -> RulesError:
    return RulesError(f"{path.name}: [{where}]: {why}")


def _strings(path: pathlib.Path, section: str, table: dict[str, Any], key: str) -> list[str]:
    value = table.get(key)
    if not isinstance(value, list) or not value or not all(isinstance(v, str) and v for v in value):
        raise _fail(path, section, f"'{key}' must be a non-empty list of non-empty strings")
    return value


def _int(path: pathlib.Path, section: str, table: dict[str, Any], key: str) -> int:
    value = table.get(key)
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise _fail(path, section, f"'{key}' must be a non-negative integer")
    return value


def _regex(path: pathlib.Path, section: str, key: str, source: str, flags: int = 0) -> re.Pattern[str]:
    try:
        return re.compile(source, flags)
    except re.error as exc:
        raise _fail(path, section, f"'{key}' is not a valid regex: {exc}") from exc


def _alternation(items: list[str]) -> str:
    return "|".join(re.escape(s) for s in sorted(items, key=len, reverse=True))


def _byline_words(path: pathlib.Path, t: dict[str, Any]) -> Mapping[str, frozenset[str]]:
    """[authors.byline_words]: lower-case word -> a non-empty list of its uses (BYLINE_USES)."""
    table = t.get("byline_words")
    where = "authors.byline_words"
    if not isinstance(table, dict) or not table:
        raise _fail(path, where, "must be a table of word = [uses]")
    out = {}
    for word, uses in table.items():
        if not word.strip() or word != word.lower():
            raise _fail(path, where, f"{word!r}: byline words are non-empty and lower case")
        if not isinstance(uses, list) or not uses or not all(isinstance(u, str) for u in uses):
            raise _fail(path, where, f"{word!r} must name a non-empty list of uses")
        unknown = sorted(set(uses) - BYLINE_USES)
        if unknown:
            raise _fail(path, where, f"{word!r}: unknown use(s) {', '.join(unknown)}; expected {sorted(BYLINE_USES)}")
        out[word] = frozenset(uses)
    return MappingProxyType(out)


def words_of_use(words: Mapping[str, frozenset[str]], use: str) -> list[str]:
    """The byline words of one use, in file order."""
    return [word for word, uses in words.items() if use in uses]


def _authors(path: pathlib.Path, t: dict[str, Any]) -> AuthorRules:
    words = _byline_words(path, t)

    def of_use(use: str) -> list[str]:
        return words_of_use(words, use)

    for needed in ("prefix", "mark"):
        if not of_use(needed):
            raise _fail(path, "authors.byline_words", f"no word has the use {needed!r}")
    prefix = _regex(path, "authors", "byline_words", rf"^\s*(?:{_alternation(of_use('prefix'))})(?:\s*:\s*|\s+)",
                    re.I)
    mark = rf"(?P<mark>{_alternation(of_use('mark'))})(?:\s*:\s*|\s+)(?=\S)"
    leading = of_use("leading")
    seps = _strings(path, "authors", t, "separators")
    roles = frozenset(s.lower() for s in _strings(path, "authors", t, "roles")) | frozenset(of_use("role"))
    plain = of_use("plain_mark")
    word_roles = [r.capitalize() for r in roles if r.isalpha() and len(r) >= 4]
    return AuthorRules(
        prefix=prefix,
        mark_at_start=_regex(path, "authors", "byline_words", mark, re.I),
        mark_after_separator=_regex(path, "authors", "byline_words", MARK_SEPARATORS + mark, re.I),
        byline_words=words,
        plain_marks=frozenset(plain),
        roles=roles,
        not_names=frozenset(s.lower() for s in _strings(path, "authors", t, "not_names")),
        separator=_regex(path, "authors", "separators", _alternation(seps), re.I),
        max_name_words=_int(path, "authors", t, "max_name_words"),
        first_names=_optional_words(path, t, "first_names"),
        comment_verbs=_optional_words(path, t, "comment_verbs"),
        trailing_words=_optional_words(path, t, "trailing_words") | frozenset(of_use("trailing")),
        leading=_regex(path, "authors", "byline_words", rf"^\s*(?:{_alternation(leading)})(?:\s*:\s*|\s+)(?=\S)",
                       re.I) if leading else None,
        not_authors=_optional_words(path, t, "not_authors") | frozenset(of_use("not_author")),
        org_words=_optional_words(path, t, "org_words"),
        newsroom=_optional_words(path, t, "newsroom") | frozenset(of_use("newsroom")),
        glued_mark=_regex(path, "authors", "byline_words", rf"(?i:{_alternation(plain)})(?=[^\W\d_])")
        if plain else None,
        glued_role=_regex(path, "authors", "roles", rf"(?<=[^\W\d_]{{2}})(?:{_alternation(word_roles)})$")
        if word_roles else None,
    )


def _optional_words(path: pathlib.Path, t: dict[str, Any], key: str) -> frozenset[str]:
    """An optional list of words of the [authors] section, lower-cased (empty when absent)."""
    return frozenset(s.lower() for s in _strings(path, "authors", t, key)) if key in t else frozenset()


DATE_GROUP = re.compile(r"\(\?P<([ymnd])>")


def _date_forms(path: pathlib.Path, t: dict[str, Any]) -> tuple[list[str], list[str], tuple[DateForm, ...]]:
    """The digit and name forms of the grammar with their groups numbered apart (y -> y0, ...), and their groups."""
    numbered: dict[str, list[str]] = {}
    forms = []
    for key in ("digit_forms", "name_forms"):
        numbered[key] = []
        for source in _strings(path, "dates", t, key):
            i = len(forms)
            groups = set(DATE_GROUP.findall(source))
            if not {"y", "d"} <= groups or len(groups & {"m", "n"}) != 1:
                raise _fail(path, "dates", f"{key}: {source!r} needs groups y and d and one of m (number) or n (name)")
            form = DATE_GROUP.sub(lambda g, i=i: f"(?P<{g[1]}{i}>", source)
            _regex(path, "dates", key, form)
            numbered[key].append(form)
            forms.append(DateForm(f"y{i}", f"d{i}", f"m{i}" if "m" in groups else None,
                                  f"n{i}" if "n" in groups else None))
    return numbered["digit_forms"], numbered["name_forms"], tuple(forms)


def _dates(path: pathlib.Path, t: dict[str, Any]) -> DateRules:
    labels = _strings(path, "dates", t, "labels")
    for item in labels:
        _regex(path, "dates", "labels", item)
    digit, name, forms = _date_forms(path, t)
    if not isinstance(t.get("name_hint"), str) or not t["name_hint"]:
        raise _fail(path, "dates", "'name_hint' must be a non-empty regex string")
    return DateRules(
        label=_regex(path, "dates", "labels", "|".join(f"(?:{s})" for s in labels), re.I),
        pattern=_regex(path, "dates", "digit_forms", r"(?<!\d)(?:" + "|".join(digit + name) + ")"),
        forms=forms,
        name_start=_regex(path, "dates", "name_forms", r"(?<!\d)(?:" + "|".join(name) + ")"),
        name_hint=_regex(path, "dates", "name_hint", t["name_hint"]),
        min_year=_int(path, "dates", t, "min_year"),
        max_year=_int(path, "dates", t, "max_year"),
        months=_months(path, t),
        timezones=_timezones(path, t),
        headline=_headline(path, t["headline"]) if "headline" in t else None,
    )


def _headline(path: pathlib.Path, t: Any) -> HeadlineDateRules:
    where = "dates.headline"
    if not isinstance(t, dict):
        raise _fail(path, where, "must be a table")

    def words(key: str) -> re.Pattern[str]:
        return _regex(path, where, key, "|".join(f"(?:{s})" for s in _strings(path, where, t, key)), re.I)

    return HeadlineDateRules(
        before=_int(path, where, t, "before"),
        after=_int(path, where, t, "after"),
        max_words=_int(path, where, t, "max_words"),
        published=words("published_labels"),
        ignore=words("ignore_labels"),
        relative=words("relative_dates"),
        hidden_classes=frozenset(s.lower() for s in _strings(path, where, t, "hidden_classes")),
    )


def _timezones(path: pathlib.Path, t: dict[str, Any]) -> dict[str, zoneinfo.ZoneInfo]:
    """Optional site time zones: key = "<IANA zone name>" ("Europe/Berlin"), read with zoneinfo."""
    table = t.get("timezones", {})
    if not isinstance(table, dict):
        raise _fail(path, "dates", "'timezones' must be a table of key = \"<IANA zone name>\"")
    out: dict[str, zoneinfo.ZoneInfo] = {}
    for key, value in table.items():
        try:
            out[key.lower()] = zoneinfo.ZoneInfo(value)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError, TypeError) as exc:
            raise _fail(path, "dates", f"timezones: {key!r} = {value!r} is no IANA time zone: {exc}") from exc
    return out


def _months(path: pathlib.Path, t: dict[str, Any]) -> dict[str, int]:
    """Optional month names (any language, lower-case) -> month number, for reading dates without dateparser."""
    table = t.get("months", {})
    if not isinstance(table, dict) or not all(
            isinstance(k, str) and isinstance(v, int) and 1 <= v <= 12 for k, v in table.items()):
        raise _fail(path, "dates", "'months' must be a table of month name = 1..12")
    return {k.lower(): v for k, v in table.items()}


def _text(path: pathlib.Path, t: dict[str, Any]) -> TextRules:
    for key in ("source_line", "dateline"):
        if not isinstance(t.get(key), str) or not t[key]:
            raise _fail(path, "text", f"'{key}' must be a non-empty regex string")
    source = _regex(path, "text", "source_line", t["source_line"], re.I)
    dateline = _regex(path, "text", "dateline", t["dateline"])
    if "domain" not in source.groupindex or "dateline" not in dateline.groupindex:
        raise _fail(path, "text", "'source_line' needs a (?P<domain>...) group and 'dateline' a (?P<dateline>...)")
    return TextRules(
        source_line=source,
        dateline=dateline,
        window_before=_int(path, "text", t, "window_before"),
        window_after=_int(path, "text", t, "window_after"),
        title_separators=tuple(_strings(path, "text", t, "title_separators")),
    )


def _quotes(path: pathlib.Path, t: dict[str, Any]) -> QuoteRules:
    pairs = t.get("pairs")
    if not isinstance(pairs, list) or not pairs or not all(
            isinstance(p, list) and len(p) == 2 and all(isinstance(c, str) and len(c) == 1 for c in p)
            for p in pairs):
        raise _fail(path, "quotes", "'pairs' must be a non-empty list of [open, close] single characters")
    return QuoteRules(
        pairs=tuple((p[0], p[1]) for p in pairs),
        verbs=frozenset(s.lower() for s in _strings(path, "quotes", t, "verbs")),
        pronouns=frozenset(s.lower() for s in _strings(path, "quotes", t, "pronouns")),
        titles=frozenset(s.lower() for s in _strings(path, "quotes", t, "titles")),
        scare_max_words=_int(path, "quotes", t, "scare_max_words"),
    )


def _section(name: str, parse: Callable[[pathlib.Path, dict[str, Any]], Any]) -> Callable[[pathlib.Path, Any], dict]:
    def parse_table(path: pathlib.Path, table: Any) -> dict:
        if not isinstance(table, dict):
            raise _fail(path, name, "must be a table")
        return {name: parse(path, table)}
    return parse_table


SECTIONS: Mapping[str, Callable[[pathlib.Path, Any], dict]] = MappingProxyType(
    {"authors": _section("authors", _authors), "dates": _section("dates", _dates), "text": _section("text", _text),
     "quotes": _section("quotes", _quotes)})
