"""The rules loader: the shipped rules load, and broken rule files fail loudly with file and key."""

from __future__ import annotations

import dataclasses
import pathlib
import re

import pytest

from transforms.rules import RULES_DIR, Rules, RulesError, load_rules

RULES = load_rules()


def test_shipped_rules_load_and_are_frozen() -> None:
    rules = load_rules()
    assert isinstance(rules, Rules)
    assert load_rules() is not rules  # no hidden cached default: every call reads the tree anew
    with pytest.raises(dataclasses.FrozenInstanceError):
        rules.bullets = "x"  # type: ignore[misc]
    assert {"en", "de", "fr", "es", "pt", "it", "ru", "nl"} <= set(rules.stopwords)
    with pytest.raises(TypeError):
        rules.stopwords["en"] = frozenset()  # type: ignore[index]


def test_boilerplate_phrases_are_lower_case_and_cover_the_seeds() -> None:
    phrases = RULES.boilerplate_phrases
    assert all(p == p.lower() for p in phrases)
    for needed in ["leave a reply", "read more", "related posts", "source link", "no comments yet"]:
        assert needed in phrases


def test_every_reason_is_snake_case() -> None:
    for rule in RULES.line_rules:
        assert re.fullmatch(r"[a-z][a-z0-9]*(_[a-z0-9]+)*", rule.reason)
        assert rule.action in ("drop", "stop")


def test_explicit_directory_matches_default(rules_dir: pathlib.Path) -> None:
    assert load_rules(rules_dir).line_rules[0].reason == RULES.line_rules[0].reason


def test_missing_directory(tmp_path: pathlib.Path) -> None:
    with pytest.raises(RulesError, match="does not exist"):
        load_rules(tmp_path / "nope")


def test_empty_directory(tmp_path: pathlib.Path) -> None:
    with pytest.raises(RulesError, match=r"no \*\.toml"):
        load_rules(tmp_path)


def test_empty_file(rules_dir: pathlib.Path) -> None:
    (rules_dir / "extra.toml").write_text("# nothing here\n", encoding="utf-8")
    with pytest.raises(RulesError, match=r"extra\.toml: file is empty"):
        load_rules(rules_dir)


def test_invalid_toml(rules_dir: pathlib.Path) -> None:
    (rules_dir / "extra.toml").write_text("[oops\n", encoding="utf-8")
    with pytest.raises(RulesError, match=r"extra\.toml: invalid TOML"):
        load_rules(rules_dir)


def add_rule(rules_dir: pathlib.Path, body: str) -> None:
    """Append one [[line_rules]] table to the boilerplate file."""
    path = rules_dir / "boilerplate.toml"
    path.write_text(path.read_text(encoding="utf-8") + "\n[[line_rules]]\n" + body, encoding="utf-8")


def test_bad_regex(rules_dir: pathlib.Path) -> None:
    add_rule(rules_dir, "reason = \"broken\"\naction = \"drop\"\nmax_words = 3\npatterns = ['(unclosed']\n")
    with pytest.raises(RulesError, match=r"boilerplate.toml: \[line_rules #\d+.patterns\] regex '\(unclosed'"):
        load_rules(rules_dir)


def test_reason_not_snake_case(rules_dir: pathlib.Path) -> None:
    add_rule(rules_dir, "reason = \"Share Widget\"\naction = \"drop\"\nmax_words = 3\npatterns = ['^x$']\n")
    with pytest.raises(RulesError, match="'Share Widget' is not snake_case"):
        load_rules(rules_dir)


def test_unknown_key_in_rule(rules_dir: pathlib.Path) -> None:
    add_rule(rules_dir, "reason = \"x\"\naction = \"drop\"\nmax_words = 3\npatterns = ['^x$']\ncolour = 1\n")
    with pytest.raises(RulesError, match="unknown key\\(s\\): colour"):
        load_rules(rules_dir)


def test_unknown_action(rules_dir: pathlib.Path) -> None:
    add_rule(rules_dir, "reason = \"x\"\naction = \"explode\"\nmax_words = 3\npatterns = ['^x$']\n")
    with pytest.raises(RulesError, match="action"):
        load_rules(rules_dir)


def test_empty_phrase_list(rules_dir: pathlib.Path) -> None:
    add_rule(rules_dir, "reason = \"x\"\naction = \"drop\"\nmax_words = 3\npatterns = []\n")
    with pytest.raises(RulesError, match="must be a non-empty list"):
        load_rules(rules_dir)


def test_unknown_section(rules_dir: pathlib.Path) -> None:
    (rules_dir / "extra.toml").write_text("[colours]\nred = 1\n", encoding="utf-8")
    with pytest.raises(RulesError, match=r"extra.toml: \[colours\] unknown section"):
        load_rules(rules_dir)


def test_section_defined_twice(rules_dir: pathlib.Path) -> None:
    (rules_dir / "extra.toml").write_text("[markers]\nbullets = \"*\"\n", encoding="utf-8")
    with pytest.raises(RulesError, match=r"already defined in classifier\.toml"):
        load_rules(rules_dir)


def test_missing_section(rules_dir: pathlib.Path) -> None:
    (rules_dir / "stopwords.toml").unlink()
    with pytest.raises(RulesError, match="missing section\\(s\\): stopwords"):
        load_rules(rules_dir)


def test_threshold_wrong_type(rules_dir: pathlib.Path) -> None:
    path = rules_dir / "classifier.toml"
    path.write_text(path.read_text(encoding="utf-8").replace("good_min_words = 12", "good_min_words = \"12\""),
                    encoding="utf-8")
    with pytest.raises(RulesError, match=r"\[thresholds.good_min_words\] must be a number"):
        load_rules(rules_dir)


def test_threshold_unknown_key(rules_dir: pathlib.Path) -> None:
    path = rules_dir / "classifier.toml"
    path.write_text(path.read_text(encoding="utf-8") + "fudge_factor = 3\n", encoding="utf-8")
    with pytest.raises(RulesError, match="unknown key\\(s\\): fudge_factor"):
        load_rules(rules_dir)


def test_upper_case_stopwords_rejected(rules_dir: pathlib.Path) -> None:
    path = rules_dir / "stopwords.toml"
    path.write_text(path.read_text(encoding="utf-8").replace('"the",', '"The",', 1), encoding="utf-8")
    with pytest.raises(RulesError, match=r"stopwords\.en"):
        load_rules(rules_dir)


def test_rules_without_the_regex_parser_label_every_line_the_same(monkeypatch: pytest.MonkeyPatch) -> None:
    """re._parser is private: without it the loader keeps every rule on the slow path, and the labels stay."""
    from transforms import regex_index
    from transforms.clean_text import classify_lines

    fast = load_rules(RULES_DIR)
    monkeypatch.setattr(regex_index, "_re_parser", None)
    slow = load_rules(RULES_DIR)
    assert slow.line_index.by_start == {} and slow.credit_only.scan is None  # nothing was bucketed or joined
    assert fast.line_index.by_start and fast.credit_only.scan is not None
    inbox = pathlib.Path(__file__).resolve().parents[1] / "samples" / "inbox"
    texts = [p.read_text(encoding="utf-8") for p in sorted(inbox.glob("*.txt"))]
    assert texts
    for text in texts:
        assert classify_lines(text, slow) == classify_lines(text, fast)


def _first_rule_in_file_order(rules: Rules, norm: str, words: int) -> str | None:
    """The reference for Rules.match_line_rule: every rule tried in order, no buckets, no merged regexes."""
    return next((r.reason for r in rules.line_rules if words <= r.max_words and r.pattern.search(norm)), None)


def test_bucketed_line_rules_pick_the_first_rule_in_file_order() -> None:
    """Buckets by first character and by word count never change which rule a line gets."""
    rules = RULES
    inbox = pathlib.Path(__file__).resolve().parents[1] / "samples" / "inbox"
    lines = [ln.strip() for p in sorted(inbox.glob("*.txt")) for ln in p.read_text(encoding="utf-8").splitlines()]
    made = ["share this article", "leave a reply", "anna smith says:", "home > world > europe", "© 2024 acme",
            "read more", "we use cookies to improve your experience", "1 comment", "tags: politics"]
    # each made line alone, then padded past the word limits of the rules (10, 16, 30, 60 words...)
    lines += [f"{m} {' '.join(['word'] * pad)}".strip() for m in made for pad in (0, 5, 9, 15, 29, 45, 70, 250)]
    hits = 0
    for line in filter(None, lines):
        norm = " ".join(line.lower().split())
        words = len(re.findall(r"\w+", norm))
        got = rules.match_line_rule(norm, words)
        want = _first_rule_in_file_order(rules, norm, words)
        assert (got.reason if got else None) == want, line
        hits += want is not None
    assert hits > 40  # the comparison covers matching lines, not only misses


def test_one_tree_holds_every_stage() -> None:
    rules = RULES
    assert {"authors.toml", "dates.toml", "quotes.toml", "text.toml", "structure.toml"} <= set(rules.sources)
    assert "said" in rules.quotes.verbs and rules.dates.min_year < rules.dates.max_year
    assert rules.ranker.weights["title"] and rules.ranker.sha256


def test_missing_metadata_section_fails_at_load(rules_dir: pathlib.Path) -> None:
    (rules_dir / "authors.toml").unlink()
    with pytest.raises(RulesError, match=r"missing section\(s\): authors"):
        load_rules(rules_dir)


def _models(tmp_path: pathlib.Path) -> pathlib.Path:
    import shutil

    from transforms.ranker_model import MODELS_DIR

    target = tmp_path / "models"
    shutil.copytree(MODELS_DIR, target)
    return target


def test_ranker_model_with_an_unknown_feature_fails_at_load(tmp_path: pathlib.Path) -> None:
    import json

    from transforms.ranker_model import model_document

    models = _models(tmp_path)
    data = json.loads((models / "ranker.json").read_text())
    data["weights"]["title"]["has_dates"] = 0.5  # misspelled: the code computes has_date
    (models / "ranker.json").write_text(model_document(data["weights"], "test", {}))
    with pytest.raises(RulesError, match="does not compute: has_dates"):
        load_rules(models=models)


def test_ranker_model_edited_by_hand_fails_its_checksum(tmp_path: pathlib.Path) -> None:
    models = _models(tmp_path)
    path = models / "ranker.json"
    path.write_text(path.read_text().replace('"end_period": -', '"end_period": -9', 1))
    with pytest.raises(RulesError, match="sha256 does not match"):
        load_rules(models=models)


def test_missing_ranker_model_fails_at_load(tmp_path: pathlib.Path) -> None:
    with pytest.raises(RulesError, match="cannot read ranker model"):
        load_rules(models=tmp_path)


def test_unknown_time_zone_fails_at_load(rules_dir: pathlib.Path) -> None:
    path = rules_dir / "dates.toml"
    path.write_text(path.read_text(encoding="utf-8").replace('"de" = "Europe/Berlin"', '"de" = "Europe/Berlinn"'),
                    encoding="utf-8")
    with pytest.raises(RulesError, match="Europe/Berlinn"):
        load_rules(rules_dir)


def test_site_offset_follows_daylight_saving_through_zoneinfo() -> None:
    import datetime as dt

    from transforms.dates import site_offset

    rules = RULES
    assert site_offset(("de",), dt.datetime(2022, 11, 6, 23, 0), rules) == dt.timedelta(hours=1)
    assert site_offset(("de",), dt.datetime(2022, 7, 6, 23, 0), rules) == dt.timedelta(hours=2)
    # the switch happens at 01:00 UTC on the last Sunday of March, not at midnight
    assert site_offset(("de",), dt.datetime(2022, 3, 27, 0, 30), rules) == dt.timedelta(hours=1)
    assert site_offset(("de",), dt.datetime(2022, 3, 27, 1, 30), rules) == dt.timedelta(hours=2)
    assert site_offset(("com", "", "lang:en"), dt.datetime(2022, 7, 6, 23, 0), rules) is None


def test_byline_words_with_an_unknown_use_fail(rules_dir: pathlib.Path) -> None:
    path = rules_dir / "authors.toml"
    path.write_text(path.read_text(encoding="utf-8").replace('"quelle" = ["mark"]', '"quelle" = ["marks"]'),
                    encoding="utf-8")
    with pytest.raises(RulesError, match=r"authors\.toml: \[authors\.byline_words\]: 'quelle': unknown use\(s\) marks"):
        load_rules(rules_dir)


def test_a_byline_slot_no_word_fills_fails(rules_dir: pathlib.Path) -> None:
    path = rules_dir / "structure.toml"
    path.write_text(path.read_text(encoding="utf-8").replace("{byline:label}", "{byline:newsroom_x}"), encoding="utf-8")
    with pytest.raises(RulesError, match=r"structure\.toml: \[header\.byline\] \{byline:newsroom_x\}: no word"):
        load_rules(rules_dir)


def test_header_byline_is_filled_from_the_one_word_table() -> None:
    pattern = RULES.byline.anchored.pattern
    assert "{byline:" not in pattern and "reporting\\ by" in pattern and "autore" in pattern


def test_a_date_form_without_its_groups_fails(rules_dir: pathlib.Path) -> None:
    path = rules_dir / "dates.toml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("'(?P<y>(?:19|20)", "'((?:19|20)", 1), encoding="utf-8")
    with pytest.raises(RulesError, match=r"dates\.toml: \[dates\]: digit_forms: .* needs groups y and d"):
        load_rules(rules_dir)


def test_the_date_grammar_numbers_each_forms_groups_apart() -> None:
    forms = RULES.dates.forms
    assert [f.year for f in forms] == [f"y{i}" for i in range(len(forms))]
    assert [bool(f.name) for f in forms] == [False, False, True, True]  # two numeric forms, two with a month name


def test_comment_rules_are_validated_at_load(rules_dir: pathlib.Path) -> None:
    path = rules_dir / "structure.toml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("header_time = '\\b\\d{1,2}:\\d{2}\\b'", "header_time = '(\\d'"), encoding="utf-8")
    with pytest.raises(RulesError, match=r"structure.toml: \[comments.header_time\] regex"):
        load_rules(rules_dir)
    path.write_text(text.replace("min_replies = 2", "min_replies = 0"), encoding="utf-8")
    with pytest.raises(RulesError, match=r"\[comments.min_replies\] must be at least 1"):
        load_rules(rules_dir)
    path.write_text(text.replace("min_headers = 2", "min_headers = 0"), encoding="utf-8")
    with pytest.raises(RulesError, match=r"\[comments.min_headers\] must be at least 1"):
        load_rules(rules_dir)
    for key, bad, message in (("train_max_gap = 6", "train_max_gap = 1", "must be at least 2"),
                              ("train_headers = 5", "train_headers = 1", "must be at least 2"),
                              ("train_max_days = 366", "train_max_days = -1", "must be a non-negative integer"),
                              ("train_header_max_other_words = 4", "train_header_max_other_words = -1",
                               "must be a non-negative integer")):
        path.write_text(text.replace(key, bad), encoding="utf-8")
        with pytest.raises(RulesError, match=rf"\[comments.{key.split(' = ')[0]}\] {message}"):
            load_rules(rules_dir)
    path.write_text(text.replace("header_window = 12\n", ""), encoding="utf-8")
    with pytest.raises(RulesError, match=r"\[comments\] missing key\(s\): header_window"):
        load_rules(rules_dir)


def test_wrapping_rules_are_validated_at_load(rules_dir: pathlib.Path) -> None:
    path = rules_dir / "structure.toml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("min_share = 0.6", "min_share = 1.5"), encoding="utf-8")
    with pytest.raises(RulesError, match=r"\[wrapping.min_share\] must be a number in \(0, 1\]"):
        load_rules(rules_dir)
    path.write_text(text.replace("max_width = 100", "max_width = 0"), encoding="utf-8")
    with pytest.raises(RulesError, match=r"\[wrapping.max_width\] must be at least 1"):
        load_rules(rules_dir)
    path.write_text(text.replace("min_lines = 3\n", ""), encoding="utf-8")
    with pytest.raises(RulesError, match=r"\[wrapping\] missing key\(s\): min_lines"):
        load_rules(rules_dir)


# Lines the rules must give a reason, and prose near them the rules must leave alone.
RULE_LINES = [
    ("{ 13 comments… read them below or add one }", "comment_stub"),
    ("{ 1 comment… read it below or add one }", "comment_stub"),
    ("{ 131 comments }", "comment_stub"),
    ("Top Headlines", "related_links"),
    ("Related post:", "related_links"),
    ("Follow me on Twitter! @someone", "community_promo"),
    ("• Follow me on Twitter", "community_promo"),
    ("Ads by Google", "advertisement"),
]
NOT_RULE_LINES = [
    "He said { 13 comments } was a typo in the template.",
    "{ 13 comments, he wrote, was the most the blog ever had }",
    "The top headlines of the day were all about the storm.",
    "Follow me on Twitter, he told the crowd, and they did.",
    "Ads by Google made up most of the site's revenue that year.",
]


def _match(line: str):
    norm = " ".join(line.lower().lstrip(RULES.bullets + " \t").split())  # as clean_text normalises a line
    return RULES.match_line_rule(norm, len(re.findall(r"\w+", norm)))


@pytest.mark.parametrize(("line", "reason"), RULE_LINES)
def test_template_lines_get_their_reason(line: str, reason: str) -> None:
    rule = _match(line)
    assert rule is not None and rule.reason == reason, line


@pytest.mark.parametrize("line", NOT_RULE_LINES)
def test_prose_that_mentions_them_matches_no_rule(line: str) -> None:
    assert _match(line) is None, line
