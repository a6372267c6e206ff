"""Structured page metadata (title, dek, authors, date, site, url, language, dateline), pure functions."""

from __future__ import annotations

import bisect
import dataclasses
import datetime as dt
import html as html_lib
import itertools
import json
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from transforms.meta_rules import MetaRules, load_meta_rules
from transforms.record import BODY, BYLINE, CAPTION, DATE, SUBTITLE, TITLE, Line

WORD = re.compile(r"\w+")
SPACES = re.compile(r"\s+")
EMAIL = re.compile(r"\S+@\S+\.\w+|\[email[^\]]*\]", re.I)
URLISH = re.compile(r"https?://\S+|www\.\S+", re.I)
HAS_DIGIT = re.compile(r"\d")
ISO_DATE = re.compile(r"((?:19|20)\d\d)-(\d\d)-(\d\d)")
ARTICLE_TYPES = ("article", "posting", "report", "review", "recipe", "blog", "creativework", "question")
_DATE_SETTINGS = {"STRICT_PARSING": True, "REQUIRE_PARTS": ["day", "month", "year"], "PREFER_DATES_FROM": "past"}


@dataclass(frozen=True, slots=True)
class PageMetadata:
    """Metadata of one page (HTML) or one article of a text dump; None/() when not found."""

    title: str | None = None
    subtitle: str | None = None
    authors: tuple[str, ...] = ()
    published: dt.date | None = None
    published_raw: str | None = None
    site: str | None = None
    url: str | None = None
    domain: str | None = None
    language: str | None = None
    dateline: str | None = None


# ---------------------------------------------------------------- shared helpers


def _clean(text: str | None) -> str:
    return SPACES.sub(" ", text or "").strip()


def _tokens(text: str | None) -> list[str]:
    return WORD.findall((text or "").lower())


def find_domain(url: str | None) -> str | None:
    """Host name of a URL without 'www.', lower-case; None when there is none."""
    if not url:
        return None
    if "//" not in url:
        url = "//" + url
    host = urlsplit(url.strip()).hostname
    if not host or "." not in host:
        return None
    return host.removeprefix("www.")


def parse_published(raw: str | None, rules: MetaRules | None = None) -> dt.date | None:
    """Parse a date in any common form ('Jan. 24, 2022', '19. Oktober 2019', '2019-10-19T...'); None if unsure."""
    raw = _clean(raw)
    if not raw or not HAS_DIGIT.search(raw) or len(raw) > 120:
        return None
    rules = rules or load_meta_rules()
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
            parsed = dateparser.parse(match.group(0).replace(" de ", " "), settings=_DATE_SETTINGS)
        except (ValueError, OverflowError):
            parsed = None
        day = parsed.date() if parsed else None
    if day is None or not rules.dates.min_year <= day.year <= rules.dates.max_year:
        return None
    return day


def find_date_text(text: str, rules: MetaRules | None = None) -> str | None:
    """The first date expression in a line of text ('Published: Jan. 24, 2022' -> 'Jan. 24, 2022')."""
    rules = rules or load_meta_rules()
    match = rules.dates.pattern.search(text)
    return match.group(0) if match else None


def clean_authors(raw: str | Iterable[str] | None, rules: MetaRules | None = None) -> tuple[str, ...]:
    """Person names from a byline or author field: no 'By', roles, emails, dates or 'Staff'; several split."""
    if not raw:
        return ()
    rules = rules or load_meta_rules()
    ar = rules.authors
    pieces = [raw] if isinstance(raw, str) else list(raw)
    names: list[str] = []
    for piece in pieces:
        text = URLISH.sub(" ", EMAIL.sub(" ", _clean(piece)))
        date = rules.dates.pattern.search(text)
        if date:
            text = text[: date.start()]
        text = re.sub(r"\|.*$", "", text) if "|" in text and not ar.separator.search(text.split("|")[0]) else text
        text = ar.prefix.sub("", text)
        for part in ar.separator.split(text):
            name = _clean_name(part, rules)
            if name and name.lower() not in (n.lower() for n in names):
                names.append(name)
    return tuple(names)


def _clean_name(part: str, rules: MetaRules) -> str | None:
    ar = rules.authors
    part = ar.prefix.sub("", part.strip(" \t.:-–—()[]*·•\"'")).strip(" .:-–—()")
    words = part.split()
    # Cut a trailing role ("Jane Doe, Staff Writer" is split at the comma; "Jane Doe Reporter" here).
    while words and words[-1].lower().strip(".,") in ar.roles:
        words.pop()
    while words and words[0].lower().strip(".,") in ar.roles:
        words.pop(0)
    name = " ".join(words)
    if not name or name.lower() in ar.not_names or len(words) > ar.max_name_words:
        return None
    if any(w.lower().strip(".,") in ar.roles for w in words) or not any(c.isalpha() for c in name):
        return None
    if HAS_DIGIT.search(name):
        return None
    return name


def strip_site_suffix(title: str, site: str | None, rules: MetaRules | None = None) -> str:
    """'Headline | Site' -> 'Headline': drop a trailing (or leading) part that names the site."""
    rules = rules or load_meta_rules()
    title = _clean(title)
    site_toks = set(_tokens(site))
    for sep in rules.text.title_separators:
        if sep not in title:
            continue
        parts = [p.strip() for p in title.split(sep) if p.strip()]
        if len(parts) < 2:
            continue
        last, first = parts[-1], parts[0]
        if (site_toks and set(_tokens(last)) & site_toks) or len(_tokens(last)) <= 3 < len(_tokens(title)) - 3:
            return sep.join(parts[:-1])
        if site_toks and set(_tokens(first)) <= site_toks:
            return sep.join(parts[1:])
    return title


# py3langid's cost grows with its input: 1,000 characters gave the same language as 5,000 on all 449
# article bodies of the benchmark's dev and metadata dumps, at a fifth of the cost.
LANGUAGE_SAMPLE_CHARS = 1000


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of the text's language via py3langid, or None for too little text."""
    text = _clean(text[: 2 * LANGUAGE_SAMPLE_CHARS])[:LANGUAGE_SAMPLE_CHARS]
    if len(text) < 40:
        return None
    import py3langid  # imported here: loading its model takes most of a second

    lang, _score = py3langid.classify(text)
    return lang


# ---------------------------------------------------------------- HTML pages


@dataclass(frozen=True, slots=True)
class _HtmlCandidates:
    """Everything the page says about itself, before choosing."""

    h1: tuple[str, ...]
    title_tag: str | None
    og_title: str | None
    ld_headline: str | None
    ld_authors: tuple[str, ...]
    ld_published: str | None
    meta_authors: tuple[str, ...]
    meta_published: str | None
    site: str | None
    url: str | None
    description: str | None
    language: str | None
    traf_title: str | None
    traf_author: str | None
    traf_date: str | None
    lang_region: str | None = None  # "us" of <html lang="en-US">


def _ld_objects(data: object) -> Iterator[dict]:
    if isinstance(data, list):
        for item in data:
            yield from _ld_objects(item)
    elif isinstance(data, dict):
        yield data
        graph = data.get("@graph")
        if graph is not None:
            yield from _ld_objects(graph)


def _ld_type(obj: dict) -> str:
    kind = obj.get("@type", "")
    return " ".join(kind).lower() if isinstance(kind, list) else str(kind).lower()


def _ld_names(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [n for v in value for n in _ld_names(v)]
    if isinstance(value, dict):
        if "organization" in _ld_type(value):
            return []
        name = value.get("name")
        if isinstance(name, str):
            return [name]
        if isinstance(name, list):
            return [n for n in name if isinstance(n, str)]
    return []


def _read_json_ld(tree) -> tuple[str | None, tuple[str, ...], str | None, str | None, str | None]:
    """Headline, authors, datePublished, publisher name and url of the page's main Article object."""
    best: dict | None = None
    site = None
    for script in tree.xpath('//script[contains(@type, "ld+json")]'):
        try:
            data = json.loads(script.text_content().strip() or "null", strict=False)
        except ValueError:
            continue
        for obj in _ld_objects(data):
            kind = _ld_type(obj)
            if "website" in kind and not site and isinstance(obj.get("name"), str):
                site = obj["name"]
            better = best is None or ("headline" in obj and "headline" not in best)
            if better and any(t in kind for t in ARTICLE_TYPES):
                best = obj
    if best is None:
        return None, (), None, site, None
    publisher = best.get("publisher")
    if isinstance(publisher, dict) and isinstance(publisher.get("name"), str):
        site = publisher["name"]
    headline = best.get("headline") if isinstance(best.get("headline"), str) else None
    published = best.get("datePublished") or best.get("dateCreated")
    url = best.get("url") if isinstance(best.get("url"), str) else None
    authors = tuple(_ld_names(best.get("author") or best.get("creator")))
    return headline, authors, published if isinstance(published, str) else None, site, url


def _meta_table(tree) -> dict[tuple[str, str], str]:
    """(attribute, value) -> content of the page's <meta> tags, first non-empty one kept (one pass)."""
    table: dict[tuple[str, str], str] = {}
    for el in tree.iter("meta"):
        content = el.get("content")
        if not content:
            continue
        for attr in ("property", "name", "itemprop"):
            key = el.get(attr)
            if key and (attr, key) not in table and (value := _clean(content)):
                table[(attr, key)] = value
    return table


def _meta(table: dict[tuple[str, str], str], *names: str) -> str | None:
    for name in names:
        for attr in ("property", "name", "itemprop"):
            value = table.get((attr, name))
            if value:
                return value
    return None


BYLINE_XPATH = ('//*[@rel="author" or @itemprop="author" or contains(@class, "byline") or contains(@class, "author")'
                ' or contains(@id, "author") or contains(@class, "Author")][not(self::script or self::meta or '
                'self::link or self::style)]')


def _html_byline(tree, rules: MetaRules) -> tuple[str, ...]:
    """The first short byline-like element (rel/itemprop=author, class or id naming an author or byline)."""
    for el in tree.xpath(BYLINE_XPATH)[:20]:
        text = _clean(el.text_content())
        if not text or len(text.split()) > 10:
            continue
        names = clean_authors(text, rules)
        if names and all(_name_shaped(n, rules) for n in names):
            return names
    return ()


def trafilatura_metadata(tree, url: str | None, search_author: bool = True):
    """trafilatura's extract_metadata on a parsed page (title, description, author, url, site and htmldate's
    original date) minus the categories, tags and licence it would also look for (unused, a tenth of its time);
    search_author=False skips its byline search in the page body (trafilatura_author does it on demand)."""
    import contextlib

    from courlan import extract_domain
    from htmldate import find_date
    from trafilatura import metadata as tmeta
    from trafilatura.settings import set_date_params

    meta = tmeta.examine_meta(tree)
    if meta.author and " " not in meta.author:
        meta.author = None
    with contextlib.suppress(Exception):  # trafilatura's JSON-LD parser has bugs: keep the meta tags
        meta = tmeta.extract_meta_json(tree, meta)
    meta.title = meta.title or tmeta.extract_title(tree)
    if search_author:
        meta.author = meta.author or tmeta.extract_author(tree)
    meta.url = meta.url or tmeta.extract_url(tree, url)
    if meta.url:
        meta.hostname = extract_domain(meta.url, fast=True)
    meta.date = find_date(tree, **{**set_date_params(True), "url": meta.url})
    meta.sitename = meta.sitename or tmeta.extract_sitename(tree)
    if meta.sitename:
        meta.sitename = meta.sitename.lstrip("@")
        if meta.sitename and "." not in meta.sitename and not meta.sitename[0].isupper():
            meta.sitename = meta.sitename.title()
    elif meta.url and (match := tmeta.META_URL.match(meta.url)):
        meta.sitename = match[1]
    meta.clean_and_trim()
    return meta


LANG_CODE = re.compile(r"^([a-z]{2})(?:[-_]([a-z]{2})\b)?")


def _gather_html(tree, url: str | None, rules: MetaRules) -> _HtmlCandidates:
    ld_headline, ld_authors, ld_published, ld_site, ld_url = _read_json_ld(tree)
    metas = _meta_table(tree)
    h1 = tuple(t for t in (_clean(h.text_content()) for h in tree.iter("h1")) if t)
    title_tag = _clean(tree.findtext(".//title")) or None
    canonical = tree.xpath('//link[@rel="canonical"]/@href')
    meta_author = _meta(metas, "author", "article:author", "dc.creator", "DC.creator", "parsely-author",
                        "sailthru.author", "byl")
    meta_authors = () if not meta_author or meta_author.startswith("http") else (meta_author,)
    traf = trafilatura_metadata(tree, None, search_author=False)
    page_url = url or _meta(metas, "og:url") or (canonical[0] if canonical else None) or ld_url or traf.url
    lang = LANG_CODE.match((tree.get("lang") or "").strip().lower()) if tree.tag == "html" else None
    return _HtmlCandidates(
        h1=h1,
        title_tag=title_tag,
        og_title=_meta(metas, "og:title", "twitter:title"),
        ld_headline=_clean(ld_headline) or None,
        ld_authors=ld_authors,
        ld_published=ld_published,
        meta_authors=meta_authors,
        meta_published=_meta(metas, "article:published_time", "datePublished", "date", "dc.date", "DC.date",
                             "dcterms.created", "publish-date", "pubdate", "parsely-pub-date",
                             "sailthru.date", "og:published_time"),
        site=_meta(metas, "og:site_name", "application-name") or ld_site or traf.sitename,
        url=page_url if page_url and page_url.startswith("http") else None,
        description=_meta(metas, "og:description", "description", "twitter:description") or traf.description,
        language=lang[1] if lang else None,
        traf_title=traf.title,
        traf_author=traf.author,
        traf_date=traf.date,
        lang_region=lang[2] if lang else None,
    )


def _norm(text: str | None) -> str:
    return " ".join(_tokens(text))


def _choose_title(c: _HtmlCandidates, rules: MetaRules) -> str | None:
    titles = [html_lib.unescape(t) for t in (c.ld_headline, c.og_title, c.title_tag, c.traf_title) if t]
    for h in c.h1[:3]:
        nh = _norm(h)
        if len(nh.split()) >= 2 and any(nh in _norm(t) for t in titles):
            return h
    for t in titles:
        stripped = strip_site_suffix(t, c.site, rules)
        if stripped:
            return stripped
    return c.h1[0] if c.h1 else None


# ---- the page's visible text, for the text-dump author ranker when the markup names no author

SKIP_TAGS = frozenset({"script", "style", "noscript", "template", "svg", "head", "iframe", "select", "option",
                       "button", "textarea", "object", "canvas", "math"})
# Elements that start a new line (a blank line after PARAGRAPH_TAGS), roughly as a text browser renders them.
PARAGRAPH_TAGS = frozenset({"p", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "ul", "ol", "dl", "table",
                            "pre", "figure", "hr", "header", "footer", "nav", "aside", "section", "article",
                            "main", "form", "address"})
LINE_TAGS = frozenset({"div", "li", "br", "tr", "dt", "dd", "figcaption", "fieldset", "legend", "caption",
                       "summary", "details", "center"})
CELL_TAGS = frozenset({"td", "th"})


def visible_text(tree) -> str:
    """The text a browser shows of a parsed page, one block per line, blank lines between paragraphs and
    list items bulleted (the shape of the text dumps classify_lines reads)."""
    out: list[str] = []
    line: list[str] = []

    def flush(blank: bool) -> None:
        text = SPACES.sub(" ", "".join(line)).strip()
        line.clear()
        if text:
            out.append(text)
        if blank and out and out[-1]:
            out.append("")

    def walk(el) -> None:
        tag = el.tag if isinstance(el.tag, str) else None
        if tag is None or tag in SKIP_TAGS:
            if el.tail:
                line.append(el.tail)
            return
        block = tag in PARAGRAPH_TAGS or tag in LINE_TAGS
        if block:
            flush(tag in PARAGRAPH_TAGS)
            if tag == "li":
                line.append("• ")
        elif tag in CELL_TAGS:
            line.append("   ")
        if el.text:
            line.append(el.text)
        for child in el:
            walk(child)
        if block:
            flush(tag in PARAGRAPH_TAGS)
        if el.tail:
            line.append(el.tail)

    body = tree.find(".//body")
    walk(body if body is not None else tree)
    flush(False)
    return "\n".join(out)


def _visible_authors(tree, title: str | None, rules: MetaRules) -> tuple[str, ...]:
    """Authors in the page's visible text ("Von X", "X | date", a name line under the headline), found by the
    text-dump author ranker around the headline line."""
    from transforms.clean_text import classify_lines
    from transforms.rules import load_rules

    lines = classify_lines(visible_text(tree), load_rules())
    if not lines:
        return ()
    w = rules.ranker.weights
    memo: DateMemo = {}
    counts = _line_counts(lines)
    first_body = next((i for i, ln in enumerate(lines) if ln.label == BODY), 0)
    body_words = {t for ln in lines if ln.label == BODY for t in _tokens(ln.text) if len(t) > 3}
    titles = _title_features(lines, first_body, rules, body_words, counts, memo)
    anchor = first_body
    if titles:
        anchor = max(titles, key=lambda c: _score(c[2], w.get("title", {})))[0]
    cands = _author_features(lines, anchor, rules, counts, memo)
    if not cands:
        return ()
    return max(cands, key=lambda c: _score(c[1], w.get("author", {})))[0]


GENERIC_HOST_WORDS = frozenset({"www", "com", "de", "at", "ch", "net", "org", "info", "co", "uk", "the", "html"})
DASHES = frozenset("-–—|:")


def _site_words(c: _HtmlCandidates) -> tuple[set[str], set[str]]:
    """Word tokens of the site name and host, and the host's labels ('dw', 'cnn'): to tell the site from a person."""
    labels = {part for part in re.split(r"[.-]", find_domain(c.url) or "") if part} - GENERIC_HOST_WORDS
    return (set(_tokens(c.site)) | labels) - GENERIC_HOST_WORDS, labels


def _judge_name(name: str, site: tuple[set[str], set[str]], rules: MetaRules) -> tuple[str, bool] | None:
    """(name, is_person) of one cleaned author name from an HTML page; None when it is no author at all
    (a commenter's "X sagt", "Posted on", a handle or an e-mail)."""
    ar = rules.authors
    if ar.leading is not None:
        name = ar.leading.sub("", name)
    words = name.split()
    while words and words[-1].lower() in ar.trailing_words:
        words.pop()
    if not words or words[-1].lower() in ar.comment_verbs:
        return None
    name = " ".join(words)
    low = name.lower()
    if low in ar.not_authors or low in ar.not_names or name.startswith("@") or "[at]" in low:
        return None
    site_toks, labels = site

    def of_site(word: str) -> bool:
        toks = set(_tokens(word)) - GENERIC_HOST_WORDS
        return word in DASHES or toks <= site_toks

    # Site words around a name: "Adam Aaronson PhillyVoice", "unocero - Alberto Ávila".
    trimmed = list(words)
    while len(trimmed) > 2 and of_site(trimmed[-1]):
        trimmed.pop()
    while len(trimmed) > 2 and of_site(trimmed[0]):
        trimmed.pop(0)
    if trimmed != words and not all(of_site(w) for w in trimmed):
        words, name = trimmed, " ".join(trimmed)
        low = name.lower()
    toks = set(_tokens(name)) - GENERIC_HOST_WORDS
    initials = "".join(w[0] for w in words if w[:1].isalpha()).lower()
    org = (not toks or toks <= site_toks or (len(words) > 1 and initials in labels)
           or any(w.lower().strip(".,()") in ar.org_words for w in words)
           or any(f" {o}" in f" {low}" and "." in o for o in ar.org_words))
    return name, not org


def _choose_authors(c: _HtmlCandidates, tree, title: str | None, rules: MetaRules) -> tuple[str, ...]:
    """People named by the markup (JSON-LD, meta tags, trafilatura, a byline element), else by the visible text
    near the headline, else the newsroom or organisation the markup gives."""
    site = _site_words(c)
    orgs: list[str] = []
    newsroom = None
    def traf_author() -> list[str]:
        from trafilatura.metadata import extract_author

        found = c.traf_author or extract_author(tree)
        return found.split(";") if found else []

    sources = (lambda: c.ld_authors, lambda: c.meta_authors, traf_author, lambda: _html_byline(tree, rules))
    for source in sources:  # later sources are searched only when the earlier ones name nobody
        raw = source()
        judged = [j for j in (_judge_name(name, site, rules) for name in clean_authors(raw, rules)) if j]
        people = [name for name, person in judged if person]
        # The site or an organisation next to a full name is dropped ("Rob Picheta, CNN"); next to an agency
        # code or a first name it is part of the credit ("AFP; The Local").
        if any(len(name.split()) > 1 for name in people):
            return tuple(dict.fromkeys(people))
        if people:
            return tuple(dict.fromkeys(name for name, _person in judged))
        orgs += [name for name, _person in judged]
        raws = [raw] if isinstance(raw, str) else list(raw)
        newsroom = newsroom or next((_clean(r) for r in raws if _clean(r).lower() in rules.authors.newsroom), None)
    if newsroom:
        return (newsroom,)
    visible = [j for j in (_judge_name(name, site, rules) for name in _visible_authors(tree, title, rules)) if j]
    people = [name for name, person in visible if person]
    if people:
        return tuple(dict.fromkeys(people))
    if orgs:
        return (orgs[0],)
    return tuple(dict.fromkeys(name for name, _person in visible))


ZONE = r"\s*(Z|UTC|GMT|[+-]\d\d:?\d\d)"
ISO_TIME = re.compile(r"((?:19|20)\d\d)-(\d\d)-(\d\d)[T ](\d\d):(\d\d)(?::\d\d(?:[.,]\d+)?)?" + ZONE + "?$", re.I)
RFC_TIME = re.compile(r"(\d{1,2}) ([A-Za-z]{3})[a-z]* ((?:19|20)\d\d) (\d\d):(\d\d)(?::\d\d)?" + ZONE + "$")


def _timestamp(raw: str | None, rules: MetaRules) -> tuple[dt.datetime, dt.timedelta | None] | None:
    """Date and time of an ISO 8601 or RFC 2822 timestamp with its UTC offset (None: the string gives none)."""
    raw = _clean(raw)
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


def _last_sunday(year: int, month: int) -> dt.date:
    day = dt.date(year, month + 1, 1) - dt.timedelta(days=1) if month < 12 else dt.date(year, 12, 31)
    return day - dt.timedelta(days=(day.weekday() + 1) % 7)


def _site_offset(c: _HtmlCandidates, utc: dt.datetime, rules: MetaRules) -> dt.timedelta | None:
    """The site's UTC offset at a moment, guessed from its country-code domain, the region or the language of
    <html lang>; None when unknown (a .com page in English)."""
    zones = rules.dates.timezones
    tld = (find_domain(c.url) or "").rsplit(".", 1)[-1]
    found = zones.get(tld) or zones.get(c.lang_region or "") or zones.get(f"lang:{c.language}")
    if found is None:
        return None
    hours, dst = found
    day = utc.date()
    if dst == "eu":
        summer = _last_sunday(day.year, 3) <= day < _last_sunday(day.year, 10)
    elif dst == "us":
        march = dt.date(day.year, 3, 8) + dt.timedelta(days=(6 - dt.date(day.year, 3, 8).weekday()) % 7)
        november = dt.date(day.year, 11, 1) + dt.timedelta(days=(6 - dt.date(day.year, 11, 1).weekday()) % 7)
        summer = march <= day < november
    else:
        summer = False
    return dt.timedelta(hours=hours + summer)


def _local_day(raw: str | None, c: _HtmlCandidates, rules: MetaRules) -> dt.date | None:
    """The site's local day of a timestamp with a time zone: its own date under a local offset, a UTC time
    moved to the site's zone; None without a zone, or for UTC when the site's zone is unknown."""
    stamp = _timestamp(raw, rules)
    if stamp is None or stamp[1] is None:
        return None
    when, offset = stamp
    if offset or (when.hour, when.minute) == (0, 0):  # a local time, or a bare day stored as UTC midnight
        return when.date()
    local = _site_offset(c, when, rules)
    return (when + local).date() if local is not None else None


def _choose_date(c: _HtmlCandidates, rules: MetaRules) -> tuple[dt.date | None, str | None]:
    """htmldate's original date, unless the page's datePublished / published_time, read in the site's time
    zone, says the day before or after (htmldate reads URL dates and UTC timestamps without a zone), or the
    JSON-LD datePublished carries a local UTC offset."""
    day, raw = None, None
    for raw in (c.traf_date, c.ld_published, c.meta_published):
        day = parse_published(raw, rules)
        if day:
            break
    for stamp in (c.ld_published, c.meta_published):
        local = _local_day(stamp, c, rules)
        if local and (day is None or abs(local - day) == dt.timedelta(days=1)):
            return local, stamp
    # JSON-LD's datePublished with the site's own UTC offset is the publisher's word: it beats any date
    # htmldate found elsewhere in the page.
    stamp = _timestamp(c.ld_published, rules)
    if stamp is not None and stamp[1] and (local := stamp[0].date()) != day:
        return local, c.ld_published
    if day is None:
        return None, None
    # Keep the page's own spelling of the date when it says the same day as htmldate.
    same = [r for r in (c.ld_published, c.meta_published) if r and _fast_day(r, rules) == day]
    return day, same[0] if same else raw


def _fast_day(raw: str, rules: MetaRules) -> dt.date | None:
    """The day of an ISO or month-name date without dateparser (None when it has another form)."""
    iso = ISO_DATE.search(raw)
    if iso:
        try:
            return dt.date(int(iso[1]), int(iso[2]), int(iso[3]))
        except ValueError:
            return None
    found = _find_line_dates(raw, rules)
    return found[0][0] if found else None


def extract_html_metadata(html: str | None = None, url: str | None = None, rules: MetaRules | None = None,
                          tree=None) -> PageMetadata:
    """Metadata of an HTML page from JSON-LD, meta tags, headings and trafilatura/htmldate.

    `tree`: the page already parsed (trafilatura.utils.load_html), so that the HTML path parses it once;
    without it `html` is parsed here."""
    rules = rules or load_meta_rules()
    if tree is None and html:
        from trafilatura.utils import load_html

        tree = load_html(html)
    if tree is None:
        return PageMetadata(url=url, domain=find_domain(url))
    cand = _gather_html(tree, url, rules)
    published, published_raw = _choose_date(cand, rules)
    title = _choose_title(cand, rules)
    return PageMetadata(
        title=title,
        subtitle=cand.description,
        authors=_choose_authors(cand, tree, title, rules),
        published=published,
        published_raw=published_raw,
        site=cand.site,
        url=cand.url,
        domain=find_domain(cand.url),
        language=cand.language,
    )


# ---------------------------------------------------------------- text dumps


def _first_group(lines: Sequence[Line], label: str) -> list[Line]:
    """The first run of consecutive lines carrying a label (a wrapped headline or dek)."""
    group: list[Line] = []
    for line in lines:
        if line.label == label:
            group.append(line)
        elif group:
            break
    return group


def _looks_like_byline(text: str, rules: MetaRules) -> bool:
    """A short line that starts with a byline prefix ('By ', 'Von ', 'Autor:') followed by a capital."""
    match = rules.authors.prefix.match(text)
    return bool(match) and len(text.split()) <= 14 and text[match.end():match.end() + 1].isupper()


def _date_score(line: Line, text: str, rules: MetaRules) -> int:
    """Rank a date line: labelled DATE lines and 'published' labels first, 'updated' last."""
    label = rules.dates.label.match(text)
    score = 3 if line.label == DATE else 0
    if label:
        score += -2 if label.group(0).lower().startswith(("updated", "aktualisiert", "modified", "geändert",
                                                           "zuletzt")) else 2
    if line.label == BYLINE or _looks_like_byline(text, rules):
        score += 1
    return score


def _around(lines: Sequence[Line], anchor: int, before: int, after: int) -> list[Line]:
    return list(lines[max(0, anchor - before): anchor + after + 1])


SEGMENT_SPLIT = re.compile(r"\s+[•·|]\s+|\s{3,}")
TITLE_OK_REASONS = frozenset({None, "outside_article", "duplicate_title", "navigation", "breadcrumb"})


def _title_candidates(lines: Sequence[Line], rules: MetaRules) -> Line | None:
    """On a whole page, the most headline-like line near the top of the body (the classifier's pick helps)."""
    first_body = next((i for i, ln in enumerate(lines) if ln.label == BODY), None)
    if first_body is None:
        return None
    counts: dict[str, int] = {}
    for ln in lines:
        key = _norm(ln.text.lstrip("•□☆○ "))
        counts[key] = counts.get(key, 0) + 1
    best, best_score = None, 0.0
    lo = max(0, first_body - rules.text.window_before * 2)
    for i in range(lo, min(len(lines), first_body + 3)):
        ln = lines[i]
        text = ln.text
        words = len(text.split())
        if text[:1] in "•□☆○[" or ln.reason not in TITLE_OK_REASONS or ln.label in (DATE, BYLINE, CAPTION):
            continue
        if not 2 <= words <= 25 or _looks_like_byline(text, rules) or rules.dates.pattern.search(text):
            continue
        score = 1.0 - 0.08 * abs(first_body - i)
        if ln.label == TITLE:
            score += 2.0
        if ln.label == BODY:
            score -= 1.5
        if text.endswith(".") and words > 10:
            score -= 1.5
        if counts.get(_norm(text), 0) > 1:
            score += 1.0
        nearby = lines[i + 1: i + 4]
        if any(n.label in (BYLINE, DATE) or _looks_like_byline(n.text, rules)
               or (len(n.text.split()) <= 12 and rules.dates.pattern.search(n.text)) for n in nearby):
            score += 1.5
        if score > best_score:
            best, best_score = ln, score
    return best


def _strip_kicker(title: str) -> str:
    """'Kicker : Headline' (a kicker element rendered before the headline) -> 'Headline'."""
    head, sep, tail = title.partition(" : ")
    return tail.strip() if sep and len(head.split()) <= 6 and len(tail.split()) >= 2 else title


def _source_domain(page: Sequence[Line], rules: MetaRules) -> str | None:
    for line in page:
        match = rules.text.source_line.match(line.text)
        if match:
            return match.group("domain").lower()
    return None


def _find_dateline(lines: Sequence[Line], rules: MetaRules) -> str | None:
    """The dateline ('WASHINGTON, WORLD LINES –') opening the first body paragraph, if any."""
    first = next((ln.text for ln in lines if ln.label == BODY), None)
    match = rules.text.dateline.match(first) if first else None
    return match.group("dateline").strip() if match else None


def extract_text_metadata(lines: Sequence[Line], page: Sequence[Line] | None = None,
                          rules: MetaRules | None = None) -> PageMetadata:
    """Metadata of one article of a text dump from its labelled lines (page: all lines, for site/url)."""
    rules = rules or load_meta_rules()
    page = page if page is not None else lines
    if any(ln.label not in (TITLE, SUBTITLE, BYLINE, DATE, CAPTION, BODY) for ln in lines):
        # A whole page (boilerplate included): the labels are only hints, rank every candidate line.
        found = extract_page_text_metadata(lines, rules)
        sub_lines = _first_group(lines, SUBTITLE)
        domain = _source_domain(page, rules)
        return dataclasses.replace(found, subtitle=" ".join(ln.text for ln in sub_lines) or None,
                                   site=domain, domain=domain, dateline=_find_dateline(lines, rules))
    title_lines = _first_group(lines, TITLE)
    title = _strip_kicker(" ".join(ln.text for ln in title_lines)) or None
    sub_lines = _first_group(lines, SUBTITLE)
    subtitle = " ".join(ln.text for ln in sub_lines) or None
    body = [ln.text for ln in lines if ln.label == BODY]
    anchor = lines.index(title_lines[0]) if title_lines else next(
        (i for i, ln in enumerate(lines) if ln.label == BODY), 0)
    near = _around(lines, anchor, rules.text.window_before, rules.text.window_after)

    authors: tuple[str, ...] = ()
    for line in [ln for ln in lines if ln.label == BYLINE] + [ln for ln in near if ln.label != CAPTION]:
        if line.label == BYLINE:
            authors = clean_authors(line.text, rules)
        else:
            segments = [seg for seg in SEGMENT_SPLIT.split(line.text) if _looks_like_byline(seg, rules)]
            if segments and (line.label != BODY or len(line.text.split()) <= 8 or len(segments) < 2 < len(
                    SEGMENT_SPLIT.split(line.text))):
                authors = clean_authors(segments[0], rules)
        if authors:
            break

    published, published_raw = None, None
    candidates = [ln for ln in lines if ln.label == DATE] + [
        ln for ln in near if ln.label not in (CAPTION, TITLE) and (len(ln.text.split()) <= 16 or (
            ln.label != BODY and len(ln.text.split()) <= 30))]
    best = -99
    for line in candidates:
        raw = find_date_text(line.text, rules)
        day = parse_published(raw, rules) if raw else None
        if day is None:
            continue
        score = _date_score(line, line.text, rules) - (1 if line.label == BODY else 0)
        if score > best:
            best, published = score, day
            published_raw = line.text if line.label == DATE else raw

    domain = _source_domain(page, rules)
    dateline = _find_dateline(lines, rules)
    return PageMetadata(
        title=title,
        subtitle=subtitle,
        authors=authors,
        published=published,
        published_raw=published_raw,
        site=domain,
        url=None,
        domain=domain,
        language=detect_language(" ".join(body)),
        dateline=dateline,
    )


# ---------------------------------------------------------------- whole-page text dumps: candidate rankers
#
# On a whole page (boilerplate included) the classifier's TITLE/BYLINE/DATE labels are often wrong, so every
# plausible line near the top of the article is a candidate.  Each candidate gets a few generic features (label,
# distance to the first body line / to the chosen headline, length, shape, date or byline markers) and the one with
# the highest linear score wins; the weights live in rules_meta/ranker.toml.

NUM_OR_NAMED_DATE = re.compile(
    r"(?<!\d)(?:(?P<y1>(?:19|20)\d\d)[-/.](?P<m1>0?[1-9]|1[0-2])[-/.](?P<d1>0?[1-9]|[12]\d|3[01])(?!\d)"
    r"|(?P<d2>0?[1-9]|[12]\d|3[01])\s?[./]\s?(?P<m2>0?[1-9]|1[0-2])\s?[./]\s?(?P<y2>(?:19|20)\d\d|\d\d)(?!\d)"
    r"|(?P<d3>0?[1-9]|[12]\d|3[01])(?:st|nd|rd|th|er)?\.?\s*(?:de\s+)?(?P<n3>[^\W\d_]{3,10})\.?,?\s+(?:de\s+)?"
    r"(?P<y3>(?:19|20)\d\d)"
    r"|(?P<n4>[^\W\d_]{3,10})\.?\s+(?P<d4>0?[1-9]|[12]\d|3[01])(?:st|nd|rd|th)?,?\s+(?P<y4>(?:19|20)\d\d))")
BULLETS = "•□☆○■●◦▪-*> "
BYLINE_MARK = re.compile(
    r"(?:^|[\s|·•,(])(?P<mark>von|vom|by|par|por|door|di|autor(?:in)?|author|auteur|text|texte|redaktion|"
    r"verfasst von|geschrieben von|posted by|written by|ein beitrag von|quelle|herausgeber|interview|"
    r"text & fotos|text und fotos|escribe|publicado por|publié par|gespeichert von|erstellt von)"
    r"(?:\s*:\s*|\s+)(?=\S)", re.I)
NUMBERED = re.compile(r"^\d{1,2}[.)]\s")
ARROWS = re.compile(r"[←→»«>]\s*\w|\w\s*[>←→]")
GLUED_WORDS = re.compile(r"[a-zäöüß][A-ZÄÖÜ][a-zäöüß]")
GLUED_LEFT = re.compile(r"(?<=[^\W\d_])(?=\d)")
GLUED_RIGHT = re.compile(r"(?<=(?:19|20)\d\d)(?=[^\W\d_])")
SQUARE = re.compile(r"\[[^\]]*\]")
CAP_WORD = re.compile(r"[A-ZÄÖÜÀ-Ý][\w'’.-]*$")
NAME_STOP = re.compile(
    r"\s(?:am|on|um|at|in|le|el|em|under|unter|im|mit|with|for|für|\||·|•|/|—|–|-|\()\s|\s*[|·•/∙]\s*|\s{2,}|,\s*\d",
    re.I)
NAME_WORD = re.compile(r"^[^\W\d_][\w'’.-]*$")


def _date_from_match(m: re.Match[str], rules: MetaRules) -> dt.date | None:
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


DATE_HINT = re.compile(r"(?:19|20)\d\d|\d\s?[./]\s?\d\d?\s?[./]\s?\d\d")
DateMemo = dict[str, list[tuple[dt.date, re.Match[str]]]]


def _line_dates(text: str, rules: MetaRules, memo: DateMemo) -> list[tuple[dt.date, re.Match[str]]]:
    """Every readable date in a line (memo: one page's lines are looked at by several rankers)."""
    found = memo.get(text)
    if found is None:
        found = memo[text] = _find_line_dates(text, rules) if DATE_HINT.search(text) else []
    return found


def _hinted_lines(lines: Sequence[Line]) -> list[int]:
    """Indices of the lines that can hold a date, found with one scan of the whole page."""
    starts, pos = [], 0
    for ln in lines:
        starts.append(pos)
        pos += len(ln.text) + 1
    page = "\n".join(ln.text for ln in lines)
    hinted: list[int] = []
    for m in DATE_HINT.finditer(page):
        i = bisect.bisect_right(starts, m.start()) - 1
        if not hinted or hinted[-1] != i:
            hinted.append(i)
    return hinted


def _find_line_dates(text: str, rules: MetaRules) -> list[tuple[dt.date, re.Match[str]]]:
    found = []
    for m in NUM_OR_NAMED_DATE.finditer(text):
        day = _date_from_match(m, rules)
        if day:
            found.append((day, m))
    return found


def _strip_bullet(text: str) -> str:
    return text.lstrip(BULLETS).strip()


def _bucket(prefix: str, value: int, edges: Sequence[tuple[int, int, str]]) -> str:
    for lo, hi, name in edges:
        if lo <= value <= hi:
            return f"{prefix}{name}"
    return f"{prefix}other"


DIST_TITLE = ((-3, -1, "m1_3"), (-6, -4, "m4_6"), (-12, -7, "m7_12"), (-25, -13, "m13_25"), (-999, -26, "far"),
              (0, 0, "0"), (1, 3, "p1_3"), (4, 999, "p4"))
WORDS = ((1, 1, "1"), (2, 3, "2_3"), (4, 8, "4_8"), (9, 15, "9_15"), (16, 25, "16_25"), (26, 999, "26"))
DIST_META = ((-3, -1, "m1_3"), (-12, -4, "m4_12"), (-99999, -13, "far_before"), (0, 0, "0"), (1, 1, "p1"),
             (2, 2, "p2"), (3, 4, "p3_4"), (5, 10, "p5_10"), (11, 30, "p11_30"), (31, 99999, "far_after"))


def _label_feature(line: Line) -> str:
    if line.label != "boilerplate":
        return f"lab_{line.label}"
    return f"lab_{line.reason}" if line.reason in ("outside_article", "duplicate_title", "navigation",
                                                   "breadcrumb") else "lab_other"


def _score(feats: dict[str, float], weights: dict[str, float]) -> float:
    return sum(weights.get(k, 0.0) * v for k, v in feats.items())


def _line_counts(lines: Sequence[Line]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for ln in lines:
        key = _strip_bullet(ln.text).casefold()
        counts[key] = counts.get(key, 0) + 1
    return counts


def _title_features(lines: Sequence[Line], first_body: int, rules: MetaRules, body_words: set[str],
                    counts: dict[str, int], memo: DateMemo) -> list[tuple[int, str, dict[str, float]]]:
    """Headline candidates of a whole page: (line index, text, features)."""
    first_title = next((i for i, ln in enumerate(lines) if ln.label == TITLE), -1)
    out = []
    lo, hi = max(0, first_body - 40), min(len(lines), first_body + 6)
    idx = list(range(lo, hi))
    if first_title >= 0 and not lo <= first_title < hi:
        idx.append(first_title)
    for i in idx:
        ln = lines[i]
        text = _strip_bullet(ln.text)
        words = text.split()
        if not words or len(words) > 40:
            continue
        toks = [t for t in _tokens(text) if len(t) > 3 and not t.isdigit()]
        f = {_label_feature(ln): 1.0, _bucket("d_", i - first_body, DIST_TITLE): 1.0,
             _bucket("w_", len(words), WORDS): 1.0, "bias": 1.0}
        if ln.text[:1] in BULLETS and ln.text[:1] != " ":
            f["bullet"] = 1.0
        if text.endswith("."):
            f["end_period"] = 1.0
        if text.endswith(":"):
            f["end_colon"] = 1.0
        if text.endswith(("?", "!", "“", '"', "»", "«")):
            f["end_q"] = 1.0
        if _line_dates(text, rules, memo):
            f["has_date"] = 1.0
        if _looks_like_byline(text, rules) or (BYLINE_MARK.search(text) and len(words) <= 8):
            f["byline_like"] = 1.0
        n = counts.get(text.casefold(), 0)
        if n > 1:
            f["repeated"] = 1.0
        if n > 2:
            f["repeated3"] = 1.0
        if i == first_title:
            f["first_title"] = 1.0
        if toks:
            f["body_overlap"] = sum(t in body_words for t in toks) / len(toks)
        else:
            f["no_content_words"] = 1.0
        if not text[:1].isupper() and not text[:1].isdigit() and text[:1] not in "„“\"«»‘'":
            f["lower_start"] = 1.0
        if text.isupper() and len(words) > 1:
            f["all_caps"] = 1.0
        if HAS_DIGIT.search(text):
            f["digit"] = 1.0
        if " | " in text or " · " in text:
            f["pipe"] = 1.0
        if NUMBERED.match(text):
            f["numbered"] = 1.0
        if ARROWS.search(text):
            f["arrow"] = 1.0
        if GLUED_WORDS.search(text):
            f["glued"] = 1.0
        if ln.label == BODY and i + 1 < len(lines) and lines[i + 1].label == BODY and len(words) > 12:
            f["in_body_run"] = 1.0
        if "©" in text or URLISH.search(text) or EMAIL.search(text):
            f["junk"] = 1.0
        nxt = lines[i + 1: i + 4]
        if any(_line_dates(x.text, rules, memo) and len(x.text.split()) <= 14 for x in nxt):
            f["next_date"] = 1.0
        if any(x.label == BYLINE or (BYLINE_MARK.search(x.text) and len(x.text.split()) <= 12) for x in nxt):
            f["next_byline"] = 1.0
        if i + 1 < len(lines) and lines[i + 1].label == BODY:
            f["next_body"] = 1.0
        if i > 0 and _norm(_strip_bullet(lines[i - 1].text)) == _norm(text):
            f["prev_same"] = 1.0
        out.append((i, text, f))
    return out


def _name_shaped(name: str, rules: MetaRules) -> bool:
    words = name.split()
    return 1 <= len(words) <= rules.authors.max_name_words and all(NAME_WORD.match(w) for w in words)


def _author_features(lines: Sequence[Line], anchor: int, rules: MetaRules, counts: dict[str, int],
                     memo: DateMemo) -> list[tuple[tuple[str, ...], dict[str, float]]]:
    """Author candidates around the headline (and BYLINE lines anywhere): (names, features)."""
    idx = list(range(max(0, anchor - 12), min(len(lines), anchor + 31)))
    idx += [i for i, ln in enumerate(lines) if ln.label == BYLINE and i not in idx][:3]
    out = []
    for i in idx:
        ln = lines[i]
        text = GLUED_RIGHT.sub(" ", GLUED_LEFT.sub(" ", SQUARE.sub(" ", ln.text))).strip(BULLETS)
        nwords = len(text.split())
        if nwords > 40 or not any(c.isalpha() for c in text):
            continue
        dates = _line_dates(text, rules, memo)
        base = {_label_feature(ln): 1.0, _bucket("d_", i - anchor, DIST_META): 1.0, "bias": 1.0}
        if dates:
            base["line_date"] = 1.0
        if nwords <= 6:
            base["line_short"] = 1.0
        if i == anchor:
            base["is_title"] = 1.0
        cands: list[tuple[str, dict[str, float]]] = []
        for m in BYLINE_MARK.finditer(text):
            rest = text[m.end():]
            stop = NAME_STOP.search(" " + rest)
            name = (" " + rest)[: stop.start()] if stop else " " + rest
            f = dict(base, mark=1.0)
            if m.start() == 0:
                f["mark_start"] = 1.0
            elif nwords > 12:
                f["mark_prose"] = 1.0
            if not name.strip()[:1].isupper():
                f["mark_lower"] = 1.0
            if m["mark"].lower() in ("von", "by", "vom"):
                f["mark_vonby"] = 1.0
            cands.append((name, f))
        if not cands and nwords <= 12:
            cleaned = text
            for _day, dm in reversed(dates):
                cleaned = cleaned[: dm.start()] + " | " + cleaned[dm.end():]
            for seg in re.split(r"\s*[|·•/∙●]\s*|\s{2,}", cleaned):
                seg = seg.strip(" ,;:-–—")
                if not seg:
                    continue
                cands.append((seg, dict(base, segment=1.0)))
                words = seg.split()
                if len(words) > 2:
                    head = list(itertools.takewhile(CAP_WORD.match, words))[:3]
                    tail = list(itertools.takewhile(CAP_WORD.match, reversed(words)))[:3][::-1]
                    if 2 <= len(head) < len(words):
                        cands.append((" ".join(head), dict(base, run_head=1.0)))
                    if 2 <= len(tail) < len(words):
                        cands.append((" ".join(tail), dict(base, run_tail=1.0)))
        cleaned_names = {raw: clean_authors(raw, rules) for raw, _f in cands}
        for raw, f in list(cands):
            names = cleaned_names[raw]
            if len(names) > 1:
                cands.append((names[0], dict(f, first_only=1.0)))
        for raw, f in cands:
            names = cleaned_names[raw] if raw in cleaned_names else clean_authors(raw, rules)
            if not names or not all(_name_shaped(n, rules) for n in names):
                continue
            f = dict(f)
            nw = len(names[0].split())
            f[_bucket("nw_", nw, ((1, 1, "1"), (2, 3, "2_3"), (4, 9, "4")))] = 1.0
            if all(w[:1].isupper() for n in names for w in n.split()):
                f["capitalised"] = 1.0
            first = names[0].split()[0].lower().strip(".,")
            if first in rules.authors.first_names:
                f["known_first"] = 1.0
            elif any(w.lower() in rules.authors.first_names for n in names for w in n.split()):
                f["known_any"] = 1.0
            if counts.get(names[0].casefold(), 0) > 1:
                f["name_repeated"] = 1.0
            if _norm(raw) == _norm(text):
                f["whole_line"] = 1.0
            out.append((names, f))
    return out


def _date_features(lines: Sequence[Line], anchor: int, rules: MetaRules,
                   memo: DateMemo) -> list[tuple[dt.date, str, dict[str, float]]]:
    """Date candidates of the whole page: (day, raw text, features)."""
    out = []
    seen_after = 0
    day_counts: dict[dt.date, int] = {}
    found = []
    for i in _hinted_lines(lines):
        ln = lines[i]
        for day, m in _line_dates(ln.text, rules, memo):
            found.append((i, ln, day, m))
            day_counts[day] = day_counts.get(day, 0) + 1
    if not found:
        return out
    newest = max(d for _i, _ln, d, _m in found)
    for i, ln, day, m in found:
        text = ln.text
        f = {_label_feature(ln): 1.0, _bucket("d_", i - anchor, DIST_META): 1.0, "bias": 1.0}
        label = rules.dates.label.match(text[: m.start()].strip() or text)
        pre = text[max(0, m.start() - 30): m.start()].lower()
        if label or any(w in pre for w in ("veröffentlicht", "published", "posted", "publiziert", "erstellt",
                                            "publié", "publicado", "datum", "date")):
            f["published_label"] = 1.0
        if any(w in pre for w in ("aktualisiert", "updated", "geändert", "modified", "update", "stand",
                                  "atualizado", "actualizado", "mis à jour")):
            f["updated_label"] = 1.0
        if len(text.split()) <= 10:
            f["line_short"] = 1.0
        if BYLINE_MARK.search(text) or ln.label == BYLINE:
            f["line_byline"] = 1.0
        if i >= anchor:
            seen_after += 1
            if seen_after == 1:
                f["first_after"] = 1.0
        if day == newest:
            f["newest"] = 1.0
        if day_counts[day] > 1:
            f["day_repeated"] = 1.0
        if m["y2"] and len(m["y2"]) == 2:
            f["short_year"] = 1.0
        if m["n3"] or m["n4"]:
            f["named_month"] = 1.0
        out.append((day, m.group(0), f))
    return out


def extract_page_text_metadata(lines: Sequence[Line], rules: MetaRules | None = None) -> PageMetadata:
    """Metadata of a whole text dump page (boilerplate lines included) by ranking candidate lines."""
    rules = rules or load_meta_rules()
    w = rules.ranker.weights
    first_body = next((i for i, ln in enumerate(lines) if ln.label == BODY), 0)
    body = [ln.text for ln in lines if ln.label == BODY]
    body_words = {t for text in body[:40] for t in _tokens(text) if len(t) > 3}
    counts = _line_counts(lines)
    memo: DateMemo = {}
    titles = _title_features(lines, first_body, rules, body_words, counts, memo)
    title, anchor = None, first_body
    if titles:
        i, text, _f = max(titles, key=lambda c: _score(c[2], w.get("title", {})))
        title, anchor = _strip_kicker(text), i
    authors: tuple[str, ...] = ()
    cands = _author_features(lines, anchor, rules, counts, memo)
    if cands:
        authors = max(cands, key=lambda c: _score(c[1], w.get("author", {})))[0]
    published, published_raw = None, None
    dates = _date_features(lines, anchor, rules, memo)
    if dates:
        published, published_raw, _f = max(dates, key=lambda c: _score(c[2], w.get("date", {})))
    return PageMetadata(title=title, authors=authors, published=published, published_raw=published_raw,
                        language=detect_language(" ".join(body)))
