"""The text-dump candidate rankers' model: the feature vocabulary the code computes, and the fitted weights file.

The weights are learned, not written: bench/fit_meta_ranker.py fits them on the dev split and writes
transforms/models/ranker.json (weights, the fitting inputs and parameters, and a sha256 of the weights).
load_ranker checks the checksum and that every weighted feature is one this module names, so a stale or
misspelled feature is an error at load instead of a silent weight of 0.
"""

from __future__ import annotations

import hashlib
import json
import pathlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType

from transforms.record import LABELS
from transforms.rulefiles import RulesError

MODELS_DIR = pathlib.Path(__file__).with_name("models")
RANKER_FILE = "ranker.json"

# Distance and length buckets: (low, high, name) -> feature f"{prefix}{name}"; a value in none is f"{prefix}other".
DIST_TITLE = ((-3, -1, "m1_3"), (-6, -4, "m4_6"), (-12, -7, "m7_12"), (-25, -13, "m13_25"), (-999, -26, "far"),
              (0, 0, "0"), (1, 3, "p1_3"), (4, 999, "p4"))
WORDS = ((1, 1, "1"), (2, 3, "2_3"), (4, 8, "4_8"), (9, 15, "9_15"), (16, 25, "16_25"), (26, 999, "26"))
DIST_META = ((-3, -1, "m1_3"), (-12, -4, "m4_12"), (-99999, -13, "far_before"), (0, 0, "0"), (1, 1, "p1"),
             (2, 2, "p2"), (3, 4, "p3_4"), (5, 10, "p5_10"), (11, 30, "p11_30"), (31, 99999, "far_after"))
NAME_WORDS = ((1, 1, "1"), (2, 3, "2_3"), (4, 9, "4"))
# Boilerplate reasons that are label features of their own; other reasons are lab_other.
LABEL_REASONS = frozenset({"outside_article", "duplicate_title", "navigation", "breadcrumb"})

# Title features added after the early ones, and every title feature in its dict order.
TITLE_LATE = ("has_date", "byline_like", "all_caps", "digit", "pipe", "numbered", "arrow", "glued", "junk",
              "next_date", "next_byline", "prev_same")
TITLE_ORDER = ("bias", "bullet", "end_period", "end_colon", "end_q", "has_date", "byline_like", "repeated",
               "repeated3", "first_title", "body_overlap", "no_content_words", "lower_start", "all_caps", "digit",
               "pipe", "numbered", "arrow", "glued", "in_body_run", "junk", "next_date", "next_byline", "next_body",
               "prev_same")
NAME_FEATURES = (("nw_1", "nw_2_3", "nw_4"), ("capitalised",), ("known_first", "known_any"), ("name_repeated",),
                 ("whole_line",))  # features a candidate's names add (at most one of each group)
AUTHOR_LINE = ("bias", "line_date", "line_short", "is_title", "mark", "mark_start", "mark_prose", "mark_lower",
               "mark_vonby", "segment", "run_head", "run_tail", "first_only")
DATE_FEATURES = ("bias", "published_label", "updated_label", "line_short", "line_byline", "first_after", "newest",
                 "day_repeated", "short_year", "named_month")


def bucket_name(prefix: str, value: int, edges: Sequence[tuple[int, int, str]]) -> str:
    """The feature naming the bucket a value falls in."""
    for lo, hi, name in edges:
        if lo <= value <= hi:
            return f"{prefix}{name}"
    return f"{prefix}other"


def _buckets(prefix: str, edges: Sequence[tuple[int, int, str]]) -> tuple[str, ...]:
    return (*(f"{prefix}{name}" for _lo, _hi, name in edges), f"{prefix}other")


LABEL_FEATURES = (*(f"lab_{label}" for label in sorted(LABELS - {"boilerplate"})),
                  *(f"lab_{reason}" for reason in sorted(LABEL_REASONS)), "lab_other")
FEATURES: Mapping[str, frozenset[str]] = MappingProxyType({
    "title": frozenset((*LABEL_FEATURES, *_buckets("d_", DIST_TITLE), *_buckets("w_", WORDS), *TITLE_ORDER)),
    "author": frozenset((*LABEL_FEATURES, *_buckets("d_", DIST_META), *AUTHOR_LINE,
                         *(k for group in NAME_FEATURES for k in group))),
    "date": frozenset((*LABEL_FEATURES, *_buckets("d_", DIST_META), *DATE_FEATURES)),
})


@dataclass(frozen=True, slots=True)
class RankerModel:
    """Linear weights of the text-dump candidate rankers: field ('title', 'author', 'date') -> feature -> weight."""

    weights: Mapping[str, dict[str, float]]
    sha256: str = ""
    # field -> the score a best candidate must reach to be answered at all (null rather than wrong)
    abstain_below: Mapping[str, float] = field(default_factory=dict)


def weights_sha256(weights: Mapping[str, Mapping[str, float]], abstain_below: Mapping[str, float] | None = None) -> str:
    """Checksum of the fitted numbers: the weights, and the abstention thresholds when there are any."""
    payload: object = weights if not abstain_below else {"abstain_below": abstain_below, "weights": weights}
    return hashlib.sha256(json.dumps(payload, sort_keys=True, separators=(",", ":")).encode()).hexdigest()


def check_weights(weights: object, where: str) -> dict[str, dict[str, float]]:
    """The weights as plain dicts; RulesError when a field or feature is unknown or a weight no number."""
    if not isinstance(weights, dict) or set(weights) != set(FEATURES):
        raise RulesError(f"{where}: 'weights' must be a table with exactly {sorted(FEATURES)}")
    out: dict[str, dict[str, float]] = {}
    for name, table in weights.items():
        if not isinstance(table, dict) or not all(
                isinstance(v, int | float) and not isinstance(v, bool) for v in table.values()):
            raise RulesError(f"{where}: weights.{name} must be a table of feature = number")
        unknown = sorted(set(table) - FEATURES[name])
        if unknown:
            raise RulesError(f"{where}: weights.{name} names feature(s) the code does not compute: "
                             f"{', '.join(unknown)}")
        out[name] = {k: float(v) for k, v in table.items()}
    return out


def load_ranker(directory: pathlib.Path = MODELS_DIR) -> RankerModel:
    """Read and check transforms/models/ranker.json (checksum and feature names); RulesError when it is wrong."""
    path = pathlib.Path(directory) / RANKER_FILE
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise RulesError(f"{path.name}: cannot read ranker model: {exc}") from exc
    except json.JSONDecodeError as exc:
        raise RulesError(f"{path.name}: invalid JSON: {exc}") from exc
    if not isinstance(data, dict) or "weights" not in data or "sha256" not in data:
        raise RulesError(f"{path.name}: needs 'weights' and 'sha256'")
    weights = check_weights(data["weights"], path.name)
    abstain = data.get("abstain_below", {})
    if not isinstance(abstain, dict) or not set(abstain) <= set(FEATURES) or not all(
            isinstance(v, int | float) and not isinstance(v, bool) for v in abstain.values()):
        raise RulesError(f"{path.name}: 'abstain_below' must map fields of {sorted(FEATURES)} to numbers")
    if weights_sha256(data["weights"], abstain) != data["sha256"]:
        raise RulesError(f"{path.name}: sha256 does not match the weights (edited by hand? refit with "
                         "bench/fit_meta_ranker.py)")
    return RankerModel(MappingProxyType(weights), data["sha256"],
                       MappingProxyType({k: float(v) for k, v in abstain.items()}))


def model_document(weights: Mapping[str, Mapping[str, float]], inputs: str, params: Mapping[str, object],
                   abstain_below: Mapping[str, float] | None = None) -> str:
    """The JSON text of a ranker model file (what bench/fit_meta_ranker.py writes)."""
    body: dict[str, object] = {
        "model": "text-dump candidate rankers (linear, softmax ranking loss)",
        "fitted_by": "bench/fit_meta_ranker.py", "inputs": inputs, "params": dict(params),
        "weights": {k: dict(sorted(v.items())) for k, v in sorted(weights.items())}}
    if abstain_below:
        body["abstain_below"] = dict(sorted(abstain_below.items()))
    body["sha256"] = weights_sha256(body["weights"], abstain_below)  # type: ignore[arg-type]
    return json.dumps(body, indent=1, ensure_ascii=False) + "\n"
