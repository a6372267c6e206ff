"""Field helpers: photo credits split from captions."""

import pytest

from transforms.fields import split_credit


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
