"""Dates: finding date expressions in a line by the one grammar of rules/dates.toml ([dates] digit_forms and
name_forms) and reading them (its groups and [dates.months]; dateparser reads the day of a text dump's chosen
date), timestamps with their UTC offset and the site's local day (zoneinfo, [dates.timezones])."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Sequence
from types import MappingProxyType

from transforms.meta_rules import DateForm
from transforms.metadata import HAS_DIGIT, squash_spaces
from transforms.rules import Rules

ISO_DATE = re.compile(r"((?:19|20)\d\d)-(\d\d)-(\d\d)")


_DATE_SETTINGS = MappingProxyType(
    {"STRICT_PARSING": True, "REQUIRE_PARTS": ("day", "month", "year"), "PREFER_DATES_FROM": "past"})


def _dateparser_settings() -> dict:
    """A fresh copy of the date settings: dateparser takes a plain, mutable dict."""
    return {**_DATE_SETTINGS, "REQUIRE_PARTS": list(_DATE_SETTINGS["REQUIRE_PARTS"])}


def parse_published(raw: str | None, rules: Rules) -> dt.date | None:
    """Parse a date in any common form ('Jan. 24, 2022', '19. Oktober 2019', '2019-10-19T...'); None if unsure
    or outside the plausible years ([dates] min_year..max_year)."""
    day = read_date(raw, rules)
    return day if day is not None and is_plausible(day, rules) else None


def is_plausible(day: dt.date, rules: Rules) -> bool:
    """Whether a date falls in the plausible publication years of [dates]."""
    return rules.dates.min_year <= day.year <= rules.dates.max_year


def read_date(raw: str | None, rules: Rules) -> dt.date | None:
    """The day a date string names, plausible or not (None when it names none, or reads unsure)."""
    raw = squash_spaces(raw)
    if not raw or not HAS_DIGIT.search(raw) or len(raw) > 120:
        return None
    iso = ISO_DATE.search(raw)
    if iso:
        try:
            day = dt.date(int(iso[1]), int(iso[2]), int(iso[3]))
        except ValueError:
            day = None
    else:
        match = rules.dates.pattern.search(raw)
        if not match:
            return None
        import dateparser  # imported here: it loads language data on first use

        try:
            parsed = dateparser.parse(match.group(0).replace(" de ", " "), settings=_dateparser_settings())
        except (ValueError, OverflowError):
            parsed = None
        day = parsed.date() if parsed else None
    return day


def find_date_text(text: str, rules: Rules) -> str | None:
    """The first date expression in a line of text ('Published: Jan. 24, 2022' -> 'Jan. 24, 2022')."""
    match = next(iter_date_matches(text, rules), None)
    return match.group(0) if match else None


def match_form(m: re.Match[str], rules: Rules) -> DateForm:
    """The form of the date grammar a match of rules.dates.pattern is of."""
    return next(f for f in rules.dates.forms if m[f.year] is not None)


def _date_from_match(m: re.Match[str], rules: Rules) -> dt.date | None:
    """The day a match of the date grammar names (its form's groups), None when it names none or an implausible
    year."""
    form = match_form(m, rules)
    year = m[form.year]
    try:
        if form.month is not None:
            month = int(m[form.month])
        else:
            month = rules.dates.months.get(m[form.name].lower().rstrip("."))  # type: ignore[union-attr]
            if month is None:
                return None
        day = dt.date(int(year) + (2000 if len(year) == 2 else 0), month, int(m[form.day]))
    except ValueError:
        return None
    return day if rules.dates.min_year <= day.year <= rules.dates.max_year else None


# A year 19xx/20xx or a numeric date.  It starts with a plain digit class: the engine skips ahead to digits
# (a leading lookahead or group would make it try the whole pattern at every position).
DATE_HINT = re.compile(r"\d(?:(?<=1)9\d\d|(?<=2)0\d\d|\s?[./]\s?\d\d?\s?[./]\s?\d\d)")


# date_matches finds the grammar's matches without trying it at every position: a digit form only starts where
# a run of digits starts, and a name form only in a line holding [dates] name_hint.
_DIGIT_RUN = re.compile(r"\d+")


def iter_date_matches(text: str, rules: Rules) -> Iterator[re.Match[str]]:
    """rules.dates.pattern.finditer(text), tried only where a date can start (a digit run, a name form)."""
    grammar, name_start = rules.dates.pattern, rules.dates.name_start
    month_first = name_start.search(text) if rules.dates.name_hint.search(text) else None
    pos = 0
    for run in _DIGIT_RUN.finditer(text):
        start = run.start()
        while month_first is not None and month_first.start() < start:
            yield grammar.match(text, month_first.start())  # type: ignore[misc]
            pos = month_first.end()
            month_first = name_start.search(text, pos)
        if start < pos:
            continue
        m = grammar.match(text, start)
        if m is not None:
            yield m
            pos = m.end()
            if month_first is not None and month_first.start() < pos:
                month_first = name_start.search(text, pos)
    while month_first is not None:
        yield grammar.match(text, month_first.start())  # type: ignore[misc]
        month_first = name_start.search(text, month_first.end())


def date_matches(text: str, rules: Rules) -> list[re.Match[str]]:
    """Every match of the date grammar in a line, left to right (rules.dates.pattern.finditer, faster)."""
    return list(iter_date_matches(text, rules))


def first_date(text: str, rules: Rules) -> re.Match[str] | None:
    """The first date expression of a line whose month reads (a number, or a name of [dates.months]), plausible
    year or not: where a byline's names end ("Jane Doe 5. 3. 2020"; not inside "VersfeldAugust 7, 2012")."""
    for m in iter_date_matches(text, rules):
        form = match_form(m, rules)
        if form.name is None or m[form.name].lower() in rules.dates.months:
            return m
    return None


def find_line_dates(text: str, rules: Rules) -> list[tuple[dt.date, re.Match[str]]]:
    """Every readable date in a line, with the match it came from."""
    found = []
    for m in date_matches(text, rules):
        day = _date_from_match(m, rules)
        if day:
            found.append((day, m))
    return found


ZONE = r"\s*(Z|UTC|GMT|[+-]\d\d:?\d\d)"


ISO_TIME = re.compile(r"((?:19|20)\d\d)-(\d\d)-(\d\d)[T ](\d\d):(\d\d)(?::\d\d(?:[.,]\d+)?)?" + ZONE + "?$", re.I)


RFC_TIME = re.compile(r"(\d{1,2}) ([A-Za-z]{3})[a-z]* ((?:19|20)\d\d) (\d\d):(\d\d)(?::\d\d)?" + ZONE + "$")


def read_timestamp(raw: str | None, rules: Rules) -> tuple[dt.datetime, dt.timedelta | None] | None:
    """Date and time of an ISO 8601 or RFC 2822 timestamp with its UTC offset (None: the string gives none)."""
    raw = squash_spaces(raw)
    m = ISO_TIME.search(raw)
    if m:
        y, mo, d, h, mi, zone = int(m[1]), int(m[2]), int(m[3]), int(m[4]), int(m[5]), m[6]
    elif m := RFC_TIME.search(raw):
        mo = rules.dates.months.get(m[2].lower())
        if mo is None:
            return None
        y, d, h, mi, zone = int(m[3]), int(m[1]), int(m[4]), int(m[5]), m[6]
    else:
        return None
    try:
        when = dt.datetime(y, mo, d, h, mi)
    except ValueError:
        return None
    if not zone:
        return when, None
    if zone.upper() in ("Z", "UTC", "GMT"):
        return when, dt.timedelta(0)
    digits = zone[1:].replace(":", "")
    offset = dt.timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
    return when, -offset if zone[0] == "-" else offset


def site_offset(zone_keys: Sequence[str], utc: dt.datetime, rules: Rules) -> dt.timedelta | None:
    """The site's UTC offset at a UTC moment (zoneinfo, daylight saving included), its zone looked up by the
    keys in order (country-code domain, region or language of <html lang>); None when unknown."""
    zones = rules.dates.timezones
    zone = next((zones[key] for key in zone_keys if key in zones), None)
    if zone is None:
        return None
    return utc.replace(tzinfo=dt.UTC).astimezone(zone).utcoffset()


def local_day(raw: str | None, zone_keys: Sequence[str], rules: Rules) -> dt.date | None:
    """The site's local day of a timestamp with a time zone: its own date under a local offset, a UTC time
    moved to the site's zone; None without a zone, or for UTC when the site's zone is unknown."""
    stamp = read_timestamp(raw, rules)
    if stamp is None or stamp[1] is None:
        return None
    when, offset = stamp
    if offset or (when.hour, when.minute) == (0, 0):  # a local time, or a bare day stored as UTC midnight
        return when.date()
    local = site_offset(zone_keys, when, rules)
    return (when + local).date() if local is not None else None


def swapped_day(day: dt.date) -> dt.date | None:
    """The other reading of a numeric date whose day and month are both <= 12 (11/01/2021)."""
    try:
        return day.replace(month=day.day, day=day.month)
    except ValueError:
        return None


def fast_day(raw: str, rules: Rules) -> dt.date | None:
    """The day of an ISO or month-name date without dateparser (None when it has another form)."""
    iso = ISO_DATE.search(raw)
    if iso:
        try:
            return dt.date(int(iso[1]), int(iso[2]), int(iso[3]))
        except ValueError:
            return None
    found = find_line_dates(raw, rules)
    return found[0][0] if found else None
