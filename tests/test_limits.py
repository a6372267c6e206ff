"""Size limits: a record far larger than an article is rejected with its own reason before any cleaning."""

import datetime as dt

from transforms.pipeline import MAX_HTML_BLOCKS, MAX_HTML_TAGS, MAX_TEXT_CHARS, process_documents, read_dump
from transforms.rules import load_rules

RULES = load_rules()

NOW = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)


def _reason(data: bytes, fmt: str) -> tuple[str, str]:
    (doc,) = process_documents(read_dump(data, f"x.{fmt}", fmt, NOW), RULES)
    return doc.rejection.reason, doc.rejection.detail


def test_a_huge_text_dump_is_rejected_before_decoding():
    data = b"Share this article 123\n" * 400_000  # 9.2 MB of boilerplate lines
    assert _reason(data, "txt") == ("record_too_long", "9,200,000 bytes > 8,000,000 (2,000,000 characters)")


def test_text_over_the_character_cap_is_rejected():
    reason, detail = _reason(b"word " * (MAX_TEXT_CHARS // 5 + 10), "txt")
    assert reason == "record_too_long" and "characters of text" in detail


def test_text_under_the_cap_is_processed():
    (doc,) = process_documents(read_dump(b"word " * 1000, "x.txt", "txt", NOW), RULES)
    assert doc.rejection is None or doc.rejection.reason != "record_too_long"


def test_a_page_with_too_many_tags_is_not_parsed():
    page = b"<html><body>" + b"<span>a</span>" * (MAX_HTML_TAGS // 2 + 1) + b"</body></html>"
    reason, detail = _reason(page, "html")
    assert reason == "too_much_markup" and "tags > 40,000" in detail


def test_a_page_of_too_many_block_elements_is_not_parsed():
    page = b"<html><body>" + b"<p>word " * (MAX_HTML_BLOCKS + 1) + b"</body></html>"
    assert page.count(b"<") < MAX_HTML_TAGS  # under the tag cap: the block cap decides
    reason, detail = _reason(page, "html")
    assert reason == "too_much_markup" and "block elements > 8,000" in detail


def test_a_page_under_the_block_cap_is_parsed():
    page = b"<html><body>" + b"<p>The council met again today to vote on the harbour budget.</p>" * 300
    (doc,) = process_documents(read_dump(page + b"</body></html>", "x.html", "html", NOW), RULES)
    assert doc.rejection is None or doc.rejection.reason != "too_much_markup"


def test_one_huge_jsonl_line_costs_only_that_line():
    data = b'{"text": "' + b"x" * 2_100_000 + b'"}\n{"text": "fine"}\n'
    docs = process_documents(read_dump(data, "x.jsonl", "jsonl", NOW), RULES)
    assert docs[0].rejection.reason == "record_too_long"
    assert docs[1].rejection is None or docs[1].rejection.reason == "no_article_text"
