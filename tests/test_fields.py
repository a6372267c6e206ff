"""Field helpers: bylines, dates, photo credits, site lines, language."""

import datetime as dt

import pytest

from transforms.fields import detect_language, find_site, parse_byline, parse_date, split_credit
from transforms.record import BODY, BOILERPLATE, Line


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Saturday, January 15, 2022", dt.date(2022, 1, 15)),
        ("Jan. 24, 2022", dt.date(2022, 1, 24)),
        ("November 18, 2019 11:03 PM", dt.date(2019, 11, 18)),
        ("19.10.2019", dt.date(2019, 10, 19)),
        ("19. Oktober 2019", dt.date(2019, 10, 19)),
        ("2019-11-19T10:00:00+01:00", dt.date(2019, 11, 19)),
        ("no date in here", None),
        (None, None),
    ],
)
def test_parse_date(raw, expected):
    assert parse_date(raw) == expected


@pytest.mark.parametrize(
    ("byline", "names"),
    [
        ("By Layla Guest", ("Layla Guest",)),
        ("by Jane Doe and John Roe", ("Jane Doe", "John Roe")),
        ("Mimi Nguyen Ly", ("Mimi Nguyen Ly",)),
        ("Von Anna Müller, Peter Schmidt", ("Anna Müller", "Peter Schmidt")),
    ],
)
def test_parse_byline(byline, names):
    assert parse_byline(byline) == names


@pytest.mark.parametrize(
    ("caption", "text", "credit"),
    [
        ("FILE PHOTO. © Getty Images / Sean Gallup", "FILE PHOTO", "Getty Images / Sean Gallup"),
        (
            "NATO Secretary General Jens Stoltenberg talks in Brussels, Belgium, on Jan. 24, 2022. "
            "(John Thys/AFP via Getty Images)",
            "NATO Secretary General Jens Stoltenberg talks in Brussels, Belgium, on Jan. 24, 2022",
            "John Thys/AFP via Getty Images",
        ),
        ("A quiet street at dawn", "A quiet street at dawn", None),
    ],
)
def test_split_credit(caption, text, credit):
    cap = split_credit(caption)
    assert (cap.text, cap.credit) == (text, credit)


def test_find_site_reads_a_source_line_even_when_it_is_boilerplate():
    lines = [Line(0, "Body text.", BODY), Line(5, "source: voanews.com", BOILERPLATE, "source_link")]
    assert find_site(lines) == "voanews.com"
    assert find_site(lines[:1]) is None


def test_detect_language():
    assert detect_language("The alliance said on Wednesday that it would not back down from its demands.") == "en"
    assert detect_language("Die Regierung hat am Mittwoch angekündigt, dass sie die Steuern senken wird.") == "de"
    assert detect_language("short") is None
