"""Dates: finding a date expression in a line, reading it (rules/dates.toml grammar and months, dateparser for
the rest), timestamps with their UTC offset and the site's local day (time zones from [dates.timezones])."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from types import MappingProxyType

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
    match = rules.dates.pattern.search(text)
    return match.group(0) if match else None


# The numeric and day-first date forms start with a digit, the month-first form with a letter.
_DIGIT_LED_DATES = (
    r"(?P<y1>(?:19|20)\d\d)[-/.](?P<m1>0?[1-9]|1[0-2])[-/.](?P<d1>0?[1-9]|[12]\d|3[01])(?!\d)",
    r"(?P<d2>0?[1-9]|[12]\d|3[01])\s?[./]\s?(?P<m2>0?[1-9]|1[0-2])\s?[./]\s?(?P<y2>(?:19|20)\d\d|\d\d)(?!\d)",
    r"(?P<d3>0?[1-9]|[12]\d|3[01])(?:st|nd|rd|th|er)?\.?\s*(?:de\s+)?(?P<n3>[^\W\d_]{3,10})\.?,?\s+(?:de\s+)?"
    r"(?P<y3>(?:19|20)\d\d)",
)


_MONTH_FIRST_DATE = (r"(?P<n4>[^\W\d_]{3,10})\.?\s+(?P<d4>0?[1-9]|[12]\d|3[01])(?:st|nd|rd|th)?,?\s+"
                     r"(?P<y4>(?:19|20)\d\d)")


NUM_OR_NAMED_DATE = re.compile(r"(?<!\d)(?:" + "|".join((*_DIGIT_LED_DATES, _MONTH_FIRST_DATE)) + ")")


# date_matches finds NUM_OR_NAMED_DATE's matches without trying the pattern at every position: digit-led dates
# only start where a run of digits starts, and a month-first date needs a day, a space and a year in the line.
_DIGIT_RUN = re.compile(r"\d+")


_MONTH_FIRST = re.compile(r"(?<!\d)" + _MONTH_FIRST_DATE)


_DAY_YEAR = re.compile(r"\d(?:st|nd|rd|th)?,?\s+(?:19|20)\d\d")


def _date_from_match(m: re.Match[str], rules: Rules) -> dt.date | None:
    try:
        if m["y1"]:
            day = dt.date(int(m["y1"]), int(m["m1"]), int(m["d1"]))
        elif m["y2"]:
            year = int(m["y2"]) + (2000 if len(m["y2"]) == 2 else 0)
            a, b = int(m["d2"]), int(m["m2"])
            day = dt.date(year, b, a)
        else:
            name, d, y = (m["n3"], m["d3"], m["y3"]) if m["n3"] else (m["n4"], m["d4"], m["y4"])
            month = rules.dates.months.get(name.lower().rstrip("."))
            if month is None:
                return None
            day = dt.date(int(y), month, int(d))
    except ValueError:
        return None
    return day if rules.dates.min_year <= day.year <= rules.dates.max_year else None


# A year 19xx/20xx or a numeric date.  It starts with a plain digit class: the engine skips ahead to digits
# (a leading lookahead or group would make it try the whole pattern at every position).
DATE_HINT = re.compile(r"\d(?:(?<=1)9\d\d|(?<=2)0\d\d|\s?[./]\s?\d\d?\s?[./]\s?\d\d)")


def date_matches(text: str) -> list[re.Match[str]]:
    """NUM_OR_NAMED_DATE.finditer(text), tried only where a date can start (a digit run, a month-first date)."""
    found: list[re.Match[str]] = []
    month_first = _MONTH_FIRST.search(text) if _DAY_YEAR.search(text) else None
    pos = 0
    for run in _DIGIT_RUN.finditer(text):
        start = run.start()
        while month_first is not None and month_first.start() < start:
            found.append(NUM_OR_NAMED_DATE.match(text, month_first.start()))  # type: ignore[arg-type]
            pos = month_first.end()
            month_first = _MONTH_FIRST.search(text, pos)
        if start < pos:
            continue
        m = NUM_OR_NAMED_DATE.match(text, start)
        if m is not None:
            found.append(m)
            pos = m.end()
            if month_first is not None and month_first.start() < pos:
                month_first = _MONTH_FIRST.search(text, pos)
    while month_first is not None:
        found.append(NUM_OR_NAMED_DATE.match(text, month_first.start()))  # type: ignore[arg-type]
        month_first = _MONTH_FIRST.search(text, month_first.end())
    return found


def find_line_dates(text: str, rules: Rules) -> list[tuple[dt.date, re.Match[str]]]:
    """Every readable date in a line, with the match it came from."""
    found = []
    for m in date_matches(text):
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
