"""HTML path: hand-written pages under tests/fixtures/html and the post-cleaner's pure helpers."""

from __future__ import annotations

import datetime as dt
import pathlib

import pytest

from transforms.html import (
    HtmlExtraction,
    clean_paragraphs,
    extract_html,
    find_captions,
    is_headline,
)
from transforms.record import Caption
from transforms.rules import load_rules

RULES = load_rules()

FIXTURES = pathlib.Path(__file__).parent / "fixtures" / "html"


def extract(name: str) -> HtmlExtraction:
    """Extract one fixture page, failing the test when nothing comes out."""
    ext = extract_html((FIXTURES / name).read_text(encoding="utf-8"), f"https://example.org/{name}", RULES)
    assert ext is not None
    return ext


def test_news_page_keeps_every_paragraph_in_order() -> None:
    ext = extract("news_article.html")
    assert len(ext.paragraphs) == 6
    assert ext.paragraphs[0].startswith("Councillors in the river town of Millbrook")
    assert ext.paragraphs[-1].startswith("The council said it would also commission")


@pytest.mark.parametrize("junk", [
    "Share on Facebook", "Share this article", "WhatsApp", "Related articles", "Floods close main bridge",
    "riverfan says", "basement flooded", "Leave a Reply", "Your email address", "All rights reserved",
    "Sandbags line", "Home", "Weather",
])
def test_news_page_cuts_share_related_comments_captions_and_chrome(junk: str) -> None:
    body = "\n".join(extract("news_article.html").paragraphs)
    assert junk not in body


def test_news_page_metadata_and_caption() -> None:
    ext = extract("news_article.html")
    assert ext.meta.title == "River town votes to rebuild its flood wall"
    assert ext.meta.authors == ("Maria Lopez",)
    assert ext.meta.published == dt.date(2024, 3, 14)
    assert ext.meta.site == "The Valley Courier"
    assert ext.captions == (Caption("Sandbags line the broken section of the wall in January",
                                    "Tom Hale/Valley Courier"),)


def test_portuguese_page_is_not_gutted() -> None:
    ext = extract("portuguese_article.html")
    assert len(ext.paragraphs) == 5
    assert all(len(p.split()) > 20 for p in ext.paragraphs)
    body = "\n".join(ext.paragraphs)
    for junk in ("Compartilhe", "Deixe seu comentário", "Início", "Todos os direitos"):
        assert junk not in body
    assert ext.captions == (Caption("Alunos apresentam protótipo de filtro de água", "Ana Souza"),)
    # the headline trafilatura repeats at the top of the body is dropped and reported
    assert ("Feira de ciências reúne escolas da região", "headline_repeat") in ext.removed


@pytest.mark.parametrize("html", [
    "", "   ", "<html><body></body></html>",
    "<html><head><title>Only a title</title></head><body><script>var a = 1;</script></body></html>",
])
def test_pages_without_text_give_none(html: str) -> None:
    assert extract_html(html, None, RULES) is None


def test_clean_paragraphs_drops_boilerplate_lines_with_reasons() -> None:
    prose = ("The committee met for six hours and agreed on a budget that keeps every library open, "
             "the chair said, adding that you can read more about it in the minutes.")
    later = "The new budget takes effect in January; the first branch to reopen on Sundays is by the harbour."
    paragraphs = ("River town votes to rebuild", prose, "Share on Facebook", "Leave a Reply", later)
    kept, removed = clean_paragraphs(paragraphs, "River town votes to rebuild | The Courier", RULES)
    assert kept == (prose, later)
    assert [reason for _, reason in removed] == ["headline_repeat", "share_widget", "comment_stub"]


def test_clean_paragraphs_drops_repeated_blocks_and_photo_credits() -> None:
    prose = ("The committee met for six hours and agreed on a budget that keeps every library open, "
             "the chair said, adding that the minutes would be published on Friday.")
    caption = "Volunteers stack sandbags along the river wall on Sunday."
    paragraphs = (caption, "Photo: Jane Roe / Associated Press", prose, "• " + caption, prose + " ")
    kept, removed = clean_paragraphs(paragraphs, None, RULES)
    assert kept == (caption, prose)
    assert [reason for _, reason in removed] == ["photo_credit", "repeated_block", "repeated_block"]


def test_clean_paragraphs_keeps_a_headline_sentence_inside_the_article() -> None:
    paragraphs = ("First paragraph of the story with enough words to be prose.", "Title words", "Last one.")
    kept, removed = clean_paragraphs(paragraphs, "Title words", RULES)
    assert kept == paragraphs[:1] + paragraphs[1:] and removed == ()


def test_is_headline_ignores_site_suffix_and_punctuation() -> None:
    assert is_headline("River town votes: to rebuild", "River town votes to rebuild – The Courier")
    assert not is_headline("River town", "River town votes to rebuild")
    assert not is_headline("Anything", None)


def test_find_captions_uses_a_credit_element() -> None:
    from trafilatura.utils import load_html

    tree = load_html("<html><body><p>x</p><figure><figcaption>Flooded street "
                     "<span class='photo-credit'>AP / Ann Lee</span></figcaption></figure>"
                     "<figure><figcaption>Flooded street AP / Ann Lee</figcaption></figure></body></html>")
    assert find_captions(tree, RULES.credits) == (Caption("Flooded street", "AP / Ann Lee"),)


def test_clean_paragraphs_html_block_rules() -> None:
    prose = ("Engineers said the wall would be finished in three years, and that the town would pay "
             "for the study of the wetlands upstream out of its own budget.")
    contact = "Email Jane Roe at jane.roe@example.com or follow her on Twitter @janeroe."
    paragraphs = (prose, "Read more: Floods close main bridge for a week", contact, prose + " Then it rained.",
                  "Sign up for our free daily newsletter", prose + " It rained again.", contact + " Or call.")
    kept, removed = clean_paragraphs(paragraphs, None, RULES)
    # a contact line counts as an author trailer only near the end of the article
    assert kept == (prose, contact, prose + " Then it rained.", prose + " It rained again.")
    assert [reason for _, reason in removed] == ["related_links", "newsletter", "author_bio"]


def test_html_blocks_section_is_validated(tmp_path: pathlib.Path) -> None:
    import shutil

    from transforms.rules import RULES_DIR, RulesError

    target = tmp_path / "rules"
    shutil.copytree(RULES_DIR, target)
    path = target / "html.toml"
    path.write_text(path.read_text(encoding="utf-8").replace("tail_paragraphs = 4", "tail_paragraphs = -1"),
                    encoding="utf-8")
    with pytest.raises(RulesError, match="tail_paragraphs"):
        load_rules(target)


def test_every_stage_the_html_timing_bench_wraps_exists() -> None:
    # bench/html_stages.py times functions by name: a renamed stage must fail here, not in the bench
    from bench.html_stages import STAGES

    missing = [f"{module.__name__}.{name}" for module, name, _stage in STAGES
               if not callable(getattr(module, name, None))]
    assert not missing
