"""GX Data Docs never carry article text: hostile titles and bodies cannot run script in them."""

import subprocess

import pyarrow as pa
import pytest

from expectations import documents as documents_suite
from expectations.runner import build_data_docs
from expectations.validate import validate_run
from tests.test_expectations import TODAY, article
from tests.test_report import CHROMIUM_FLAGS, HOSTILE, HOSTILE_IMG, chromium
from transforms.rules import load_rules
from warehouse.schemas import table_from_rows

RULES = load_rules()

pytestmark = pytest.mark.integration

MARK = "PAYLOADMARK"


@pytest.fixture(scope="module")
def docs_site(tmp_path_factory):
    gx = tmp_path_factory.mktemp("gx")
    payload = HOSTILE + HOSTILE_IMG + MARK
    rows = [
        article("good"),
        article("hostile_title", title=payload),  # passes, but its text must not be in GX either
        article("hostile_short", body=payload),  # fails body_length_in_bounds and more
        article("hostile_body", body=payload + " word" * 40 + "\n\nLeave a Reply"),  # fails no_boilerplate_in_body
    ]
    docs = pa.Table.from_pylist([{"doc_id": "d1", "source_file": payload + ".txt", "articles_extracted": 0}],
                                schema=documents_suite.SCHEMA)
    outcome = validate_run(table_from_rows("articles", rows), docs, gx, RULES.boilerplate_phrases, "run-x",
                           today=TODAY)
    index = build_data_docs(gx)
    return outcome, index


def test_hostile_articles_are_still_rejected_by_the_checks(docs_site):
    outcome, _ = docs_site
    assert "body_mostly_text" in outcome.rejected["hostile_short"][2]  # markup, not text
    assert "no_boilerplate_in_body" in outcome.rejected["hostile_body"][2]
    assert "good" not in outcome.rejected and "hostile_title" not in outcome.rejected


def test_no_article_text_is_stored_in_gx_results_or_docs(docs_site):
    _, index = docs_site
    gx_root = index.parents[3]  # .../gx/gx/uncommitted/data_docs/local_site/index.html -> .../gx/gx
    files = [p for p in gx_root.rglob("*") if p.is_file()]
    assert any(p.suffix == ".html" for p in files) and len(files) > 5
    for path in files:
        text = path.read_text(errors="replace")
        assert MARK not in text, path
        assert "data-pwned" not in text, path


def test_data_docs_pages_render_without_running_a_payload(docs_site, tmp_path):
    _, index = docs_site
    pages = [index, *sorted(index.parent.glob("validations/**/*.html"))[:4]]
    assert len(pages) >= 2
    for n, page in enumerate(pages):
        cmd = [chromium(), *CHROMIUM_FLAGS, f"--user-data-dir={tmp_path / f'p{n}'}", "--virtual-time-budget=3000",
               "--dump-dom", page.as_uri()]
        dom = subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=True).stdout
        assert "<body" in dom, page
        assert "data-pwned" not in dom, page
        assert MARK not in dom, page
