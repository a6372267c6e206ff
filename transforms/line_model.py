"""The learned line classifier of text dumps: named features in, probability that a line is article text out.

The model is two stacked logistic regressions: the first over the features the cleaner computes for every line
and its neighbours (`clean_text.line_features`), the second over the same
plus the first's probabilities around the line (`clean_text.context_features`). It is fitted by
`bench/train_line_model.py` and shipped as a JSON file (`transforms/models/line_model.json`) that names every
feature it expects. Loading checks the names against
`FEATURES`, the file's checksum and the shapes, so a model and the code that feeds it cannot drift apart silently.
"""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

# The features, in the order clean_text.line_features computes them (one column each).
FEATURES: tuple[str, ...] = (
    "log_words", "kind_good", "kind_near", "kind_short", "density", "terminal", "bullet", "rule_drop", "rule_stop",
    "caption", "is_date", "is_byline", "link_density", "gap_before", "gap_after", "rel_position", "words_before",
    "old_span", "old_body", "old_header", "span_distance", "good_window_2", "good_window_5", "good_window_15",
    "words_window_2", "prev_good", "next_good", "page_good_share", "log_page_words", "block_lines", "block_words",
    "title_case", "digit_share", "ends_colon", "repeat_in_page", "after_stop", "before_title", "block_density",
    "block_terminal", "continuation", "density_window_2", "bullet_window_2", "rule_window_2", "length_ratio",
    "layout_columns",
)
# The second stage sees the first stage's probabilities around each line (clean_text.context_features).
CONTEXT: tuple[str, ...] = ("p", "p_window_1", "p_window_3", "p_window_8", "p_block", "p_prev", "p_next", "p_page")


FORMAT = "broadsheet-line-model/2"
BODY_KEYS = ("features", "context", "first", "second", "keep_inside", "keep_outside")


class ModelError(ValueError):
    """A model file that is missing, malformed or does not fit the code's features."""


@dataclass(frozen=True, slots=True)
class Stage:
    """One logistic regression over standardised features."""

    mean: np.ndarray
    scale: np.ndarray
    weights: np.ndarray
    intercept: float

    def predict(self, features: np.ndarray) -> np.ndarray:
        """Probability of article text for each row of a (lines x features) matrix."""
        z = ((features - self.mean) / self.scale) @ self.weights + self.intercept
        return 1.0 / (1.0 + np.exp(-np.clip(z, -30.0, 30.0)))


@dataclass(frozen=True, slots=True)
class LineModel:
    """Two stages (line features; then the same plus the first stage's probabilities around each line) and the
    decoding thresholds fitted with them."""

    first: Stage
    second: Stage
    keep_inside: float  # inside the article stretch, a line under this probability is removed
    keep_outside: float  # after it, a line at or over this probability is kept
    checksum: str


def stage_payload(stage: Stage) -> dict:
    """The JSON form of one stage."""
    return {"mean": [round(float(x), 6) for x in stage.mean], "scale": [round(float(x), 6) for x in stage.scale],
            "weights": [round(float(x), 6) for x in stage.weights], "intercept": round(float(stage.intercept), 6)}


def model_payload(first: Stage, second: Stage, keep_inside: float, keep_outside: float, meta: dict) -> dict:
    """The JSON document of a fitted model, with a checksum over its numbers."""
    body = {"features": list(FEATURES), "context": list(CONTEXT), "first": stage_payload(first),
            "second": stage_payload(second), "keep_inside": keep_inside, "keep_outside": keep_outside}
    return {"format": FORMAT, "checksum": _checksum(body), **body, "fitted": meta}


def parse_model(doc: dict, where: str = "<model>") -> LineModel:
    """Build a LineModel from its JSON document; every inconsistency is a ModelError."""
    try:
        if doc.get("format") != FORMAT:
            raise ModelError(f"{where}: unknown format {doc.get('format')!r}")
        for key, names in (("features", FEATURES), ("context", CONTEXT)):
            given = tuple(doc[key])
            if given != names:
                unknown, missing = sorted(set(given) - set(names)), sorted(set(names) - set(given))
                raise ModelError(f"{where}: {key} differ from the code (unknown {unknown}, missing {missing}, "
                                 "or another order); refit with bench/train_line_model.py")
        body = {k: doc[k] for k in BODY_KEYS}
        if doc.get("checksum") != _checksum(body):
            raise ModelError(f"{where}: checksum mismatch (edited by hand?)")
        first = _parse_stage(doc["first"], len(FEATURES), f"{where}: first")
        second = _parse_stage(doc["second"], len(FEATURES) + len(CONTEXT), f"{where}: second")
        inside, outside = float(doc["keep_inside"]), float(doc["keep_outside"])
        if not (0.0 <= inside <= 1.0 and 0.0 <= outside <= 1.0):
            raise ModelError(f"{where}: thresholds must lie in [0, 1]")
    except (KeyError, TypeError, AttributeError, ValueError) as exc:
        if isinstance(exc, ModelError):
            raise
        raise ModelError(f"{where}: malformed model file ({type(exc).__name__}: {exc})") from exc
    return LineModel(first, second, inside, outside, doc["checksum"])


def _parse_stage(doc: dict, width: int, where: str) -> Stage:
    arrays = [np.asarray(doc[k], dtype=float) for k in ("mean", "scale", "weights")]
    if any(a.shape != (width,) for a in arrays) or not all(np.isfinite(a).all() for a in arrays):
        raise ModelError(f"{where}: mean/scale/weights must be {width} finite numbers each")
    if (arrays[1] <= 0).any():
        raise ModelError(f"{where}: scales must be positive")
    intercept = float(doc["intercept"])
    if not math.isfinite(intercept):
        raise ModelError(f"{where}: the intercept must be finite")
    return Stage(*arrays, intercept)


def read_model(path: Path) -> LineModel:
    """Read and check a model file."""
    try:
        doc = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ModelError(f"cannot read line model {path}: {exc}") from exc
    return parse_model(doc, str(path))


def _checksum(body: dict) -> str:
    return hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()
