"""One caption/credit splitter for text dumps and HTML figcaptions: each credit shape, and what is not a credit."""

from __future__ import annotations

import pathlib

import pytest

from transforms.captions import split_caption
from transforms.record import Caption
from transforms.rules import RulesError, load_rules

RULES = load_rules()
CREDITS = RULES.credits


@pytest.mark.parametrize(("text", "expected"), [
    # a trailing parenthesis, with or without a label
    ("Talks in Brussels on Jan. 24, 2022. (John Roe/AFP via Getty Images)",
     Caption("Talks in Brussels on Jan. 24, 2022", "John Roe/AFP via Getty Images")),
    ("Crowds at the gate. (Photo: Jane Roe/Reuters)", Caption("Crowds at the gate", "Jane Roe/Reuters")),
    ("A probe over the crater (Image credit: Lunar Works Corp.)",
     Caption("A probe over the crater", "Lunar Works Corp.")),
    ("Barcos no porto (crédito: Ana Lima/Agência)", Caption("Barcos no porto", "Ana Lima/Agência")),
    # a copyright sign or a label and what follows it
    ("FILE PHOTO. © Getty Images / Sean Gallup", Caption("FILE PHOTO", "Getty Images / Sean Gallup")),
    ("Ein Stapel Ziegel. - © jollier_ - stock.example.com",
     Caption("Ein Stapel Ziegel", "jollier_ - stock.example.com")),
    ("Rettungskräfte am Ufer. | © Anna Berg/dpa", Caption("Rettungskräfte am Ufer", "Anna Berg/dpa")),
    ("The rover on the pad. Credit: Orbit Labs", Caption("The rover on the pad", "Orbit Labs")),
    ("Voters queue at dawn.Credit...Sam Doe/The Daily", Caption("Voters queue at dawn", "Sam Doe/The Daily")),
    ("Fans on the square (Photo by Kim Lee/Getty Images)", Caption("Fans on the square", "Kim Lee/Getty Images")),
    # a capitalised label glued to the caption's last word
    ("A hunter ate a rabbitCredit: Getty - Contributor", Caption("A hunter ate a rabbit", "Getty - Contributor")),
    ("Happy to help.Photograph: Jo Moon/Bloomberg", Caption("Happy to help", "Jo Moon/Bloomberg")),
    # a caption that is only a credit keeps an empty text; every label goes
    ("(Reed Roe / Associated Press)", Caption("", "Reed Roe / Associated Press")),
    ("(Image: © Star Collaboration)", Caption("", "Star Collaboration")),
    ("© Aaron Roe", Caption("", "Aaron Roe")),
    ("Fotos: © Burkard Roe", Caption("", "Burkard Roe")),
    ("Fotocredit: SID", Caption("", "SID")),
    ("Bildcredit: (c) yakushkina - photos.example.com", Caption("", "yakushkina - photos.example.com")),
    ("Image copyright Getty Images", Caption("", "Getty Images")),
    ("Photo: Hau Dinh, AP", Caption("", "Hau Dinh, AP")),
    # not credits: a label inside a word, a long sentence after a label, a parenthesis inside the text
    ("Symbolbild: Wellen treiben eine Turbine an, ©Jairo Roe — stock.example.com",
     Caption("Symbolbild: Wellen treiben eine Turbine an", "Jairo Roe — stock.example.com")),
    ("Image: Jose Roe has agreed a deal to become manager of the club next season",
     Caption("Image: Jose Roe has agreed a deal to become manager of the club next season")),
    ("Fans in Seoul (left) wave flags", Caption("Fans in Seoul (left) wave flags")),
    # a trailing parenthesis that places or qualifies the picture names no one
    ("Jane Roe (left) and John Doe (right)", Caption("Jane Roe (left) and John Doe (right)")),
    ("The mayor (left, with his wife)", Caption("The mayor (left, with his wife)")),
    ("Windräder vor der Küste (Symbolbild)", Caption("Windräder vor der Küste (Symbolbild)")),
    ("Die Gäste (v.l. Anna Roe, Max Mann)", Caption("Die Gäste (v.l. Anna Roe, Max Mann)")),
    # ... unless a credit mark follows, and a word merely starting like a note is a name
    ("Fans at the gate (File photo/Reuters)", Caption("Fans at the gate", "File photo/Reuters")),
    ("Crowds at the gate (Leftfield Media)", Caption("Crowds at the gate", "Leftfield Media")),
    ("Crowds at the gate (dpa)", Caption("Crowds at the gate", "dpa")),
    ("A quiet street at dawn", Caption("A quiet street at dawn")),
])
def test_split_caption(text: str, expected: Caption) -> None:
    assert split_caption(text, CREDITS) == expected


def test_a_photo_credit_line_without_a_mark_is_a_credit() -> None:
    """The cleaner classed the line as a photo credit: a short line with no mark is the credit itself."""
    assert split_caption("Getty Images", CREDITS, credit_only=True) == Caption("", "Getty Images")
    assert split_caption("AFP/The Local", CREDITS, credit_only=True) == Caption("", "AFP/The Local")
    assert split_caption("Getty Images", CREDITS) == Caption("Getty Images")
    long_line = "FILE PHOTO: Traders work on the floor at the New York Stock Exchange in New York"
    assert split_caption(long_line, CREDITS, credit_only=True) == Caption(long_line)
    assert split_caption("Foto:", CREDITS, credit_only=True) == Caption("Foto:")
    # a credit mark still splits a short photo-credit line
    assert split_caption("FILE PHOTO. © Getty Images / Sean Gallup", CREDITS, credit_only=True) == Caption(
        "FILE PHOTO", "Getty Images / Sean Gallup")


def test_a_credit_element_wins_and_loses_its_label() -> None:
    assert split_caption("Flooded street Photo: AP / Ann Lee", CREDITS, "Photo: AP / Ann Lee") == Caption(
        "Flooded street", "AP / Ann Lee")
    assert split_caption("Flooded street", CREDITS, " ") == Caption("Flooded street")


def _rules_with(rules_dir: pathlib.Path, old: str, new: str):
    """Load the rules after one edit of the copy's structure.toml (edits add up)."""
    path = rules_dir / "structure.toml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return load_rules(rules_dir)


def test_credit_labels_come_from_the_rules_file(rules_dir: pathlib.Path) -> None:
    """A label added to structure.toml splits credits; without it the same caption stays whole."""
    caption = "Boats in the harbour. Lichtbild: Eva Roe"
    assert split_caption(caption, CREDITS) == Caption(caption)
    rules = _rules_with(rules_dir, "credit_labels = [\n", "credit_labels = [\n  'lichtbild\\s*:',\n")
    assert split_caption(caption, rules.credits) == Caption("Boats in the harbour", "Eva Roe")
    fewer = _rules_with(rules_dir, "credit_max_words = 10", "credit_max_words = 2")
    assert split_caption("The pad. Credit: Orbit Labs Ltd", fewer.credits) == Caption("The pad. Credit: Orbit Labs Ltd")


@pytest.mark.parametrize(("old", "new", "message"), [
    ("credit_labels = [\n", "credit_labels = [\n  '(unclosed',\n", "does not compile"),
    ("glued_credit_labels = [", "glued_credit_labels = ['x?', ", "matches the empty string"),
    ("credit_max_words = 10", "credit_max_words = 0", "at least 1"),
    ('"left", "right"', '"Left", "right"', "lower case"),
])
def test_broken_credit_labels_fail_loudly(rules_dir: pathlib.Path, old: str, new: str, message: str) -> None:
    with pytest.raises(RulesError, match=message):
        _rules_with(rules_dir, old, new)
