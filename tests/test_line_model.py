"""The learned line model: its file is checked at load, its features are the code's, and it changes labels."""

from __future__ import annotations

import dataclasses
import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from bench.train_line_model import line_labels
from tests.benchdata import load_scorer, needs_bench
from tests.conftest import BENCH
from transforms.clean_text import classify_lines, describe_lines
from transforms.line_model import CONTEXT, FEATURES, ModelError, parse_model, read_model
from transforms.ranker_model import MODELS_DIR
from transforms.record import BODY, BOILERPLATE
from transforms.rules import LINE_MODEL_FILE, RulesError, load_rules

RULES = load_rules()

LINE_MODEL = MODELS_DIR / LINE_MODEL_FILE

SAMPLES = Path(__file__).resolve().parents[1] / "samples" / "inbox"


def _doc() -> dict:
    return json.loads(LINE_MODEL.read_text(encoding="utf-8"))


def test_shipped_model_loads_and_names_the_code_features() -> None:
    model = read_model(LINE_MODEL)
    doc = _doc()
    assert tuple(doc["features"]) == FEATURES and tuple(doc["context"]) == CONTEXT
    assert model.first.weights.shape == (len(FEATURES),)
    assert model.second.weights.shape == (len(FEATURES) + len(CONTEXT),)
    assert doc["fitted"]["script"] == "bench/train_line_model.py"


def test_a_feature_the_code_does_not_compute_is_an_error_at_load() -> None:
    doc = _doc()
    doc["features"] = ["log_wrods", *doc["features"][1:]]
    with pytest.raises(ModelError, match="log_wrods"):
        parse_model(doc)


def test_a_hand_edited_weight_fails_the_checksum() -> None:
    doc = _doc()
    doc["first"]["weights"][0] += 1.0
    with pytest.raises(ModelError, match="checksum"):
        parse_model(doc)


def test_a_missing_or_broken_model_file_fails_loading_the_rules(tmp_path: Path) -> None:
    models = tmp_path / "models"
    shutil.copytree(MODELS_DIR, models)
    (models / LINE_MODEL_FILE).unlink()
    with pytest.raises(RulesError, match="line model"):
        load_rules(models=models)
    (models / LINE_MODEL_FILE).write_text("{not json", encoding="utf-8")
    with pytest.raises(RulesError, match="line model"):
        load_rules(models=models)


def test_features_have_one_column_per_name_and_are_finite() -> None:
    text = sorted(SAMPLES.glob("*.txt"))[1].read_text(encoding="utf-8")
    lines, x, context = describe_lines(text, dataclasses.replace(RULES, line_model=None))
    assert x.shape == (len(lines), len(FEATURES)) and np.isfinite(x).all()
    c = context(np.full(len(lines), 0.5))
    assert c.shape == (len(lines), len(CONTEXT)) and np.isfinite(c).all()


PROSE = [
    "The city council approved the new budget on Tuesday after a debate that lasted well into the night.",
    "Members of the council said the plan would pay for repairs to roads and schools across the district.",
    "The mayor told reporters that she was pleased with the result and thanked the staff for their work.",
    "Critics of the plan said that it did too little for the bus network and would raise fees for parking.",
]


def _constant_model(intercept: float):
    doc = _doc()
    doc["second"]["intercept"] = intercept
    doc["second"]["weights"] = [0.0] * len(doc["second"]["weights"])
    from transforms.line_model import BODY_KEYS, _checksum  # the checksum the fitting script writes

    doc["checksum"] = _checksum({k: doc[k] for k in BODY_KEYS})
    return parse_model(doc)


def test_model_removes_weak_body_lines_with_a_reason_but_never_prose() -> None:
    rules = RULES
    text = "\n\n".join(["Council approves the budget", PROSE[0], PROSE[1], "Pictures from the night session",
                        PROSE[2], PROSE[3]])
    no_model = classify_lines(text, dataclasses.replace(rules, line_model=None))
    assert [x.label for x in no_model if x.text.startswith("Pictures")] == [BODY]
    never = classify_lines(text, dataclasses.replace(rules, line_model=_constant_model(-50.0)))
    weak = next(x for x in never if x.text.startswith("Pictures"))
    assert weak.label == BOILERPLATE and weak.reason == "unlikely_content"
    assert [x.text for x in never if x.label == BODY] == PROSE


def test_model_keeps_strong_prose_the_rules_left_outside() -> None:
    rules = RULES
    text = "\n\n".join(["Council approves the budget", *PROSE, "Comments", "Leave a Reply",
                        "Residents who spoke at the meeting said they would keep asking the council for more buses."])
    no_model = classify_lines(text, dataclasses.replace(rules, line_model=None))
    always = classify_lines(text, dataclasses.replace(rules, line_model=_constant_model(50.0)))
    assert no_model[-1].label == BOILERPLATE and always[-1].label == BODY
    # a line a rule fired on stays removed, whatever the model says
    assert all(x.label == BOILERPLATE for x in always if x.text == "Leave a Reply")


def test_line_labels_follow_the_truth_shingles() -> None:
    scorer = load_scorer()
    truth = "The council approved the new budget on Tuesday after a long debate.\nIt takes effect in May."
    lines = ["Share this article", "The council approved the new budget on Tuesday after a long debate.",
             "Related: Council elections", "It takes effect in May."]
    assert line_labels(lines, truth, scorer).tolist() == [0.0, 1.0, 0.0, 1.0]


@needs_bench(BENCH / "train" / "truth.jsonl")
@needs_bench(BENCH / "dev" / "truth.jsonl")
@needs_bench(BENCH / "score.py")
def test_shipped_model_was_fitted_on_the_features_the_rules_give_now() -> None:
    """A rule change that moves the line features or labels leaves the model stale: refit it with
    bench/train_line_model.py (the summary needs no scikit-learn, so this runs where the fit cannot)."""
    from bench.loso import load_pages
    from bench.train_line_model import features_summary, page_tables

    rules = dataclasses.replace(RULES, line_model=None)
    now = features_summary(page_tables(load_pages(BENCH), rules, load_scorer()))
    fitted = _doc()["fitted"]["features"]
    assert now["lines_sha256"] == fitted["lines_sha256"], "refit with bench/train_line_model.py (lines differ)"
    for key in ("feature_sums", "feature_squares", "label_sum", "weight_sum"):
        assert np.allclose(now[key], fitted[key], rtol=1e-9, atol=1e-9), f"refit with bench/train_line_model.py ({key})"
