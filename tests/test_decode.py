"""Reading bytes: encodings, binary junk, jsonl records."""

import codecs

import pytest

from transforms.decode import DecodeError, decode_bytes, detect_format, split_records

TEXT = "Blinken said “NATO is united” — café déjà vu."


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (TEXT.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + TEXT.encode("utf-8"), "utf-8-sig"),
        (TEXT.encode("utf-16"), "utf-16"),
        (TEXT.encode("utf-16-le"), "utf-16-le"),
        (TEXT.encode("utf-16-be"), "utf-16-be"),
        (TEXT.encode("cp1252"), "cp1252"),
    ],
)
def test_decode_bytes_reads_every_supported_encoding(data, encoding):
    decoded = decode_bytes(data)
    assert decoded.text == TEXT
    assert decoded.encoding == encoding


def test_latin1_bytes_cp1252_leaves_undefined_fall_back_to_latin1():
    data = ("Grüße aus Köln, sagte der Bürgermeister. " * 3).encode("latin-1") + b"\x81"
    decoded = decode_bytes(data)
    assert decoded.text.startswith("Grüße aus Köln")
    assert decoded.encoding == "latin-1, 1 control characters removed"
    assert "\x81" not in decoded.text


def test_crlf_is_normalised():
    assert decode_bytes(b"a\r\nb\rc").text == "a\nb\nc"


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty_file"),
        (b" \n\t\n", "empty_file"),
        (bytes(range(256)) * 8, "binary_content"),
        (b"\x89PNG\r\n\x1a\n" + bytes(range(32)) * 20, "binary_content"),
    ],
)
def test_unreadable_bytes_raise_with_a_reason(data, reason):
    with pytest.raises(DecodeError) as info:
        decode_bytes(data)
    assert info.value.reason == reason


def test_detect_format_by_suffix():
    assert detect_format("a/b/page.HTM") == "html"
    assert detect_format("dump.txt") == "txt"
    assert detect_format("batch.jsonl") == "jsonl"
    assert detect_format("image.png") is None


def test_html_content_in_a_txt_file_is_treated_as_html():
    (rec,) = split_records(b"<!DOCTYPE html><html><body><p>x</p></body></html>", "txt")
    assert rec.kind == "html"


def test_jsonl_lines_become_records_and_bad_lines_carry_an_error():
    data = (
        b'{"text": "plain text", "url": "https://example.com/a"}\n'
        b"\n"
        b"not json\n"
        b"[1, 2]\n"
        b'{"html": "<p>hi</p>"}\n'
        b'{"other": 1}\n'
    )
    recs = split_records(data, "jsonl")
    assert [(r.index, r.kind) for r in recs] == [
        (1, "txt"), (3, "invalid"), (4, "invalid"), (5, "html"), (6, "invalid")
    ]
    assert recs[0].url == "https://example.com/a"
    assert recs[1].error.startswith("invalid JSON")
    assert recs[2].error == "line is not a JSON object"
    assert "html" in recs[4].error


STORY = "The minister’s plan — a “fresh start” for Köln — was approved.\nCouncillors voted 12 to 3.\n" * 20


def test_a_utf8_dump_cut_inside_its_last_character_keeps_the_article():
    data = STORY.encode("utf-8") + "é".encode()[:1]
    decoded = decode_bytes(data)
    assert decoded.text == STORY
    assert decoded.encoding == "utf-8, cut last character dropped"
    cut3 = decode_bytes(STORY.encode("utf-8") + "’".encode()[:2])
    assert cut3.text == STORY


def test_one_cp1252_line_inside_utf8_is_repaired_not_binary():
    data = STORY.encode("utf-8") + "Le café était fermé – d’après le maire.\n".encode("cp1252") + STORY.encode()
    decoded = decode_bytes(data)
    assert "Le café était fermé – d’après le maire." in decoded.text
    assert decoded.text.count("The minister’s plan") == 40
    assert decoded.encoding == "utf-8, 6 bytes read as cp1252"


def test_cp1252_apostrophes_mixed_into_utf8_are_not_mojibake():
    data = "Köln’s mayor said: ".encode() + b"the minister\x92s plan works"
    decoded = decode_bytes(data)
    assert decoded.text == "Köln’s mayor said: the minister’s plan works"
    assert "â€" not in decoded.text


@pytest.mark.parametrize("junk", ["\x00", "\x1b", "\x1b[31m", "\x07", "\x7f", "\x85"])
def test_nul_and_control_characters_never_reach_the_text(junk):
    decoded = decode_bytes(f"First line of the story{junk} continues.\n{STORY}".encode())
    assert decoded.text.replace("[31m", "") == f"First line of the story continues.\n{STORY}"
    assert "control characters removed" in decoded.encoding


def test_jsonl_lone_surrogates_and_controls_are_replaced_per_record():
    data = (b'{"text": "Bad \\ud800 surrogate and NUL \\u0000 here", "url": "https://x.test/\\udfff"}\n'
            b'{"text": "A good line"}\n')
    first, second = split_records(data, "jsonl")
    assert first.text == "Bad \ufffd surrogate and NUL  here"
    assert first.url == "https://x.test/\ufffd"
    first.text.encode("utf-8")  # storable
    assert second.text == "A good line"
