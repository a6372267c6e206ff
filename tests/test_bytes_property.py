"""Property: no sequence of bytes crashes reading or processing; bad bytes end as a rejection with a reason."""

import datetime as dt
import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from transforms.decode import DecodeError, decode_bytes, split_records
from transforms.pipeline import process_documents, read_dump
from transforms.rules import load_rules

RULES = load_rules()

NOW = dt.datetime(2026, 11, 22, tzinfo=dt.UTC)
SNAKE = re.compile(r"^[a-z]+(?:_[a-z]+)*$")

# raw bytes, and text in several encodings with a few stray bytes mixed in (the realistic bad dumps)
texts = st.text(alphabet=st.characters(codec="utf-8"), max_size=400)
encoded = st.tuples(texts, st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252", "latin-1"])).map(
    lambda te: te[0].encode(te[1], errors="ignore"))
dumps = st.one_of(st.binary(max_size=600), encoded,
                  st.tuples(encoded, st.binary(max_size=8)).map(lambda eb: eb[0] + eb[1]))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(dumps)
def test_decode_returns_text_or_a_reasoned_error(data):
    try:
        decoded = decode_bytes(data)
    except DecodeError as exc:
        assert SNAKE.match(exc.reason)
    else:
        assert decoded.text.strip()
        assert "\r" not in decoded.text


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(dumps, st.sampled_from(["txt", "html", "jsonl"]))
def test_any_dump_becomes_documents_that_are_processed_or_rejected_with_a_reason(data, fmt):
    docs = process_documents(read_dump(data, f"dump.{fmt}", fmt, NOW), RULES)
    assert docs  # nothing is lost: at least one record per dump
    for doc in docs:
        if doc.rejection is not None:
            assert SNAKE.match(doc.rejection.reason) and doc.rejection.stage in ("read", "clean", "extract")
            # the batch's safety net turns a bug into this reason: no input may reach it
            assert doc.rejection.reason != "extraction_error", doc.rejection.detail
        else:
            assert doc.articles and all(a.paragraphs for a in doc.articles)


@given(st.lists(st.one_of(st.binary(max_size=40), st.text(max_size=40).map(str.encode)), max_size=6))
def test_jsonl_lines_of_anything_never_crash(lines):
    try:
        records = split_records(b"\n".join(lines), "jsonl")
    except DecodeError as exc:
        assert SNAKE.match(exc.reason)
    else:
        assert all(r.kind in ("txt", "html", "invalid") for r in records)
        assert all(r.error for r in records if r.kind == "invalid")
