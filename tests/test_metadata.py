"""Page metadata from text dumps (the real seeds) and HTML pages, and the rules loader."""

from __future__ import annotations

import datetime as dt
import pathlib

import pytest

from transforms.authors import clean_authors
from transforms.clean_text import classify_lines
from transforms.dates import parse_published
from transforms.metadata import PageMetadata
from transforms.metadata_html import extract_html_metadata
from transforms.metadata_text import extract_text_metadata
from transforms.rules import RulesError, load_rules
from transforms.segment import split_articles
from transforms.sites import find_domain

RULES = load_rules()

INBOX = pathlib.Path(__file__).resolve().parents[1] / "samples" / "inbox"


def seed_metadata(prefix: str) -> list[PageMetadata]:
    """Metadata of every article of the seed whose file name starts with prefix."""
    (path,) = INBOX.glob(f"{prefix}_*.txt")
    lines = classify_lines(path.read_text(encoding="utf-8"), RULES)
    return [extract_text_metadata(article, RULES, page=lines) for article in split_articles(lines)]


def test_seed_headlines_bylines_and_dates() -> None:
    (m0,) = seed_metadata("000")
    assert m0.title == "US assures Balkan allies of support against Russia"
    assert m0.subtitle and m0.subtitle.startswith("It comes as US vice president Mike Pence")
    assert (m0.authors, m0.published, m0.language) == ((), None, "en")
    (m1,) = seed_metadata("001")
    assert m1.title == "Blinken Calls for ‘United’ NATO Stance on Russian Troop Buildup Near Ukraine"
    assert (m1.site, m1.domain) == ("voanews.com", "voanews.com")
    (m2,) = seed_metadata("002")
    assert m2.title == "US, NATO Respond to Russia’s Demands After Moscow Warns of ‘Retaliatory Measures’"
    assert m2.authors == ("Mimi Nguyen Ly",)
    (m3,) = seed_metadata("003")
    assert m3.title == "US-NATO Compact Reject Russia’s Demands"
    assert m3.dateline == "WASHINGTON, WORLD LINES"


def test_headline_fragments_never_become_authors() -> None:
    """Seeds 001 and 003 name no author: the title-case tail of the headline is not a byline."""
    (m1,) = seed_metadata("001")
    (m3,) = seed_metadata("003")
    assert (m1.authors, m3.authors) == ((), ())
    page = classify_lines("Menu\n\nBlinken Calls for NATO Stance on Troop Buildup Near Ukraine\n\n"
                          "Secretary of State Antony Blinken said on Monday that the alliance must stand united, "
                          "and that the buildup near the border was a threat to peace in the whole region.\n", RULES)
    assert extract_text_metadata(page, RULES).authors == ()
    # the same page with a byline line names its author
    signed = classify_lines("Blinken Calls for NATO Stance on Troop Buildup Near Ukraine\n\nBy Jane Roe\n\n"
                            "Secretary of State Antony Blinken said on Monday that the alliance must stand united, "
                            "and that the buildup near the border was a threat to peace in the whole region.\n", RULES)
    assert extract_text_metadata(signed, RULES).authors == ("Jane Roe",)


def test_unsure_author_candidates_are_left_null() -> None:
    """A name line off a byline line is only answered above the model's abstain_below; a byline line always."""
    from transforms.meta_ranker import is_answered

    threshold = RULES.ranker.abstain_below["author"]
    assert not is_answered(threshold - 0.1, {"segment": 1.0, "lab_outside_article": 1.0}, threshold)
    assert is_answered(threshold + 0.1, {"segment": 1.0, "lab_outside_article": 1.0}, threshold)
    assert is_answered(threshold - 5, {"segment": 1.0, "lab_byline": 1.0}, threshold)


def test_seed_004_digest_page_date_applies_to_every_article() -> None:
    metas = seed_metadata("004")
    assert [m.title for m in metas] == [
        "Estonia, Latvia and Lithuania want to increase deterrence against possible Russian military action",
        "Patience with West has come to an end – Moscow",
        "Russia ‘fabricating a pretext for invasion’ of Ukraine – White House",
        "Russia responds to US ‘false flag’ claims",
    ]
    assert [m.authors for m in metas] == [(), ("Layla Guest",), (), ()]
    assert {m.published for m in metas} == {dt.date(2022, 1, 15)}
    assert {m.published_raw for m in metas} == {"Saturday, January 15, 2022"}
    assert metas[3].subtitle == ("The Kremlin says there is no evidence for ‘hearsay’ accusations"
                                 " of Russian ‘operatives’ set to frame Ukraine")


@pytest.mark.parametrize(("raw", "expected"), [
    ("Saturday, January 15, 2022", dt.date(2022, 1, 15)),
    ("Jan. 24, 2022", dt.date(2022, 1, 24)),
    ("November 18, 2019 11:03 PM", dt.date(2019, 11, 18)),
    ("19.10.2019", dt.date(2019, 10, 19)),
    ("19. Oktober 2019", dt.date(2019, 10, 19)),
    ("2019-10-19T03:00:00.000Z", dt.date(2019, 10, 19)),
    ("Veröffentlicht am 3. März 2020, 10:15 Uhr", dt.date(2020, 3, 3)),
    ("2019-11-19T10:00:00+01:00", dt.date(2019, 11, 19)),
    ("no date here", None),
    (None, None),
    ("Call 0800 123 456", None),
])
def test_parse_published(raw: str, expected: dt.date | None) -> None:
    assert parse_published(raw, RULES) == expected


@pytest.mark.parametrize(("raw", "names"), [
    ("By Layla Guest", ("Layla Guest",)),
    ("Mimi Nguyen Ly", ("Mimi Nguyen Ly",)),
    ("By Jane Doe and John Roe", ("Jane Doe", "John Roe")),
    ("Von Bettina Kugler 19.10.2019, 05:00 Uhr", ("Bettina Kugler",)),
    ("By Jane Doe, Staff Writer", ("Jane Doe",)),
    ("Jane Doe | jane.doe@example.com", ("Jane Doe",)),
    ("Staff", ()),
    ("Autor: Max Mustermann; Erika Musterfrau", ("Max Mustermann", "Erika Musterfrau")),
    (["Ivan Penn", "Ivan Penn"], ("Ivan Penn",)),
])
def test_clean_authors(raw: str | list[str], names: tuple[str, ...]) -> None:
    assert clean_authors(raw, RULES) == names


@pytest.mark.parametrize(("raw", "names"), [
    # what an HTML-to-text copy glues to a name: a plain mark, a one-word role, the name twice
    ("ByAlex Bozarjian", ("Alex Bozarjian",)),
    ("ByJ.R. Stone", ("J.R. Stone",)),
    ("Veröffentlicht vonChris Jung", ("Chris Jung",)),
    ("By Evan HalperStaff Writer", ("Evan Halper",)),
    ("Inga HoeltmannFollow", ("Inga Hoeltmann",)),
    ("Ophélie OstermannOphélie Ostermann", ("Ophélie Ostermann",)),
    # names that only look glued stay whole
    ("Byron Bay", ("Byron Bay",)),
    ("Leonardo DiCaprio", ("Leonardo DiCaprio",)),
    ("Steve LeVine", ("Steve LeVine",)),
    ("BYRON YORK", ("BYRON YORK",)),
])
def test_glued_bylines_are_undone(raw: str, names: tuple[str, ...]) -> None:
    assert clean_authors(raw, RULES) == names


@pytest.mark.parametrize(("raw", "names"), [
    # a date label or a boilerplate line (rules/dates.toml, rules/boilerplate.toml) ends the name
    ("Evgenia Karp Zuletzt geändert", ("Evgenia Karp",)),
    ("Sonia Mevißen Erstellt", ("Sonia Mevißen",)),
    ("Ulrike Stockhausen Schreibe einen Kommentar", ("Ulrike Stockhausen",)),
    ("George Ambler Leave a reply", ("George Ambler",)),
    ("Last Modified", ()),
    ("Posted", ()),
    ("Orion Jones on", ("Orion Jones",)),
    # words of the text, not names
    ("und Kontaktadresse", ()),
    ("Name is required", ()),
    ("forget stored information", ()),
    ("r", ()),
    # particles and handles are names
    ("Christoph von Ritter", ("Christoph von Ritter",)),
    ("John v. Berenberg-Consbruch", ("John v. Berenberg-Consbruch",)),
    ("karstenruppert", ("karstenruppert",)),
    ("happyface313", ("happyface313",)),  # a user name with digits; a date or a number is none
    ("Jane Doe 12", ()),
    ("MP3", ()),
    ("AP", ("AP",)),
])
def test_names_end_where_labels_begin_and_phrases_are_no_names(raw: str, names: tuple[str, ...]) -> None:
    assert clean_authors(raw, RULES) == names


HTML = """<html lang="de-CH"><head><title>Mit allen Wassern gewaschen | St.Galler Tagblatt</title>
<meta property="og:site_name" content="St.Galler Tagblatt">
<meta property="og:title" content="Mit allen Wassern gewaschen | St.Galler Tagblatt">
<link rel="canonical" href="https://www.tagblatt.ch/kultur/mit-allen-wassern-gewaschen-ld.1161246">
<script type="application/ld+json">{"@context": "http://schema.org", "@type": "NewsArticle",
 "headline": "Mit allen Wassern gewaschen", "datePublished": "2019-10-19T03:00:00.000Z",
 "author": [{"@type": "Person", "name": "Bettina Kugler"}], "publisher": {"@type": "Organization",
 "name": "St.Galler Tagblatt"}}</script></head>
<body><h1>Mit allen Wassern gewaschen</h1>
<p>Die Tanzkompanie zeigt in der Lokremise ein neues Stück.</p></body></html>"""


def test_html_metadata_from_json_ld_and_meta_tags() -> None:
    meta = extract_html_metadata(HTML, None, RULES)
    assert meta.title == "Mit allen Wassern gewaschen"
    assert meta.authors == ("Bettina Kugler",)
    assert (meta.published, meta.published_raw) == (dt.date(2019, 10, 19), "2019-10-19T03:00:00.000Z")
    assert meta.site == "St.Galler Tagblatt"
    assert (meta.url, meta.domain, meta.language) == (
        "https://www.tagblatt.ch/kultur/mit-allen-wassern-gewaschen-ld.1161246", "tagblatt.ch", "de")


def test_html_metadata_of_empty_page() -> None:
    assert extract_html_metadata("", "https://www.example.com/a", RULES) == PageMetadata(
        url="https://www.example.com/a", domain="example.com")


def test_find_domain() -> None:
    assert find_domain("https://www.voanews.com/a/x.html") == "voanews.com"
    assert find_domain("voanews.com") == "voanews.com"
    assert find_domain(None) is None


def test_rules_loader_rejects_empty_and_broken_files(tmp_path: pathlib.Path) -> None:
    with pytest.raises(RulesError, match=r"no \*\.toml"):
        load_rules(tmp_path)
    (tmp_path / "a.toml").write_text("")
    with pytest.raises(RulesError, match=r"a\.toml: file is empty"):
        load_rules(tmp_path)
    (tmp_path / "a.toml").write_text("[quotes\nverbs = [")
    with pytest.raises(RulesError, match=r"a\.toml: invalid TOML"):
        load_rules(tmp_path)
    (tmp_path / "a.toml").write_text('[dates]\nlabels = ["("]\npatterns = ["x"]\nmin_year = 1\nmax_year = 2\n')
    with pytest.raises(RulesError, match="not a valid regex"):
        load_rules(tmp_path)
    (tmp_path / "a.toml").write_text('[quotes]\npairs = []\n')
    with pytest.raises(RulesError, match="pairs"):
        load_rules(tmp_path)


def test_default_rules_load() -> None:
    rules = RULES
    assert "said" in rules.quotes.verbs and rules.text.window_before > 0


def test_html_metadata_on_a_parsed_tree_is_the_same() -> None:
    from trafilatura.utils import load_html

    assert extract_html_metadata(HTML, None, RULES, tree=load_html(HTML)) == extract_html_metadata(HTML, None, RULES)


def page(head: str, body: str = "<p>Text of the story.</p>") -> str:
    return f"<html lang='de'><head>{head}</head><body><h1>Der Titel der Geschichte</h1>{body}</body></html>"


def test_html_authors_drop_the_site_and_commenters() -> None:
    cnn = page('<meta property="og:site_name" content="CNN"><meta name="author" content="Rob Picheta, CNN">'
               '<link rel="canonical" href="https://edition.cnn.com/x">')
    assert extract_html_metadata(cnn, None, RULES).authors == ("Rob Picheta",)
    comment = page("", '<p>Story.</p><div class="comment-author">Aylin sagt</div>')
    assert "Aylin" not in " ".join(extract_html_metadata(comment, None, RULES).authors)
    # the site's name cut from behind a role leaves no particle at the end ("Projektleiterin der HSS")
    hss = page('<link rel="canonical" href="https://www.hss.de/x"><meta name="author" content="Leiterin der HSS">')
    assert extract_html_metadata(hss, None, RULES).authors == ("Leiterin",)


def test_html_utc_timestamp_is_read_in_the_site_time_zone() -> None:
    de = page('<link rel="canonical" href="https://www.beispiel.de/a">'
              '<meta property="article:published_time" content="2022-11-06T23:00:00.000Z">')
    assert extract_html_metadata(de, None, RULES).published == dt.date(2022, 11, 7)


def test_html_date_shown_under_the_headline_beats_a_disagreeing_markup_date() -> None:
    # htmldate and the meta tag say the 15th; the page shows the 13th under the headline.
    shown = page('<meta name="date" content="2021-10-15">',
                 "<div class='meta'>13.10.2021</div><p>Text of the story.</p><aside>15.10.2021</aside>")
    meta = extract_html_metadata(shown, None, RULES)
    assert (meta.published, meta.published_raw) == (dt.date(2021, 10, 13), "13.10.2021")
    # No markup date at all: the date line above the headline ("Original Research7 April 2020") is read.
    above = ("<html><body><div>Original Research<span>7 April 2020</span></div><h1>The Effect of Vaccination</h1>"
             + "<p>Body text.</p>" * 8 + "<p>ePublished: 3 March 2020</p></body></html>")
    assert extract_html_metadata(above, None, RULES).published == dt.date(2020, 4, 7)


def test_html_date_under_the_headline_that_agrees_changes_nothing() -> None:
    # 11/01/2021 is 1 November read month-first: it agrees with the markup's day.
    us = page('<meta property="article:published_time" content="2021-11-01T05:00:14+01:00">',
              "<div>By Jane Doe • 11/01/2021</div><p>Text of the story.</p>")
    assert extract_html_metadata(us, None, RULES).published == dt.date(2021, 11, 1)
    # The markup's day is on the date line too (a hidden 'updated' stamp glued before it is not read).
    hidden = page('<meta property="article:published_time" content="2022-12-25T11:00:02+01:00">',
                  '<div><span class="updated rich-snippet-hidden">2022-12-07T10:10:52+01:00</span>'
                  "<span>25. Dezember 2022</span></div><p>Text of the story.</p>")
    assert extract_html_metadata(hidden, None, RULES).published == dt.date(2022, 12, 25)


def test_html_headline_date_passes_over_relative_member_and_prose_dates() -> None:
    from trafilatura.utils import load_html

    from transforms.metadata_html import _headline_date

    rules = RULES

    def shown(body: str) -> dt.date | None:
        found = _headline_date(load_html(page("", body)), ("Der Titel der Geschichte",), rules)
        return found[0] if found else None

    assert shown("<div>vor 4 Monaten</div><div>Sport</div><div>18. Januar 2019</div>") is None
    assert shown("<div>Registriert: 18.09.2008, 05:56</div><p>Text.</p>") is None
    assert shown("<p>" + "Ein langer Satz über die Sitzung vom 10. Oktober 2019 und vieles mehr " * 2 + "</p>") is None
    assert shown("<p>31. Oktober 2023. Dragqueens sind Kunstfiguren aus Make-Up und Glitter, auf Partys und in "
                 "Shows, auch in der Freien Szene und im Stadttheater.</p>") == dt.date(2023, 10, 31)
    # A date labelled as the publication date beats a nearer unlabelled one.
    assert shown("<div>FIT FOR FUN — 02.01.23 09:51</div><p>Teaser.</p>"
                 "<div>von Mathilda Trausch, Veröffentlicht: 26.12.2022</div>") == dt.date(2022, 12, 26)
    assert shown("<p>Kein Datum hier.</p>") is None


def test_html_headline_date_read_around_the_h1() -> None:
    # The date sits in a banner before the block that holds the <h1>; og:title is a shorter headline.
    banner = ('<html><head><meta property="og:title" content="Harry and Meghan: what we learned">'
              '<meta property="article:published_time" content="2022-06-28T10:00:00+02:00"></head><body>'
              "<nav><ul><li>Home</li><li>News</li></ul></nav>"
              "<div class='banner'><div><span>Pressemitteilung</span></div>"
              "<div><time>12.12.2022 12:22</time></div></div>"
              "<section><div><div><h1>The royal split: 11 things we learned from Harry and Meghan</h1>"
              "<p>First paragraph of the story.</p></div></div></section></body></html>")
    meta = extract_html_metadata(banner, None, RULES)
    assert (meta.published, meta.published_raw) == (dt.date(2022, 12, 12), "12.12.2022")


def test_html_lines_outwards_from_the_headline() -> None:
    from trafilatura.utils import load_html

    from transforms.metadata_html import _headline_lines

    tree = load_html("<html><body><div>Menu</div><div><p>Kicker</p><div><h1>Der Titel der Geschichte</h1>"
                     "<p>Eins</p></div><p>Zwei</p></div><footer>Drei</footer><p>Vier</p></body></html>")
    h = RULES.dates.headline
    assert _headline_lines(tree, ("Der Titel der Geschichte",), h) == (["Menu", "Kicker"],
                                                                     ["Eins", "Zwei", "Drei", "Vier"])


def test_date_line_is_kept_raw_when_implausible_or_unreadable() -> None:
    body = ("Lawmakers in the northern province approved a new budget for schools on Monday, after a debate that "
            "lasted most of the night and ended with a narrow vote in favour of the plan. ") * 3
    future = classify_lines(f"Province approves school budget\n\nMonday, March 3, 2098\n\n{body}\n\n{body}\n", RULES)
    assert [ln.label for ln in future][:2] == ["title", "date"]
    meta = extract_text_metadata(future, RULES)
    assert (meta.published, meta.published_raw) == (dt.date(2098, 3, 3), "Monday, March 3, 2098")
    plausible = classify_lines(f"Province approves school budget\n\nMonday, March 3, 2025\n\n{body}\n", RULES)
    assert extract_text_metadata(plausible, RULES).published == dt.date(2025, 3, 3)


def _page(head: str, body: str):
    from lxml import html as lxml_html

    filler = "<p>" + "The council met again to vote on the harbour budget. " * 20 + "</p>"
    return lxml_html.fromstring(f"<html><head>{head}</head><body><h1>Harbour vote</h1>{body}{filler}</body></html>")


def test_html_date_in_free_text_is_read_from_the_visible_text() -> None:
    tree = _page("", "<p>Veröffentlicht am 12. März 2019 von Anna</p>")
    meta = extract_html_metadata(None, None, RULES, tree=tree)
    assert meta.published == dt.date(2019, 3, 12) and meta.published_raw == "12. März 2019"


def test_html_date_search_never_runs_htmldates_extensive_search(monkeypatch) -> None:
    import htmldate

    from transforms.metadata_html import trafilatura_metadata

    calls: list[bool] = []

    def fake(tree, extensive_search, **_):
        calls.append(extensive_search)
        return None

    monkeypatch.setattr(htmldate, "find_date", fake)
    meta = trafilatura_metadata(_page("", "<p>Veröffentlicht am 12. März 2019 von Anna</p>"), None)
    assert calls == [False] and meta.date is None


def test_html_visible_date_that_is_implausible_is_left_null() -> None:
    tree = _page("", "<p>Veröffentlicht am 12. März 2098 von Anna</p>")
    meta = extract_html_metadata(None, None, RULES, tree=tree)
    assert meta.published is None and meta.published_raw is None


@pytest.mark.parametrize(("raw", "expected"), [
    ("By Jane Doe 5. 3. 2020", ("Jane Doe",)),  # a date of the grammar ends the names
    ("Jane Doe | Jan. 5, 2020", ("Jane Doe",)),
    ("Allen VersfeldAugust 7, 2012", ()),  # no month named 'feldAugust': the glued word is not cut in two
])
def test_a_byline_is_cut_at_its_first_readable_date(raw: str, expected: tuple[str, ...]) -> None:
    assert clean_authors(raw, RULES) == expected
