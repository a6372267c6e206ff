"""Property: the per-document entry point never raises, whatever the input (random Unicode, mutated real
dumps, random HTML, pathological repeats); every record is processed or rejected with a reason."""

import json
import random
import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bench.fuzz import HOSTILE, load_seeds, mutate, random_html
from tests.test_bytes_property import NOW
from transforms.pipeline import process_documents, read_dump
from transforms.rules import load_rules

SNAKE = re.compile(r"^[a-z]+(?:_[a-z]+)*$")
SEEDS = [(fmt, data) for fmt, data in load_seeds() if len(data) < 400_000][:30]
RULES = load_rules()

unicode_text = st.text(alphabet=st.characters(blacklist_categories=()), max_size=3000)
seeded = st.integers(min_value=0, max_value=2**32 - 1).map(random.Random)
mutated = st.tuples(st.sampled_from(SEEDS), seeded).map(
    lambda sr: (sr[0][0], mutate(sr[1], sr[0][1].decode("utf-8", "replace"))[0]))
html_pages = seeded.map(lambda rnd: ("html", f"<html><body>{random_html(rnd)}</body></html>"))
repeats = st.tuples(st.sampled_from(HOSTILE), st.integers(1, 3000), st.sampled_from(["", "\n", " "])).map(
    lambda t: ("txt", (t[0] + t[2]) * t[1]))
inputs = st.one_of(
    st.tuples(st.sampled_from(["txt", "html", "jsonl"]), unicode_text),
    mutated, html_pages, repeats,
)


def _check(fmt: str, text: str) -> None:
    data = text.encode("utf-8", "surrogatepass")
    docs = process_documents(read_dump(data, f"fuzz.{fmt}", fmt, NOW), RULES)
    assert docs
    for doc in docs:
        if doc.rejection is not None:
            assert SNAKE.match(doc.rejection.reason)
            assert doc.rejection.reason != "extraction_error", doc.rejection.detail
        else:
            assert doc.articles
            for article in doc.articles:
                for part in (article.title or "", *article.paragraphs):
                    assert not any(ord(c) < 32 and c not in "\n\t" for c in part)
                    part.encode("utf-8")  # storable: no lone surrogate


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(inputs)
def test_no_input_makes_the_entry_point_raise(case):
    _check(*case)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(
    st.text(max_size=200).map(lambda t: json.dumps({"text": t}, ensure_ascii=False)),
    st.sampled_from(['{"text": "\\ud800 lone"}', '{"html": "<p>\\udfff</p>"}', '{"text": "\\u0000\\u001b"}',
                     "{not json", "[]", '{"text": 5}', '{"url": ["x"], "text": "a"}']),
), min_size=1, max_size=8))
def test_jsonl_escapes_never_raise(lines):
    _check("jsonl", "\n".join(lines))
