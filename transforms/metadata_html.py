"""HTML front-end of the metadata: gathers the candidates a page gives (JSON-LD, meta tags, trafilatura/htmldate,
byline elements, the visible text around the headline) on one parsed tree and lets the field modules (titles,
authors, dates, sites, meta_ranker) judge them."""

from __future__ import annotations

import datetime as dt
import functools
import html as html_lib
import json
import re
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from transforms.authors import clean_authors, is_name_shaped, judge_name
from transforms.dates import fast_day, find_line_dates, local_day, parse_published, read_timestamp, swapped_day
from transforms.meta_ranker import rank_page_authors
from transforms.meta_rules import HeadlineDateRules
from transforms.metadata import HAS_DIGIT, PageMetadata, normal_words, squash_spaces
from transforms.record import Line
from transforms.rules import Rules
from transforms.sites import find_domain, site_words
from transforms.titles import strip_site_suffix

if TYPE_CHECKING:
    from transforms.clean_text import LineMemo

ARTICLE_TYPES = ("article", "posting", "report", "review", "recipe", "blog", "creativework", "question")

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
            if key and (attr, key) not in table and (value := squash_spaces(content)):
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


def _html_byline(tree, rules: Rules) -> tuple[str, ...]:
    """The first short byline-like element (rel/itemprop=author, class or id naming an author or byline)."""
    for el in tree.xpath(BYLINE_XPATH)[:20]:
        text = squash_spaces(el.text_content())
        if not text or len(text.split()) > 10:
            continue
        names = clean_authors(text, rules)
        if names and all(is_name_shaped(n, rules) for n in names):
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
    # Only htmldate's fast search: its extensive search sends free-text candidates to dateparser, which tries
    # every locale on each (3-18 s on one real page); _visible_date reads the page's text instead.
    meta.date = find_date(tree, **{**set_date_params(False), "url": meta.url})
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


def _gather_html(tree, url: str | None, rules: Rules) -> _HtmlCandidates:
    ld_headline, ld_authors, ld_published, ld_site, ld_url = _read_json_ld(tree)
    metas = _meta_table(tree)
    h1 = tuple(t for t in (squash_spaces(h.text_content()) for h in tree.iter("h1")) if t)
    title_tag = squash_spaces(tree.findtext(".//title")) or None
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
        ld_headline=squash_spaces(ld_headline) or None,
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


def _choose_title(c: _HtmlCandidates, rules: Rules) -> str | None:
    titles = [html_lib.unescape(t) for t in (c.ld_headline, c.og_title, c.title_tag, c.traf_title) if t]
    for h in c.h1[:3]:
        nh = normal_words(h)
        if len(nh.split()) >= 2 and any(nh in normal_words(t) for t in titles):
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


class _StopWalk(Exception):
    """Raised by a line callback of _walk_lines to end the walk early."""


def _walk_lines(tree, emit, hidden: frozenset[str] = frozenset(), block=None) -> None:
    """Call emit(line) for each line of text a browser shows of a parsed page, in order, and emit("") for the
    blank line after a paragraph block; elements whose class is in `hidden` (and the page's hidden="" or
    display:none elements, when `hidden` is given) are skipped. `block`: only this element (default: the body)."""
    line: list[str] = []

    def flush(blank: bool) -> None:
        text = squash_spaces("".join(line))
        line.clear()
        if text:
            emit(text)
        if blank:
            emit("")

    def skipped(el) -> bool:
        if el.get("hidden") is not None or "display:none" in (el.get("style") or "").replace(" ", ""):
            return True
        return not hidden.isdisjoint((el.get("class") or "").lower().split())

    def walk(el) -> None:
        tag = el.tag if isinstance(el.tag, str) else None
        if tag is None or tag in SKIP_TAGS or (hidden and skipped(el)):
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

    if block is None:
        block = tree.find(".//body")
        block = tree if block is None else block
    try:
        walk(block)
        flush(False)
    except _StopWalk:
        pass


def visible_text(tree) -> str:
    """The text a browser shows of a parsed page, one block per line, blank lines between paragraphs and
    list items bulleted (the shape of the text dumps classify_lines reads)."""
    out: list[str] = []

    def emit(text: str) -> None:
        if text or (out and out[-1]):
            out.append(text)

    _walk_lines(tree, emit)
    return "\n".join(out)


def _visible_lines(tree, rules: Rules, memo: LineMemo | None) -> tuple[Line, ...]:
    """The page's visible text labelled by the text cleaner (`memo`: line evidence already computed,
    clean_text.LineMemo), read by the text-dump author ranker and date reader."""
    from transforms.clean_text import classify_lines

    return classify_lines(visible_text(tree), rules, memo=memo)


def _visible_date(lines: Sequence[Line], rules: Rules) -> tuple[dt.date | None, str | None]:
    """The date the text-dump metadata finds in the page's labelled visible text, for pages whose markup gives
    none; (None, None) unless that date is plausible (a raw date alone is no reason to quarantine an HTML page)."""
    from transforms.metadata_text import extract_text_metadata

    found = extract_text_metadata(lines, rules)
    return (found.published, found.published_raw) if found.published else (None, None)


def _choose_authors(c: _HtmlCandidates, tree, rules: Rules,
                    visible_lines: Callable[[], Sequence[Line]]) -> tuple[str, ...]:
    """People named by the markup (JSON-LD, meta tags, trafilatura, a byline element), else by the visible text
    near the headline, else the newsroom or organisation the markup gives."""
    site = site_words(c.site, c.url)
    orgs: list[str] = []
    newsroom = None
    def traf_author() -> list[str]:
        from trafilatura.metadata import extract_author

        found = c.traf_author or extract_author(tree)
        return found.split(";") if found else []

    sources = (lambda: c.ld_authors, lambda: c.meta_authors, traf_author, lambda: _html_byline(tree, rules))
    for source in sources:  # later sources are searched only when the earlier ones name nobody
        raw = source()
        judged = [j for j in (judge_name(name, site, rules) for name in clean_authors(raw, rules)) if j]
        people = [name for name, person in judged if person]
        # The site or an organisation next to a full name is dropped ("Rob Picheta, CNN"); next to an agency
        # code or a first name it is part of the credit ("AFP; The Local").
        if any(len(name.split()) > 1 for name in people):
            return tuple(dict.fromkeys(people))
        if people:
            return tuple(dict.fromkeys(name for name, _person in judged))
        orgs += [name for name, _person in judged]
        raws = [raw] if isinstance(raw, str) else list(raw)
        newsroom = newsroom or next(
            (squash_spaces(r) for r in raws if squash_spaces(r).lower() in rules.authors.newsroom), None)
    if newsroom:
        return (newsroom,)
    # Authors in the visible text ("Von X", "X | date", a name line under the headline), by the text-dump ranker
    ranked = rank_page_authors(visible_lines(), rules)
    visible = [j for j in (judge_name(name, site, rules) for name in ranked) if j]
    people = [name for name, person in visible if person]
    if people:
        return tuple(dict.fromkeys(people))
    if orgs:
        return (orgs[0],)
    return tuple(dict.fromkeys(name for name, _person in visible))


def _zone_keys(c: _HtmlCandidates) -> tuple[str, str, str]:
    """Where the site's time zone is looked up ([dates.timezones]): its country-code TLD, the region of
    <html lang>, then its language."""
    return (find_domain(c.url) or "").rsplit(".", 1)[-1], c.lang_region or "", f"lang:{c.language}"


def _choose_date(c: _HtmlCandidates, rules: Rules, tree=None, title: str | None = None,
                 visible_lines: Callable[[], Sequence[Line]] | None = None) -> tuple[dt.date | None, str | None]:
    """The structured date (_markup_date), unless the date line next to the headline names a day that neither
    htmldate nor the page's datePublished / published_time give, in either day/month order (htmldate's guess
    from a sidebar or a comment, a 'last updated' date the page shows, a bare day in UTC a day late)."""
    day, raw = _markup_date(c, rules)
    if day is None and visible_lines is not None:
        day, raw = _visible_date(visible_lines(), rules)
    # The chosen title, or the page's first <h1> of a headline's length (og:title may be a shorter version).
    heading = next((h for h in c.h1 if len(h.split()) >= 3), None)
    seen = _headline_date(tree, (title, heading), rules) if tree is not None else None
    if seen is None:
        return day, raw
    shown, shown_raw, line = seen
    known = {day} | {fast_day(r, rules) for r in (c.traf_date, c.ld_published, c.meta_published) if r}
    in_line = {d for d, _m in find_line_dates(line, rules)}
    if day in in_line or known & {shown, swapped_day(shown)}:
        return day, raw
    return shown, shown_raw


def _markup_date(c: _HtmlCandidates, rules: Rules) -> tuple[dt.date | None, str | None]:
    """htmldate's original date, unless the page's datePublished / published_time, read in the site's time
    zone, says the day before or after (htmldate reads URL dates and UTC timestamps without a zone), or the
    JSON-LD datePublished carries a local UTC offset."""
    day, raw = None, None
    for raw in (c.traf_date, c.ld_published, c.meta_published):
        day = parse_published(raw, rules)
        if day:
            break
    for stamp in (c.ld_published, c.meta_published):
        local = local_day(stamp, _zone_keys(c), rules)
        if local and (day is None or abs(local - day) == dt.timedelta(days=1)):
            return local, stamp
    # JSON-LD's datePublished with the site's own UTC offset is the publisher's word: it beats any date
    # htmldate found elsewhere in the page.
    stamp = read_timestamp(c.ld_published, rules)
    if stamp is not None and stamp[1] and (local := stamp[0].date()) != day:
        return local, c.ld_published
    if day is None:
        return None, None
    # Keep the page's own spelling of the date when it says the same day as htmldate.
    same = [r for r in (c.ld_published, c.meta_published) if r and fast_day(r, rules) == day]
    return day, same[0] if same else raw


def _is_headline(norm: str, keys: list[str]) -> bool:
    return any(norm == key or (key in norm and len(norm) < 2 * len(key)) for key in keys)


def _headline_lines(tree, titles: tuple[str | None, ...],
                    h: HeadlineDateRules) -> tuple[list[str], list[str]] | None:
    """The visible lines just above and below the headline (the first line that is one of the titles, or
    holds it and little else); None when the headline is not found in the visible text.

    When an <h1> is the headline, the elements before and after it (its siblings, then its parent's, ...)
    are read outwards until they give the lines wanted, so that the menus before it are not walked;
    otherwise the whole page is walked, up to the lines below the headline."""
    keys = [k for k in dict.fromkeys(normal_words(t) for t in titles) if len(k) >= 4]
    if not keys:
        return None
    h1 = next((el for el in tree.iter("h1") if _is_headline(normal_words(el.text_content()), keys)), None)
    if h1 is None:
        return _lines_around(tree, keys, h, None)
    return _lines_outwards(h1, h.before, h.hidden_classes, True), _lines_outwards(h1, h.after, h.hidden_classes)


def _lines_outwards(anchor, wanted: int, hidden: frozenset[str], preceding: bool = False) -> list[str]:
    """The `wanted` visible lines nearest before (preceding) or after an element, in page order."""
    found: list[str] = []
    el = anchor
    while el is not None and el.tag not in ("body", "html") and len(found) < wanted:
        for sibling in el.itersiblings(preceding=preceding):
            lines: list[str] = []
            stop_at = wanted - len(found) if not preceding else -1

            def emit(text: str, lines: list[str] = lines, stop_at: int = stop_at) -> None:
                if text:
                    lines.append(text)
                    if len(lines) == stop_at:
                        raise _StopWalk

            _walk_lines(None, emit, hidden, sibling)
            found = lines + found if preceding else found + lines
            if len(found) >= wanted:
                break
        el = el.getparent()
    return found[-wanted:] if preceding else found[:wanted]


def _lines_around(tree, keys: list[str], h: HeadlineDateRules, block) -> tuple[list[str], list[str]] | None:
    """The lines above and below the first headline line in one block of the page (None: the whole page)."""
    before: deque[str] = deque(maxlen=h.before)
    after: list[str] = []
    found = False

    def emit(text: str) -> None:
        nonlocal found
        if not text:
            return
        if found:
            after.append(text)
            if len(after) >= h.after:
                raise _StopWalk
        elif _is_headline(normal_words(text), keys):
            found = True
        else:
            before.append(text)

    _walk_lines(tree, emit, h.hidden_classes, block)
    return (list(before), after) if found else None


def _headline_date(tree, titles: tuple[str | None, ...], rules: Rules) -> tuple[dt.date, str, str] | None:
    """The date a reader sees next to the headline: in the nearest line above or below it ([dates.headline]
    window) with a readable date, a line labelled as the publication date first: (day, its text, the line).
    None when there is none or when the nearest date there is relative ("vor 4 Monaten"); dates labelled as
    no article date ("Registriert: ...") and dates inside prose are passed over."""
    h = rules.dates.headline
    around = _headline_lines(tree, titles, h) if h is not None else None
    if around is None:
        return None
    above, below = around
    best: tuple[tuple[bool, float], tuple[dt.date, str] | None, str] | None = None
    for distance, text in [(i + 1, t) for i, t in enumerate(below)] + [(i + 1.5, t) for i, t in
                                                                     enumerate(reversed(above))]:
        found = find_line_dates(text, rules) if HAS_DIGIT.search(text) else []
        relative = h.relative.search(text)
        if not found and not relative:
            continue
        start = found[0][1].start() if found else relative.start()
        if relative and (not found or relative.start() < start):  # the page's date line, unreadable
            day = None
        else:
            day = found[0][0], found[0][1].group(0)
            if start and len(text.split()) > h.max_words:  # prose mentioning a date
                continue
        label = text[:start]
        if h.ignore.search(label):
            continue
        rank = (not h.published.search(label), distance)
        if best is None or rank < best[0]:
            best = (rank, day, text)
    if best is None or best[1] is None:
        return None
    return best[1][0], best[1][1], best[2]


def extract_html_metadata(html: str | None, url: str | None, rules: Rules, tree=None,
                          memo: LineMemo | None = None) -> PageMetadata:
    """Metadata of an HTML page from JSON-LD, meta tags, headings and trafilatura/htmldate.

    `tree`: the page already parsed (trafilatura.utils.load_html), so that the HTML path parses it once;
    without it `html` is parsed here. `memo`: the text cleaner's line evidence (clean_text.LineMemo) from the
    body vote's run on the page's rendering, so that the visible-text author search reuses it."""
    if tree is None and html:
        from trafilatura.utils import load_html

        tree = load_html(html)
    if tree is None:
        return PageMetadata(url=url, domain=find_domain(url))
    cand = _gather_html(tree, url, rules)
    title = _choose_title(cand, rules)
    # labelled once, on demand: by the date reader (no markup date) and the author search (no markup author)
    visible_lines = functools.cache(lambda: _visible_lines(tree, rules, memo))
    published, published_raw = _choose_date(cand, rules, tree, title, visible_lines)
    return PageMetadata(
        title=title,
        subtitle=cand.description,
        authors=_choose_authors(cand, tree, rules, visible_lines),
        published=published,
        published_raw=published_raw,
        site=cand.site,
        url=cand.url,
        domain=find_domain(cand.url),
        language=cand.language,
    )
