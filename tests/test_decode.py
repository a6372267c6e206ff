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
    assert decoded.encoding == "latin-1"


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
