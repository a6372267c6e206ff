"""Field helpers: dates in the forms news text uses, photo credits."""

import datetime as dt

import pytest

from transforms.fields import split_credit
from transforms.metadata import parse_published


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
def test_dates_in_the_forms_news_text_uses(raw, expected):
    assert parse_published(raw) == expected


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
