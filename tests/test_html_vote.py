"""HTML body vote: the line vote, the never-empty fallback, the per-page work cap and the [body_vote] rules."""

from __future__ import annotations

import dataclasses
import pathlib

import pytest
from trafilatura.utils import load_html

from transforms import html_body
from transforms.clean_text import classify_lines
from transforms.html import extract_html
from transforms.html_vote import arbitrate, coverage, vote, word_count
from transforms.rules import RulesError, load_rules

RULES = load_rules()

PROSE = ("The council voted on Tuesday to rebuild the flood wall along the river, after two winters in which "
         "the water reached the houses of the lower town and closed the bridge for a week.")
PROSE2 = ("Engineers said the wall would be finished in three years, and that the town would pay for the study "
          "of the wetlands upstream out of its own budget, with help from the regional fund.")
MENU = "Home News Sport Weather Contact"


def test_coverage_is_the_share_of_a_line_found_in_a_candidate() -> None:
    lines = [MENU, PROSE, PROSE2]
    shares = coverage(lines, {"trafilatura": PROSE + "\n" + PROSE2[:60], "text_cleaner": [False, True, True]})
    assert shares["trafilatura"][0] == 0.0 and shares["trafilatura"][1] == 1.0
    assert 0.1 < shares["trafilatura"][2] < 0.5
    assert shares["text_cleaner"] == [0.0, 1.0, 1.0]


def test_vote_keeps_lines_the_candidates_agree_on() -> None:
    rules = RULES.body_vote
    lines = [MENU, PROSE, PROSE2]
    candidates = {"trafilatura": PROSE + "\n" + PROSE2, "readability": PROSE + "\n" + PROSE2,
                  "resiliparse": MENU + "\n" + PROSE + "\n" + PROSE2, "text_cleaner": [False, True, True]}
    kept, how = arbitrate(lines, candidates, rules)
    assert kept == [PROSE, PROSE2] and how == "vote"


def test_missing_candidates_do_not_sink_the_vote() -> None:
    """A candidate skipped by the cap (None) has its weight spread over the others."""
    rules = RULES.body_vote
    lines = [MENU, PROSE]
    shares = coverage(lines, {"trafilatura": PROSE, "readability": None, "resiliparse": PROSE,
                              "text_cleaner": [False, True]})
    assert vote(lines, shares, rules) == [False, True]


def test_an_empty_vote_never_wins_over_a_candidate_with_an_article() -> None:
    rules = dataclasses.replace(RULES.body_vote, threshold=1e9)  # the vote keeps nothing
    lines = [MENU, PROSE, PROSE2]
    candidates = {"trafilatura": PROSE + "\n" + PROSE2, "readability": PROSE, "resiliparse": "",
                  "text_cleaner": [False, False, False]}
    kept, how = arbitrate(lines, candidates, rules)
    assert how == "fallback"
    assert kept == [PROSE, PROSE2]  # the candidate agreeing best with the others, not the shorter one


def test_a_much_shorter_vote_falls_back_to_the_agreed_candidate() -> None:
    rules = dataclasses.replace(RULES.body_vote, threshold=2.5, min_share=0.5)
    body = [" ".join(f"word{i}n{j}" for j in range(30)) for i in range(6)]  # six paragraphs, no shared words
    lines = [MENU, *body]
    text = "\n".join(body)
    # only the first paragraph gets three votes: the vote keeps a sixth of what most candidates found
    candidates = {"trafilatura": text, "readability": text, "resiliparse": body[0],
                  "text_cleaner": [False, True, *([False] * 5)]}
    kept, how = arbitrate(lines, candidates, rules)
    assert how == "fallback" and kept == body


def test_no_candidate_text_gives_an_empty_body() -> None:
    rules = RULES.body_vote
    kept, _ = arbitrate([MENU], {"trafilatura": "", "readability": "", "resiliparse": "",
                                 "text_cleaner": [False]}, rules)
    assert kept == []


def big_page(paragraphs: int) -> str:
    """A page with many small elements around one article."""
    cells = "".join(f"<li><a href='/p{i}'>Item {i}</a></li>" for i in range(paragraphs))
    return (f"<html><head><title>Flood wall</title></head><body><nav><ul>{cells}</ul></nav>"
            f"<article><h1>Flood wall</h1><p>{PROSE}</p><p>{PROSE2}</p></article></body></html>")


def test_the_work_cap_skips_readability_and_resiliparse_on_huge_pages() -> None:
    html = big_page(500)
    tree = load_html(html)
    rules = RULES
    capped = dataclasses.replace(rules.body_vote, max_readability_elements=100, max_render_chars=10**9)
    lines = html_body.render_lines(html)
    out = html_body.run_candidates(tree, html, lines, lambda t: classify_lines(t, rules), capped)
    assert out["readability"] is None and out["resiliparse"] is None
    assert PROSE in out["trafilatura"]
    uncapped = html_body.run_candidates(tree, html, lines, lambda t: classify_lines(t, rules), rules.body_vote)
    assert PROSE in uncapped["readability"] and PROSE in uncapped["resiliparse"]
    paragraphs, _ = arbitrate(lines, out, capped)
    assert PROSE in paragraphs and PROSE2 in paragraphs and "Item 7" not in paragraphs


def test_extract_html_keeps_the_article_of_a_huge_page() -> None:
    ext = extract_html(big_page(30000), None, RULES)
    assert ext is not None and PROSE in ext.paragraphs and PROSE2 in ext.paragraphs
    assert not any(p.startswith("Item ") for p in ext.paragraphs)


def test_readability_gets_its_own_copy_of_the_shared_tree() -> None:
    html = big_page(5)
    tree = load_html(html)
    before = sum(1 for _ in tree.iter())
    html_body.run_readability(tree)
    html_body.run_trafilatura(tree)
    assert sum(1 for _ in tree.iter()) == before


@pytest.mark.parametrize(("old", "new", "match"), [
    ("threshold = ", "threshold = 'x' #", "threshold"),
    ("min_share = 0.5", "min_share = 1.5", "min_share"),
    ("text_cleaner = ", "cleaner = ", "weights"),
    ("max_readability_elements = ", "max_readability_elements = -", "max_readability_elements"),
])
def test_body_vote_section_is_validated(rules_dir: pathlib.Path, old: str, new: str, match: str) -> None:
    path = rules_dir / "html.toml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(RulesError, match=match):
        load_rules(rules_dir)


def test_body_vote_section_is_required(rules_dir: pathlib.Path) -> None:
    path = rules_dir / "html.toml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text[:text.index("[body_vote]")], encoding="utf-8")
    with pytest.raises(RulesError, match="body_vote"):
        load_rules(rules_dir)


def test_readability_lxml_rereads_a_page_the_port_finds_little_on() -> None:
    html = big_page(5)
    tree = load_html(html)
    rules = RULES
    lines = html_body.render_lines(html)
    port, lxml = html_body.run_readability(tree), html_body.run_readability_lxml(tree)
    main = html_body.run_trafilatura(tree)
    assert PROSE in lxml
    always = dataclasses.replace(rules.body_vote, readability_retry_share=1.0)  # retry unless the port has more
    never = dataclasses.replace(rules.body_vote, readability_retry_share=0.0)
    classify = lambda t: classify_lines(t, rules)  # noqa: E731
    expect = lxml if word_count(port) < word_count(main) else port
    assert html_body.run_candidates(tree, html, lines, classify, always)["readability"] == expect
    assert html_body.run_candidates(tree, html, lines, classify, never)["readability"] == port


def nested_links_page(n: int) -> str:
    """A page whose <a> tags are never closed: lxml nests each link in the one before."""
    links = "".join(f"<p><a href='/s{i}'>Story {i} of the flood series, with the wall and the council "
                    for i in range(n))
    return (f"<html><body><div class='content'><h1>Flood wall</h1><p>{PROSE}</p><p>{PROSE2}</p>"
            f"<div class='related'>{links}</div></div></body></html>")


def test_readability_work_stays_low_on_real_pages_and_is_high_on_nested_links() -> None:
    rules = RULES.body_vote
    for path in sorted((pathlib.Path(__file__).parent / "fixtures" / "html").glob("*.html")):
        assert html_body.readability_work(load_html(path.read_text(encoding="utf-8"))) <= rules.max_readability_work
    assert html_body.readability_work(load_html(big_page(50))) <= rules.max_readability_work
    assert html_body.readability_work(load_html(nested_links_page(300))) > rules.max_readability_work


def test_readability_lxml_never_rereads_a_page_where_its_work_is_quadratic(monkeypatch) -> None:
    html = nested_links_page(300)
    tree = load_html(html)
    rules = RULES
    always = dataclasses.replace(rules.body_vote, readability_retry_share=1.0)

    def too_slow(tree):
        raise AssertionError("readability-lxml ran on a page over max_readability_work")

    monkeypatch.setattr(html_body, "run_readability_lxml", too_slow)
    lines, classify = html_body.render_lines(html), lambda t: classify_lines(t, rules)
    out = html_body.run_candidates(tree, html, lines, classify, always)
    assert out["readability"] == html_body.run_readability(tree)
    with pytest.raises(AssertionError, match="readability-lxml ran"):  # without the cap it would have run
        html_body.run_candidates(tree, html, lines, classify, dataclasses.replace(always, max_readability_work=1e9))
