"""The GX suites on fixtures that must fail specific expectations, and ones that must pass."""

import datetime as dt

import pyarrow as pa
import pytest

from expectations import documents as documents_suite
from expectations.checks import SuiteConfig, crosses
from expectations.validate import validate_run
from transforms.rules import load_rules
from warehouse.schemas import table_from_rows

RULES = load_rules()

TODAY = dt.date(2026, 11, 22)
GOOD_BODY = (
    "The harbour council voted seven to two on Thursday to approve a new ferry terminal on the eastern quay.\n\n"
    "“This is the most important decision the council has taken in a generation,” said council leader Tomas Berg.\n\n"
    "Construction is expected to begin in the autumn and take two years, with the regional authority paying."
)


def article(article_id, body=GOOD_BODY, title="Harbour council approves ferry terminal", published=dt.date(2021, 6, 3),
            language="en", word_count=None, authors=("Priya Raman",), site="The Coastal Ledger"):
    return {
        "article_id": article_id, "doc_id": f"doc-{article_id}", "source_file": f"{article_id}.txt", "position": 0,
        "title": title, "subtitle": None, "authors": list(authors), "published": published, "published_raw": None,
        "site": site, "url": None, "language": language, "body": body,
        "word_count": len(body.split()) if word_count is None else word_count,
        "paragraph_count": body.count("\n\n") + 1, "run_id": "r",
    }


BAD = {
    "future": (article("future", published=dt.date(2031, 1, 1)), "published_plausible"),
    "ancient": (article("ancient", published=dt.date(1971, 5, 1)), "published_plausible"),
    "boilerplate_only": (article("boilerplate_only", body="Leave a Reply\n\nYour email address will not be "
                                 "published. Required fields are marked *\n\nShare this article"),
                         "no_boilerplate_in_body"),
    "menu_bullets": (article("menu_bullets", body="\n".join(f"• Section number {i}" for i in range(12))),
                     "body_mostly_text"),
    "no_title": (article("no_title", title=None), "title_present"),
    "title_is_boilerplate": (article("title_is_boilerplate", title="Leave a Reply"), "title_not_boilerplate"),
    "too_short": (article("too_short", body="Breaking."), "body_length_in_bounds"),
    "bad_count": (article("bad_count", word_count=3), "word_count_matches_body"),
    "bad_language": (article("bad_language", language="english"), "language_valid"),
}


@pytest.fixture(scope="module")
def outcome(tmp_path_factory):
    rows = [article(f"good{i}") for i in range(3)] + [row for row, _ in BAD.values()]
    rows.append(article("good0"))  # the same article twice in one run
    docs = pa.Table.from_pylist(
        [{"doc_id": "d1", "source_file": "a.txt", "articles_extracted": 2},
         {"doc_id": "d2", "source_file": "b.txt", "articles_extracted": 0}], schema=documents_suite.SCHEMA)
    return validate_run(table_from_rows("articles", rows), docs, tmp_path_factory.mktemp("gx"),
                        RULES.boilerplate_phrases, "run-1", history=[(10, 3), (12, 4), (11, 3)], today=TODAY)


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_record_is_rejected_naming_the_failed_expectation(outcome, case):
    _row, expectation = BAD[case]
    reason, detail, failed = outcome.rejected[case]
    assert reason == "failed_expectations"
    assert expectation in failed
    assert expectation in detail


def test_rejection_detail_carries_the_observed_value(outcome):
    assert "2031-01-01" in outcome.rejected["future"][1]


def test_duplicate_article_is_rejected_and_good_ones_pass(outcome):
    assert "article_id_unique" in outcome.rejected["good0"][2]
    assert "good1" not in outcome.rejected and "good2" not in outcome.rejected


def test_every_expectation_lands_as_a_result_row_with_severity_and_description(outcome):
    by_name = {r["expectation"]: r for r in outcome.results}
    assert by_name["published_plausible"]["success"] is False
    assert by_name["published_plausible"]["severity"] == "critical"
    assert by_name["no_duplicate_bodies"]["success"] is False  # warning: duplicate bodies in the batch
    assert by_name["no_duplicate_bodies"]["severity"] == "warning"
    assert by_name["documents_mostly_yield_articles"]["success"] is False  # 1 of 2 documents gave nothing
    assert by_name["articles_per_document_in_line_with_history"]["success"] is True
    assert all(r["description"] and r["run_id"] == "run-1" for r in outcome.results)
    assert crosses(outcome.results, "critical") and crosses(outcome.results, "warning")
    assert not crosses(outcome.results, "never")


def test_clean_batch_passes_every_check(tmp_path):
    rows = [article(f"a{i}", body=GOOD_BODY + f"\n\nUpdate number {i} to the story.") for i in range(4)]
    docs = pa.Table.from_pylist([{"doc_id": f"d{i}", "source_file": f"{i}.txt", "articles_extracted": 1}
                                 for i in range(4)], schema=documents_suite.SCHEMA)
    out = validate_run(table_from_rows("articles", rows), docs, tmp_path, RULES.boilerplate_phrases,
                       "run-2", history=[(4, 4), (4, 4), (5, 5)], today=TODAY)
    assert out.rejected == {}
    assert [r["expectation"] for r in out.results if not r["success"]] == []
    assert not crosses(out.results, "warning")


def _history_check(tmp_path, n_articles: int, documents_read: int, history) -> dict:
    rows = [article(f"a{i}", body=GOOD_BODY + f"\n\nUpdate {i}.") for i in range(n_articles)]
    docs = pa.Table.from_pylist([], schema=documents_suite.SCHEMA)
    out = validate_run(table_from_rows("articles", rows), docs, tmp_path, RULES.boilerplate_phrases,
                       "run-3", history=history, today=TODAY, config=SuiteConfig(), documents_read=documents_read)
    assert out.rejected == {}  # a warning never quarantines
    return {r["expectation"]: r for r in out.results}


def test_yield_drop_against_history_is_a_warning(tmp_path):
    # earlier runs: about one article per document; this one: 3 articles from 100 documents
    by_name = _history_check(tmp_path, 3, 100, [(100, 100), (120, 110), (110, 100), (90, 95)])
    check = by_name["articles_per_document_in_line_with_history"]
    assert check["success"] is False and check["severity"] == "warning"
    assert "100 documents" in check["description"]


def test_small_incremental_run_is_judged_by_yield_not_size(tmp_path):
    # 3 articles from 3 new dumps after backfills of thousands: in line with history
    by_name = _history_check(tmp_path, 3, 3, [(1000, 1000), (1200, 1100), (1100, 1000)])
    assert by_name["articles_per_document_in_line_with_history"]["success"] is True


def test_yield_check_needs_enough_history(tmp_path):
    by_name = _history_check(tmp_path, 3, 100, [(100, 100), (0, 50), (120, 0)])  # one usable run
    assert "articles_per_document_in_line_with_history" not in by_name


def test_implausible_date_line_of_a_dump_is_quarantined_not_dropped(tmp_path):
    """A text dump dated 'Monday, March 3, 2098': the article keeps the date and its raw string, and the
    critical published_plausible expectation sends it to quarantine."""
    from transforms.pipeline import process_documents, read_dump
    from warehouse.schemas import build_tables

    text = ("Province approves school budget after long debate\n\nMonday, March 3, 2098\n\n"
            + "\n\n".join([GOOD_BODY] * 2) + "\n\nShare this article\n")
    rules = RULES
    (doc,) = process_documents(read_dump(text.encode(), "future.txt", "txt", dt.datetime(2026, 1, 1)), rules)
    (art,) = doc.articles
    assert (art.published, art.published_raw) == (dt.date(2098, 3, 3), "Monday, March 3, 2098")
    tables = build_tables([doc], "run-f", dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    docs = pa.Table.from_pylist([{"doc_id": doc.doc_id, "source_file": "future.txt", "articles_extracted": 1}],
                                schema=documents_suite.SCHEMA)
    out = validate_run(tables["articles"], docs, tmp_path, rules.boilerplate_phrases, "run-f", today=TODAY)
    assert "published_plausible" in out.rejected[art.article_id][2]


def test_the_run_suite_gets_the_same_results_from_the_counts_alone(tmp_path):
    from expectations.run_level import RunAggregates, body_digest
    from expectations.validate import validate_aggregates

    agg = RunAggregates()
    agg.add_documents(3, 2)
    agg.add_articles([(True, True, True, False, body_digest(GOOD_BODY)),
                      (False, True, True, False, body_digest(GOOD_BODY.upper())),  # a duplicate body
                      (True, False, True, False, body_digest("Another story."))])
    counts = agg.counts()
    assert counts.body_hashes == set() and len(agg.body_hashes) == 2  # what the flow hands to the task
    assert (counts.articles, counts.duplicate_bodies, counts.documents_with_article) == (3, 1, 2)

    def outcome(a):
        return [(r["expectation"], r["success"], r["element_count"], r["observed_value"])
                for r in validate_aggregates(a, tmp_path / "gx", "run-4")]

    whole = outcome(agg)
    assert ("no_duplicate_bodies", False) in {(name, ok) for name, ok, _, _ in whole}
    assert outcome(counts) == whole
