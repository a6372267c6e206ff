"""Line labels on the five real seed dumps: headlines, data lines, every paragraph kept, boilerplate gone."""

from __future__ import annotations

import pathlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from transforms.clean_text import DATE_HINT, LINK_HINT, LINKISH, NUMERIC_DATE, classify_lines
from transforms.record import BODY, BOILERPLATE, BYLINE, CAPTION, DATE, SUBTITLE, TITLE, Line, trusted_line
from transforms.repeats import normalise_line
from transforms.rules import load_rules

RULES = load_rules()

INBOX = pathlib.Path(__file__).resolve().parents[1] / "samples" / "inbox"


def seed(prefix: str) -> str:
    """Text of the seed whose file name starts with prefix."""
    (path,) = INBOX.glob(f"{prefix}_*.txt")
    return path.read_text(encoding="utf-8")


def labelled(prefix: str) -> dict[str, list[tuple[str, str | None]]]:
    """Map each stripped line of a seed to the (label, reason) pairs it received."""
    out: dict[str, list[tuple[str, str | None]]] = {}
    for line in classify_lines(seed(prefix), RULES):
        out.setdefault(line.text, []).append((line.label, line.reason))
    return out


def body_of(prefix: str) -> str:
    """BODY lines of a seed joined by newlines."""
    return "\n".join(line.text for line in classify_lines(seed(prefix), RULES) if line.label == BODY)


# (seed, line, label, reason) for lines that must not be body.
NOT_BODY = [
    ("000", "US assures Balkan allies of support against Russia", TITLE, None),
    ("001", "Blinken Calls for ‘United’ NATO Stance on Russian Troop Buildup Near Ukraine", TITLE, None),
    ("001", "Image", BOILERPLATE, "image_placeholder"),
    ("001", "source: voanews.com", BOILERPLATE, "source_link"),
    ("001", "Share:", BOILERPLATE, "share_widget"),
    ("002", "NATO Secretary General Jens Stoltenberg talks during a joint pressconference at the NATO headquarters"
            " in Brussels, Belgium, on Jan. 24, 2022. (John Thys/AFP via Getty Images)", CAPTION, "image_caption"),
    ("002", "Mimi Nguyen Ly", BYLINE, None),
    ("002", "Source link", BOILERPLATE, "source_link"),
    ("002", "About the author: NEO Common Era", BOILERPLATE, "author_bio"),
    ("002", "Tell us something about yourself.", BOILERPLATE, "author_bio"),
    ("002", "Get involved!", BOILERPLATE, "community_promo"),
    ("002", "Get Connected!", BOILERPLATE, "community_promo"),
    ("002", "Come and join our community. Expand your network and get to know new people!", BOILERPLATE,
     "community_promo"),
    ("002", "No comments yet", BOILERPLATE, "comment_stub"),
    ("003", "US-NATO Compact Reject Russia’s Demands", TITLE, None),
    ("003", "• Whatsapp", BOILERPLATE, "share_widget"),
    ("003", "The US and Nato are united in rejecting Russia's demands. Photo/Illustration", CAPTION, "image_caption"),
    ("003", "Read More", BOILERPLATE, "read_more"),
    ("003", "Related posts", BOILERPLATE, "related_links"),
    ("003", "Leave a Reply", BOILERPLATE, "comment_stub"),
    ("003", "Your email address will not be published. Required fields are marked *", BOILERPLATE, "comment_stub"),
    ("004", "Saturday, January 15, 2022", DATE, None),
    ("004", "European Politics > Baltics want more NATO; Moscow's patience running thin; US accuses Russia of"
            " preparing false flag op in Ukraine; Russia responds", BOILERPLATE, "breadcrumb"),
    ("004", "FILE PHOTO. © Getty Images / Sean Gallup", CAPTION, "photo_credit"),
    ("004", "FILE PHOTO. © Sputnik / Konstantin Mihalchevskiy", CAPTION, "photo_credit"),
    ("004", "Patience with West has come to an end – Moscow", TITLE, None),
    ("004", "Russia’s ability to keep calm is waning, foreign minister indicates", SUBTITLE, None),
    ("004", "By Layla Guest", BYLINE, None),
    ("004", "Russia ‘fabricating a pretext for invasion’ of Ukraine – White House", TITLE, None),
    ("004", "Washington believes Moscow could stage a fake incident to justify military action", SUBTITLE, None),
    ("004", "Russia responds to US ‘false flag’ claims", TITLE, None),
    ("004", "The Kremlin says there is no evidence for ‘hearsay’ accusations", SUBTITLE, None),
    ("004", "of Russian ‘operatives’ set to frame Ukraine", SUBTITLE, None),
    ("004", "No comments:", BOILERPLATE, "comment_stub"),
    ("004", "Post a Comment", BOILERPLATE, "comment_stub"),
]

# Real paragraphs (or their starts) that must be BODY, including one-sentence and quote-only ones.
IN_BODY = [
    ("000", "Russia’s move followed the announcement of new sanctions"),
    ("000", "He ordered it cut by about 60 per cent."),
    ("000", "“At the heart of our alliance is a solemn promise"),
    ("000", "Mike Pence has also visited Montenegro, the NATO alliance’s newest member"),
    ("001", "U.S. Secretary of State Antony Blinken spoke with eastern NATO allies Monday"),
    ("001", "The Kremlin said last week that Putin warned Biden"),
    ("002", "The United States and the NATO Western security alliance have responded"),
    ("002", "Like the United States, NATO rejected any attempt to block memberships."),
    ("002", "“We will read it. Study it. The partners studied our project for almost a month and a half,” he said."),
    ("002", "President Joe Biden is considering whether to deploy U.S. troops to Eastern Europe"),
    ("003", "WASHINGTON, WORLD LINES – The United States (US) and its defense pact"),
    ("003", "The former Soviet republics are unlikely to join the alliance in the future"),
    ("003", "“We can’t end up in a situation where we have some kind of second-class NATO member"),
    ("004", "The Baltic states have begun discussions to increase the number of NATO soldiers"),
    ("004", "“We categorically cannot be satisfied with this – these are unacceptable approaches,” he remarked."),
    ("004", "“We are more than ready and totally in line with our partners"),
    ("004", "Washington’s claims come after a week of high-level talks with Russia, NATO and the OSCE"),
]


@pytest.mark.parametrize(("prefix", "text", "label", "reason"), NOT_BODY)
def test_line_gets_expected_label(prefix: str, text: str, label: str, reason: str | None) -> None:
    assert labelled(prefix)[text][0] == (label, reason)


@pytest.mark.parametrize(("prefix", "text"), IN_BODY)
def test_real_paragraph_is_body(prefix: str, text: str) -> None:
    assert any(line.startswith(text) for line in body_of(prefix).splitlines())


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004"])
def test_every_paragraph_of_a_seed_is_kept(prefix: str) -> None:
    # In these seeds every line of 20+ words is article text except captions, dek, breadcrumb and bio.
    lines = classify_lines(seed(prefix), RULES)
    long_lines = [x for x in lines if len(x.text.split()) >= 20 and x.label not in (CAPTION, SUBTITLE)
                  and x.reason not in ("author_bio", "breadcrumb")]
    assert long_lines and all(x.label == BODY for x in long_lines)


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004"])
def test_body_has_no_boilerplate_phrase(prefix: str) -> None:
    body = body_of(prefix).lower()
    assert [p for p in RULES.boilerplate_phrases if p in body] == []


def test_duplicate_headline_is_boilerplate() -> None:
    headline = "US, NATO Respond to Russia’s Demands After Moscow Warns of ‘Retaliatory Measures’"
    assert labelled("002")[headline] == [(TITLE, None), (BOILERPLATE, "duplicate_title")]


def test_author_bio_paragraph_goes() -> None:
    (bio,) = [t for t in labelled("002") if t.startswith("Mimi Nguyen Ly is a reporter")]
    assert labelled("002")[bio] == [(BOILERPLATE, "author_bio")]
    assert "[email protected]" not in body_of("002")


def test_standfirst_is_subtitle() -> None:
    (dek,) = [t for t, v in labelled("000").items() if v[0][0] == SUBTITLE]
    assert dek.startswith("It comes as US vice president Mike Pence")


def test_lines_cover_text_in_order_with_blocks() -> None:
    text = seed("004")
    lines = classify_lines(text, RULES)
    raw = text.split("\n")
    assert [x.position for x in lines] == [i for i, t in enumerate(raw) if t.strip()]
    assert all(x.text == raw[x.position].strip() for x in lines)
    assert [x.block for x in lines] == sorted(x.block for x in lines)
    assert lines[0].block == 0 and lines[1].block == 1


def test_boilerplate_reasons_are_snake_case() -> None:
    import re

    for prefix in ["000", "001", "002", "003", "004"]:
        for line in classify_lines(seed(prefix), RULES):
            assert line.label != BOILERPLATE or re.fullmatch(r"[a-z]+(_[a-z]+)*", line.reason or "")


def test_empty_and_blank_text() -> None:
    assert classify_lines("", RULES) == ()
    assert classify_lines("\n \n\t\n", RULES) == ()


def test_menu_and_cookie_lines_outside_article_go() -> None:
    paragraph = ("The council voted on Tuesday to approve the new budget, which the mayor said would pay for "
                 "more teachers and repair the roads that have been closed since the winter storms.")
    text = "\n".join([
        "  • Home", "  • World", "  • Sports", "",
        "Council approves budget", "",
        paragraph, "", paragraph.replace("Tuesday", "Monday"), "",
        "We use cookies to improve your experience on our website.", "",
        "© 2024 Example News. All rights reserved.",
    ])
    lines = {x.text: x for x in classify_lines(text, RULES)}
    assert lines["• Home"].reason == "navigation"
    assert lines["Council approves budget"].label == TITLE
    assert lines[paragraph].label == BODY
    assert lines["We use cookies to improve your experience on our website."].reason == "cookie_notice"
    assert lines["© 2024 Example News. All rights reserved."].reason == "footer"


def test_cjk_prose_is_body() -> None:
    sentence = "今日は東京で大きな会議が開かれ、多くの専門家が新しい技術について議論しました。"
    text = "\n\n".join(["ホーム", "ニュース", sentence * 2, sentence * 3, "シェア"])
    labels = {x.text: x.label for x in classify_lines(text, RULES)}
    assert labels[sentence * 2] == BODY and labels[sentence * 3] == BODY


def test_cleaner_lines_pass_line_validation() -> None:
    """The cleaner builds Lines without validation (trusted_line): each must equal a validated Line."""
    for path in sorted(INBOX.glob("*.txt")):
        for ln in classify_lines(path.read_text(encoding="utf-8"), RULES):
            assert Line(ln.position, ln.text, ln.label, ln.reason, ln.block) == ln


def test_trusted_line_equals_line() -> None:
    """trusted_line gives the same value as the validating constructor."""
    assert trusted_line(3, "x", BOILERPLATE, "navigation", 1) == Line(3, "x", BOILERPLATE, "navigation", 1)
    assert hash(trusted_line(0, "y", BODY, None, 0)) == hash(Line(0, "y", BODY))
    with pytest.raises(ValueError):
        Line(0, "z", BOILERPLATE)


_PIECES = st.sampled_from(["x", "WWW.", "Http://", "@", "#a", ".com", ".HTML", "12", "/", "-", ".", "2024", "3", "•",
                           " ", "\t", "Ü"])
_LINKY = st.lists(_PIECES, max_size=12).map("".join)
_SEP = st.sampled_from("./-")
_DATED = st.tuples(_LINKY, st.integers(0, 9999), _SEP, st.integers(0, 99), _SEP, st.integers(0, 9999), _LINKY).map(
    lambda p: "".join(map(str, p)))


@given(st.one_of(_LINKY, _DATED))
def test_scan_hints_are_found_in_every_line_the_exact_patterns_match(line: str) -> None:
    """The one-scan hints run over normalised lines: they must flag every line LINKISH / NUMERIC_DATE match."""
    norm = normalise_line(line, RULES.bullets)
    if LINKISH.search(line.strip()):
        assert LINK_HINT.search(norm)
    if NUMERIC_DATE.search(line.strip()):
        assert DATE_HINT.search(norm)


ARTICLE = """Home | News | Sport

Getting through just one night

by Paulo Coelho on June 25, 2012

At the age of seventeen, Milton Erickson was a victim of polio and the doctors said he would not live to morning.
He heard his mother crying in the next room and resolved to stay alive through the night so that she would not suffer.
In the morning he shouted out to her that he was still alive, and from then on he resolved to resist one more night.
He died in 1990 at the age of 75, leaving behind a series of important books on the capacity of the human mind.

{ 3 comments… read them below or add one }

jackienoriega July 7, 2012 at 12:27 am
What a wonderful example of love for one's parents and for life itself, thank you for sharing this story with us.
Reply
Alita July 6, 2012 at 10:47 pm
This story made my day and reminded me how much strength there is in every one of us when we decide to keep going.
Reply
katie June 28, 2012 at 5:56 am
I found the whole symbolism in this story so beautiful and overwhelming, I can only imagine how hard it was for him.
Reply

Leave a Comment
"""


def test_a_comment_section_is_cut_from_the_first_commenter_on() -> None:
    lines = classify_lines(ARTICLE, RULES)
    body = "\n".join(ln.text for ln in lines if ln.label == BODY)
    assert "At the age of seventeen" in body and "He died in 1990" in body
    comments = [ln for ln in lines if "2012 at" in ln.text or "story made my day" in ln.text or ln.text == "Reply"]
    assert len(comments) == 7 and all((ln.label, ln.reason) == (BOILERPLATE, "comment") for ln in comments)


def test_one_reply_button_is_no_comment_section() -> None:
    # a single "Reply" (a link in the article's footer) does not make what follows it comments
    page = ARTICLE.split("{ 3 comments")[0] + "Reply\nOne more paragraph of the article, after the link.\n"
    lines = classify_lines(page, RULES)
    assert not any(ln.reason == "comment" for ln in lines)


def test_without_a_commenter_header_the_cut_is_at_the_first_reply() -> None:
    page = ARTICLE.replace(" July 7, 2012 at 12:27 am", "").replace(" July 6, 2012 at 10:47 pm", "")
    lines = classify_lines(page, RULES)
    reply = next(i for i, ln in enumerate(lines) if ln.text == "Reply")
    after = [ln for ln in lines[reply:] if ln.text != "Leave a Comment"]
    assert after and all((ln.label, ln.reason) == (BOILERPLATE, "comment") for ln in after)
    assert not any(ln.reason == "comment" for ln in lines[:reply])


BLOG = """Schneier on Security

New SSL Vulnerability

It's hard for me to get too worked up about this vulnerability, and I said so when the paper first came out.
Many popular applications and transport libraries use SSL and TLS libraries incorrectly, breaking certificate checks.
Great research, and yes, the vulnerability should be fixed, but it does not feel like a crisis issue to me at all.

Comments

Yes it's a vulnerability and yes it's SSL-related, but it's as much an SSL flaw as drunk driving is a car fault.
Posted by: DrNo at November 7, 2012 1:56 PM
Technically this is not an SSL vulnerability, it is like saying that an injection is a vulnerability in the language.
Posted by: eduardo at November 7, 2012 2:30 PM
Perhaps I read the article too quickly, but it would be nice to know how many pieces of software the authors tested.
Posted by: Henning at November 7, 2012 3:09 PM
"""


def test_a_comment_heading_with_commenter_headers_below_starts_a_comment_section() -> None:
    lines = classify_lines(BLOG, RULES)
    body = "\n".join(ln.text for ln in lines if ln.label == BODY)
    assert "It's hard for me" in body and "crisis issue" in body
    heading = next(i for i, ln in enumerate(lines) if ln.text == "Comments")
    assert all(ln.label == BOILERPLATE for ln in lines[heading:])
    assert {ln.reason for ln in lines[heading + 1:]} == {"comment"}


def test_a_comment_heading_alone_or_far_from_headers_is_no_comment_section() -> None:
    one = BLOG.split("Posted by: eduardo")[0] + "A closing paragraph of the article that comes after the heading."
    assert not any(ln.reason == "comment" for ln in classify_lines(one, RULES))
    filler = "\n".join(f"Another paragraph of the article, number {k}, that keeps going on." for k in range(13))
    far = BLOG.replace("Comments\n\n", f"Comments\n\n{filler}\n")
    assert not any(ln.reason == "comment" for ln in classify_lines(far, RULES))


def test_the_article_is_never_chosen_inside_a_comment_section_longer_than_it() -> None:
    reader = ("I read this twice and I have to say that it reminded me of my own grandmother, who was told the same "
              "thing by her doctors and went on to live for another forty years. ")
    comments = "\n".join(f"reader{k} July {k + 1}, 2012 at 10:4{k} pm\n{reader * 3}No. {k}.\nReply" for k in range(8))
    page = ARTICLE.split("{ 3 comments")[0] + "Related posts:\n\n" + comments + "\n"
    lines = classify_lines(page, RULES)
    body = "\n".join(ln.text for ln in lines if ln.label == BODY)
    assert "At the age of seventeen" in body and "He died in 1990" in body
    assert "grandmother" not in body


SIGNAL = """Signal vs. Noise

Great design from Apple

Great design from Apple on this interaction with Siri: it was a bit after midnight, which was technically the next day.
When I asked for a reminder "tomorrow morning", it asked whether I meant later today or the day after, which is right.
The little details like this one are what make a product feel as if someone really thought about the person using it.

Seen by Jason Fried on November 7 2012.

{comments}
Post your thoughts
"""

REMARKS = ["Love it. The little details that matter and make a difference to the people who use it every day.",
           "That is great, but it would be a bit clearer if it showed the day of the week next to the date as well.",
           "It is not necessarily wrong to leave out the weekday, I imagine the question of which day was hard.",
           "I am impressed mainly that they saw it through to production, cases like that are usually left for later.",
           "That is quite clever, and a good example of defensive design when the clock has just passed midnight.",
           "Apple never ceases to astonish me, they seem to have thought of everything that could go wrong here."]


def signal_page(headers: list[str]) -> str:
    """The SIGNAL page with one remark under each header."""
    return SIGNAL.format(comments="\n".join(f"{h}\n{r}" for h, r in zip(headers, REMARKS, strict=False)))


def test_a_train_of_dated_commenter_headers_is_a_comment_section() -> None:
    names = ["Jermaine", "Radex", "Jason Fried", "Alejandro Moreno", "Ben Dunlap", "Jared White"]
    lines = classify_lines(signal_page([f"{n} - November 7, 2012" for n in names]), RULES)
    body = "\n".join(ln.text for ln in lines if ln.label == BODY)
    assert "Great design from Apple on this interaction" in body and "really thought about" in body
    first = next(i for i, ln in enumerate(lines) if ln.text == "Jermaine - November 7, 2012")
    assert {ln.reason for ln in lines[first:] if ln.text != "Post your thoughts"} == {"comment"}
    assert not any(ln.reason == "comment" for ln in lines[:first])


def test_long_commenter_headers_that_are_mostly_their_date_make_a_train() -> None:
    # TypePad's "Posted by: Jane Doe | Jan 10, 2008 4:49:12 PM" is over the word cap, but only 4 words are not date
    names = ["Sean", "dan", "tom wolgat", "Lois Lane", "Chris", "Amber A"]
    lines = classify_lines(signal_page([f"Posted by: {n} | Jan 10, 2008 {k + 4}:49:12 PM"
                                        for k, n in enumerate(names)]), RULES)
    first = next(i for i, ln in enumerate(lines) if ln.text.startswith("Posted by: Sean"))
    assert {ln.reason for ln in lines[first:] if ln.text != "Post your thoughts"} == {"comment"}
    assert any(ln.label == BODY and "really thought about" in ln.text for ln in lines[:first])
    # the same length with more words beside the date is a dated headline, not a commenter's line
    headlines = signal_page([f"Rovers sign striker {n} from City | Jan 10, 2008 {k + 4}:49:12 PM"
                             for k, n in enumerate(names)])
    assert not any(ln.reason == "comment" for ln in classify_lines(headlines, RULES))


def test_few_dated_lines_or_time_stamps_alone_are_no_comment_section() -> None:
    # four dated headers are not enough; and a live blog's time stamps ("14:05") are the article's own
    few = signal_page([f"Reader{k} - November 7, 2012" for k in range(4)])
    stamps = signal_page([f"14:0{k} GMT" for k in range(6)])
    for page in (few, stamps):
        lines = classify_lines(page, RULES)
        assert not any(ln.reason == "comment" for ln in lines)
        assert any(ln.label == BODY and "little details that matter" in ln.text for ln in lines)


def test_dated_lines_next_to_each_other_are_no_comment_train() -> None:
    # a list of dated headlines has no comment between its lines: it is not taken for commenter headers
    dated = "\n\n".join(f"Rovers sign striker (January {k + 10}, 2008)" for k in range(6))
    lines = classify_lines(SIGNAL.format(comments=dated), RULES)
    assert sum(ln.text.startswith("Rovers sign") for ln in lines) == 6  # six rows, not one joined paragraph
    assert not any(ln.reason == "comment" for ln in lines)


def test_a_timeline_over_years_is_no_comment_train() -> None:
    # dated entries a year or more apart, one line of text under each, are the article's own timeline
    years = signal_page([f"March {k + 3}, {2005 + 2 * k}" for k in range(6)])
    lines = classify_lines(years, RULES)
    assert not any(ln.reason == "comment" for ln in lines)
    assert any(ln.label == BODY and "defensive design" in ln.text for ln in lines)
    weeks = signal_page([f"March {k + 3}, 2012" for k in range(6)])  # the same dates days apart: a thread
    assert any(ln.reason == "comment" for ln in classify_lines(weeks, RULES))
